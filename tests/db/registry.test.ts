/**
 * The territory registry on a real database: DPCP agreements (saveAgreement) decide whether a school is
 * covered, on Québec calendar days; bad agreements are refused with nothing written; suspension hides
 * nothing; every change keeps a history version and an audit row, and the audit chain holds.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/lib/server/audit/log';
import { DEMO_IDS } from '../../src/lib/server/db/seed/demo';
import type { Actor } from '../../src/lib/server/policy';
import { assertSchoolCovered, schoolCoverage, SchoolNotCoveredError } from '../../src/lib/server/territories/coverage';
import { historyOf } from '../../src/lib/server/territories/history';
import { saveAgreement, savePoliceService, saveTerritory, type AgreementInput } from '../../src/lib/server/territories/registry';
import { listSchools, saveSchool, schoolDetail } from '../../src/lib/server/territories/schools';
import { actorOf, auditRows, createTestContext, lastAuditSeq, T0, TEST_DIALECT, userIdOf, type TestContext } from './harness';

const META = { ip: '198.51.100.20' };

let ctx: TestContext;
let admin: Actor;
beforeAll(async () => {
	ctx = await createTestContext();
	admin = await actorOf(ctx, 'admin@sexto.test');
});
afterAll(() => ctx?.close());
afterEach(() => ctx.clock.set(T0));

let serial = 0;
/** A fresh police service (in a fresh territory) serving one fresh school, created through the services. */
async function serviceWithSchool(): Promise<{ territoryId: string; serviceId: string; schoolId: string; code: string }> {
	serial++;
	const territory = await saveTerritory(ctx, admin, null, { nameFr: `Territoire ${serial}`, nameEn: `Territory ${serial}` }, META);
	if (!territory.ok) throw new Error(JSON.stringify(territory));
	const code = `SPT${serial}`;
	const service = await savePoliceService(ctx, admin, null, { code, nameFr: `Service de police ${serial}`, nameEn: `Police service ${serial}`, kind: 'municipal', territoryId: territory.id, kitContact: null, emergencyPhone: '911' }, META);
	if (!service.ok) throw new Error(JSON.stringify(service));
	const school = await saveSchool(ctx, admin, null, { code: `REG-${serial}`, name: `École ${serial}`, serviceCentre: null, address: null, language: 'fr', policeServiceId: service.id }, META);
	if (!school.ok) throw new Error(JSON.stringify(school));
	return { territoryId: territory.id, serviceId: service.id, schoolId: school.id, code };
}

function agreement(policeServiceId: string, over: Partial<AgreementInput> = {}): AgreementInput {
	return { policeServiceId, status: 'active', signedOn: '2025-08-15', effectiveFrom: '2025-09-01', effectiveTo: '2026-09-01', reference: 'DPCP-TEST', note: null, ...over };
}

async function saved(p: Promise<{ ok: boolean }>): Promise<string> {
	const r = (await p) as { ok: true; id: string } | { ok: false };
	if (!r.ok) throw new Error(`expected a successful save, got ${JSON.stringify(r)}`);
	return r.id;
}

/** Everything a refused change could have written. */
async function footprint() {
	const [agreements, history, audit, schools, memberships] = await Promise.all([
		ctx.db.selectFrom('agreements').selectAll().orderBy('id').execute(),
		ctx.db.selectFrom('registry_history').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
		lastAuditSeq(ctx),
		ctx.db.selectFrom('schools').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
		ctx.db.selectFrom('memberships').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
	]);
	return { agreements, history: Number(history.n), audit, schools: Number(schools.n), memberships: Number(memberships.n) };
}

async function coveredAt(schoolId: string, at: string): Promise<{ covered: boolean; since: string | null }> {
	ctx.clock.set(at);
	const c = await schoolCoverage(ctx.db, schoolId, ctx.now());
	// the school list (which reads the clock itself) says the same thing
	const listed = (await listSchools(ctx, admin)).find((s) => s.id === schoolId);
	expect({ at, covered: listed?.covered, since: listed?.coveredSince }).toEqual({ at, covered: c?.covered, since: c?.since });
	return { covered: c!.covered, since: c!.since };
}

