/**
 * The public coverage list (/couverture, /en/coverage): only police services with an agreement in force
 * today, their number of schools, no personal data; search in either language, accent-insensitive.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../src/lib/server/db/seed/demo';
import type { Actor } from '../../src/lib/server/policy';
import { publicCoverage } from '../../src/lib/server/territories/public-coverage';
import { saveAgreement, savePoliceService, type AgreementInput } from '../../src/lib/server/territories/registry';
import { saveSchool } from '../../src/lib/server/territories/schools';
import type { AgreementStatus, PoliceServiceKind } from '../../src/lib/server/db/schema';
import { actorOf, createTestContext, T0, TEST_DIALECT, type TestContext } from './harness';

const META = { ip: null };
const SPSJ = { nameFr: 'Service de police de la Ville de Saint-Jérôme', nameEn: 'Saint-Jérôme Police Service', kind: 'municipal' as const };
const SQ = { nameFr: 'Sûreté du Québec — Poste de la MRC d’Argenteuil', nameEn: 'Sûreté du Québec — Argenteuil RCM station', kind: 'sq' as const };
const FUTURE = { nameFr: 'Service de police de Mirabel-Nord (fictif)', nameEn: 'Mirabel-Nord Police (fictional)', kind: 'municipal' as const };

let ctx: TestContext;
let admin: Actor;
let demoAgreement: AgreementInput & { id: string };

async function service(code: string, names: { nameFr: string; nameEn: string; kind: PoliceServiceKind }, schools: number, agreements: { status: AgreementStatus; effectiveFrom: string; effectiveTo: string | null }[]): Promise<string> {
	const s = await savePoliceService(ctx, admin, null, { code, ...names, territoryId: DEMO_IDS.territoryOther, kitContact: 'Agent Tremblay, 450 555-0199', emergencyPhone: '911' }, META);
	if (!s.ok) throw new Error(JSON.stringify(s));
	for (let i = 1; i <= schools; i++) {
		const r = await saveSchool(ctx, admin, null, { code: `${code}-${i}`, name: `École ${code} ${i}`, serviceCentre: null, address: null, language: 'fr', policeServiceId: s.id }, META);
		if (!r.ok) throw new Error(JSON.stringify(r));
	}
	for (const a of agreements) {
		const r = await saveAgreement(ctx, admin, null, { policeServiceId: s.id, signedOn: null, reference: `REF-${code}`, note: 'Note interne', ...a }, META);
		if (!r.ok) throw new Error(JSON.stringify(r));
	}
	return s.id;
}

beforeAll(async () => {
	ctx = await createTestContext();
	admin = await actorOf(ctx, 'admin@sexto.test');
	const demo = await ctx.db.selectFrom('agreements').selectAll().where('police_service_id', '=', DEMO_IDS.policeCovered).executeTakeFirstOrThrow();
	demoAgreement = { id: demo.id, policeServiceId: demo.police_service_id, status: demo.status, signedOn: demo.signed_on, effectiveFrom: demo.effective_from, effectiveTo: demo.effective_to, reference: demo.reference, note: demo.note };
	// two more schools for Saint-Jérôme (3 in all)
	for (const code of ['PUB-SJ-1', 'PUB-SJ-2']) {
		const r = await saveSchool(ctx, admin, null, { code, name: `École ${code}`, serviceCentre: null, address: null, language: 'fr', policeServiceId: DEMO_IDS.policeCovered }, META);
		if (!r.ok) throw new Error(JSON.stringify(r));
	}
	await service('SQARG', SQ, 5, [{ status: 'active', effectiveFrom: '2025-09-01', effectiveTo: '2026-09-01' }]);
	await service('SPMN', FUTURE, 2, [{ status: 'active', effectiveFrom: '2026-06-01', effectiveTo: null }]);
	await service('SUSP', { nameFr: 'Police suspendue (fictive)', nameEn: 'Suspended police (fictional)', kind: 'municipal' }, 4, [{ status: 'suspended', effectiveFrom: '2020-01-01', effectiveTo: null }]);
	await service('FINI', { nameFr: 'Police à l’entente terminée (fictive)', nameEn: 'Ended-agreement police (fictional)', kind: 'municipal' }, 1, [{ status: 'ended', effectiveFrom: '2019-01-01', effectiveTo: '2024-01-01' }]);
	await service('EXPI', { nameFr: 'Police à l’entente échue (fictive)', nameEn: 'Expired-agreement police (fictional)', kind: 'intermunicipal' }, 1, [{ status: 'active', effectiveFrom: '2020-01-01', effectiveTo: '2026-03-02' }]);
	await service('DRAF', { nameFr: 'Police en projet (fictive)', nameEn: 'Draft police (fictional)', kind: 'municipal' }, 3, [{ status: 'draft', effectiveFrom: '2026-01-01', effectiveTo: null }]);
	await service('NONE', { nameFr: 'Police sans entente (fictive)', nameEn: 'No-agreement police (fictional)', kind: 'municipal' }, 2, []);
});
afterAll(() => ctx?.close());
afterEach(() => ctx.clock.set(T0));

const entry = (names: typeof SPSJ | typeof SQ | typeof FUTURE, since: string, schoolCount: number) => ({ nameFr: names.nameFr, nameEn: names.nameEn, kind: names.kind, since, schoolCount });

describe(`public coverage list (${TEST_DIALECT})`, () => {
	it('lists only services with an active agreement in force today, with their school counts, and nothing else', async () => {
		expect(ctx.now()).toEqual(T0);
		const list = await publicCoverage(ctx);
		expect(list).toEqual([entry(SPSJ, '2016-11-01', 3), entry(SQ, '2025-09-01', 5)]);
		// no ids, contacts, references or notes: exactly these fields
		for (const e of list) expect(Object.keys(e).sort()).toEqual(['kind', 'nameEn', 'nameFr', 'schoolCount', 'since']);
		expect(JSON.stringify(list)).not.toMatch(/REF-|Note interne|Tremblay|555-0199|DEMO-SJ/);
	});

	it('follows the clock: an agreement appears on its first Québec day and leaves on its end day', async () => {
		ctx.clock.set('2026-06-01T03:59:00.000Z'); // 31 May, 23:59 in Montréal
		expect((await publicCoverage(ctx)).map((e) => e.nameFr)).toEqual([SPSJ.nameFr, SQ.nameFr]);
		ctx.clock.set('2026-06-01T04:00:00.000Z');
		// sorted by French name, as French readers expect (« de la Ville » before « de Mirabel »)
		expect(await publicCoverage(ctx)).toEqual([entry(SPSJ, '2016-11-01', 3), entry(FUTURE, '2026-06-01', 2), entry(SQ, '2025-09-01', 5)]);
		ctx.clock.set('2026-09-01T04:00:00.000Z'); // the SQ agreement's effective_to
		expect((await publicCoverage(ctx)).map((e) => e.nameFr)).toEqual([SPSJ.nameFr, FUTURE.nameFr]);
	});

	it('search is accent- and case-insensitive, in French and in English names', async () => {
		const names = async (q: string) => (await publicCoverage(ctx, q)).map((e) => e.nameFr);
		expect(await names('jerome')).toEqual([SPSJ.nameFr]);
		expect(await names('Saint-Jérôme')).toEqual([SPSJ.nameFr]);
		expect(await names('  JÉRÔME ')).toEqual([SPSJ.nameFr]);
		expect(await names('saint-jerome police service')).toEqual([SPSJ.nameFr]); // English name only
		expect(await names('ville de saint')).toEqual([SPSJ.nameFr]); // French name only
		expect(await names('surete du quebec')).toEqual([SQ.nameFr]);
		expect(await names('mrc d’argenteuil')).toEqual([SQ.nameFr]); // French only
		expect(await names('rcm station')).toEqual([SQ.nameFr]); // English only
		expect(await names('police')).toEqual([SPSJ.nameFr]); // the SQ's names do not say "police"
		expect(await names('')).toEqual([SPSJ.nameFr, SQ.nameFr]);
		// services without an agreement in force are not found, whatever the search
		expect(await names('lac-vert')).toEqual([]);
		expect(await names('suspendue')).toEqual([]);
		expect(await names('mirabel')).toEqual([]);
	});

	it('suspending the Saint-Jérôme agreement removes it from the list; reactivating brings it back', async () => {
		const { id, ...input } = demoAgreement;
		expect(await saveAgreement(ctx, admin, id, { ...input, status: 'suspended' }, META)).toEqual({ ok: true, id });
		expect(await publicCoverage(ctx)).toEqual([entry(SQ, '2025-09-01', 5)]);
		expect(await publicCoverage(ctx, 'jerome')).toEqual([]);
		expect(await saveAgreement(ctx, admin, id, input, META)).toEqual({ ok: true, id });
		expect(await publicCoverage(ctx, 'jerome')).toEqual([entry(SPSJ, '2016-11-01', 3)]);
	});
});
