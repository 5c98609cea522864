/**
 * The public coverage page is served from a short per-server copy: an agreement suspended on another app server
 * disappears from it within PUBLIC_COVERAGE_TTL_MS, while the coverage gate (schoolCoverage) sees the change at
 * once. (A write on the same server clears the copy at once: tests/db/registry-cache.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../src/lib/server/db/seed/demo';
import { PUBLIC_COVERAGE_TTL_MS, publicCoverageCached } from '../../src/lib/server/territories/public-coverage';
import { schoolCoverage } from '../../src/lib/server/territories/coverage';
import { saveAgreement } from '../../src/lib/server/territories/registry';
import { actorOf, createTestContext, type TestContext } from './harness';

let ctx: TestContext;

beforeAll(async () => {
	ctx = await createTestContext();
});
afterAll(async () => {
	await ctx.close();
});

describe('public coverage copy', () => {
	it('keeps the list for the TTL, then reloads it; the gate never waits', async () => {
		const names = async (q = '') => (await publicCoverageCached(ctx, q)).map((e) => e.nameEn);
		expect(await names()).toEqual(['Saint-Jérôme Police Service']);
		expect(await names('jerome')).toEqual(['Saint-Jérôme Police Service']);

		const admin = await actorOf(ctx, 'admin@sexto.test');
		const agreement = await ctx.db.selectFrom('agreements').selectAll().where('police_service_id', '=', DEMO_IDS.policeCovered).executeTakeFirstOrThrow();
		// Written by another app server: its own connection pool, so its own copies.
		const otherServer = { ...ctx, db: ctx.openAnotherHandle(2).db };
		const r = await saveAgreement(otherServer, admin, agreement.id, { policeServiceId: agreement.police_service_id, status: 'suspended', signedOn: agreement.signed_on, effectiveFrom: agreement.effective_from, effectiveTo: agreement.effective_to, reference: agreement.reference, note: agreement.note }, { ip: null });
		expect(r.ok).toBe(true);

		// The gate sees the suspension immediately…
		expect((await schoolCoverage(ctx.db, DEMO_IDS.schoolCovered, ctx.now()))?.covered).toBe(false);
		// …the public copy within the TTL.
		expect(await names()).toEqual(['Saint-Jérôme Police Service']);
		ctx.clock.advance(PUBLIC_COVERAGE_TTL_MS + 1);
		expect(await names()).toEqual([]);
	});
});
