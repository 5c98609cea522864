import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { appendAudit, recordAudit, verifyAuditChain } from '../../src/lib/server/audit/log';
import { createTestContext, TEST_DIALECT, type TestContext } from './harness';

const PER_SERVER = 100;

describe.skipIf(TEST_DIALECT !== 'postgres')('audit appends from two app servers at once (PostgreSQL only)', () => {
	let ctx: TestContext;
	beforeAll(async () => {
		ctx = await createTestContext();
	});
	afterAll(() => ctx?.close());

	it('a write transaction holds the chain only while it commits: another server appends while it is open, its row joins at COMMIT', async () => {
		const other = ctx.openAnotherHandle(2);
		const before = Number((await ctx.db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow()).m ?? 0);
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		let queued!: () => void;
		const isQueued = new Promise<void>((r) => (queued = r));
		const write = ctx.db.transaction().execute(async (trx) => {
			await appendAudit(trx, { actorId: null, action: 'auth.login_failed', outcome: 'failure', ip: null, details: { from: 'open write' } }, ctx.now());
			// not in the chain yet, and nothing else is waiting on this transaction
			expect(await trx.selectFrom('audit_pending').select('tail').execute()).toHaveLength(1);
			queued();
			await held;
		});
		await isQueued;
		// Before 0012 this append waited for the open transaction's COMMIT (the chain's lock); now it goes through.
		const standalone = recordAudit(other.db, { actorId: null, action: 'auth.login_failed', outcome: 'failure', ip: null, details: { from: 'other server' } }, ctx.now()).then(() => 'appended');
		const timeout = new Promise((r) => setTimeout(() => r('still waiting after 5 s'), 5000));
		expect(await Promise.race([standalone, timeout])).toBe('appended');
		release();
		await write;
		const rows = await ctx.db.selectFrom('audit_log').select(['seq', 'details']).where('seq', '>', before).orderBy('seq').execute();
		expect(rows.map((r) => JSON.parse(r.details).from)).toEqual(['other server', 'open write']);
		expect(await ctx.db.selectFrom('audit_pending').select('id').execute()).toEqual([]);
		expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: true });
	});

	it('a rolled-back write leaves nothing pending and nothing in the chain', async () => {
		const before = Number((await ctx.db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow()).m ?? 0);
		await ctx.db
			.transaction()
			.execute(async (trx) => {
				await appendAudit(trx, { actorId: null, action: 'auth.login_failed', outcome: 'failure', ip: null, details: { from: 'rolled back' } }, ctx.now());
				throw new Error('roll back');
			})
			.catch(() => null);
		expect(Number((await ctx.db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow()).m ?? 0)).toBe(before);
		expect(await ctx.db.selectFrom('audit_pending').select('id').execute()).toEqual([]);
	});

	it(`two connection pools each append ${PER_SERVER} events concurrently: seq is 1..N without gaps or duplicates and the chain verifies`, async () => {
		const start = Number((await ctx.db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow()).m ?? 0);
		// two independent pools = two app servers sharing one database
		const serverA = ctx.openAnotherHandle(10);
		const serverB = ctx.openAnotherHandle(10);

		const append = (server: typeof serverA, name: string, i: number) =>
			recordAudit(server.db, { actorId: null, action: 'auth.login_failed', outcome: 'failure', ip: `10.0.${name === 'A' ? 1 : 2}.${i % 250}`, details: { server: name, i } }, ctx.now());
		await Promise.all([
			...Array.from({ length: PER_SERVER }, (_, i) => append(serverA, 'A', i)),
			...Array.from({ length: PER_SERVER }, (_, i) => append(serverB, 'B', i))
		]);

		const rows = await ctx.db.selectFrom('audit_log').select(['seq', 'details']).orderBy('seq').execute();
		const seqs = rows.map((r) => Number(r.seq));
		const total = start + 2 * PER_SERVER;
		expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
		expect(new Set(seqs).size).toBe(total);

		// every event landed exactly once
		const appended = rows.slice(start).map((r) => JSON.parse(r.details) as { server: string; i: number });
		expect(appended.filter((d) => d.server === 'A').map((d) => d.i).sort((a, b) => a - b)).toEqual(Array.from({ length: PER_SERVER }, (_, i) => i));
		expect(appended.filter((d) => d.server === 'B').map((d) => d.i).sort((a, b) => a - b)).toEqual(Array.from({ length: PER_SERVER }, (_, i) => i));
		// and they really interleaved (both servers wrote while the other was writing)
		const firstB = appended.findIndex((d) => d.server === 'B');
		const lastA = appended.map((d) => d.server).lastIndexOf('A');
		expect(firstB).toBeLessThan(lastA);

		expect(await verifyAuditChain(ctx.db)).toEqual({ ok: true, rows: total });
	});

	it('appends inside longer write transactions and standalone appends interleave without a fork: seq is gapless and the chain verifies', async () => {
		const start = Number((await ctx.db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow()).m ?? 0);
		const serverA = ctx.openAnotherHandle(8);
		const serverB = ctx.openAnotherHandle(8);
		const N = 40;
		// a "write": the append, then more work before the commit (the lock is held until then); every third rolls back
		const write = (server: typeof serverA, i: number) =>
			server.db
				.transaction()
				.execute(async (trx) => {
					await appendAudit(trx, { actorId: null, action: 'incident.step_saved', outcome: 'success', details: { kind: 'write', i } }, ctx.now());
					await sql`select pg_sleep(0.002)`.execute(trx);
					if (i % 3 === 0) throw new Error('rolled back');
				})
				.catch((e: Error) => {
					if (e.message !== 'rolled back') throw e;
				});
		const read = (server: typeof serverB, i: number) => recordAudit(server.db, { actorId: null, action: 'incident.read', outcome: 'success', details: { kind: 'read', i } }, ctx.now());
		await Promise.all([...Array.from({ length: N }, (_, i) => write(i % 2 ? serverA : serverB, i)), ...Array.from({ length: N }, (_, i) => read(i % 2 ? serverB : serverA, i))]);

		const rows = await ctx.db.selectFrom('audit_log').select(['seq', 'details']).where('seq', '>', start).orderBy('seq').execute();
		const committedWrites = Array.from({ length: N }, (_, i) => i).filter((i) => i % 3 !== 0).length;
		expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: N + committedWrites }, (_, i) => start + i + 1));
		const details = rows.map((r) => JSON.parse(r.details) as { kind: string; i: number });
		expect(details.filter((d) => d.kind === 'read')).toHaveLength(N);
		expect(details.filter((d) => d.kind === 'write').every((d) => d.i % 3 !== 0)).toBe(true);
		expect(await verifyAuditChain(ctx.db)).toEqual({ ok: true, rows: start + N + committedWrites });
	});
});