describe(`an active agreement covers the schools of its police service (${TEST_DIALECT})`, () => {
	it('a school is not covered before, and is covered once an active agreement is saved, with its start as "since"', async () => {
		const { serviceId, schoolId } = await serviceWithSchool();
		expect(await schoolCoverage(ctx.db, schoolId, ctx.now())).toMatchObject({ schoolId, covered: false, since: null, agreementId: null, policeServiceId: serviceId });

		const id = await saved(saveAgreement(ctx, admin, null, agreement(serviceId), META));
		expect(await schoolCoverage(ctx.db, schoolId, ctx.now())).toEqual({
			schoolId,
			covered: true,
			since: '2025-09-01',
			agreementId: id,
			policeServiceId: serviceId,
			policeServiceNameFr: `Service de police ${serial}`,
			policeServiceNameEn: `Police service ${serial}`
		});
		expect(await ctx.db.selectFrom('agreements').selectAll().where('id', '=', id).executeTakeFirstOrThrow()).toMatchObject({
			police_service_id: serviceId,
			status: 'active',
			signed_on: '2025-08-15',
			effective_from: '2025-09-01',
			effective_to: '2026-09-01',
			reference: 'DPCP-TEST',
			created_at: T0.toISOString()
		});
	});

	it('a draft agreement covers nothing', async () => {
		const { serviceId, schoolId } = await serviceWithSchool();
		await saved(saveAgreement(ctx, admin, null, agreement(serviceId, { status: 'draft' }), META));
		expect((await schoolCoverage(ctx.db, schoolId, ctx.now()))!.covered).toBe(false);
	});

	it('effective_from is inclusive and effective_to exclusive, counted in Québec days (summer time, UTC-4)', async () => {
		const { serviceId, schoolId } = await serviceWithSchool();
		await saved(saveAgreement(ctx, admin, null, agreement(serviceId), META));
		// 03:30 UTC on 1 September is still 23:30 on 31 August in Montréal.
		expect(await coveredAt(schoolId, '2025-09-01T03:30:00.000Z')).toEqual({ covered: false, since: null });
		expect(await coveredAt(schoolId, '2025-09-01T03:59:59.999Z')).toEqual({ covered: false, since: null });
		expect(await coveredAt(schoolId, '2025-09-01T04:00:00.000Z')).toEqual({ covered: true, since: '2025-09-01' });
		expect(await coveredAt(schoolId, '2026-09-01T03:59:59.999Z')).toEqual({ covered: true, since: '2025-09-01' });
		expect(await coveredAt(schoolId, '2026-09-01T04:00:00.000Z')).toEqual({ covered: false, since: null });
	});

	it('the same boundaries in winter (standard time, UTC-5)', async () => {
		const { serviceId, schoolId } = await serviceWithSchool();
		await saved(saveAgreement(ctx, admin, null, agreement(serviceId, { effectiveFrom: '2026-01-15', effectiveTo: '2026-02-01' }), META));
		expect(await coveredAt(schoolId, '2026-01-15T04:30:00.000Z')).toEqual({ covered: false, since: null });
		expect(await coveredAt(schoolId, '2026-01-15T05:00:00.000Z')).toEqual({ covered: true, since: '2026-01-15' });
		expect(await coveredAt(schoolId, '2026-02-01T04:59:59.999Z')).toEqual({ covered: true, since: '2026-01-15' });
		expect(await coveredAt(schoolId, '2026-02-01T05:00:00.000Z')).toEqual({ covered: false, since: null });
	});

	it('an open-ended agreement (no effective_to) keeps covering', async () => {
		const { serviceId, schoolId } = await serviceWithSchool();
		await saved(saveAgreement(ctx, admin, null, agreement(serviceId, { effectiveTo: null }), META));
		expect(await coveredAt(schoolId, '2040-06-01T12:00:00.000Z')).toEqual({ covered: true, since: '2025-09-01' });
	});
});

