/**
 * Several app servers claiming from one database never run a job twice.
 *
 * - PostgreSQL: two independent connection pools (two "app servers") in this process, several claim
 *   loops each, on 200 due jobs: every job ran exactly once (executions counted in the handler).
 * - Both dialects: two worker processes (`node --import tsx tests/db/fixtures/job-worker-process.ts`)
 *   started together on the same database (SQLite: the same file, single writer).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/lib/server/context';
import { claimDueJobs, enqueueJob, runDueJobs, type JobHandlers, type RunSummary } from '../../src/lib/server/jobs';
import { setLogLevel } from '../../src/lib/server/log';
import { createTestContext, T0, TEST_DIALECT, type TestContext } from './harness';

const JOBS = 200;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let ctx: TestContext;
beforeAll(async () => {
	setLogLevel('error');
	ctx = await createTestContext({ seed: false });
});
afterAll(() => ctx?.close());
beforeEach(async () => {
	await ctx.db.deleteFrom('jobs').execute();
});

async function enqueueMany(n: number): Promise<string[]> {
	const ids: string[] = [];
	// spread over the last minutes so the claim order matters, all due at T0
	for (let i = 0; i < n; i++) ids.push((await enqueueJob(ctx.db, { kind: 'test.count', payload: { i }, runAt: new Date(T0.getTime() - (n - i) * 1000) }, T0)).id);
	return ids;
}

async function statusCounts(): Promise<Record<string, number>> {
	const rows = await ctx.db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
	return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

describe.skipIf(TEST_DIALECT !== 'postgres')('two app servers (two connection pools) on one PostgreSQL', () => {
	it(`claim races: 2 pools × 10 concurrent claims on ${JOBS} due jobs never hand one job to two claimers`, async () => {
		await enqueueMany(JOBS);
		const a = ctx.openAnotherHandle(10);
		const b = ctx.openAnotherHandle(10);
		const claims = await Promise.all([
			...Array.from({ length: 10 }, (_, i) => claimDueJobs(a.db, `A${i}`, T0, 15)),
			...Array.from({ length: 10 }, (_, i) => claimDueJobs(b.db, `B${i}`, T0, 15))
		]);
		const ids = claims.flat().map((j) => j.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids.length).toBe(JOBS); // 20 × 15 = 300 ≥ 200: every job was claimed by exactly one claimer
		for (const batch of claims) expect(batch.length).toBeLessThanOrEqual(15);
		// what each claimer got is what the table says it holds
		const rows = await ctx.db.selectFrom('jobs').select(['id', 'claimed_by', 'attempts']).execute();
		const holder = new Map(claims.flatMap((batch) => batch.map((j) => [j.id, j.claimedBy] as const)));
		for (const r of rows) {
			expect(r.claimed_by).toBe(holder.get(r.id));
			expect(Number(r.attempts)).toBe(1);
		}
	});

	it(`two workers running ${JOBS} due jobs concurrently: every job ran exactly once`, async () => {
		const ids = await enqueueMany(JOBS);
		const executions = new Map<string, string[]>();
		const handlers: JobHandlers = {
			'test.count': async (job) => {
				executions.set(job.id, [...(executions.get(job.id) ?? []), job.claimedBy]);
				// let the other server's claims interleave with this one's work
				await new Promise((r) => setTimeout(r, Math.random() * 3));
			}
		};
		const serverA: AppContext = { ...ctx, db: ctx.openAnotherHandle(10).db };
		const serverB: AppContext = { ...ctx, db: ctx.openAnotherHandle(10).db };
		const totals: Record<string, RunSummary[]> = { A: [], B: [] };
		// three claim loops per server, as if several rounds overlapped (they do not in one worker, but servers do)
		const loop = async (server: AppContext, name: 'A' | 'B', n: number) => {
			for (;;) {
				const s = await runDueJobs(server, handlers, { workerId: `${name}${n}`, batchSize: 7 });
				totals[name]!.push(s);
				if (s.claimed === 0) return;
			}
		};
		await Promise.all([0, 1, 2].flatMap((n) => [loop(serverA, 'A', n), loop(serverB, 'B', n)]));

		expect(executions.size).toBe(JOBS);
		const twice = [...executions.entries()].filter(([, by]) => by.length !== 1);
		expect(twice).toEqual([]);
		expect(new Set(executions.keys())).toEqual(new Set(ids));
		expect(await statusCounts()).toEqual({ done: JOBS });
		// both servers did part of the work
		const doneBy = (name: 'A' | 'B') => totals[name]!.reduce((sum, s) => sum + s.done, 0);
		expect(doneBy('A') + doneBy('B')).toBe(JOBS);
		expect(doneBy('A')).toBeGreaterThan(0);
		expect(doneBy('B')).toBeGreaterThan(0);
		// and the database agrees with the handler's count: one claim per job
		const attempts = await ctx.db.selectFrom('jobs').select('attempts').execute();
		expect(attempts.every((r) => Number(r.attempts) === 1)).toBe(true);
	});
});

interface WorkerProcess {
	child: ChildProcess;
	output: () => string;
	ready: Promise<void>;
	exited: Promise<number | null>;
}

function startWorkerProcess(workerId: string): WorkerProcess {
	const child = spawn(process.execPath, ['--import', 'tsx', 'tests/db/fixtures/job-worker-process.ts', ctx.databaseUrl, workerId, T0.toISOString()], {
		cwd: ROOT,
		env: { PATH: process.env.PATH ?? '' },
		stdio: ['pipe', 'pipe', 'pipe']
	});
	let out = '';
	let err = '';
	let markReady: () => void = () => {};
	const ready = new Promise<void>((resolve) => (markReady = resolve));
	child.stdout!.on('data', (d: Buffer) => {
		out += d.toString();
		if (out.includes('ready\n')) markReady();
	});
	child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { child, output: () => out + err, ready, exited };
}

describe(`two worker processes on one ${TEST_DIALECT} database`, () => {
	it(`${JOBS} due jobs, two processes started together: every job ran exactly once`, async () => {
		const ids = await enqueueMany(JOBS);
		const workers = [startWorkerProcess('P1'), startWorkerProcess('P2')];
		try {
			await Promise.race([
				Promise.all(workers.map((w) => w.ready)),
				new Promise((_, reject) => setTimeout(() => reject(new Error(`workers not ready:\n${workers.map((w) => w.output()).join('\n')}`)), 20_000))
			]);
			for (const w of workers) w.child.stdin!.write('go\n');
			const codes = await Promise.all(workers.map((w) => w.exited));
			expect(codes, workers.map((w) => w.output()).join('\n')).toEqual([0, 0]);
		} finally {
			for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
		}
		const ran = workers.map((w) => [...w.output().matchAll(/^ran (\S+)$/gm)].map((m) => m[1]!));
		const all = ran.flat();
		expect(all.length).toBe(JOBS);
		expect(new Set(all)).toEqual(new Set(ids));
		expect(await statusCounts()).toEqual({ done: JOBS });
		// both processes took part (they start together and each claims 5 at a time)
		expect(ran[0]!.length).toBeGreaterThan(0);
		expect(ran[1]!.length).toBeGreaterThan(0);
	}, 60_000);
});
