/**
 * The Kysely instance for either dialect. Only this folder knows about SQLite vs PostgreSQL.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type PostgresPool, type PostgresPoolClient, type Transaction } from 'kysely';
import type { Database } from './schema';

export type Dialect = 'sqlite' | 'postgres';
export type DB = Kysely<Database>;
export type Trx = Transaction<Database>;
export type DbOrTrx = DB | Trx;

export interface DbHandle {
	db: DB;
	dialect: Dialect;
	close(): Promise<void>;
}

// int8 (count(*), bigint columns) as JS numbers: our counts and sequences stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export function sqlitePathFromUrl(url: string): string {
	return resolve(url.replace(/^sqlite:(\/\/)?/, ''));
}

/**
 * better-sqlite3 compiles a statement on every `prepare`; Kysely prepares per query. Keeping one compiled
 * statement per SQL text (bounded) cut the signed-in dashboard's CPU by ~15 % (docs/BENCHMARKS.md).
 * Safe: Kysely runs one query at a time on its single SQLite connection.
 */
function withStatementCache(database: SQLite.Database, max = 500) {
	const cache = new Map<string, SQLite.Statement>();
	return {
		prepare(sqlText: string): SQLite.Statement {
			let statement = cache.get(sqlText);
			if (!statement) {
				statement = database.prepare(sqlText);
				if (cache.size >= max) cache.delete(cache.keys().next().value!);
				cache.set(sqlText, statement);
			}
			return statement;
		},
		close(): void {
			cache.clear();
			database.close();
		}
	};
}

/** SQL texts run as named prepared statements on PostgreSQL (see preparedOnPostgres). Bounded by the code. */
const namedStatements = new Map<string, string>();

/**
 * Marks a hot, fixed SQL text (e.g. the session query every signed-in request runs) to be sent as a named prepared
 * statement on PostgreSQL: each connection parses and plans it once, then only binds and executes it. Only texts
 * registered here are named (a text built with a variable-length IN list must never be), so the number of
 * statements per connection stays bounded. No effect on SQLite, whose statements are all cached.
 */
export function preparedOnPostgres(sqlText: string): void {
	if (!namedStatements.has(sqlText)) namedStatements.set(sqlText, `sexto_stmt_${namedStatements.size + 1}`);
}


/** The pool Kysely sees: same connections, but registered SQL texts go out as named statements. */
function withNamedStatements(pool: pg.Pool): PostgresPool {
	const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
	const wrap = (client: pg.PoolClient): PostgresPoolClient => {
		// A cursor (streaming) goes through untouched; a registered SQL text goes out under its statement name.
		function query(sqlOrCursor: string | object, parameters?: ReadonlyArray<unknown>): unknown {
			if (typeof sqlOrCursor !== 'string') return client.query(sqlOrCursor as pg.Submittable);
			const name = namedStatements.get(sqlOrCursor);
			const values = [...(parameters ?? [])];
			return name ? client.query({ name, text: sqlOrCursor, values }) : client.query(sqlOrCursor, values);
		}
		return { query: query as PostgresPoolClient['query'], release: (destroy?: boolean) => client.release(destroy) };
	};
	return {
		async connect() {
			const client = await pool.connect();
			let wrapper = wrappers.get(client);
			if (!wrapper) {
				wrapper = wrap(client);
				wrappers.set(client, wrapper);
			}
			return wrapper;
		},
		end: () => pool.end()
	};
}

export function createDb(url: string, options: { poolSize?: number } = {}): DbHandle {
	if (url.startsWith('sqlite:')) {
		const file = sqlitePathFromUrl(url);
		// The path comes from validated configuration, not from a request.
		// eslint-disable-next-line security/detect-non-literal-fs-filename
		if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
		const database = new SQLite(file);
		database.pragma('journal_mode = WAL');
		database.pragma('foreign_keys = ON');
		database.pragma('busy_timeout = 5000');
		database.pragma('synchronous = NORMAL');
		const statements = withStatementCache(database);
		const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
		// Outside a transaction a synchronous read is atomic for this process (nothing else runs meanwhile), so a
		// hot read may skip Kysely's connection queue. Inside one (another request's open transaction on the single
		// connection) it must wait its turn like any query: it would otherwise see uncommitted rows.
		directReads.set(db, (sqlText, parameters) => {
			if (database.inTransaction) return null;
			const statement = statements.prepare(sqlText);
			return statement.reader ? (statement.all(parameters) as Record<string, unknown>[]) : null;
		});
		return { db, dialect: 'sqlite', close: () => db.destroy() };
	}
	const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
	// A dropped connection must not crash the process; the next query reports the error instead.
	pool.on('error', () => {});
	const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }) });
	// Same pool, same named statements: a hot read skips only Kysely's per-query machinery.
	directReads.set(db, (sqlText, parameters) => {
		const name = namedStatements.get(sqlText);
		const values = [...parameters];
		return pool.query(name ? { name, text: sqlText, values } : { text: sqlText, values }).then((r) => r.rows as Record<string, unknown>[]);
	});
	return { db, dialect: 'postgres', close: () => db.destroy() };
}

type DirectRead = (sqlText: string, parameters: readonly unknown[]) => Record<string, unknown>[] | Promise<Record<string, unknown>[]> | null;
const directReads = new WeakMap<DB, DirectRead>();

/**
 * Runs a compiled read-only query (a precompiled hot read: the session, the dashboard card) straight on the
 * driver when it can do so safely (see createDb), else through Kysely. Same SQL, same bound parameters, same rows.
 */
export async function executeRead<Row>(db: DB, query: { sql: string; parameters: readonly unknown[] } & Parameters<DB['executeQuery']>[0]): Promise<Row[]> {
	const direct = directReads.get(db)?.(query.sql, query.parameters);
	if (direct) return (await direct) as Row[];
	return (await db.executeQuery(query)).rows as Row[];
}

/**
 * Serialise writers of one logical resource (e.g. "agreements of police service X") across transactions
 * and app servers, for checks that span rows (no overlapping active agreements).
 * SQLite: a single process serialises transactions already (one connection); several servers need PostgreSQL.
 */
export async function lockResource(trx: Trx, name: string): Promise<void> {
	if (dialectOf(trx) !== 'postgres') return;
	let h = 0;
	for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) | 0;
	await sql`select pg_advisory_xact_lock(${0x5e7702}, ${h})`.execute(trx);
}

export async function ping(db: DB): Promise<void> {
	await sql`select 1`.execute(db);
}

export function isUniqueViolation(error: unknown): boolean {
	const e = error as { code?: string; message?: string };
	return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export function dialectOf(db: DbOrTrx): Dialect {
	return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