describe(`bad agreements are refused and leave nothing behind (${TEST_DIALECT})`, () => {
	it('a second active agreement overlapping the first is refused on "status": no agreement, history or audit row', async () => {
		const { serviceId } = await serviceWithSchool();
		const first = await saved(saveAgreement(ctx, admin, null, agreement(serviceId), META));
		const overlapping: [string, string | null][] = [
			['2026-08-31', null], // starts on the last covered day
			['2025-01-01', '2025-09-02'], // ends the day after the first starts
			['2024-01-01', null], // contains it
			['2025-10-01', '2025-11-01'], // inside it
			['2025-09-01', '2026-09-01'] // identical
		];
		for (const [effectiveFrom, effectiveTo] of overlapping) {
			const before = await footprint();
			const result = await saveAgreement(ctx, admin, null, agreement(serviceId, { effectiveFrom, effectiveTo }), META);
			expect({ effectiveFrom, effectiveTo, result }).toEqual({ effectiveFrom, effectiveTo, result: { ok: false, errors: { status: { key: 'registry.error.overlaps_active' } } } });
			expect(await footprint()).toEqual(before);
		}
		expect((await ctx.db.selectFrom('agreements').select('id').where('police_service_id', '=', serviceId).execute()).map((a) => a.id)).toEqual([first]);
	});

	it('periods that only touch do not overlap (the end is exclusive), and a draft may overlap', async () => {
		const { serviceId, schoolId } = await serviceWithSchool();
		await saved(saveAgreement(ctx, admin, null, agreement(serviceId), META));
		const next = await saved(saveAgreement(ctx, admin, null, agreement(serviceId, { effectiveFrom: '2026-09-01', effectiveTo: null }), META));
		await saved(saveAgreement(ctx, admin, null, agreement(serviceId, { effectiveFrom: '2024-09-01', effectiveTo: '2025-09-01' }), META));
		const draft = await saved(saveAgreement(ctx, admin, null, agreement(serviceId, { status: 'draft', effectiveFrom: '2026-01-01', effectiveTo: null }), META));
		// the hand-over day belongs to the next agreement
		ctx.clock.set('2026-09-01T12:00:00.000Z');
		expect(await schoolCoverage(ctx.db, schoolId, ctx.now())).toMatchObject({ covered: true, since: '2026-09-01', agreementId: next });

		// activating the overlapping draft is refused, and the draft stays a draft with one history version
		const before = await footprint();
		expect(await saveAgreement(ctx, admin, draft, agreement(serviceId, { status: 'active', effectiveFrom: '2026-01-01', effectiveTo: null }), META)).toEqual({
			ok: false,
			errors: { status: { key: 'registry.error.overlaps_active' } }
		});
		expect(await footprint()).toEqual(before);
		expect((await historyOf(ctx.db, 'agreement', draft)).map((h) => h.snapshot.status)).toEqual(['draft']);
	});

	it('two overlapping activations saved at the same moment: exactly one wins', async () => {
		const { serviceId } = await serviceWithSchool();
		const results = await Promise.all([
			saveAgreement(ctx, admin, null, agreement(serviceId, { effectiveFrom: '2025-01-01', effectiveTo: null }), META),
			saveAgreement(ctx, admin, null, agreement(serviceId, { effectiveFrom: '2025-06-01', effectiveTo: null }), META)
		]);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, errors: { status: { key: 'registry.error.overlaps_active' } } }]);
		expect(await ctx.db.selectFrom('agreements').select('id').where('police_service_id', '=', serviceId).execute()).toHaveLength(1);
	});

	it('an end on or before the start is refused on effective_to, nothing written', async () => {
		const { serviceId } = await serviceWithSchool();
		for (const [effectiveFrom, effectiveTo] of [
			['2026-09-01', '2025-09-01'],
			['2026-09-01', '2026-08-31'],
			['2026-09-01', '2026-09-01']
		] as const) {
			for (const status of ['active', 'draft'] as const) {
				const before = await footprint();
				expect(await saveAgreement(ctx, admin, null, agreement(serviceId, { status, effectiveFrom, effectiveTo }), META)).toEqual({
					ok: false,
					errors: { effectiveTo: { key: 'registry.error.ends_before_start' } }
				});
				expect(await footprint()).toEqual(before);
			}
		}
	});

	it('an impossible calendar day is refused, nothing written', async () => {
		const { serviceId } = await serviceWithSchool();
		const before = await footprint();
		expect(await saveAgreement(ctx, admin, null, agreement(serviceId, { effectiveFrom: '2026-02-30' }), META)).toEqual({ ok: false, errors: { effectiveFrom: { key: 'form.error.invalid' } } });
		expect(await footprint()).toEqual(before);
	});

	it('an unknown police service is refused on policeServiceId, nothing written', async () => {
		const before = await footprint();
		expect(await saveAgreement(ctx, admin, null, agreement('00000000-0000-4000-8000-00000000beef'), META)).toEqual({
			ok: false,
			errors: { policeServiceId: { key: 'registry.error.unknown_police_service' } }
		});
		expect(await footprint()).toEqual(before);
	});

	it('an agreement cannot be moved to another police service, nor can a missing agreement be edited', async () => {
		const a = await serviceWithSchool();
		const b = await serviceWithSchool();
		const id = await saved(saveAgreement(ctx, admin, null, agreement(a.serviceId), META));
		const before = await footprint();
		expect(await saveAgreement(ctx, admin, id, agreement(b.serviceId), META)).toEqual({ ok: false, errors: { policeServiceId: { key: 'registry.error.agreement_service_fixed' } } });
		expect(await saveAgreement(ctx, admin, '00000000-0000-4000-8000-00000000f00d', agreement(a.serviceId), META)).toEqual({ ok: false, errors: { _form: { key: 'error.404' } } });
		expect(await footprint()).toEqual(before);
	});

	it('a school pointing at a missing police service is refused, nothing written', async () => {
		const before = await footprint();
		expect(await saveSchool(ctx, admin, null, { code: 'ORPHAN-1', name: 'Orpheline', serviceCentre: null, address: null, language: 'fr', policeServiceId: '00000000-0000-4000-8000-00000000beef' }, META)).toEqual({
			ok: false,
			errors: { policeServiceId: { key: 'registry.error.unknown_police_service' } }
		});
		expect(await footprint()).toEqual(before);
	});
});

