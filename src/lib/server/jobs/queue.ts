/**
 * Jobs stored in the database (no external queue): any app server may enqueue, and any number of app
 * servers may run a worker. A claim is exclusive (see db/jobs.ts); a claimed job carries a fencing
 * token (claimed_by + attempts) so that a worker whose lease expired can no longer complete or fail
 * the job another worker has since taken over.
 *
 * Lifecycle: pending → running (claimed) → done | pending again (retry with backoff) | failed.
 * A job stuck in running past its lease (its server died) is put back to pending by reclaimStaleJobs.
 *
 * Payloads and errors hold ids and codes only: never names, case text or anything describing images.
 */
import type { Updateable } from 'kysely';
import { claimJobRows, type JobRow } from '../db/jobs';
import type { DbOrTrx, DB } from '../db';
import type { JobsTable } from '../db/schema';
import { newId } from '../crypto/tokens';

export type JobPayload = Record<string, string | number | boolean | null>;

export interface Job {
	id: string;
	kind: string;
	payload: JobPayload;
	dedupeKey: string | null;
	runAt: string;
	/** number of claims so far, this one included */
	attempts: number;
	claimedBy: string;
	claimedAt: string;
}

export interface EnqueueInput {
	kind: string;
	payload: JobPayload;
	runAt: Date | string;
	/** At most one job per key, ever: enqueueing an existing key again is a no-op. */
	dedupeKey?: string | null;
}

export interface RetryPolicy {
	/** attempts before a job is marked failed (default 5) */
	maxAttempts: number;
	/** delay before the first retry; doubles at each attempt (default 1 min) */
	backoffMs: number;
	/** longest delay between two attempts (default 1 h) */
	maxBackoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, backoffMs: 60_000, maxBackoffMs: 3_600_000 };

/**
 * A failure a handler reports on purpose, with a code safe to store. `permanent` skips the retries
 * (an invalid payload will not become valid by waiting).
 */
export class JobError extends Error {
	constructor(
		public readonly code: string,
		public readonly permanent = false
	) {
		super(code);
		this.name = 'JobError';
	}
}

const iso = (at: Date | string) => (typeof at === 'string' ? new Date(at) : at).toISOString();

export async function enqueueJob(db: DbOrTrx, input: EnqueueInput, now: Date = new Date()): Promise<{ id: string; created: boolean }> {
	const id = newId();
	const inserted = await db
		.insertInto('jobs')
		.values({
			id,
			kind: input.kind,
			dedupe_key: input.dedupeKey ?? null,
			payload: JSON.stringify(input.payload),
			run_at: iso(input.runAt),
			status: 'pending',
			claimed_by: null,
			claimed_at: null,
			finished_at: null,
			last_error: null,
			created_at: now.toISOString()
		})
		.onConflict((oc) => oc.column('dedupe_key').doNothing())
		.returning('id')
		.executeTakeFirst();
	if (inserted) return { id: inserted.id, created: true };
	const existing = await db.selectFrom('jobs').select('id').where('dedupe_key', '=', input.dedupeKey!).executeTakeFirstOrThrow();
	return { id: existing.id, created: false };
}

function toJob(row: JobRow): Job {
	return {
		id: row.id,
		kind: row.kind,
		payload: JSON.parse(row.payload) as JobPayload,
		dedupeKey: row.dedupe_key,
		runAt: row.run_at,
		attempts: Number(row.attempts),
		claimedBy: row.claimed_by!,
		claimedAt: row.claimed_at!
	};
}

/** Claims up to `limit` due jobs (run_at <= now) for this worker, oldest first. Exclusive across servers. */
export async function claimDueJobs(db: DB, workerId: string, now: Date, limit: number, options: { kinds?: readonly string[] } = {}): Promise<Job[]> {
	const rows = await claimJobRows(db, { workerId, now: now.toISOString(), limit, kinds: options.kinds });
	return rows.map(toJob);
}

/**
 * Updates the job only while this claim is still current (fencing: same worker, same attempt, still
 * running). False when the lease expired and another worker has taken the job over.
 */
async function updateIfCurrent(db: DbOrTrx, job: Job, values: Updateable<JobsTable>): Promise<boolean> {
	const result = await db
		.updateTable('jobs')
		.set(values)
		.where('id', '=', job.id)
		.where('status', '=', 'running')
		.where('claimed_by', '=', job.claimedBy)
		.where('attempts', '=', job.attempts)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** Marks the job done. False when this claim is no longer current (the lease expired and another worker took it). */
export async function completeJob(db: DbOrTrx, job: Job, now: Date): Promise<boolean> {
	return updateIfCurrent(db, job, { status: 'done', finished_at: now.toISOString(), last_error: null });
}

/** Delay before the next attempt after `attempts` failed ones: backoff · 2^(attempts−1), capped. */
export function retryDelay(attempts: number, policy: Pick<RetryPolicy, 'backoffMs' | 'maxBackoffMs'> = DEFAULT_RETRY): number {
	return Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * What is stored of an error: its name and code, never its message (a database or library message can
 * quote values, and values can be personal data).
 */
export function jobErrorLabel(error: unknown): string {
	if (error instanceof JobError) return sanitize(error.code);
	const e = error as { name?: unknown; code?: unknown } | null;
	const name = typeof e?.name === 'string' ? e.name : 'Error';
	const code = typeof e?.code === 'string' || typeof e?.code === 'number' ? String(e.code) : null;
	return sanitize(code ? `${name}:${code}` : name);
}

function sanitize(label: string): string {
	return label.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 120) || 'error';
}

export type FailOutcome = 'retry' | 'failed' | 'lost';

/** Records a failed attempt: back to pending with a delay, or failed after the last attempt. */
export async function failJob(db: DbOrTrx, job: Job, error: unknown, now: Date, policy: RetryPolicy = DEFAULT_RETRY): Promise<FailOutcome> {
	const last_error = jobErrorLabel(error);
	const permanent = error instanceof JobError && error.permanent;
	if (permanent || job.attempts >= policy.maxAttempts) {
		return (await updateIfCurrent(db, job, { status: 'failed', finished_at: now.toISOString(), last_error })) ? 'failed' : 'lost';
	}
	const run_at = new Date(now.getTime() + retryDelay(job.attempts, policy)).toISOString();
	return (await updateIfCurrent(db, job, { status: 'pending', run_at, claimed_by: null, claimed_at: null, last_error })) ? 'retry' : 'lost';
}

/**
 * Jobs claimed more than `leaseMs` ago and still running belong to a worker that died (or hung):
 * they become pending again, or failed when they have used all their attempts.
 */
export async function reclaimStaleJobs(db: DB, now: Date, options: { leaseMs: number; maxAttempts?: number }): Promise<{ requeued: number; failed: number }> {
	const cutoff = new Date(now.getTime() - options.leaseMs).toISOString();
	const maxAttempts = options.maxAttempts ?? DEFAULT_RETRY.maxAttempts;
	const failed = await db
		.updateTable('jobs')
		.set({ status: 'failed', finished_at: now.toISOString(), last_error: 'lease_expired' })
		.where('status', '=', 'running')
		.where('claimed_at', '<', cutoff)
		.where('attempts', '>=', maxAttempts)
		.executeTakeFirst();
	const requeued = await db
		.updateTable('jobs')
		.set({ status: 'pending', claimed_by: null, claimed_at: null, last_error: 'lease_expired' })
		.where('status', '=', 'running')
		.where('claimed_at', '<', cutoff)
		.executeTakeFirst();
	return { requeued: Number(requeued.numUpdatedRows), failed: Number(failed.numUpdatedRows) };
}
