/**
 * The one place that reads the environment. Parsed once, validated with zod; a bad setting stops the
 * boot with a message naming the setting. Everything else imports `getConfig()`.
 */
import { z } from 'zod';

const boolish = z
	.enum(['true', 'false', '1', '0', 'yes', 'no'])
	.transform((v) => v === 'true' || v === '1' || v === 'yes');

const base64Key = z
	.string()
	.refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, {
		message: 'must be 32 random bytes encoded in base64 (e.g. `openssl rand -base64 32`)'
	});

const schema = z.object({
	NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
	DATABASE_URL: z
		.string()
		.default('sqlite:./data/sexto.db')
		.refine((v) => /^(postgres(ql)?:\/\/|sqlite:)/.test(v), {
			message: 'must start with postgres://, postgresql:// or sqlite:'
		}),
	ORIGIN: z.url().default('http://localhost:3000'),
	SMTP_URL: z
		.string()
		.refine((v) => /^smtps?:\/\//.test(v), { message: 'must start with smtp:// or smtps://' })
		.optional(),
	MAIL_FROM: z.string().min(3).default('Sexto <no-reply@sexto.test>'),
	SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
	LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(100).default(5),
	LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).max(10_000).default(20),
	LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
	PASSWORD_RESET_TTL_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(60),
	INVITATION_TTL_DAYS: z.coerce.number().int().min(1).max(60).default(7),
	SEED_DEMO: boolish.optional(),
	/** 32 random bytes, base64: AES-256-GCM key for case data (names, dates of birth, free text). */
	FIELD_ENCRYPTION_KEY: base64Key.optional(),
	/** 32 random bytes, base64, different from the above: HMAC key of the blind index (exact-match name search). */
	BLIND_INDEX_KEY: base64Key.optional(),
	LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
	/** JSON file holding the Ed25519 keys that sign Open Badges credentials (see server/credentials/keys.ts). */
	CREDENTIAL_KEYS_FILE: z.string().min(1).default('./data/credential-keys.json'),
	/** Name and contact shown as the issuer of the badges (Open Badges issuer Profile). */
	CREDENTIAL_ISSUER_NAME: z.string().min(2).max(200).default('Sexto'),
	CREDENTIAL_ISSUER_EMAIL: z.email().default('badges@sexto.test'),
	/** Run the database job worker in this app server (overdue-decision alerts…). Any number of servers may. */
	JOBS_ENABLED: boolish.default(true)
});

export type Config = Readonly<
	Omit<z.infer<typeof schema>, 'SEED_DEMO'> & {
		SEED_DEMO: boolean;
		dialect: 'sqlite' | 'postgres';
		secureCookies: boolean;
	}
>;

export class ConfigError extends Error {
	constructor(public readonly issues: string[]) {
		super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
		this.name = 'ConfigError';
	}
}

/** Parse a given environment (pure: used by tests and by getConfig). */
export function parseConfig(env: Record<string, string | undefined>): Config {
	// Empty strings mean "not set", as in most process managers.
	const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
	const result = schema.safeParse(cleaned);
	if (!result.success) {
		throw new ConfigError(
			result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
		);
	}
	const c = result.data;
	if (c.FIELD_ENCRYPTION_KEY && c.FIELD_ENCRYPTION_KEY === c.BLIND_INDEX_KEY) {
		throw new ConfigError(['BLIND_INDEX_KEY: must differ from FIELD_ENCRYPTION_KEY']);
	}
	const dialect = c.DATABASE_URL.startsWith('sqlite:') ? 'sqlite' : 'postgres';
	return Object.freeze({
		...c,
		dialect,
		// The demo seeds itself on the embedded database; PostgreSQL is seeded on demand (npm run seed).
		SEED_DEMO: c.SEED_DEMO ?? dialect === 'sqlite',
		secureCookies: c.ORIGIN.startsWith('https://')
	});
}

let cached: Config | undefined;

export function getConfig(): Config {
	// eslint-disable-next-line no-restricted-syntax -- the one sanctioned read of process.env
	cached ??= parseConfig(process.env);
	return cached;
}
