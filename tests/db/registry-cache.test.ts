/**
 * Per-server registry copies (src/lib/server/cache/registry-cache.ts), on the run's dialect:
 * - the dashboard's names and coverage come from the copy, and a registry write on this server shows at once;
 * - a write made by another app server (another connection pool on the same database) shows within the TTL;
 * - a load that was running when the registry changed is not kept;
 * - the session query, compiled once, still answers each token with its own user and grants.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../src/lib/server/db/seed/demo';
import type { AppContext } from '../../src/lib/server/context';
import { dashboardFor } from '../../src/lib/server/accounts/dashboard';
import { REGISTRY_CACHE_TTL_MS, invalidateRegistryCaches, registryCached } from '../../src/lib/server/cache/registry-cache';
import { createSession, validateSession } from '../../src/lib/server/auth/sessions';
import { saveAgreement, savePoliceService } from '../../src/lib/server/territories/registry';
import { saveSchool } from '../../src/lib/server/territories/schools';
import { publicCoverageCached } from '../../src/lib/server/territories/public-coverage';
import { actorOf, createTestContext, userIdOf, type TestContext } from './harness';

let ctx: TestContext;
/** A second app server: same database and clock, its own connection pool and so its own copies. */
let other: AppContext;

beforeAll(async () => {
	ctx = await createTestContext();
	const handle = ctx.openAnotherHandle(2);
	other = { ...ctx, db: handle.db, dialect: handle.dialect };
});
afterAll(async () => {
	await ctx.close();
});

async function principalDashboard(c: AppContext, locale: 'fr' | 'en' = 'fr') {
	return dashboardFor(c, await actorOf(c, 'direction@sexto.test'), locale);
}

async function agreementOf(c: AppContext, policeServiceId: string) {
	return c.db.selectFrom('agreements').selectAll().where('police_service_id', '=', policeServiceId).executeTakeFirstOrThrow();
}

async function setAgreementStatus(c: AppContext, policeServiceId: string, status: 'active' | 'suspended') {
	const a = await agreementOf(c, policeServiceId);
	const admin = await actorOf(c, 'admin@sexto.test');
	const r = await saveAgreement(c, admin, a.id, { policeServiceId: a.police_service_id, status, signedOn: a.signed_on, effectiveFrom: a.effective_from, effectiveTo: a.effective_to, reference: a.reference, note: a.note }, { ip: null });
	expect(r.ok).toBe(true);
}

