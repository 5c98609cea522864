/**
 * Builds the running app's context once: configuration (validated), database, mailer.
 * Several app servers can run this against one PostgreSQL: nothing here keeps state in memory
 * that another server would need (sessions, throttling and audit live in the database).
 */
import { ConfigError, getConfig, type Config } from './config';
import { createFieldCipher, decodeKey, type FieldCipher } from './crypto/fields';
import { createDb } from './db';
import { createMailer } from './mail';
import { setLogLevel } from './log';
import type { AppContext } from './context';

let context: AppContext | undefined;
let closeDatabase: (() => Promise<void>) | undefined;

export function getAppContext(): AppContext {
	if (!context) {
		const config = getConfig();
		setLogLevel(config.LOG_LEVEL);
		const { db, dialect, close } = createDb(config.DATABASE_URL);
		closeDatabase = close;
		context = { config, db, dialect, mailer: createMailer(config), cipher: fieldCipherFrom(config), now: () => new Date() };
	}
	return context;
}

/**
 * Closes the database (the PostgreSQL pool's idle connections would otherwise keep the process alive after the
 * HTTP server closed on SIGTERM, until the orchestrator kills it). The context cannot be used afterwards.
 */
export async function closeAppContext(): Promise<void> {
	const close = closeDatabase;
	context = undefined;
	closeDatabase = undefined;
	await close?.();
}

/** The app refuses to start without both keys: case data is never stored in clear. */
export function fieldCipherFrom(config: Pick<Config, 'FIELD_ENCRYPTION_KEY' | 'BLIND_INDEX_KEY'>): FieldCipher {
	const missing = (['FIELD_ENCRYPTION_KEY', 'BLIND_INDEX_KEY'] as const).filter((k) => !config[k]);
	if (missing.length) {
		throw new ConfigError(missing.map((k) => `${k}: required (32 random bytes in base64; npm start generates them for the demo under ./data/)`));
	}
	return createFieldCipher(decodeKey(config.FIELD_ENCRYPTION_KEY!, 'FIELD_ENCRYPTION_KEY'), decodeKey(config.BLIND_INDEX_KEY!, 'BLIND_INDEX_KEY'));
}
