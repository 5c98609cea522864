import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config';

/** The ConfigError thrown for `env`, or a failure if none is thrown. */
function configErrorFor(env: Record<string, string | undefined>): ConfigError {
	try {
		parseConfig(env);
	} catch (error) {
		expect(error).toBeInstanceOf(ConfigError);
		return error as ConfigError;
	}
	throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('parseConfig defaults', () => {
	it('an empty environment gives the documented defaults (SQLite demo)', () => {
		const c = parseConfig({});
		expect(c).toMatchObject({
			NODE_ENV: 'production',
			DATABASE_URL: 'sqlite:./data/sexto.db',
			dialect: 'sqlite',
			ORIGIN: 'http://localhost:3000',
			secureCookies: false,
			MAIL_FROM: 'Sexto <no-reply@sexto.test>',
			SESSION_TTL_HOURS: 12,
			LOGIN_MAX_FAILURES_PER_ACCOUNT: 5,
			LOGIN_MAX_FAILURES_PER_IP: 20,
			LOGIN_WINDOW_MINUTES: 15,
			PASSWORD_RESET_TTL_MINUTES: 60,
			INVITATION_TTL_DAYS: 7,
			SEED_DEMO: true,
			LOG_LEVEL: 'info',
			JOBS_ENABLED: true
		});
		expect(c.SMTP_URL).toBeUndefined();
	});

	it('empty strings count as "not set"', () => {
		const c = parseConfig({ SESSION_TTL_HOURS: '', ORIGIN: '', SMTP_URL: '' });
		expect(c.SESSION_TTL_HOURS).toBe(12);
		expect(c.ORIGIN).toBe('http://localhost:3000');
		expect(c.SMTP_URL).toBeUndefined();
	});

	it('numbers are read from strings', () => {
		const c = parseConfig({ SESSION_TTL_HOURS: '24', LOGIN_MAX_FAILURES_PER_IP: '100', PASSWORD_RESET_TTL_MINUTES: '30' });
		expect(c.SESSION_TTL_HOURS).toBe(24);
		expect(c.LOGIN_MAX_FAILURES_PER_IP).toBe(100);
		expect(c.PASSWORD_RESET_TTL_MINUTES).toBe(30);
	});

	it('is frozen', () => {
		const c = parseConfig({});
		expect(Object.isFrozen(c)).toBe(true);
	});

	it('an https ORIGIN turns on secure cookies', () => {
		expect(parseConfig({ ORIGIN: 'https://sexto.example' }).secureCookies).toBe(true);
	});
});

describe('database dialect and demo seeding', () => {
	it('a postgres:// or postgresql:// URL switches to PostgreSQL, where SEED_DEMO defaults to false', () => {
		for (const url of ['postgres://postgres@127.0.0.1:5432/sexto', 'postgresql://u:p@db.example/sexto']) {
			const c = parseConfig({ DATABASE_URL: url });
			expect(c.dialect).toBe('postgres');
			expect(c.SEED_DEMO).toBe(false);
		}
	});

	it('SEED_DEMO can be forced either way', () => {
		expect(parseConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1/x', SEED_DEMO: 'true' }).SEED_DEMO).toBe(true);
		expect(parseConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1/x', SEED_DEMO: '1' }).SEED_DEMO).toBe(true);
		expect(parseConfig({ SEED_DEMO: 'false' }).SEED_DEMO).toBe(false);
		expect(parseConfig({ SEED_DEMO: 'no' }).SEED_DEMO).toBe(false);
	});

	it('JOBS_ENABLED is on by default and can be turned off', () => {
		expect(parseConfig({}).JOBS_ENABLED).toBe(true);
		expect(parseConfig({ JOBS_ENABLED: 'false' }).JOBS_ENABLED).toBe(false);
		expect(parseConfig({ JOBS_ENABLED: '0' }).JOBS_ENABLED).toBe(false);
		expect(parseConfig({ JOBS_ENABLED: 'yes' }).JOBS_ENABLED).toBe(true);
	});

	it('a sqlite: URL keeps SQLite with the demo on', () => {
		const c = parseConfig({ DATABASE_URL: 'sqlite:/tmp/x.db' });
		expect(c.dialect).toBe('sqlite');
		expect(c.SEED_DEMO).toBe(true);
	});
});

describe('a bad setting stops the boot with a message naming it', () => {
	const cases: [string, Record<string, string>][] = [
		['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
		['SESSION_TTL_HOURS', { SESSION_TTL_HOURS: 'abc' }],
		['SESSION_TTL_HOURS', { SESSION_TTL_HOURS: '0' }],
		['SESSION_TTL_HOURS', { SESSION_TTL_HOURS: '1.5' }],
		['ORIGIN', { ORIGIN: 'notaurl' }],
		['SMTP_URL', { SMTP_URL: 'http://mail.example' }],
		['SEED_DEMO', { SEED_DEMO: 'maybe' }],
		['JOBS_ENABLED', { JOBS_ENABLED: 'sometimes' }],
		['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
		['NODE_ENV', { NODE_ENV: 'staging' }],
		['LOGIN_MAX_FAILURES_PER_ACCOUNT', { LOGIN_MAX_FAILURES_PER_ACCOUNT: '-1' }],
		['PASSWORD_RESET_TTL_MINUTES', { PASSWORD_RESET_TTL_MINUTES: '1' }],
		['INVITATION_TTL_DAYS', { INVITATION_TTL_DAYS: '365' }]
	];

	it.each(cases)('%s', (name, env) => {
		const error = configErrorFor(env);
		expect(error.message).toContain(name);
		expect(error.issues).toHaveLength(1);
		expect(error.issues[0]?.split(':')[0]).toBe(name);
	});

	it('lists every bad setting at once', () => {
		const error = configErrorFor({ DATABASE_URL: 'mysql://x', SESSION_TTL_HOURS: 'abc', ORIGIN: 'notaurl' });
		expect(error.issues.map((i) => i.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'ORIGIN', 'SESSION_TTL_HOURS']);
		expect(error.name).toBe('ConfigError');
		expect(error.message).toMatch(/^Invalid configuration:\n/);
	});

	it('does not echo the value of a bad setting (it may be a secret)', () => {
		const error = configErrorFor({ DATABASE_URL: 'mysql://admin:s3cr3t-pw@db/x' });
		expect(error.message).not.toContain('s3cr3t-pw');
	});
});
