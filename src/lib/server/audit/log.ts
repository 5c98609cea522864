import { sql } from 'kysely';
import { dialectOf, isUniqueViolation, type DB, type DbOrTrx, type Trx } from '../db';
import { ChainVerifier, GENESIS_HASH, rowHash, type ChainVerdict } from './chain';
import type { AuditEvent } from './events';

/** Arbitrary constant: the advisory-lock key that serialises audit appends on PostgreSQL. */
const AUDIT_LOCK_KEY = 0x5e7701;

/**
 * Append one event inside the caller's transaction, so the audit row commits or rolls back with
 * the change it describes. Refuses to run outside a transaction.
 */
export async function appendAudit(trx: Trx, event: AuditEvent, now = new Date()): Promise<number> {
	if (!trx.isTransaction) throw new Error('appendAudit must run inside a transaction');
	const dialect = dialectOf(trx);
	if (dialect === 'postgres') {
		// Serialise appenders across every app server sharing this database: the chain never forks.
		await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
	}
	const last = await trx
		.selectFrom('audit_log')
		.select(['seq', 'hash'])
		.orderBy('seq', 'desc')
		.limit(1)
		.executeTakeFirst();
	const row = {
		seq: (last?.seq ?? 0) + 1,
		at: now.toISOString(),
		actor_id: event.actorId,
		action: event.action,
		target_type: event.targetType ?? null,
		target_id: event.targetId ?? null,
		outcome: event.outcome,
		ip: event.ip ?? null,
		details: JSON.stringify(event.details ?? {})
	};
	const prev_hash = last?.hash ?? GENESIS_HASH;
	await trx
		.insertInto('audit_log')
		.values({ ...row, prev_hash, hash: rowHash(prev_hash, row) })
		.execute();
	return row.seq;
}

/** For events that are not part of another change (a failed login): its own short transaction, retried on a race. */
export async function recordAudit(db: DB, event: AuditEvent, now = new Date()): Promise<void> {
	for (let attempt = 0; ; attempt++) {
		try {
			await db.transaction().execute((trx) => appendAudit(trx, event, now));
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
