/**
 * The one dialect-specific query of the job queue: claiming due jobs so that several app servers
 * never run one job twice.
 *
 * PostgreSQL: one statement, `update … where id in (select … for update skip locked limit n) returning *`.
 *   Concurrent claimers skip rows another transaction has locked instead of waiting for them, so two
 *   servers polling at the same instant take disjoint sets of jobs.
 * SQLite: the same conditional update (`status = 'pending'`) as one statement inside a transaction.
 *   SQLite has a single writer: the statement holds the write lock from its read to its write, so no
 *   other connection (or process) can claim the same rows in between.
 */
import { sql, type Selectable } from 'kysely';
import { dialectOf, type DB } from './index';
import type { JobsTable } from './schema';

export interface ClaimQuery {
	workerId: string;
	/** ISO UTC instant: jobs with run_at <= now are due, and this becomes claimed_at */
	now: string;
	limit: number;
	/** only these kinds (the handlers this server knows); all kinds when omitted */
	kinds?: readonly string[];
}

export type JobRow = Selectable<JobsTable>;

export async function claimJobRows(db: DB, q: ClaimQuery): Promise<JobRow[]> {
	if (q.limit <= 0 || (q.kinds && q.kinds.length === 0)) return [];
	const set = { status: 'running' as const, claimed_by: q.workerId, claimed_at: q.now, attempts: sql<number>`attempts + 1` };
	const claim = db.transaction().execute(async (trx) => {
		if (dialectOf(trx) === 'postgres') {
			// The due ids are picked once, in a MATERIALIZED CTE. Written as `where id in (select … limit n
			// for update skip locked)`, the planner may choose a nested-loop semi-join that rescans the
			// subquery for every outer row: each rescan locks the next rows and the LIMIT is not honoured
			// (seen on PostgreSQL 15: limit 3 claimed 5). tests/db/jobs.test.ts checks the limit.
			return trx
				.with(
					(cte) => cte('due').materialized(),
					(w) => {
						let due = w
							.selectFrom('jobs')
							.select('id')
							.where('status', '=', 'pending')
							.where('run_at', '<=', q.now);
						if (q.kinds) due = due.where('kind', 'in', [...q.kinds]);
						return due.orderBy('run_at').orderBy('id').limit(q.limit).forUpdate().skipLocked();
					}
				)
				.updateTable('jobs')
				.set(set)
				.where('id', 'in', (eb) => eb.selectFrom('due').select('due.id'))
				.where('status', '=', 'pending')
				.returningAll()
				.execute();
		}
		let due = trx
			.selectFrom('jobs')
			.select('id')
			.where('status', '=', 'pending')
			.where('run_at', '<=', q.now);
		if (q.kinds) due = due.where('kind', 'in', [...q.kinds]);
		return (
			trx
				.updateTable('jobs')
				.set(set)
				.where('id', 'in', due.orderBy('run_at').orderBy('id').limit(q.limit))
				// Re-checked on the row itself: a claim only ever takes a pending job.
				.where('status', '=', 'pending')
				.returningAll()
				.execute()
		);
	});
	const rows: JobRow[] = await claim;
	return rows.map((r) => ({ ...r, attempts: Number(r.attempts) })).sort((a, b) => (a.run_at < b.run_at ? -1 : a.run_at > b.run_at ? 1 : a.id < b.id ? -1 : 1));
}