describe(`the coverage gate other modules call (${TEST_DIALECT})`, () => {
	it('assertSchoolCovered returns the coverage of a covered school', async () => {
		expect(await assertSchoolCovered(ctx.db, DEMO_IDS.schoolCovered, ctx.now())).toMatchObject({ schoolId: DEMO_IDS.schoolCovered, covered: true, since: '2016-11-01', policeServiceId: DEMO_IDS.policeCovered });
	});

	it('assertSchoolCovered throws SchoolNotCoveredError for an uncovered school, and for an unknown one', async () => {
		const uncovered = assertSchoolCovered(ctx.db, DEMO_IDS.schoolOther, ctx.now());
		await expect(uncovered).rejects.toBeInstanceOf(SchoolNotCoveredError);
		await expect(uncovered).rejects.toMatchObject({ schoolId: DEMO_IDS.schoolOther });
		await expect(assertSchoolCovered(ctx.db, '00000000-0000-4000-8000-00000000dead', ctx.now())).rejects.toBeInstanceOf(SchoolNotCoveredError);
	});

	it('assertSchoolCovered follows the clock: refused the evening before the agreement starts, allowed at midnight in Québec', async () => {
		const { serviceId, schoolId } = await serviceWithSchool();
		await saved(saveAgreement(ctx, admin, null, agreement(serviceId), META));
		ctx.clock.set('2025-09-01T03:30:00.000Z');
		await expect(assertSchoolCovered(ctx.db, schoolId, ctx.now())).rejects.toBeInstanceOf(SchoolNotCoveredError);
		ctx.clock.set('2025-09-01T04:00:00.000Z');
		await expect(assertSchoolCovered(ctx.db, schoolId, ctx.now())).resolves.toMatchObject({ covered: true, since: '2025-09-01' });
	});
});

