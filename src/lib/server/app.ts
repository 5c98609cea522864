/**
 * Builds the running app's context once: configuration (validated), database, mailer.
 * Several app servers can run this against one PostgreSQL: nothing here keeps state in memory
 * that another server would need (sessions, throttling and audit live in the database).
 */
import { getConfig } from './config';
import { createDb } from './db';
import { createMailer } from './mail';
import { setLogLevel } from './log';
import type { AppContext } from './context';

let context: AppContext | undefined;

export function getAppContext(): AppContext {
	if (!context) {
		const config = getConfig();
		setLogLevel(config.LOG_LEVEL);
		const { db, dialect } = createDb(config.DATABASE_URL);
		context = { config, db, dialect, mailer: createMailer(config), now: () => new Date() };
	}
	return context;
}
