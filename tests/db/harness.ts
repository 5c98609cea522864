/**
 * Test harness for the database suites: a throw-away database (SQLite file or PostgreSQL database,
 * picked by TEST_DB), migrated and optionally seeded, a controllable clock, and a real Mailer talking
 * SMTP to an in-process smtp-server that keeps what it receives.
 *
 *   TEST_DB=sqlite   (default) a temp file in os.tmpdir(), deleted on close()
 *   TEST_DB=postgres a fresh database on TEST_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 *                    dropped on close(). PostgreSQL unreachable = the suite FAILS (never skips).
 */
import { generateKey } from '../../src/lib/server/crypto/fields';
import { fieldCipherFrom } from '../../src/lib/server/app';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { parseConfig } from '../../src/lib/server/config';
import type { AppContext } from '../../src/lib/server/context';
import { createDb, type DbHandle } from '../../src/lib/server/db';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { seedDemo } from '../../src/lib/server/db/seed/demo';
import { createMailer } from '../../src/lib/server/mail';
import { loadActor } from '../../src/lib/server/accounts/actor';
import type { Actor } from '../../src/lib/server/policy';

export type TestDialect = 'sqlite' | 'postgres';

function resolveDialect(): TestDialect {
	const value = process.env.TEST_DB ?? 'sqlite';
	if (value !== 'sqlite' && value !== 'postgres') {
		throw new Error(`TEST_DB must be "sqlite" or "postgres", got "${value}"`);
	}
	return value;
}

/** The dialect of this run (TEST_DB). */
export const TEST_DIALECT: TestDialect = resolveDialect();

export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fixed, readable starting instant for the injected clock (no test depends on the wall clock). */
export const T0 = new Date('2026-03-02T14:00:00.000Z');

// ---------------------------------------------------------------------------------------------
// Clock

export interface TestClock {
	now(): Date;
	set(at: Date | string): void;
	/** Moves time forward by `ms` milliseconds. */
	advance(ms: number): void;
}