describe(`every registry change keeps a version and an audit row (${TEST_DIALECT})`, () => {
	it('territory, police service, agreement and school: versions 1, 2, … with who, when and a snapshot, and one audit row each', async () => {
		const adminId = await userIdOf(ctx, 'admin@sexto.test');
		const start = await lastAuditSeq(ctx);
		const { territoryId, serviceId, schoolId, code } = await serviceWithSchool();

		const first = agreement(serviceId, { status: 'draft' });
		const id = await saved(saveAgreement(ctx, admin, null, first, META));
		ctx.clock.set('2026-03-03T09:00:00.000Z');
		const second = agreement(serviceId, { status: 'active', note: 'Signée' });
		await saved(saveAgreement(ctx, admin, id, second, META));
		ctx.clock.set('2026-03-04T09:00:00.000Z');
		const third = agreement(serviceId, { status: 'ended', effectiveTo: '2026-03-04', note: 'Signée' });
		await saved(saveAgreement(ctx, admin, id, third, META));

		const rows = await ctx.db.selectFrom('registry_history').selectAll().where('entity_type', '=', 'agreement').where('entity_id', '=', id).orderBy('version').execute();
		expect(rows.map((r) => ({ version: r.version, change: r.change, changed_at: r.changed_at, changed_by: r.changed_by, snapshot: JSON.parse(r.snapshot) }))).toEqual([
			{ version: 1, change: 'created', changed_at: T0.toISOString(), changed_by: adminId, snapshot: first },
			{ version: 2, change: 'updated', changed_at: '2026-03-03T09:00:00.000Z', changed_by: adminId, snapshot: second },
			{ version: 3, change: 'updated', changed_at: '2026-03-04T09:00:00.000Z', changed_by: adminId, snapshot: third }
		]);
		// the page's read model: newest first, the person's name
		expect((await historyOf(ctx.db, 'agreement', id)).map((h) => [h.version, h.changedBy, h.snapshot.status])).toEqual([
			[3, 'Alex Admin', 'ended'],
			[2, 'Alex Admin', 'active'],
			[1, 'Alex Admin', 'draft']
		]);
		expect(await ctx.db.selectFrom('agreements').select(['status', 'note', 'effective_to', 'updated_at']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({
			status: 'ended',
			note: 'Signée',
			effective_to: '2026-03-04',
			updated_at: '2026-03-04T09:00:00.000Z'
		});

		expect((await historyOf(ctx.db, 'territory', territoryId)).map((h) => [h.version, h.change])).toEqual([[1, 'created']]);
		expect((await historyOf(ctx.db, 'police_service', serviceId)).map((h) => [h.version, h.change, h.snapshot.code])).toEqual([[1, 'created', code]]);
		expect((await historyOf(ctx.db, 'school', schoolId)).map((h) => [h.version, h.change, h.snapshot.policeServiceId])).toEqual([[1, 'created', serviceId]]);

		const audit = await auditRows(ctx, start);
		expect(audit.map((a) => ({ action: a.action, outcome: a.outcome, actor_id: a.actor_id, target_type: a.target_type, target_id: a.target_id, ip: a.ip, details: a.details }))).toEqual([
			{ action: 'registry.created', outcome: 'success', actor_id: adminId, target_type: 'territory', target_id: territoryId, ip: META.ip, details: { version: 1 } },
			{ action: 'registry.created', outcome: 'success', actor_id: adminId, target_type: 'police_service', target_id: serviceId, ip: META.ip, details: { version: 1 } },
			{ action: 'registry.created', outcome: 'success', actor_id: adminId, target_type: 'school', target_id: schoolId, ip: META.ip, details: { version: 1 } },
			{ action: 'registry.created', outcome: 'success', actor_id: adminId, target_type: 'agreement', target_id: id, ip: META.ip, details: { version: 1 } },
			{ action: 'registry.updated', outcome: 'success', actor_id: adminId, target_type: 'agreement', target_id: id, ip: META.ip, details: { version: 2 } },
			{ action: 'registry.updated', outcome: 'success', actor_id: adminId, target_type: 'agreement', target_id: id, ip: META.ip, details: { version: 3 } }
		]);
		expect(audit.map((a) => a.at).slice(-2)).toEqual(['2026-03-03T09:00:00.000Z', '2026-03-04T09:00:00.000Z']);
	});

	it('editing a police service and a territory adds version 2 to each', async () => {
		const { territoryId, serviceId, code } = await serviceWithSchool();
		await saved(saveTerritory(ctx, admin, territoryId, { nameFr: 'Territoire renommé', nameEn: 'Renamed territory' }, META));
		await saved(savePoliceService(ctx, admin, serviceId, { code: code.toLowerCase(), nameFr: 'Service renommé', nameEn: 'Renamed service', kind: 'sq', territoryId, kitContact: 'Sgt. Roy', emergencyPhone: '911' }, META));
		expect((await historyOf(ctx.db, 'territory', territoryId)).map((h) => [h.version, h.change, h.snapshot.nameFr])).toEqual([
			[2, 'updated', 'Territoire renommé'],
			[1, 'created', `Territoire ${serial}`]
		]);
		expect((await historyOf(ctx.db, 'police_service', serviceId)).map((h) => [h.version, h.snapshot.kind, h.snapshot.code])).toEqual([
			[2, 'sq', code],
			[1, 'municipal', code]
		]);
	});

	it('a police service code already used is refused, nothing written', async () => {
		const { territoryId } = await serviceWithSchool();
		const before = await footprint();
		const services = await ctx.db.selectFrom('police_services').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		expect(await savePoliceService(ctx, admin, null, { code: 'spsj', nameFr: 'Doublon', nameEn: 'Duplicate', kind: 'municipal', territoryId, kitContact: null, emergencyPhone: null }, META)).toEqual({
			ok: false,
			errors: { code: { key: 'registry.error.code_taken' } }
		});
		expect(await footprint()).toEqual(before);
		expect(await ctx.db.selectFrom('police_services').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual(services);
	});

	it('after all these changes the audit chain verifies', async () => {
		expect(await verifyAuditChain(ctx.db)).toEqual({ ok: true, rows: await lastAuditSeq(ctx) });
	});
});

describe(`suspending an agreement stops coverage and hides or deletes nothing (${TEST_DIALECT})`, () => {
	let local: TestContext;
	beforeAll(async () => {
		local = await createTestContext();
	});
	afterAll(() => local?.close());

	it('the demo school is covered, then not after suspension, with every record still there; reactivation covers it again', async () => {
		const S1 = DEMO_IDS.schoolCovered;
		const localAdmin = await actorOf(local, 'admin@sexto.test');
		const coordinator = await actorOf(local, 'coordination@sexto.test');
		const demo = await local.db.selectFrom('agreements').selectAll().where('police_service_id', '=', DEMO_IDS.policeCovered).executeTakeFirstOrThrow();
		const input: AgreementInput = { policeServiceId: demo.police_service_id, status: 'active', signedOn: demo.signed_on, effectiveFrom: demo.effective_from, effectiveTo: demo.effective_to, reference: demo.reference, note: demo.note };
		// a school edit, so the school has a history to keep
		await saved(saveSchool(local, coordinator, S1, { code: 'DEMO-001', name: 'École secondaire des Hauts-Bois (fictive)', serviceCentre: 'Centre de services scolaire de la Rivière-du-Nord', address: 'Saint-Jérôme (QC)', language: 'fr', policeServiceId: DEMO_IDS.policeCovered }, META));

		const snapshot = async () => ({
			schools: await local.db.selectFrom('schools').selectAll().orderBy('id').execute(),
			memberships: await local.db.selectFrom('memberships').selectAll().orderBy('id').execute(),
			users: await local.db.selectFrom('users').select(['id', 'email', 'disabled_at']).orderBy('id').execute(),
			schoolHistory: await local.db.selectFrom('registry_history').selectAll().where('entity_type', '=', 'school').orderBy('id').execute(),
			agreements: (await local.db.selectFrom('agreements').select('id').orderBy('id').execute()).map((a) => a.id)
		});
		const before = await snapshot();
		expect(before.memberships.filter((m) => m.scope_id === S1).length).toBeGreaterThanOrEqual(4);
		expect(await schoolCoverage(local.db, S1, local.now())).toMatchObject({ covered: true, since: '2016-11-01', agreementId: demo.id });

		await saved(saveAgreement(local, localAdmin, demo.id, { ...input, status: 'suspended', note: 'Suspendue' }, META));

		expect(await schoolCoverage(local.db, S1, local.now())).toMatchObject({ covered: false, since: null, agreementId: null });
		await expect(assertSchoolCovered(local.db, S1, local.now())).rejects.toBeInstanceOf(SchoolNotCoveredError);
		expect(await snapshot()).toEqual(before);
		expect(await local.db.selectFrom('agreements').select(['status', 'effective_from']).where('id', '=', demo.id).executeTakeFirstOrThrow()).toEqual({ status: 'suspended', effective_from: '2016-11-01' });
		// still listed and still open to the coordinator, just marked not covered
		expect((await listSchools(local, coordinator)).map((s) => [s.id, s.covered, s.coveredSince])).toEqual([[S1, false, null]]);
		expect((await schoolDetail(local, coordinator, S1))?.history.map((h) => h.version)).toEqual([1]);

		await saved(saveAgreement(local, localAdmin, demo.id, input, META));
		expect(await assertSchoolCovered(local.db, S1, local.now())).toMatchObject({ covered: true, since: '2016-11-01' });
		expect(await snapshot()).toEqual(before);
		expect((await historyOf(local.db, 'agreement', demo.id)).map((h) => [h.version, h.snapshot.status])).toEqual([
			[2, 'active'],
			[1, 'suspended']
		]);
		expect(await verifyAuditChain(local.db)).toEqual({ ok: true, rows: await lastAuditSeq(local) });
	});

	it('an ended agreement stops coverage too, and the school keeps its record', async () => {
		const localAdmin = await actorOf(local, 'admin@sexto.test');
		const demo = await local.db.selectFrom('agreements').selectAll().where('police_service_id', '=', DEMO_IDS.policeCovered).executeTakeFirstOrThrow();
		await saved(
			saveAgreement(local, localAdmin, demo.id, { policeServiceId: demo.police_service_id, status: 'ended', signedOn: demo.signed_on, effectiveFrom: demo.effective_from, effectiveTo: '2026-03-02', reference: demo.reference, note: null }, META)
		);
		expect(await schoolCoverage(local.db, DEMO_IDS.schoolCovered, local.now())).toMatchObject({ covered: false });
		expect(await local.db.selectFrom('schools').select('id').where('id', '=', DEMO_IDS.schoolCovered).executeTakeFirst()).toBeDefined();
	});
});