describe('dashboard from registry copies', () => {
	it('shows the school and its coverage, and follows a write on this server at once', async () => {
		const before = await principalDashboard(ctx);
		const school = await ctx.db.selectFrom('schools').select(['id', 'name']).where('id', '=', DEMO_IDS.schoolCovered).executeTakeFirstOrThrow();
		expect(before.coverage).toEqual([expect.objectContaining({ schoolId: school.id, schoolName: school.name, covered: true })]);
		expect(before.roles.map((r) => r.scopeLabel)).toContain(school.name);

		// The second call is served from the copy: a row changed behind the registry's back is not seen…
		await ctx.db.updateTable('schools').set({ name: 'Renamed outside the registry' }).where('id', '=', school.id).execute();
		expect((await principalDashboard(ctx)).coverage[0]!.schoolName).toBe(school.name);
		await ctx.db.updateTable('schools').set({ name: school.name }).where('id', '=', school.id).execute();

		// …while a registry write on this server clears the copies at once.
		await setAgreementStatus(ctx, DEMO_IDS.policeCovered, 'suspended');
		expect((await principalDashboard(ctx)).coverage[0]).toEqual(expect.objectContaining({ schoolId: school.id, covered: false, since: null }));
		await setAgreementStatus(ctx, DEMO_IDS.policeCovered, 'active');
		expect((await principalDashboard(ctx)).coverage[0]!.covered).toBe(true);
	});

	it('a write on another app server shows here within the TTL, never later', async () => {
		expect((await principalDashboard(ctx, 'en')).coverage[0]!.covered).toBe(true);
		await setAgreementStatus(other, DEMO_IDS.policeCovered, 'suspended');
		// The writing server sees it at once; this one keeps its copy until the TTL runs out.
		expect((await principalDashboard(other, 'en')).coverage[0]!.covered).toBe(false);
		expect((await principalDashboard(ctx, 'en')).coverage[0]!.covered).toBe(true);
		ctx.clock.advance(REGISTRY_CACHE_TTL_MS + 1);
		expect((await principalDashboard(ctx, 'en')).coverage[0]!.covered).toBe(false);
		await setAgreementStatus(other, DEMO_IDS.policeCovered, 'active');
		ctx.clock.advance(REGISTRY_CACHE_TTL_MS + 1);
		expect((await principalDashboard(ctx, 'en')).coverage[0]!.covered).toBe(true);
	});

	it('renaming a police service or a school through the registry updates the names shown here at once', async () => {
		const admin = await actorOf(ctx, 'admin@sexto.test');
		const s = await ctx.db.selectFrom('police_services').selectAll().where('id', '=', DEMO_IDS.policeCovered).executeTakeFirstOrThrow();
		expect((await principalDashboard(ctx, 'en')).coverage[0]!.policeServiceName).toBe(s.name_en);
		const renamed = await savePoliceService(ctx, admin, s.id, { code: s.code, nameFr: s.name_fr, nameEn: `${s.name_en} (renamed)`, kind: s.kind, territoryId: s.territory_id, kitContact: s.kit_contact, emergencyPhone: s.emergency_phone }, { ip: null });
		expect(renamed.ok).toBe(true);
		expect((await principalDashboard(ctx, 'en')).coverage[0]!.policeServiceName).toBe(`${s.name_en} (renamed)`);

		const school = await ctx.db.selectFrom('schools').selectAll().where('id', '=', DEMO_IDS.schoolCovered).executeTakeFirstOrThrow();
		const saved = await saveSchool(ctx, admin, school.id, { code: school.code, name: `${school.name} (renamed)`, serviceCentre: school.service_centre, address: school.address, language: school.language, policeServiceId: school.police_service_id }, { ip: null });
		expect(saved.ok).toBe(true);
		const after = await principalDashboard(ctx, 'en');
		expect(after.coverage[0]!.schoolName).toBe(`${school.name} (renamed)`);
		expect(after.roles.map((r) => r.scopeLabel)).toContain(`${school.name} (renamed)`);
	});

	it('the public coverage list follows a write on this server at once, another server within the TTL', async () => {
		const names = async (c: AppContext) => (await publicCoverageCached(c)).map((e) => e.nameFr);
		const covered = await ctx.db.selectFrom('police_services').select('name_fr').where('id', '=', DEMO_IDS.policeCovered).executeTakeFirstOrThrow();
		expect(await names(ctx)).toEqual([covered.name_fr]);
		expect(await names(other)).toEqual([covered.name_fr]);
		await setAgreementStatus(ctx, DEMO_IDS.policeCovered, 'suspended');
		expect(await names(ctx)).toEqual([]);
		expect(await names(other)).toEqual([covered.name_fr]);
		ctx.clock.advance(REGISTRY_CACHE_TTL_MS + 1);
		expect(await names(other)).toEqual([]);
		await setAgreementStatus(ctx, DEMO_IDS.policeCovered, 'active');
		expect(await names(ctx)).toEqual([covered.name_fr]);
	});
});

describe('registry copy mechanics', () => {
	it('shares one load between concurrent readers, and does not keep a load overtaken by a write', async () => {
		let loads = 0;
		let release!: (v: string) => void;
		const slow = () => {
			loads++;
			return new Promise<string>((r) => (release = r));
		};
		const a = registryCached(ctx, 'test:slow', slow);
		const b = registryCached(ctx, 'test:slow', slow);
		expect(loads).toBe(1);
		invalidateRegistryCaches(ctx); // a registry write commits while the load runs
		release('old');
		expect(await a).toBe('old');
		expect(await b).toBe('old');
		expect(await registryCached(ctx, 'test:slow', async () => 'new')).toBe('new');
	});

	it('does not keep a failed load', async () => {
		await expect(registryCached(ctx, 'test:fail', async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
		expect(await registryCached(ctx, 'test:fail', async () => 'ok')).toBe('ok');
	});
});

describe('session query compiled once', () => {
	it('answers each token with its own user and grants, alternately', async () => {
		const principal = await userIdOf(ctx, 'direction@sexto.test');
		const admin = await userIdOf(ctx, 'admin@sexto.test');
		const s1 = await createSession(ctx, ctx.db, principal);
		const s2 = await createSession(ctx, ctx.db, admin);
		for (let i = 0; i < 3; i++) {
			const v1 = await validateSession(ctx, s1.token);
			const v2 = await validateSession(ctx, s2.token);
			expect(v1?.user.email).toBe('direction@sexto.test');
			expect(v1?.grants.map((g) => g.role)).toEqual(['principal']);
			expect(v2?.user.email).toBe('admin@sexto.test');
			expect(v2?.grants.map((g) => g.role)).toContain('platform_admin');
		}
		expect(await validateSession(ctx, 'x'.repeat(43))).toBeNull();
	});
});
