/**
 * Kit packs per police service (ADR 015) and case assignment, on both dialects: a territory coordinator chooses
 * the pack version of their police service's schools (audited, with history); new cases use it, open cases keep
 * theirs; tenancy through the policy. A principal assigns a case to a responder of the same school only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../src/lib/server/policy';
import { packRegistry } from '../../src/lib/server/protocol/packs';
import { activatePack, assignIncident, assignmentOptions, getIncident, managedPoliceServices, openIncident, packSettings, saveStepAnswers } from '../../src/lib/server/incidents';
import { DEMO_IDS } from '../../src/lib/server/db/seed/demo';
import { auditRows, createTestContext, lastAuditSeq, MINUTE, TEST_DIALECT, type TestContext } from './harness';
import { INTAKE, META, P1, S1, S1B, setUpWorld, type Cast } from './fixtures/incidents';

const P2 = DEMO_IDS.policeOther;
const LATEST = packRegistry().defaultPack().version;

let ctx: TestContext;
let who: Cast;
beforeAll(async () => {
	ctx = await createTestContext();
	who = await setUpWorld(ctx);
});
afterAll(() => ctx?.close());

async function open(schoolId: string = S1, actor = who.responder): Promise<string> {
	const r = await openIncident(ctx, actor, { schoolId, intake: INTAKE }, META);
	if (!r.ok) throw new Error(`openIncident: ${JSON.stringify(r)}`);
	return r.id;
}
const packVersionOf = async (id: string) => (await ctx.db.selectFrom('incidents').select('pack_version').where('id', '=', id).executeTakeFirstOrThrow()).pack_version;

describe(`pack activation per police service (${TEST_DIALECT})`, () => {
	it('ships two versions of the default pack, both labelled as the default to replace', () => {
		const versions = packRegistry()
			.list()
			.filter((p) => p.id === 'sexto-default')
			.map((p) => p.version);
		expect(versions).toEqual(['1.1.0', '1.0.0']);
		for (const v of versions) expect(packRegistry().get('sexto-default', v)?.notice?.en).toBe("Default pack — replace with your territory's official kit");
	});

	it('without a choice, a police service inherits the newest default pack; the coordinator sees only their own service', async () => {
		const settings = await packSettings(ctx, who.coordinator, { policeServiceId: P1 });
		expect(settings).toMatchObject({ inherited: true, activationNumber: 0, active: { id: 'sexto-default', version: LATEST, isDefault: true }, history: [] });
		expect(settings!.choices.map((c) => `${c.id}@${c.version}:${c.active}`)).toEqual(['sexto-default@1.1.0:true', 'sexto-default@1.0.0:false']);
		expect((await managedPoliceServices(ctx, who.coordinator)).map((s) => s.id)).toEqual([P1]);
		expect(await managedPoliceServices(ctx, who.principal)).toEqual([]);
		await expect(packSettings(ctx, who.coordinator, { policeServiceId: P2 })).rejects.toBeInstanceOf(ForbiddenError);
		for (const other of [who.principal, who.police, who.responder, who.privacy]) {
			await expect(packSettings(ctx, other, { policeServiceId: P1 })).rejects.toBeInstanceOf(ForbiddenError);
		}
		expect(await packSettings(ctx, who.coordinator, { policeServiceId: 'not-a-service' })).toBeNull();
	});

	it('activating 1.0.0: new cases of every school of the service use it, a case already open keeps its version and keeps working', async () => {
		const before = await open();
		expect(await packVersionOf(before)).toBe(LATEST);
		const seq = await lastAuditSeq(ctx);
		ctx.clock.advance(MINUTE);
		const r = await activatePack(ctx, who.coordinator, { policeServiceId: P1, packId: 'sexto-default', packVersion: '1.0.0', expectedActivation: 0 }, META);
		expect(r).toMatchObject({ ok: true, activation: { number: 1, packId: 'sexto-default', packVersion: '1.0.0' } });

		const audit = await auditRows(ctx, seq);
		expect(audit.map((a) => [a.action, a.outcome, a.target_type, a.target_id, a.details])).toEqual([
			['protocol_pack.activated', 'success', 'police_service', P1, { packId: 'sexto-default', packVersion: '1.0.0', previousPackId: 'sexto-default', previousPackVersion: LATEST, activation: 1 }]
		]);

		const afterS1 = await open(S1);
		const afterS1B = await open(S1B, who.principalB);
		expect([await packVersionOf(afterS1), await packVersionOf(afterS1B), await packVersionOf(before)]).toEqual(['1.0.0', '1.0.0', LATEST]);
		// the older case still saves and reads with its own version
		expect(await saveStepAnswers(ctx, who.responder, { incidentId: before, stepId: 'intent', answers: { threats: 'no', prior_incidents: 'no' }, expectedVersion: 0 }, META)).toMatchObject({ ok: true });
		expect((await getIncident(ctx, who.responder, { incidentId: before }, META))?.pack.version).toBe(LATEST);
		expect((await getIncident(ctx, who.responder, { incidentId: afterS1 }, META))?.pack.version).toBe('1.0.0');
		// another police service is untouched
		expect((await packSettings(ctx, who.admin, { policeServiceId: P2 }))?.active.version).toBe(LATEST);
	});

	it('keeps a history; a stale screen gets a conflict, the same version twice or an unknown one is refused — all audited, nothing written', async () => {
		ctx.clock.advance(MINUTE);
		expect(await activatePack(ctx, who.coordinator, { policeServiceId: P1, packId: 'sexto-default', packVersion: '1.1.0', expectedActivation: 1 }, META)).toMatchObject({ ok: true, activation: { number: 2 } });
		const seq = await lastAuditSeq(ctx);
		expect(await activatePack(ctx, who.coordinator, { policeServiceId: P1, packId: 'sexto-default', packVersion: '1.0.0', expectedActivation: 1 }, META)).toMatchObject({
			ok: false,
			reason: 'conflict',
			current: { number: 2, packVersion: '1.1.0' }
		});
		expect(await activatePack(ctx, who.coordinator, { policeServiceId: P1, packId: 'sexto-default', packVersion: '1.1.0', expectedActivation: 2 }, META)).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { pack: { key: 'kit.packs.error.already_active' } }
		});
		for (const [packId, packVersion] of [
			['sexto-default', '9.9.9'],
			['made-up', '1.0.0'],
			['sexto-default', "1.0.0' or '1'='1"]
		] as const) {
			expect(await activatePack(ctx, who.coordinator, { policeServiceId: P1, packId, packVersion, expectedActivation: 2 }, META)).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { pack: { key: 'kit.packs.error.not_usable' } }
			});
		}
		expect((await auditRows(ctx, seq)).map((a) => [a.action, a.outcome, a.details.reason])).toEqual([
			['protocol_pack.activated', 'denied', 'conflict'],
			['protocol_pack.activated', 'denied', 'already_active'],
			['protocol_pack.activated', 'denied', 'not_usable'],
			['protocol_pack.activated', 'denied', 'not_usable'],
			['protocol_pack.activated', 'denied', 'not_usable']
		]);
		const settings = await packSettings(ctx, who.coordinator, { policeServiceId: P1 });
		expect(settings?.history.map((h) => [h.number, h.packVersion, h.activatedBy])).toEqual([
			[2, '1.1.0', 'Julie Forgues'],
			[1, '1.0.0', 'Julie Forgues']
		]);
		expect(settings).toMatchObject({ inherited: false, activationNumber: 2, active: { version: '1.1.0' } });
	});

	it('a coordinator of another police service, a principal or the police cannot activate (ForbiddenError, audited)', async () => {
		const seq = await lastAuditSeq(ctx);
		for (const actor of [who.principal, who.police, who.responder]) {
			await expect(activatePack(ctx, actor, { policeServiceId: P1, packId: 'sexto-default', packVersion: '1.0.0', expectedActivation: 2 }, META)).rejects.toBeInstanceOf(ForbiddenError);
		}
		await expect(activatePack(ctx, who.coordinator, { policeServiceId: P2, packId: 'sexto-default', packVersion: '1.0.0', expectedActivation: 0 }, META)).rejects.toBeInstanceOf(ForbiddenError);
		expect(await activatePack(ctx, who.coordinator, { policeServiceId: 'nope', packId: 'sexto-default', packVersion: '1.0.0', expectedActivation: 0 }, META)).toEqual({ ok: false, reason: 'not_found' });
		expect((await auditRows(ctx, seq)).map((a) => [a.action, a.outcome, a.details.reason])).toEqual(Array(4).fill(['protocol_pack.activated', 'denied', 'forbidden']));
		expect(await ctx.db.selectFrom('pack_activations').select('version').where('police_service_id', '=', P2).execute()).toEqual([]);
	});
});

describe(`case assignment (${TEST_DIALECT})`, () => {
	it('the principal sees the responders of the case’s school only and assigns; the assignee is notified and may then edit', async () => {
		const id = await open(S1, who.principal);
		const options = await assignmentOptions(ctx, who.principal, { incidentId: id });
		expect(options?.responders.map((r) => r.name)).toEqual(['Isabelle Tremblay', 'Rémi Gauthier']);
		expect(options?.assignedTo).toBeNull();
		// before: the second responder may not even read the case
		expect(await getIncident(ctx, who.responder2, { incidentId: id }, META)).toBeNull();
		const seq = await lastAuditSeq(ctx);
		expect(await assignIncident(ctx, who.principal, { incidentId: id, assigneeId: who.responder2.userId }, META)).toEqual({ ok: true, assigneeId: who.responder2.userId });
		expect((await auditRows(ctx, seq)).map((a) => [a.action, a.outcome, a.details])).toEqual([['incident.assigned', 'success', { assigneeId: who.responder2.userId, previousAssigneeId: null }]]);
		const note = await ctx.db.selectFrom('notifications').select(['kind', 'incident_id']).where('user_id', '=', who.responder2.userId).where('incident_id', '=', id).execute();
		expect(note).toEqual([{ kind: 'incident.assigned', incident_id: id }]);
		const view = await getIncident(ctx, who.responder2, { incidentId: id }, META);
		expect(view?.assignedTo?.name).toBe('Rémi Gauthier');
		expect(view?.can.edit).toBe(true);
		// reassign back to nobody: the responder loses access again
		expect(await assignIncident(ctx, who.principal, { incidentId: id, assigneeId: null }, META)).toEqual({ ok: true, assigneeId: null });
		expect(await getIncident(ctx, who.responder2, { incidentId: id }, META)).toBeNull();
	});

	it('refuses a person who is not a responder of that school, and anyone but the principal of the school', async () => {
		const id = await open(S1);
		for (const assignee of [who.principal, who.police, who.principalB, who.learner]) {
			expect(await assignIncident(ctx, who.principal, { incidentId: id, assigneeId: assignee.userId }, META)).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { assigneeId: { key: 'kit.error.not_a_responder' } }
			});
		}
		expect(await assignIncident(ctx, who.principal, { incidentId: id, assigneeId: 'not-an-id' }, META)).toMatchObject({ ok: false, reason: 'invalid' });
		// the responder who opened it may read it, but not assign it
		await expect(assignIncident(ctx, who.responder, { incidentId: id, assigneeId: who.responder2.userId }, META)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(assignmentOptions(ctx, who.responder, { incidentId: id })).rejects.toBeInstanceOf(ForbiddenError);
		// the principal of another school of the same police service does not even learn the case exists
		expect(await assignIncident(ctx, who.principalB, { incidentId: id, assigneeId: who.responder2.userId }, META)).toEqual({ ok: false, reason: 'not_found' });
		expect(await assignmentOptions(ctx, who.principalB, { incidentId: id })).toBeNull();
		expect((await ctx.db.selectFrom('incidents').select('assigned_to').where('id', '=', id).executeTakeFirstOrThrow()).assigned_to).toBeNull();
	});
});
