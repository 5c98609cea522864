/**
 * What every service needs, passed explicitly so tests can build one on a throw-away database.
 * The running app builds a single one at boot (see app.ts).
 */
import type { Config } from './config';
import type { DB, Dialect } from './db';
import type { Mailer } from './mail';
import type { FieldCipher } from './crypto/fields';

export interface AppContext {
	config: Config;
	db: DB;
	dialect: Dialect;
	mailer: Mailer;
	/** encrypts case data at rest (names, dates of birth, free text) */
	cipher: FieldCipher;
	/** Injected clock: tests move time instead of sleeping. */
	now: () => Date;
}

/** Request metadata carried into the audit log. */
export interface RequestMeta {
	ip: string | null;
}