export function createClock(start: Date = T0): TestClock {
	let current = start.getTime();
	return {
		now: () => new Date(current),
		set: (at) => {
			current = new Date(at).getTime();
		},
		advance: (ms) => {
			current += ms;
		}
	};
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------
// SMTP sink: a real smtp-server in this process, on a free port

export interface ReceivedMail {
	from: string;
	to: string[];
	subject: string;
	/** decoded text body */
	text: string;
	raw: string;
}

export interface MailSink {
	readonly port: number;
	readonly url: string;
	readonly messages: readonly ReceivedMail[];
	/** Messages addressed to `email` (case-insensitive), oldest first. */
	to(email: string): ReceivedMail[];
	clear(): void;
	close(): Promise<void>;
}

export async function startMailSink(): Promise<MailSink> {
	const messages: ReceivedMail[] = [];
	const server = new SMTPServer({
		// Plain SMTP on loopback: no STARTTLS (self-signed certificate) and no AUTH.
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				// Recorded before the 250 reply: when Mailer.send resolves, the message is here.
				const raw = Buffer.concat(chunks).toString('utf8');
				const parsed = parseMessage(raw);
				messages.push({
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
					subject: parsed.subject,
					text: parsed.text,
					raw
				});
				callback();
			});
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const port = (server.server.address() as AddressInfo).port;
	return {
		port,
		url: `smtp://127.0.0.1:${port}`,
		messages,
		to: (email) => messages.filter((m) => m.to.includes(email.toLowerCase())),
		clear: () => {
			messages.length = 0;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

/** Minimal MIME reading for the single-part text messages nodemailer sends. */
export function parseMessage(raw: string): { subject: string; text: string; headers: Record<string, string> } {
	const split = raw.indexOf('\r\n\r\n');
	const head = split === -1 ? raw : raw.slice(0, split);
	const body = split === -1 ? '' : raw.slice(split + 4);
	const headers: Record<string, string> = {};
	for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
	let bytes: Buffer;
	if (encoding === 'quoted-printable') bytes = decodeQuotedPrintable(body);
	else if (encoding === 'base64') bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
	else bytes = Buffer.from(body, 'utf8');
	return {
		subject: decodeEncodedWords(headers['subject'] ?? ''),
		text: bytes.toString('utf8').replace(/\r\n/g, '\n'),
		headers
	};
}

function decodeQuotedPrintable(input: string): Buffer {
	const softBreaksRemoved = input.replace(/=\r?\n/g, '');
	const out: number[] = [];
	for (let i = 0; i < softBreaksRemoved.length; i++) {
		const c = softBreaksRemoved[i]!;
		const hex = softBreaksRemoved.slice(i + 1, i + 3);
		if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
			out.push(parseInt(hex, 16));
			i += 2;
		} else {
			out.push(...Buffer.from(c, 'utf8'));
		}
	}
	return Buffer.from(out);
}

function decodeEncodedWords(value: string): string {
	// RFC 2047: adjacent encoded words separated by whitespace are joined without it.
	return value
		.replace(/(\?=)\s+(=\?)/g, '$1$2')
		.replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_all, _charset: string, kind: string, text: string) =>
			kind.toUpperCase() === 'B'
				? Buffer.from(text, 'base64').toString('utf8')
				: decodeQuotedPrintable(text.replace(/_/g, ' ')).toString('utf8')
		);
}

/** The token at the end of a `${origin}${path}<token>` link in a message body. */
export function linkToken(mail: ReceivedMail, origin: string, path: string): string {
	const escaped = (origin + path).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
	// eslint-disable-next-line security/detect-non-literal-regexp -- built from test constants, escaped above
	const match = new RegExp(`${escaped}([A-Za-z0-9_-]+)`).exec(mail.text);
	if (!match) throw new Error(`no ${origin}${path}… link in message "${mail.subject}":\n${mail.text}`);
	return match[1]!;
}

// ---------------------------------------------------------------------------------------------
// Databases

interface ThrowAwayDatabase {
	url: string;
	/** Removes the database (PostgreSQL: terminates leftover connections, then drops). */
	destroy(): Promise<void>;
}

function uniqueName(): string {
	return `sexto_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

function redact(url: string): string {
	return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

async function adminClient(): Promise<pg.Client> {
	const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5_000 });
	try {
		await client.connect();
	} catch (error) {
		await client.end().catch(() => {});
		throw new Error(
			`TEST_DB=postgres but PostgreSQL is unreachable at ${redact(PG_ADMIN_URL)} ` +
				`(${error instanceof Error ? error.message : String(error)}). ` +
				'Start it (pg_ctlcluster --skip-systemctl-redirect <version> main start) or set TEST_PG_ADMIN_URL. ' +
				'The database suite fails rather than skipping.',
			{ cause: error }
		);
	}
	return client;
}

async function createPostgresDatabase(): Promise<ThrowAwayDatabase> {
	const name = uniqueName();
	const admin = await adminClient();
	try {
		await admin.query(`create database "${name}"`);
	} finally {
		await admin.end();
	}
	const url = new URL(PG_ADMIN_URL);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		async destroy() {
			const client = await adminClient();
			try {
				await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
				await client.query(`drop database if exists "${name}" with (force)`);
			} finally {
				await client.end();
			}
		}
	};
}

function createSqliteDatabase(): ThrowAwayDatabase {
	const file = join(tmpdir(), `${uniqueName()}.db`);
	return {
		url: `sqlite:${file}`,
		async destroy() {
			for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
		}
	};
}

/** An empty database of the run's dialect, with nothing applied. */
export async function createThrowAwayDatabase(dialect: TestDialect = TEST_DIALECT): Promise<ThrowAwayDatabase> {
	return dialect === 'postgres' ? createPostgresDatabase() : createSqliteDatabase();
}

// ---------------------------------------------------------------------------------------------
// The context

export interface TestContext extends AppContext {
	clock: TestClock;
	mail: MailSink;
	/** DATABASE_URL of this test database (for child processes: CLI, app servers). */
	databaseUrl: string;
	/** Opens another, independent connection pool on the same database (a second "app server"). */
	openAnotherHandle(poolSize?: number): DbHandle;
	close(): Promise<void>;
}

export interface TestContextOptions {
	/** Load the demo data (default true). */
	seed?: boolean;
	/** Apply migrations (default true). */
	migrate?: boolean;
	/** Extra settings, parsed by the real config schema. */
	env?: Record<string, string>;
	start?: Date;
}

export const TEST_ORIGIN = 'http://sexto.test';

export async function createTestContext(options: TestContextOptions = {}): Promise<TestContext> {
	const database = await createThrowAwayDatabase();
	const cleanups: (() => Promise<void>)[] = [() => database.destroy()];
	const cleanup = async () => {
		for (const step of cleanups.reverse()) await step().catch(() => {});
	};
	try {
		const mail = await startMailSink();
		cleanups.push(() => mail.close());
		const config = parseConfig({
			NODE_ENV: 'test',
			DATABASE_URL: database.url,
			ORIGIN: TEST_ORIGIN,
			SMTP_URL: mail.url,
			LOG_LEVEL: 'error',
			FIELD_ENCRYPTION_KEY: generateKey(),
			BLIND_INDEX_KEY: generateKey(),
			...options.env
		});
		const handle = createDb(config.DATABASE_URL);
		const others: DbHandle[] = [];
		cleanups.push(async () => {
			for (const h of others) await h.close();
			await handle.close();
		});
		const clock = createClock(options.start);
		if (options.migrate ?? true) await migrateToLatest(handle.db);
		if ((options.migrate ?? true) && (options.seed ?? true)) await seedDemo(handle.db, clock.now());
		let closed = false;
		return {
			config,
			db: handle.db,
			dialect: handle.dialect,
			mailer: createMailer(config),
			cipher: fieldCipherFrom(config),
			now: () => clock.now(),
			clock,
			mail,
			databaseUrl: database.url,
			openAnotherHandle(poolSize = 10) {
				const h = createDb(database.url, { poolSize });
				others.push(h);
				return h;
			},
			async close() {
				if (closed) return;
				closed = true;
				await cleanup();
			}
		};
	} catch (error) {
		await cleanup();
		throw error;
	}
}

// ---------------------------------------------------------------------------------------------
// Small helpers shared by the suites

export async function userIdOf(ctx: Pick<AppContext, 'db'>, email: string): Promise<string> {
	const row = await ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
	return row.id;
}

export async function actorOf(ctx: Pick<AppContext, 'db'>, email: string): Promise<Actor> {
	return loadActor(ctx.db, await userIdOf(ctx, email));
}

export interface AuditRowLite {
	seq: number;
	action: string;
	outcome: string;
	actor_id: string | null;
	target_type: string | null;
	target_id: string | null;
	ip: string | null;
	at: string;
	details: Record<string, unknown>;
}

/** Audit rows (oldest first), optionally only those after `afterSeq`. */
export async function auditRows(ctx: Pick<AppContext, 'db'>, afterSeq = 0): Promise<AuditRowLite[]> {
	const rows = await ctx.db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq', 'asc').execute();
	return rows.map((r) => ({
		seq: Number(r.seq),
		action: r.action,
		outcome: r.outcome,
		actor_id: r.actor_id,
		target_type: r.target_type,
		target_id: r.target_id,
		ip: r.ip,
		at: r.at,
		details: JSON.parse(r.details) as Record<string, unknown>
	}));
}

export async function lastAuditSeq(ctx: Pick<AppContext, 'db'>): Promise<number> {
	const row = await ctx.db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst();
	return row ? Number(row.seq) : 0;
}
