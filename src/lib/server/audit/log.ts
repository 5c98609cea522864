import { CompiledQuery } from 'kysely';
import { dialectOf, isUniqueViolation, preparedOnPostgres, type DB, type DbOrTrx, type Trx } from '../db';
import { canonicalTail, ChainVerifier, GENESIS_HASH, rowHash, type ChainVerdict, type ChainedContent } from './chain';
import type { AuditEvent, AuditOutcome } from './events';

type Content = Omit<ChainedContent, 'seq'> & { outcome: AuditOutcome };

function contentOf(event: AuditEvent, now: Date): Content {
	return {
		at: now.toISOString(),
		actor_id: event.actorId,
		action: event.action,
		target_type: event.targetType ?? null,
		target_id: event.targetId ?? null,
		outcome: event.outcome,
		ip: event.ip ?? null,
		details: JSON.stringify(event.details ?? {})
	};
}

/**
 * PostgreSQL: lock, previous row, seq, hash and insert in one statement (`sexto_audit_append`, migration 0010):
 * one round trip. Its advisory lock (transaction-scoped) serialises appenders across every app server sharing
 * the database, so the chain never forks; it is held until the enclosing transaction ends.
 */
const APPEND_SQL = 'select sexto_audit_append($1) as seq';
preparedOnPostgres(APPEND_SQL);

async function appendOnPostgres(db: DbOrTrx, content: Content): Promise<number> {
	const { rows } = await db.executeQuery(CompiledQuery.raw(APPEND_SQL, [canonicalTail(content)]) as CompiledQuery<{ seq: number }>);
	return Number(rows[0]!.seq);
}

/**
 * PostgreSQL only, inside a transaction: the pending audit row as a value for `insert into audit_pending (tail)`, so a
 * write can queue it in the same statement as the change it describes (incidents/access.ts finishCaseWrite). It
 * joins the chain at COMMIT, exactly as appendAudit's.
 */
export function pendingAuditTail(event: AuditEvent, now: Date): string {
	return canonicalTail(contentOf(event, now));
}

/** SQLite: one connection per process serialises transactions; the primary key refuses a fork between processes. */
async function appendOnSqlite(trx: Trx, content: Content): Promise<number> {
	const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
	const row = { seq: Number(last?.seq ?? 0) + 1, ...content };
	const prev_hash = last?.hash ?? GENESIS_HASH;
	await trx
		.insertInto('audit_log')
		.values({ ...row, prev_hash, hash: rowHash(prev_hash, row) })
		.execute();
	return row.seq;
}

/**
 * PostgreSQL, inside a transaction: the event waits in `audit_pending` and joins the chain while the transaction
 * commits (migration 0012: a deferred constraint trigger calls sexto_audit_append), so the chain's lock is not held
 * across the app's round trip to COMMIT. Rolled back with the transaction like any row.
 */
const PENDING_SQL = 'insert into audit_pending (tail) values ($1)';
preparedOnPostgres(PENDING_SQL);

/**
 * Append one event inside the caller's transaction, so the audit row commits or rolls back with the change it
 * describes. Refuses to run outside a transaction. On PostgreSQL the row reaches `audit_log` at COMMIT (it is not
 * visible to the transaction's own later reads); on SQLite at once.
 */
export async function appendAudit(trx: Trx, event: AuditEvent, now = new Date()): Promise<void> {
	if (!trx.isTransaction) throw new Error('appendAudit must run inside a transaction');
	const content = contentOf(event, now);
	if (dialectOf(trx) === 'postgres') await trx.executeQuery(CompiledQuery.raw(PENDING_SQL, [canonicalTail(content)]));
	else await appendOnSqlite(trx, content);
}

/**
 * For events that are not part of another change (a read, a failed login): its own transaction, retried on a
 * race. On PostgreSQL the single statement is that transaction (no BEGIN/COMMIT round trips).
 */
export async function recordAudit(db: DB, event: AuditEvent, now = new Date()): Promise<void> {
	const content = contentOf(event, now);
	for (let attempt = 0; ; attempt++) {
		try {
			if (dialectOf(db) === 'postgres') await appendOnPostgres(db, content);
			else await db.transaction().execute((trx) => appendOnSqlite(trx, content));
			return;
		} catch (error) {
			// Only SQLite across several processes can race here; PostgreSQL holds the advisory lock.
			if (!isUniqueViolation(error) || attempt >= 5) throw error;
		}
	}
}

export async function verifyAuditChain(db: DbOrTrx, batchSize = 2000): Promise<ChainVerdict> {
	const verifier = new ChainVerifier();
	let after = 0;
	for (;;) {
		const rows = await db
			.selectFrom('audit_log')
			.selectAll()
			.where('seq', '>', after)
			.orderBy('seq', 'asc')
			.limit(batchSize)
			.execute();
		for (const r of rows) {
			if (!verifier.push({ ...r, seq: Number(r.seq) })) return verifier.result();
		}
		if (rows.length < batchSize) return verifier.result();
		after = Number(rows[rows.length - 1]!.seq);
	}
}
