/**
 * The database job queue on a real database (both dialects): dedupe, due / not due with the injected
 * clock, claim order and exclusivity, completion, retry with backoff then failure (no personal data in
 * the stored error), lease reclaim with fencing (a late worker cannot finish a job it lost), and the
 * polling loop (starts, runs, stops cleanly).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { claimDueJobs, completeJob, enqueueJob, failJob, JobError, jobErrorLabel, reclaimStaleJobs, retryDelay, runDueJobs, startJobWorker, type Job, type JobHandlers } from '../../src/lib/server/jobs';
import { setLogLevel } from '../../src/lib/server/log';
import { createTestContext, HOUR, MINUTE, T0, userIdOf, type TestContext } from './harness';

let ctx: TestContext;
beforeAll(async () => {
	setLogLevel('error');
	ctx = await createTestContext();
});
afterAll(() => ctx?.close());
beforeEach(async () => {
	ctx.clock.set(T0);
	await ctx.db.deleteFrom('jobs').execute();
});
afterEach(() => ctx.clock.set(T0));

const at = (offsetMs: number) => new Date(T0.getTime() + offsetMs);

async function jobRow(id: string) {
	const row = await ctx.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
	return { ...row, attempts: Number(row.attempts) };
}

async function countJobs(): Promise<number> {
	const r = await ctx.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
	return Number(r.n);
}

describe('enqueueJob', () => {
	it('stores a pending job with its payload, run time and creation time', async () => {
		const { id, created } = await enqueueJob(ctx.db, { kind: 'test.echo', payload: { incidentId: 'abc', n: 2 }, runAt: at(HOUR) }, ctx.now());
		expect(created).toBe(true);
		const row = await jobRow(id);
		expect(row).toMatchObject({ kind: 'test.echo', status: 'pending', attempts: 0, run_at: at(HOUR).toISOString(), created_at: T0.toISOString(), claimed_by: null, dedupe_key: null });
		expect(JSON.parse(row.payload)).toEqual({ incidentId: 'abc', n: 2 });
	});

	it('dedupe: the same key twice is a no-op that answers the existing job', async () => {
		const first = await enqueueJob(ctx.db, { kind: 'test.echo', payload: { n: 1 }, runAt: at(HOUR), dedupeKey: 'k:1' }, ctx.now());
		const second = await enqueueJob(ctx.db, { kind: 'test.echo', payload: { n: 2 }, runAt: at(2 * HOUR), dedupeKey: 'k:1' }, ctx.now());
		expect(second).toEqual({ id: first.id, created: false });
		expect(await countJobs()).toBe(1);
		// the first one is untouched
		const row = await jobRow(first.id);
		expect(JSON.parse(row.payload)).toEqual({ n: 1 });
		expect(row.run_at).toBe(at(HOUR).toISOString());
	});

	it('dedupe holds after the job has run, and inside a transaction (no abort on PostgreSQL)', async () => {
		const first = await enqueueJob(ctx.db, { kind: 'test.echo', payload: {}, runAt: T0, dedupeKey: 'k:done' }, ctx.now());
		const [job] = await claimDueJobs(ctx.db, 'w1', ctx.now(), 10);
		expect(await completeJob(ctx.db, job!, ctx.now())).toBe(true);
		await ctx.db.transaction().execute(async (trx) => {
			expect(await enqueueJob(trx, { kind: 'test.echo', payload: {}, runAt: T0, dedupeKey: 'k:done' }, ctx.now())).toEqual({ id: first.id, created: false });
			// the transaction is still usable after the conflict
			await trx.selectFrom('jobs').select('id').execute();
		});
		expect(await countJobs()).toBe(1);
	});

	it('different keys, and jobs without a key, are all kept', async () => {
		await enqueueJob(ctx.db, { kind: 'test.echo', payload: {}, runAt: T0, dedupeKey: 'a' });
		await enqueueJob(ctx.db, { kind: 'test.echo', payload: {}, runAt: T0, dedupeKey: 'b' });
		await enqueueJob(ctx.db, { kind: 'test.echo', payload: {}, runAt: T0 });
		await enqueueJob(ctx.db, { kind: 'test.echo', payload: {}, runAt: T0 });
		expect(await countJobs()).toBe(4);
	});

	it('commits or rolls back with the caller’s transaction', async () => {
		await expect(
			ctx.db.transaction().execute(async (trx) => {
				await enqueueJob(trx, { kind: 'test.echo', payload: {}, runAt: T0, dedupeKey: 'rolled-back' });
				throw new Error('the change failed');
			})
		).rejects.toThrow('the change failed');
		expect(await countJobs()).toBe(0);
	});
});

describe('claimDueJobs', () => {
	it('a job is not claimed before its run time, and is at its run time (injected clock)', async () => {
		const { id } = await enqueueJob(ctx.db, { kind: 'test.echo', payload: {}, runAt: at(HOUR) });
		expect(await claimDueJobs(ctx.db, 'w1', ctx.now(), 10)).toEqual([]);
		ctx.clock.set(at(HOUR - 1));
		expect(await claimDueJobs(ctx.db, 'w1', ctx.now(), 10)).toEqual([]);
		ctx.clock.set(at(HOUR));
		const claimed = await claimDueJobs(ctx.db, 'w1', ctx.now(), 10);
		expect(claimed.map((j) => j.id)).toEqual([id]);
		expect(claimed[0]).toMatchObject({ kind: 'test.echo', attempts: 1, claimedBy: 'w1', claimedAt: at(HOUR).toISOString() });
		expect(await jobRow(id)).toMatchObject({ status: 'running', claimed_by: 'w1', claimed_at: at(HOUR).toISOString(), attempts: 1 });
		// a running job is never claimed again, by this worker or another
		expect(await claimDueJobs(ctx.db, 'w1', ctx.now(), 10)).toEqual([]);
		expect(await claimDueJobs(ctx.db, 'w2', ctx.now(), 10)).toEqual([]);
	});

	it('claims the oldest due jobs first, up to the limit, and only the kinds asked for', async () => {
		const ids: string[] = [];
		for (const minutes of [30, 10, 50, 20, 40]) {
			ids[minutes] = (await enqueueJob(ctx.db, { kind: 'test.echo', payload: { minutes }, runAt: at(-minutes * MINUTE) })).id;
		}
		const other = (await enqueueJob(ctx.db, { kind: 'test.other', payload: {}, runAt: at(-HOUR) })).id;
		const first = await claimDueJobs(ctx.db, 'w1', ctx.now(), 3, { kinds: ['test.echo'] });
		expect(first.map((j) => j.payload.minutes)).toEqual([50, 40, 30]);
		const rest = await claimDueJobs(ctx.db, 'w2', ctx.now(), 10, { kinds: ['test.echo'] });
		expect(rest.map((j) => j.payload.minutes)).toEqual([20, 10]);
		expect((await jobRow(other)).status).toBe('pending');
		expect(await claimDueJobs(ctx.db, 'w2', ctx.now(), 10, { kinds: [] })).toEqual([]);
		expect((await claimDueJobs(ctx.db, 'w2', ctx.now(), 10)).map((j) => j.id)).toEqual([other]);
	});
});

describe('completeJob and failJob', () => {
	async function claimOne(workerId = 'w1'): Promise<Job> {
		const [job] = await claimDueJobs(ctx.db, workerId, ctx.now(), 1);
		if (!job) throw new Error('nothing to claim');
		return job;
	}

	it('complete marks the job done with its finish time', async () => {
		const { id } = await enqueueJob(ctx.db, { kind: 'test.echo', payload: {}, runAt: T0 });
		const job = await claimOne();
		ctx.clock.advance(1500);
		expect(await completeJob(ctx.db, job, ctx.now())).toBe(true);
		expect(await jobRow(id)).toMatchObject({ status: 'done', finished_at: at(1500).toISOString(), last_error: null });
		// completing twice does nothing more
		expect(await completeJob(ctx.db, job, ctx.now())).toBe(false);
	});

	it('a failed attempt goes back to pending with an exponential backoff, then fails after the last attempt', async () => {
		const { id } = await enqueueJob(ctx.db, { kind: 'test.echo', payload: {}, runAt: T0 });
		const policy = { maxAttempts: 3, backoffMs: MINUTE, maxBackoffMs: HOUR };
		// a message that quotes personal data: it must not be stored
		const error = new Error('Élève Jean-Philippe Tremblay: duplicate value');

		let job = await claimOne();
		expect(await failJob(ctx.db, job, error, ctx.now(), policy)).toBe('retry');
		let row = await jobRow(id);
		expect(row).toMatchObject({ status: 'pending', attempts: 1, claimed_by: null, claimed_at: null, run_at: at(MINUTE).toISOString(), last_error: 'Error' });
		expect(await claimDueJobs(ctx.db, 'w1', ctx.now(), 1)).toEqual([]);

		ctx.clock.set(at(MINUTE));
		job = await claimOne();
		expect(job.attempts).toBe(2);
		expect(await failJob(ctx.db, job, Object.assign(new Error('Tremblay'), { code: '23505' }), ctx.now(), policy)).toBe('retry');
		row = await jobRow(id);
		expect(row).toMatchObject({ status: 'pending', attempts: 2, run_at: at(MINUTE + 2 * MINUTE).toISOString(), last_error: 'Error:23505' });

		ctx.clock.set(at(3 * MINUTE - 1));
		expect(await claimDueJobs(ctx.db, 'w1', ctx.now(), 1)).toEqual([]);
		ctx.clock.set(at(3 * MINUTE));
		job = await claimOne();
		expect(job.attempts).toBe(3);
		expect(await failJob(ctx.db, job, error, ctx.now(), policy)).toBe('failed');
		row = await jobRow(id);
		expect(row).toMatchObject({ status: 'failed', attempts: 3, finished_at: at(3 * MINUTE).toISOString(), last_error: 'Error' });
		expect(JSON.stringify(row)).not.toContain('Tremblay');
		// a failed job is never claimed again
		ctx.clock.set(at(10 * HOUR));
		expect(await claimDueJobs(ctx.db, 'w1', ctx.now(), 10)).toEqual([]);
	});

	it('backoff doubles and is capped', () => {
		const p = { backoffMs: MINUTE, maxBackoffMs: 10 * MINUTE };
		expect([1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, p) / MINUTE)).toEqual([1, 2, 4, 8, 10, 10]);
	});

	it('a permanent JobError fails at once with its code', async () => {
		const { id } = await enqueueJob(ctx.db, { kind: 'test.echo', payload: {}, runAt: T0 });
		const job = await claimOne();
		expect(await failJob(ctx.db, job, new JobError('invalid_payload', true), ctx.now())).toBe('failed');
		expect(await jobRow(id)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'invalid_payload' });
	});

	it('error labels keep names and codes only', () => {
		expect(jobErrorLabel(new TypeError('Marie a 14 ans'))).toBe('TypeError');
		expect(jobErrorLabel(Object.assign(new Error('x'), { name: 'DatabaseError', code: '40001' }))).toBe('DatabaseError:40001');
		expect(jobErrorLabel('a string with a name in it')).toBe('Error');
		expect(jobErrorLabel(new JobError('weird code with spaces é'))).toBe('weird_code_with_spaces__');
	});
});

describe('lease reclaim', () => {
	it('a job stuck in running past the lease goes back to pending; the late worker can no longer finish it', async () => {
		const { id } = await enqueueJob(ctx.db, { kind: 'test.echo', payload: {}, runAt: T0 });
		const [lateJob] = await claimDueJobs(ctx.db, 'worker-that-hangs', ctx.now(), 1);

		ctx.clock.advance(5 * MINUTE - 1);
		expect(await reclaimStaleJobs(ctx.db, ctx.now(), { leaseMs: 5 * MINUTE })).toEqual({ requeued: 0, failed: 0 });
		expect((await jobRow(id)).status).toBe('running');

		ctx.clock.advance(2);
		expect(await reclaimStaleJobs(ctx.db, ctx.now(), { leaseMs: 5 * MINUTE })).toEqual({ requeued: 1, failed: 0 });
		expect(await jobRow(id)).toMatchObject({ status: 'pending', claimed_by: null, last_error: 'lease_expired', attempts: 1 });

		const [newJob] = await claimDueJobs(ctx.db, 'worker-b', ctx.now(), 1);
		expect(newJob).toMatchObject({ id, attempts: 2, claimedBy: 'worker-b' });
		// fencing: the first worker wakes up — its complete and fail are refused
		expect(await completeJob(ctx.db, lateJob!, ctx.now())).toBe(false);
		expect(await failJob(ctx.db, lateJob!, new Error('late'), ctx.now())).toBe('lost');
		expect(await jobRow(id)).toMatchObject({ status: 'running', claimed_by: 'worker-b' });
		expect(await completeJob(ctx.db, newJob!, ctx.now())).toBe(true);
		expect((await jobRow(id)).status).toBe('done');
	});

	it('the same worker reclaiming its own job still fences the old claim (attempt number)', async () => {
		const { id } = await enqueueJob(ctx.db, { kind: 'test.echo', payload: {}, runAt: T0 });
		const [old] = await claimDueJobs(ctx.db, 'w1', ctx.now(), 1);
		ctx.clock.advance(10 * MINUTE);
		await reclaimStaleJobs(ctx.db, ctx.now(), { leaseMs: 5 * MINUTE });
		const [again] = await claimDueJobs(ctx.db, 'w1', ctx.now(), 1);
		expect(again!.attempts).toBe(2);
		expect(await completeJob(ctx.db, old!, ctx.now())).toBe(false);
		expect(await completeJob(ctx.db, again!, ctx.now())).toBe(true);
		expect((await jobRow(id)).status).toBe('done');
	});

	it('a job whose worker keeps dying fails once it has used its attempts', async () => {
		const { id } = await enqueueJob(ctx.db, { kind: 'test.echo', payload: {}, runAt: T0 });
		for (let i = 1; i <= 3; i++) {
			const [job] = await claimDueJobs(ctx.db, `w${i}`, ctx.now(), 1);
			expect(job!.attempts).toBe(i);
			ctx.clock.advance(6 * MINUTE);
			const r = await reclaimStaleJobs(ctx.db, ctx.now(), { leaseMs: 5 * MINUTE, maxAttempts: 3 });
			expect(r).toEqual(i < 3 ? { requeued: 1, failed: 0 } : { requeued: 0, failed: 1 });
		}
		expect(await jobRow(id)).toMatchObject({ status: 'failed', attempts: 3, last_error: 'lease_expired' });
	});

	it('runDueJobs: when the lease is lost during the handler, the handler’s writes roll back', async () => {
		const { id } = await enqueueJob(ctx.db, { kind: 'test.slow', payload: {}, runAt: T0 });
		const userId = await userIdOf(ctx, 'policier@sexto.test');
		const other = ctx.openAnotherHandle(2);
		const handlers: JobHandlers = {
			'test.slow': async (job, trx) => {
				// meanwhile, another server reclaims the job and takes it (simulated on a separate connection)
				await other.db.updateTable('jobs').set({ claimed_by: 'worker-b', attempts: sql<number>`attempts + 1` }).where('id', '=', job.id).execute();
				await trx.insertInto('notifications').values({ id: crypto.randomUUID(), user_id: userId, kind: 'test.marker', incident_id: null, created_at: T0.toISOString(), read_at: null }).execute();
			}
		};
		const summary = await runDueJobs(ctx, handlers, { workerId: 'worker-a' });
		expect(summary).toMatchObject({ claimed: 1, done: 0, lost: 1, failed: 0, retried: 0 });
		expect(await ctx.db.selectFrom('notifications').select('id').where('kind', '=', 'test.marker').execute()).toEqual([]);
		expect(await jobRow(id)).toMatchObject({ status: 'running', claimed_by: 'worker-b', attempts: 2 });
	});
});

describe('runDueJobs and the worker loop', () => {
	it('runs due jobs of known kinds, retries failures, leaves unknown kinds to servers that know them', async () => {
		const ran: string[] = [];
		const handlers: JobHandlers = {
			'test.echo': async (job) => {
				ran.push(String(job.payload.n));
			},
			'test.broken': async () => {
				throw new Error('boom');
			}
		};
		await enqueueJob(ctx.db, { kind: 'test.echo', payload: { n: 1 }, runAt: at(-2 * MINUTE) });
		await enqueueJob(ctx.db, { kind: 'test.echo', payload: { n: 2 }, runAt: at(-MINUTE) });
		await enqueueJob(ctx.db, { kind: 'test.echo', payload: { n: 3 }, runAt: at(MINUTE) });
		const broken = await enqueueJob(ctx.db, { kind: 'test.broken', payload: {}, runAt: T0 });
		const unknown = await enqueueJob(ctx.db, { kind: 'test.from_a_newer_version', payload: {}, runAt: T0 });

		expect(await runDueJobs(ctx, handlers, { workerId: 'w1' })).toEqual({ claimed: 3, done: 2, retried: 1, failed: 0, lost: 0, reclaimed: 0 });
		expect(ran).toEqual(['1', '2']);
		expect(await jobRow(broken.id)).toMatchObject({ status: 'pending', last_error: 'Error', attempts: 1 });
		expect((await jobRow(unknown.id)).status).toBe('pending');

		ctx.clock.set(at(MINUTE));
		expect(await runDueJobs(ctx, handlers, { workerId: 'w1' })).toMatchObject({ claimed: 2, done: 1, retried: 1 });
		expect(ran).toEqual(['1', '2', '3']);
	});

	it('the loop runs due jobs on its own and stops cleanly', async () => {
		const ran: string[] = [];
		const handlers: JobHandlers = {
			'test.echo': async (job) => {
				ran.push(job.id);
			}
		};
		const { id } = await enqueueJob(ctx.db, { kind: 'test.echo', payload: {}, runAt: T0 });
		const worker = startJobWorker(ctx, handlers, { intervalMs: 20, workerId: 'loop' });
		for (let i = 0; i < 200 && (await jobRow(id)).status !== 'done'; i++) await new Promise((r) => setTimeout(r, 10));
		expect(await jobRow(id)).toMatchObject({ status: 'done', claimed_by: 'loop' });
		expect(ran).toEqual([id]);

		await worker.stop();
		await worker.stop(); // idempotent
		expect(await worker.tick()).toBeNull();
		const later = await enqueueJob(ctx.db, { kind: 'test.echo', payload: {}, runAt: T0 });
		await new Promise((r) => setTimeout(r, 100));
		expect((await jobRow(later.id)).status).toBe('pending');
	});

	it('a round never overlaps the one in progress', async () => {
		let running = 0;
		let maxRunning = 0;
		const handlers: JobHandlers = {
			'test.echo': async () => {
				running++;
				maxRunning = Math.max(maxRunning, running);
				await new Promise((r) => setTimeout(r, 5));
				running--;
			}
		};
		for (let i = 0; i < 5; i++) await enqueueJob(ctx.db, { kind: 'test.echo', payload: {}, runAt: T0 });
		const worker = startJobWorker(ctx, handlers, { intervalMs: 60_000, workerId: 'loop2' });
		const [a, b] = await Promise.all([worker.tick(), worker.tick()]);
		expect(a).toBe(b);
		expect(a).toMatchObject({ claimed: 5, done: 5 });
		expect(maxRunning).toBe(1);
		await worker.stop();
	});
});
