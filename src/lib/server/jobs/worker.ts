/**
 * The job worker: every `intervalMs`, reclaim jobs whose lease expired, claim the due jobs this server
 * has handlers for, run each one. Any number of app servers may run one on the same database.
 *
 * A handler runs inside a transaction that also marks the job done, and that commit is conditional
 * on the claim still being current: if the lease expired meanwhile and another worker took the job,
 * the handler's writes roll back. Database effects therefore happen exactly once; effects outside the
 * database (an email) must be idempotent or tolerate a rare repeat.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context';
import type { Trx } from '../db';
import { logger } from '../log';
import { claimDueJobs, completeJob, DEFAULT_RETRY, failJob, reclaimStaleJobs, type Job, type RetryPolicy } from './queue';

export type JobHandler = (job: Job, trx: Trx, ctx: AppContext) => Promise<void>;
export type JobHandlers = Readonly<Record<string, JobHandler>>;

export interface RunOptions extends Partial<RetryPolicy> {
	workerId: string;
	/** jobs claimed per round (default 20) */
	batchSize?: number;
	/** a job running longer than this is presumed abandoned and reclaimed (default 5 min) */
	leaseMs?: number;
}

export interface RunSummary {
	claimed: number;
	done: number;
	retried: number;
	failed: number;
	/** claims that expired while running (another worker took the job over; nothing was committed) */
	lost: number;
	reclaimed: number;
}

export const DEFAULT_LEASE_MS = 5 * 60_000;
export const DEFAULT_INTERVAL_MS = 30_000;

class LeaseLost extends Error {
	constructor() {
		super('lease_lost');
		this.name = 'LeaseLost';
	}
}

export function newWorkerId(): string {
	return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** One round: reclaim, claim one batch, run it. Used by the loop and directly by tests. */
export async function runDueJobs(ctx: AppContext, handlers: JobHandlers, options: RunOptions): Promise<RunSummary> {
	const policy: RetryPolicy = {
		maxAttempts: options.maxAttempts ?? DEFAULT_RETRY.maxAttempts,
		backoffMs: options.backoffMs ?? DEFAULT_RETRY.backoffMs,
		maxBackoffMs: options.maxBackoffMs ?? DEFAULT_RETRY.maxBackoffMs
	};
	const summary: RunSummary = { claimed: 0, done: 0, retried: 0, failed: 0, lost: 0, reclaimed: 0 };
	const stale = await reclaimStaleJobs(ctx.db, ctx.now(), { leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS, maxAttempts: policy.maxAttempts });
	summary.reclaimed = stale.requeued + stale.failed;
	summary.failed += stale.failed;
	if (stale.requeued + stale.failed > 0) logger.warn('jobs.reclaimed', { requeued: stale.requeued, failed: stale.failed });

	const jobs = await claimDueJobs(ctx.db, options.workerId, ctx.now(), options.batchSize ?? 20, { kinds: Object.keys(handlers) });
	summary.claimed = jobs.length;
	for (const job of jobs) {
		const handler = handlers[job.kind]!;
		try {
			await ctx.db.transaction().execute(async (trx) => {
				await handler(job, trx, ctx);
				if (!(await completeJob(trx, job, ctx.now()))) throw new LeaseLost();
			});
			summary.done++;
		} catch (error) {
			if (error instanceof LeaseLost) {
				summary.lost++;
				logger.warn('jobs.lease_lost', { jobId: job.id, kind: job.kind });
				continue;
			}
			const outcome = await failJob(ctx.db, job, error, ctx.now(), policy);
			if (outcome === 'retry') summary.retried++;
			else if (outcome === 'failed') summary.failed++;
			else summary.lost++;
			logger.warn('jobs.attempt_failed', { jobId: job.id, kind: job.kind, attempt: job.attempts, outcome, error: error instanceof Error ? error.name : 'unknown' });
		}
	}
	return summary;
}

export interface JobWorker {
	readonly workerId: string;
	/** Runs a round now (waits for a round already in progress instead of overlapping it). */
	tick(): Promise<RunSummary | null>;
	/** Stops the timer and waits for the round in progress, if any. Idempotent. */
	stop(): Promise<void>;
}

export interface WorkerOptions extends Omit<RunOptions, 'workerId'> {
	intervalMs?: number;
	workerId?: string;
}

/** Starts the polling loop. The timer is unref'd: it never keeps the process alive on its own. */
export function startJobWorker(ctx: AppContext, handlers: JobHandlers, options: WorkerOptions = {}): JobWorker {
	const workerId = options.workerId ?? newWorkerId();
	const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
	let stopped = false;
	let inFlight: Promise<RunSummary | null> | null = null;

	const round = (): Promise<RunSummary | null> => {
		if (stopped) return Promise.resolve(null);
		if (inFlight) return inFlight;
		inFlight = runDueJobs(ctx, handlers, { ...options, workerId })
			.catch((error: unknown) => {
				// The database is unreachable or not migrated yet: try again next round.
				logger.warn('jobs.round_failed', { workerId, error: error instanceof Error ? error.name : 'unknown' });
				return null;
			})
			.finally(() => {
				inFlight = null;
			});
		return inFlight;
	};

	const timer = setInterval(() => void round(), intervalMs);
	timer.unref();
	const first = setTimeout(() => void round(), Math.min(intervalMs, 1_000));
	first.unref();
	logger.info('jobs.worker_started', { workerId, intervalMs, kinds: Object.keys(handlers) });

	return {
		workerId,
		tick: round,
		async stop() {
			if (stopped) {
				await inFlight;
				return;
			}
			stopped = true;
			clearInterval(timer);
			clearTimeout(first);
			await inFlight;
			logger.info('jobs.worker_stopped', { workerId });
		}
	};
}
