import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit, verifyAuditChain } from '../../src/lib/server/audit/log';
import { createTestContext, TEST_DIALECT, type TestContext } from './harness';

const PER_SERVER = 100;

describe.skipIf(TEST_DIALECT !== 'postgres')('audit appends from two app servers at once (PostgreSQL only)', () => {
	let ctx: TestContext;
	beforeAll(async () => {
		ctx = await createTestContext();
	});
	afterAll(() => ctx?.close());

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
});
