/**
 * Registry policy through the real services and database: only platform admins change territories,
 * police services and agreements; a coordinator manages the schools of its own police service and sees
 * nothing of another's; read lists stay inside each actor's scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../src/lib/server/db/seed/demo';
import { ForbiddenError, type Actor } from '../../src/lib/server/policy';
import { historyOf } from '../../src/lib/server/territories/history';
import { registryOverview, policeServiceDetail, agreementDetail } from '../../src/lib/server/territories/read';
import { saveAgreement, savePoliceService, saveTerritory } from '../../src/lib/server/territories/registry';
import { listSchools, manageablePoliceServices, saveSchool, schoolDetail, type SchoolInput } from '../../src/lib/server/territories/schools';
import { actorOf, auditRows, createTestContext, lastAuditSeq, TEST_DIALECT, userIdOf, type TestContext } from './harness';

const P1 = DEMO_IDS.policeCovered;
const P2 = DEMO_IDS.policeOther;
const S1 = DEMO_IDS.schoolCovered;
const S2 = DEMO_IDS.schoolOther;
const META = { ip: '198.51.100.30' };
const COORDINATOR_B = 'coordination.lacvert@sexto.test';

let ctx: TestContext;
let admin: Actor;
let coordA: Actor;
let coordB: Actor;
beforeAll(async () => {
	ctx = await createTestContext();
	// a coordinator for the second police service (the demo has one only for the first)
	const at = ctx.now().toISOString();
	const userId = '22222222-2222-4222-8222-222222222222';
	await ctx.db.insertInto('users').values({ id: userId, email: COORDINATOR_B, display_name: 'Coordination Lac-Vert', password_hash: 'x', locale: 'fr', created_at: at, disabled_at: null }).execute();
	await ctx.db.insertInto('memberships').values({ id: '22222222-2222-4222-8222-222222222223', user_id: userId, role: 'territory_coordinator', scope_type: 'police_service', scope_id: P2, created_at: at, created_by: null }).execute();
	admin = await actorOf(ctx, 'admin@sexto.test');
	coordA = await actorOf(ctx, 'coordination@sexto.test');
	coordB = await actorOf(ctx, COORDINATOR_B);
});
afterAll(() => ctx?.close());

function school(over: Partial<SchoolInput> = {}): SchoolInput {
	return { code: 'POL-1', name: 'École des Trois-Érables', serviceCentre: 'CSS de la Rivière-du-Nord', address: '1, rue Principale', language: 'fr', policeServiceId: P1, ...over };
}

async function everything() {
	const [territories, services, agreements, schools, history, audit] = await Promise.all([
		ctx.db.selectFrom('territories').selectAll().orderBy('id').execute(),
		ctx.db.selectFrom('police_services').selectAll().orderBy('id').execute(),
		ctx.db.selectFrom('agreements').selectAll().orderBy('id').execute(),
		ctx.db.selectFrom('schools').selectAll().orderBy('id').execute(),
		ctx.db.selectFrom('registry_history').selectAll().orderBy('id').execute(),
		lastAuditSeq(ctx)
	]);
	return { territories, services, agreements, schools, history, audit };
}

async function schoolIdsOf(...policeServiceIds: string[]): Promise<string[]> {
	const rows = await ctx.db.selectFrom('schools').select('id').where('police_service_id', 'in', policeServiceIds).execute();
	return rows.map((r) => r.id).sort();
}

describe(`only a platform admin changes territories, police services and agreements (${TEST_DIALECT})`, () => {
	const others = ['coordination@sexto.test', COORDINATOR_B, 'direction@sexto.test', 'intervenant@sexto.test', 'policier@sexto.test', 'procureur@sexto.test', 'rprp@sexto.test'];

	it('coordinators, principals, responders, police and others get ForbiddenError and nothing is written', async () => {
		const demoAgreement = await ctx.db.selectFrom('agreements').selectAll().where('police_service_id', '=', P1).executeTakeFirstOrThrow();
		const before = await everything();
		for (const email of others) {
			const actor = await actorOf(ctx, email);
			const attempts: [string, () => Promise<unknown>][] = [
				['saveTerritory new', () => saveTerritory(ctx, actor, null, { nameFr: 'T', nameEn: 'T' }, META)],
				['saveTerritory edit', () => saveTerritory(ctx, actor, DEMO_IDS.territoryCovered, { nameFr: 'T', nameEn: 'T' }, META)],
				['savePoliceService new', () => savePoliceService(ctx, actor, null, { code: 'HACK', nameFr: 'P', nameEn: 'P', kind: 'municipal', territoryId: DEMO_IDS.territoryCovered, kitContact: null, emergencyPhone: null }, META)],
				['savePoliceService edit', () => savePoliceService(ctx, actor, P1, { code: 'SPSJ', nameFr: 'P', nameEn: 'P', kind: 'municipal', territoryId: DEMO_IDS.territoryCovered, kitContact: null, emergencyPhone: null }, META)],
				['saveAgreement new', () => saveAgreement(ctx, actor, null, { policeServiceId: P2, status: 'active', signedOn: null, effectiveFrom: '2026-01-01', effectiveTo: null, reference: null, note: null }, META)],
				['saveAgreement suspend', () => saveAgreement(ctx, actor, demoAgreement.id, { policeServiceId: P1, status: 'suspended', signedOn: demoAgreement.signed_on, effectiveFrom: demoAgreement.effective_from, effectiveTo: null, reference: null, note: null }, META)],
				['registryOverview', () => registryOverview(ctx, actor)],
				['policeServiceDetail', () => policeServiceDetail(ctx, actor, P1)],
				['agreementDetail', () => agreementDetail(ctx, actor, demoAgreement.id)]
			];
			for (const [what, attempt] of attempts) {
				const error = await attempt().then(
					() => null,
					(e: unknown) => e
				);
				expect({ email, what, forbidden: error instanceof ForbiddenError }).toEqual({ email, what, forbidden: true });
			}
		}
		expect(await everything()).toEqual(before);
	});

	it('the platform admin may (the same calls succeed)', async () => {
		expect(await saveTerritory(ctx, admin, null, { nameFr: 'Territoire admin', nameEn: 'Admin territory' }, META)).toMatchObject({ ok: true });
		expect((await registryOverview(ctx, admin)).services.map((s) => [s.code, s.coveredSince])).toEqual([
			['RIPLV', null],
			['SPSJ', '2016-11-01']
		]);
	});
});

describe(`a coordinator manages the schools of its own police service only (${TEST_DIALECT})`, () => {
	it('coordinator of A creates and edits a school in A, with history and audit in its name', async () => {
		const coordId = await userIdOf(ctx, 'coordination@sexto.test');
		const start = await lastAuditSeq(ctx);
		const created = await saveSchool(ctx, coordA, null, school({ code: 'pol-1' }), META);
		if (!created.ok) throw new Error(JSON.stringify(created));
		expect(await saveSchool(ctx, coordA, created.id, school({ name: 'École des Quatre-Érables', language: 'en' }), META)).toEqual({ ok: true, id: created.id });

		expect(await ctx.db.selectFrom('schools').select(['code', 'name', 'language', 'police_service_id']).where('id', '=', created.id).executeTakeFirstOrThrow()).toEqual({
			code: 'POL-1',
			name: 'École des Quatre-Érables',
			language: 'en',
			police_service_id: P1
		});
		expect((await historyOf(ctx.db, 'school', created.id)).map((h) => [h.version, h.change, h.changedBy, h.snapshot.name])).toEqual([
			[2, 'updated', 'Julie Forgues', 'École des Quatre-Érables'],
			[1, 'created', 'Julie Forgues', 'École des Trois-Érables']
		]);
		expect((await auditRows(ctx, start)).map((a) => [a.action, a.actor_id, a.target_type, a.target_id, a.details.version])).toEqual([
			['registry.created', coordId, 'school', created.id, 1],
			['registry.updated', coordId, 'school', created.id, 2]
		]);
	});

	it('coordinator of A cannot create a school in B: ForbiddenError, nothing written', async () => {
		const before = await everything();
		await expect(saveSchool(ctx, coordA, null, school({ code: 'POL-B1', policeServiceId: P2 }), META)).rejects.toBeInstanceOf(ForbiddenError);
		expect(await everything()).toEqual(before);
	});

	it('coordinator of A cannot edit a school of B: it answers "not found", like a school that does not exist', async () => {
		const before = await everything();
		const s2 = await ctx.db.selectFrom('schools').selectAll().where('id', '=', S2).executeTakeFirstOrThrow();
		expect(await saveSchool(ctx, coordA, S2, school({ code: s2.code, name: 'Renommée', policeServiceId: P2 }), META)).toEqual({ ok: false, notFound: true });
		// pulling B's school into A is the same refusal
		expect(await saveSchool(ctx, coordA, S2, school({ code: s2.code, name: 'Renommée', policeServiceId: P1 }), META)).toEqual({ ok: false, notFound: true });
		expect(await saveSchool(ctx, coordA, '00000000-0000-4000-8000-00000000dead', school({ code: 'X-1' }), META)).toEqual({ ok: false, notFound: true });
		expect(await everything()).toEqual(before);
	});

	it('coordinator of A cannot move its school to B: ForbiddenError, the school stays in A', async () => {
		const before = await everything();
		await expect(saveSchool(ctx, coordA, S1, school({ code: 'DEMO-001', policeServiceId: P2 }), META)).rejects.toBeInstanceOf(ForbiddenError);
		expect(await everything()).toEqual(before);
		expect((await ctx.db.selectFrom('schools').select('police_service_id').where('id', '=', S1).executeTakeFirstOrThrow()).police_service_id).toBe(P1);
	});

	it('the mirror: coordinator of B edits B\'s school and cannot touch A\'s', async () => {
		const s2 = await ctx.db.selectFrom('schools').selectAll().where('id', '=', S2).executeTakeFirstOrThrow();
		expect(await saveSchool(ctx, coordB, S2, { code: s2.code, name: s2.name, serviceCentre: s2.service_centre, address: 'Nouvelle adresse', language: 'fr', policeServiceId: P2 }, META)).toEqual({ ok: true, id: S2 });
		const before = await everything();
		expect(await saveSchool(ctx, coordB, S1, school({ code: 'DEMO-001' }), META)).toEqual({ ok: false, notFound: true });
		await expect(saveSchool(ctx, coordB, null, school({ code: 'POL-A9', policeServiceId: P1 }), META)).rejects.toBeInstanceOf(ForbiddenError);
		expect(await everything()).toEqual(before);
	});

	it('principals, responders and police liaisons manage no school at all', async () => {
		const before = await everything();
		for (const email of ['direction@sexto.test', 'intervenant@sexto.test', 'policier@sexto.test']) {
			const actor = await actorOf(ctx, email);
			await expect(saveSchool(ctx, actor, null, school({ code: 'POL-Z' }), META)).rejects.toBeInstanceOf(ForbiddenError);
			expect(await saveSchool(ctx, actor, S1, school({ code: 'DEMO-001' }), META)).toEqual({ ok: false, notFound: true });
			expect(await manageablePoliceServices(ctx, actor)).toEqual([]);
		}
		expect(await everything()).toEqual(before);
	});

	it('a school code already used is refused on "code", nothing written', async () => {
		const before = await everything();
		expect(await saveSchool(ctx, coordA, null, school({ code: 'demo-001' }), META)).toEqual({ ok: false, errors: { code: { key: 'registry.error.code_taken' } } });
		expect(await everything()).toEqual(before);
	});
});

describe(`reading schools stays inside each actor's scope (${TEST_DIALECT})`, () => {
	it('listSchools: coordinator of A sees only A\'s schools, B only B\'s, the admin all, the police liaison of A only A\'s', async () => {
		const ofA = await schoolIdsOf(P1);
		const ofB = await schoolIdsOf(P2);
		expect(ofA.length).toBeGreaterThanOrEqual(2);
		expect(ofA).toContain(S1);
		expect(ofB).toEqual([S2]);
		const ids = async (actor: Actor) => (await listSchools(ctx, actor)).map((s) => s.id).sort();

		expect(await ids(coordA)).toEqual(ofA);
		expect(await ids(coordB)).toEqual(ofB);
		expect(await ids(admin)).toEqual([...ofA, ...ofB].sort());
		expect(await ids(await actorOf(ctx, 'policier@sexto.test'))).toEqual(ofA);
		expect(await ids(await actorOf(ctx, 'procureur@sexto.test'))).toEqual(ofA);
		expect(await ids(await actorOf(ctx, 'direction@sexto.test'))).toEqual([S1]);
		expect(await ids(await actorOf(ctx, 'direction.lacvert@sexto.test'))).toEqual([S2]);
		expect(await ids(await actorOf(ctx, 'formateur@sexto.test'))).toEqual([]);
	});

	it('listSchools marks coverage and offers editing only to those who may edit', async () => {
		const liaison = await listSchools(ctx, await actorOf(ctx, 'policier@sexto.test'));
		expect(liaison.every((s) => !s.canEdit && s.covered && s.coveredSince === '2016-11-01')).toBe(true);
		expect((await listSchools(ctx, coordA)).every((s) => s.canEdit)).toBe(true);
		expect((await listSchools(ctx, admin)).map((s) => [s.id, s.covered, s.canEdit]).filter(([id]) => id === S2)).toEqual([[S2, false, true]]);
	});

	it('a search does not widen the scope', async () => {
		expect((await listSchools(ctx, coordA, 'lac-vert')).map((s) => s.id)).toEqual([]);
		expect((await listSchools(ctx, admin, 'lac-vert')).map((s) => s.id)).toEqual([S2]);
		expect((await listSchools(ctx, coordA, 'demo-00')).map((s) => s.id)).toEqual([S1]);
	});

	it('search is case- and accent-insensitive and wildcards are literal; the list is in French order (same on both dialects)', async () => {
		const names = async (q: string) => (await listSchools(ctx, admin, q)).map((s) => s.name);
		const all = await names('');
		expect(all).toEqual([...all].sort((a, b) => a.localeCompare(b, 'fr')));
		expect(all.indexOf('École secondaire des Hauts-Bois (fictive)')).toBeLessThan(all.indexOf('Polyvalente du Lac-Vert (fictive)'));
		for (const q of ['école', 'ÉCOLE', 'ecole', ' Ecole ']) expect({ q, found: await names(q) }).toEqual({ q, found: ['École des Quatre-Érables', 'École secondaire des Hauts-Bois (fictive)'] });
		expect(await names('ecole SECONDAIRE des hauts')).toEqual(['École secondaire des Hauts-Bois (fictive)']);
		expect(await names('quatre-erables')).toEqual(['École des Quatre-Érables']);
		expect(await names('%')).toEqual([]);
		expect(await names('_')).toEqual([]);
		// by code too, and still inside the actor's scope
		expect((await listSchools(ctx, coordB, 'DEMO-00')).map((s) => s.id)).toEqual([S2]);
	});

	it('schoolDetail: B\'s school is null for the coordinator of A (and for a police liaison), visible to B and to the admin', async () => {
		expect(await schoolDetail(ctx, coordA, S2)).toBeNull();
		expect(await schoolDetail(ctx, await actorOf(ctx, 'policier@sexto.test'), S1)).toBeNull();
		expect(await schoolDetail(ctx, coordA, '00000000-0000-4000-8000-00000000dead')).toBeNull();
		expect((await schoolDetail(ctx, coordB, S2))?.school).toMatchObject({ id: S2, police_service_id: P2, address: 'Nouvelle adresse' });
		expect((await schoolDetail(ctx, coordB, S2))?.history.map((h) => [h.version, h.changedBy])).toEqual([[1, 'Coordination Lac-Vert']]);
		expect((await schoolDetail(ctx, admin, S2))?.school.id).toBe(S2);
		expect((await schoolDetail(ctx, coordA, S1))?.school.id).toBe(S1);
	});

	it('manageablePoliceServices: a coordinator gets its own service, the admin every service', async () => {
		expect((await manageablePoliceServices(ctx, coordA)).map((s) => s.id)).toEqual([P1]);
		expect((await manageablePoliceServices(ctx, coordB)).map((s) => s.id)).toEqual([P2]);
		expect((await manageablePoliceServices(ctx, admin)).map((s) => s.id).sort()).toEqual([P1, P2].sort());
	});
});
