/**
 * The incident services, steps 6–9 of the kit, on a real database (TEST_DB=sqlite|postgres): the police call
 * and hand-off (in-app notifications, emails through a real SMTP server, overdue job), the hand-off packet,
 * the DPCP decision (police side only), follow-ups and parent notification, assignment, closure (read-only
 * afterwards) and addenda.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../src/lib/server/policy';
import { decisionOverdueKey } from '../../src/lib/server/jobs/decision-overdue';
import { packRegistry } from '../../src/lib/server/protocol/packs';
import {
	addAddendum,
	addStudent,
	assignIncident,
	buildHandoffPacket,
	closeIncident,
	getIncident,
	handoffRecipients,
	logPoliceCall,
	openIncident,
	recordCustodyEvent,
	recordDecision,
	recordFollowup,
	recordParentNotification,
	saveStepAnswers,
	updateStudent
} from '../../src/lib/server/incidents';
import { auditRows, createTestContext, HOUR, lastAuditSeq, MINUTE, TEST_DIALECT, TEST_ORIGIN, type TestContext } from './harness';
import { IMPULSIVE, INTAKE, META, NO_RED_FLAGS, P1, S1, setUpWorld, type Cast } from './fixtures/incidents';

let ctx: TestContext;
let who: Cast;
beforeAll(async () => {
	ctx = await createTestContext();
	who = await setUpWorld(ctx);
});
afterAll(() => ctx?.close());

interface Ready {
	id: string;
	lea: string;
	thomas: string;
}

/** A case run through steps 1–5: impulsive answers, two students, one seized phone. */
async function readyCase(): Promise<Ready> {
	const opened = await openIncident(ctx, who.responder, { schoolId: S1, intake: INTAKE, imagesReported: 1, devicesReported: 1 }, META);
	if (!opened.ok) throw new Error(JSON.stringify(opened));
	const id = opened.id;
	const must = <T extends { ok: boolean }>(r: T): T => {
		if (!r.ok) throw new Error(JSON.stringify(r));
		return r;
	};
	must(await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'red_flags', answers: NO_RED_FLAGS, expectedVersion: 0 }, META));
	for (const [stepId, answers] of Object.entries(IMPULSIVE)) must(await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId, answers, expectedVersion: 0 }, META));
	const lea = must(await addStudent(ctx, who.responder, { incidentId: id, student: { name: 'Léa Bouchard', dateOfBirth: '2010-09-15', grade: 'Secondaire 3', roles: ['depicted', 'produced', 'sent'] } }, META));
	ctx.clock.advance(1000); // rows written at the same instant have no defined order
	const thomas = must(await addStudent(ctx, who.responder, { incidentId: id, student: { name: 'Thomas Côté', age: 12, grade: 'Secondaire 1', roles: ['received'] } }, META));
	must(
		await recordCustodyEvent(
			ctx,
			who.responder,
			{ incidentId: id, event: 'seized', description: 'Téléphone rouge', ownerStudentId: thomas.ok ? thomas.studentId : null, at: '2026-03-02T13:25:00.000Z', byName: 'Isabelle Tremblay', state: 'airplane', envelopeNo: 'ENV-7' },
			META
		)
	);
	return { id, lea: lea.ok ? lea.studentId : '', thomas: thomas.ok ? thomas.studentId : '' };
}

const CALL = { calledAt: '2026-03-02T13:40:00.000Z', officerName: 'Agente Sophie Pouliot', officerBadge: '4471', policeFileNumber: 'SPSJ-2026-001234' };

describe(`police hand-off (${TEST_DIALECT})`, () => {
	it('the first call hands off: status, times, overdue job, notifications and a link-only email to every active liaison of the service', async () => {
		const { id } = await readyCase();
		expect(await getIncident(ctx, who.police, { incidentId: id }, META)).toBeNull();
		ctx.mail.clear();
		const r = await logPoliceCall(ctx, who.responder, { incidentId: id, ...CALL }, META);
		expect(r).toMatchObject({ ok: true, handedOff: true, notified: 2, emailed: 2, emailFailures: 0 });

		const row = await ctx.db.selectFrom('incidents').select(['status', 'handed_off_at', 'police_called_at']).where('id', '=', id).executeTakeFirstOrThrow();
		expect(row).toEqual({ status: 'handed_off', handed_off_at: CALL.calledAt, police_called_at: CALL.calledAt });
		const job = await ctx.db.selectFrom('jobs').select(['kind', 'run_at', 'status']).where('dedupe_key', '=', decisionOverdueKey(id)).executeTakeFirstOrThrow();
		expect(job).toEqual({ kind: 'incident.decision_overdue', run_at: new Date(Date.parse(CALL.calledAt) + 24 * HOUR).toISOString(), status: 'pending' });

		const notes = await ctx.db.selectFrom('notifications').select(['user_id', 'kind']).where('incident_id', '=', id).execute();
		expect(notes.map((n) => [n.user_id, n.kind]).sort()).toEqual([[who.police.userId, 'incident.handed_off'], [who.police2.userId, 'incident.handed_off']].sort());

		expect(ctx.mail.messages.map((m) => m.to[0]).sort()).toEqual(['policier2@sexto.test', 'policier@sexto.test']);
		const fr = ctx.mail.to('policier@sexto.test')[0]!;
		const en = ctx.mail.to('policier2@sexto.test')[0]!;
		expect(fr.subject).toBe('Sexto — un dossier a été remis à votre service');
		expect(en.subject).toBe('Sexto — a case was handed off to your service');
		for (const m of [fr, en]) {
			expect(m.text).toContain(`${TEST_ORIGIN}/incidents/${id}`);
			// no case content: no school, no student, no summary, no file number
			expect(m.raw).not.toMatch(/Hauts-Bois|Léa|Bouchard|Thomas|photo intime|SPSJ-2026|Pouliot/);
		}
		// the liaison of another service and the disabled one got nothing
		expect(ctx.mail.to('policier.lacvert@sexto.test')).toEqual([]);
		expect(ctx.mail.to('policier.inactif@sexto.test')).toEqual([]);

		// the police side now reads the case
		expect((await getIncident(ctx, who.police, { incidentId: id }, META))?.can).toMatchObject({ edit: false, decide: true, policeFollowup: true, viewPacket: true });
	});

	it('later calls are added without a new hand-off; the earliest call time drives the T0 → police clock; a call before T0 is refused', async () => {
		const { id } = await readyCase();
		await logPoliceCall(ctx, who.responder, { incidentId: id, ...CALL }, META);
		ctx.mail.clear();
		const again = await logPoliceCall(ctx, who.principal, { incidentId: id, calledAt: '2026-03-02T13:30:00.000Z', officerName: 'Sergent Lemieux', policeFileNumber: null }, META);
		expect(again).toMatchObject({ ok: true, handedOff: false, notified: 0, emailed: 0 });
		expect(ctx.mail.messages).toEqual([]);
		const view = await getIncident(ctx, who.principal, { incidentId: id }, META);
		expect(view?.policeCalls.map((c) => c.officerName)).toEqual(['Sergent Lemieux', 'Agente Sophie Pouliot']);
		expect(view?.handedOffAt).toBe(CALL.calledAt);
		expect(view?.policeCalledAt).toBe('2026-03-02T13:30:00.000Z');
		expect(view?.clocks.t0ToPoliceCall).toBe(25 * MINUTE);
		expect(await ctx.db.selectFrom('jobs').select('id').where('dedupe_key', '=', decisionOverdueKey(id)).execute()).toHaveLength(1);
		expect(await logPoliceCall(ctx, who.responder, { incidentId: id, calledAt: '2026-03-02T12:00:00.000Z', officerName: 'X' }, META)).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { calledAt: { key: 'kit.error.before_t0' } }
		});
		expect(await logPoliceCall(ctx, who.responder, { incidentId: id, calledAt: CALL.calledAt, officerName: ' ' }, META)).toEqual({ ok: false, reason: 'invalid', errors: { officerName: { key: 'form.error.required' } } });
	});

	it('handoffRecipients lists the active liaisons of a police service (the jobs worker’s seam)', async () => {
		expect((await handoffRecipients(ctx.db, P1)).map((r) => [r.email, r.locale])).toEqual([
			['policier2@sexto.test', 'en'],
			['policier@sexto.test', 'fr']
		]);
	});

	it('the packet holds school, responder, timeline, students with their roles, red flags, answers, devices, the police file number', async () => {
		const { id, lea, thomas } = await readyCase();
		await logPoliceCall(ctx, who.responder, { incidentId: id, ...CALL }, META);
		const seq = await lastAuditSeq(ctx);
		const packet = await buildHandoffPacket(ctx, who.police, { incidentId: id, locale: 'fr' }, META);
		if (!packet) throw new Error('no packet');
		expect(packet.reference).toMatch(/^SX-2026-/);
		expect(packet.pack).toMatchObject({ id: 'sexto-default', version: packRegistry().defaultPack().version, isDefault: true });
		expect(packet.school).toMatchObject({ name: 'École secondaire des Hauts-Bois (fictive)', code: 'DEMO-001' });
		expect(packet.responder).toEqual({ name: 'Isabelle Tremblay', email: 'intervenant@sexto.test', role: 'responder' });
		expect(packet.intake).toMatchObject({ t0: INTAKE.intake_learned_at, summary: INTAKE.intake_summary, imagesReported: 1, devicesReported: 1 });
		expect(packet.intake.reporterKind).not.toBe('other_student');
		expect(packet.students).toEqual([
			{ id: lea, name: 'Léa Bouchard', dateOfBirth: '2010-09-15', age: 15, grade: 'Secondaire 3', roles: ['Personne représentée', 'A produit l’image', 'A envoyé'] },
			{ id: thomas, name: 'Thomas Côté', dateOfBirth: null, age: 12, grade: 'Secondaire 1', roles: ['A reçu'] }
		]);
		// Thomas is 12: the "child under 13" red flag is not in the answers (the grid only reads the pack's questions)
		expect(packet.redFlags).toEqual([]);
		expect(packet.suggestion?.orientation).toBe('likely_impulsive');
		expect(packet.answers.length).toBeGreaterThan(20);
		expect(packet.answers).toContainEqual({
			stepTitle: expect.objectContaining({ fr: expect.any(String) }),
			question: expect.objectContaining({ fr: expect.any(String) }),
			value: { fr: 'Non', en: 'No' }
		});
		expect(packet.devices).toEqual([
			{
				deviceRef: 'D1',
				description: 'Téléphone rouge',
				owner: 'Thomas Côté',
				events: [{ event: 'Saisi', at: '2026-03-02T13:25:00.000Z', byName: 'Isabelle Tremblay', state: 'Mode avion', envelopeNo: 'ENV-7', location: null, toOfficer: null }]
			}
		]);
		expect(packet.policeCalls).toEqual([{ calledAt: CALL.calledAt, officerName: CALL.officerName, officerBadge: '4471', policeFileNumber: 'SPSJ-2026-001234', calledBy: 'Isabelle Tremblay' }]);
		expect(packet.decision).toBeNull();
		expect(packet.timeline.map((e) => e.event)).toEqual(expect.arrayContaining(['L’école apprend la situation (T0)', 'Dossier ouvert dans Sexto', 'Appareil D1 : Saisi', 'Appel à la police (Agente Sophie Pouliot)']));
		expect(packet.timeline.map((e) => e.at)).toEqual([...packet.timeline.map((e) => e.at)].sort());

		const en = await buildHandoffPacket(ctx, who.prosecutor, { incidentId: id, locale: 'en' }, META);
		expect(en?.students[0]?.roles).toEqual(['Depicted', 'Produced the image', 'Sent']);
		expect((await auditRows(ctx, seq)).map((a) => [a.action, a.actor_id, a.target_id, a.details])).toEqual([
			['incident.packet_viewed', who.police.userId, id, { locale: 'fr' }],
			['incident.packet_viewed', who.prosecutor.userId, id, { locale: 'en' }]
		]);
		// the police of another territory gets a 404 (null), audited
		expect(await buildHandoffPacket(ctx, who.policeOther, { incidentId: id, locale: 'fr' }, META)).toBeNull();
		expect((await auditRows(ctx, seq)).at(-1)).toMatchObject({ action: 'incident.packet_viewed', outcome: 'denied', actor_id: who.policeOther.userId, target_id: id });
	});
});

describe(`DPCP decision (${TEST_DIALECT})`, () => {
	it('a responder or the principal entering the decision gets ForbiddenError (audited); the police before hand-off gets not_found', async () => {
		const { id } = await readyCase();
		expect(await recordDecision(ctx, who.police, { incidentId: id, decision: 'impulsive', decidedOn: '2026-03-02' }, META)).toEqual({ ok: false, reason: 'not_found' });
		await logPoliceCall(ctx, who.responder, { incidentId: id, ...CALL }, META);
		const seq = await lastAuditSeq(ctx);
		for (const actor of [who.responder, who.principal]) {
			await expect(recordDecision(ctx, actor, { incidentId: id, decision: 'impulsive', decidedOn: '2026-03-02' }, META)).rejects.toBeInstanceOf(ForbiddenError);
		}
		expect((await auditRows(ctx, seq)).map((a) => [a.action, a.outcome, a.details.reason])).toEqual([
			['incident.decision_recorded', 'denied', 'forbidden'],
			['incident.decision_recorded', 'denied', 'forbidden']
		]);
		expect(await ctx.db.selectFrom('incident_decisions').select('id').where('incident_id', '=', id).execute()).toEqual([]);
	});

	it('the police enters it; a correction is a new row and the case shows the latest; the clock runs from hand-off to the first', async () => {
		const { id } = await readyCase();
		await logPoliceCall(ctx, who.responder, { incidentId: id, ...CALL }, META);
		ctx.clock.advance(2 * HOUR);
		expect(await recordDecision(ctx, who.police, { incidentId: id, decision: 'maybe', decidedOn: '2026-03-09' }, META)).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { decision: { key: 'kit.error.not_an_option' }, decidedOn: { key: 'kit.error.future' } }
		});
		const first = await recordDecision(ctx, who.police, { incidentId: id, decision: 'impulsive', decidedOn: '2026-03-02', conditions: 'Rencontre de sensibilisation avec un parent.' }, META);
		expect(first).toMatchObject({ ok: true, correction: false });
		const firstAt = ctx.now().toISOString();
		ctx.clock.advance(HOUR);
		expect(await recordDecision(ctx, who.prosecutor, { incidentId: id, decision: 'malicious', decidedOn: '2026-03-02' }, META)).toMatchObject({ ok: true, correction: true });
		const row = await ctx.db.selectFrom('incidents').select(['decision', 'decided_at']).where('id', '=', id).executeTakeFirstOrThrow();
		expect(row).toEqual({ decision: 'malicious', decided_at: ctx.now().toISOString() });
		const view = await getIncident(ctx, who.principal, { incidentId: id }, META);
		expect(view?.decisions.map((d) => [d.decision, d.enteredBy.name, d.conditions])).toEqual([
			['impulsive', 'Sophie Pouliot', 'Rencontre de sensibilisation avec un parent.'],
			['malicious', 'Louis Bénard', null]
		]);
		expect(view?.decision?.decision).toBe('malicious');
		expect(view?.clocks.handoffToDecision).toBe(Date.parse(firstAt) - Date.parse(CALL.calledAt));
		const stored = await ctx.db.selectFrom('incident_decisions').select('conditions_enc').where('decision', '=', 'impulsive').where('incident_id', '=', id).executeTakeFirstOrThrow();
		expect(stored.conditions_enc).not.toContain('sensibilisation');
		ctx.clock.set(new Date('2026-03-02T14:00:00.000Z'));
	});

	it('flags a case handed off more than 24 h ago without a decision as overdue', async () => {
		const { id } = await readyCase();
		await logPoliceCall(ctx, who.responder, { incidentId: id, ...CALL }, META);
		ctx.clock.set(new Date(Date.parse(CALL.calledAt) + 24 * HOUR + MINUTE));
		expect((await getIncident(ctx, who.principal, { incidentId: id }, META))?.decisionOverdue).toBe(true);
		await recordDecision(ctx, who.police, { incidentId: id, decision: 'impulsive', decidedOn: '2026-03-03' }, META);
		expect((await getIncident(ctx, who.principal, { incidentId: id }, META))?.decisionOverdue).toBe(false);
		ctx.clock.set(new Date('2026-03-02T14:00:00.000Z'));
	});
});

describe(`follow-up and parent notification (${TEST_DIALECT})`, () => {
	it('school checklist with dates; investigation status is the police side’s; a malicious decision closes the extrajudicial checklist', async () => {
		const { id } = await readyCase();
		expect(await recordFollowup(ctx, who.responder, { incidentId: id, kind: 'meeting_youth_parents', status: 'done', doneOn: null }, META)).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { doneOn: { key: 'form.error.required' } }
		});
		expect(await recordFollowup(ctx, who.responder, { incidentId: id, kind: 'victim_met', status: 'referred' }, META)).toEqual({ ok: false, reason: 'invalid', errors: { status: { key: 'kit.error.not_an_option' } } });
		expect(await recordFollowup(ctx, who.responder, { incidentId: id, kind: 'meeting_youth_parents', status: 'done', doneOn: '2026-03-02', byLabel: 'Direction', note: 'Parents présents.' }, META)).toMatchObject({ ok: true });
		ctx.clock.advance(MINUTE);
		expect(await recordFollowup(ctx, who.principal, { incidentId: id, kind: 'support_take_it_down', status: 'requested' }, META)).toMatchObject({ ok: true });
		expect(await recordFollowup(ctx, who.responder, { incidentId: id, kind: 'support_cavac', status: 'referred', byLabel: 'Léa Bouchard' }, META)).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { byLabel: { key: 'kit.error.student_name_in_clear' } }
		});
		await expect(recordFollowup(ctx, who.responder, { incidentId: id, kind: 'investigation_status', status: 'opened' }, META)).rejects.toBeInstanceOf(ForbiddenError);

		await logPoliceCall(ctx, who.responder, { incidentId: id, ...CALL }, META);
		await expect(recordFollowup(ctx, who.police, { incidentId: id, kind: 'victim_met', status: 'planned' }, META)).rejects.toBeInstanceOf(ForbiddenError);
		ctx.clock.advance(MINUTE);
		expect(await recordFollowup(ctx, who.police, { incidentId: id, kind: 'investigation_status', status: 'opened' }, META)).toMatchObject({ ok: true });
		await recordDecision(ctx, who.police, { incidentId: id, decision: 'malicious', decidedOn: '2026-03-02' }, META);
		expect(await recordFollowup(ctx, who.responder, { incidentId: id, kind: 'commitment_signed', status: 'planned' }, META)).toEqual({ ok: false, reason: 'invalid', errors: { kind: { key: 'kit.error.not_on_path' } } });
		ctx.clock.advance(MINUTE);
		expect(await recordFollowup(ctx, who.responder, { incidentId: id, kind: 'support_cybertip', status: 'completed', doneOn: '2026-03-02' }, META)).toMatchObject({ ok: true });

		const view = await getIncident(ctx, who.principal, { incidentId: id }, META);
		expect(view?.followups.map((f) => [f.kind, f.status, f.doneOn, f.byLabel, f.note])).toEqual([
			['meeting_youth_parents', 'done', '2026-03-02', 'Direction', 'Parents présents.'],
			['support_take_it_down', 'requested', null, null, null],
			['investigation_status', 'opened', null, null, null],
			['support_cybertip', 'completed', '2026-03-02', null, null]
		]);
		ctx.clock.set(new Date('2026-03-02T14:00:00.000Z'));
	});

	it('the principal logs the parent notification: who and when, or why not; a student of 14 or more must have been consulted', async () => {
		const { id, lea, thomas } = await readyCase();
		await expect(recordParentNotification(ctx, who.responder, { incidentId: id, studentId: lea, outcome: 'notified', party: 'Mère', at: '2026-03-02T13:50' }, META)).rejects.toBeInstanceOf(ForbiddenError);
		expect(await recordParentNotification(ctx, who.principal, { incidentId: id, studentId: lea, outcome: 'notified', party: '', at: null }, META)).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { party: { key: 'form.error.required' }, at: { key: 'form.error.required' }, studentConsulted: { key: 'kit.error.consultation_required' } }
		});
		expect(await recordParentNotification(ctx, who.principal, { incidentId: id, studentId: lea, outcome: 'notified', party: 'Mère (Julie Bouchard)', at: '2026-03-02T08:50', studentConsulted: 'yes' }, META)).toMatchObject({ ok: true });
		// Thomas is 12: no consultation recorded even if sent
		ctx.clock.advance(MINUTE);
		expect(await recordParentNotification(ctx, who.principal, { incidentId: id, studentId: thomas, outcome: 'not_notified', reasonNotNotified: 'Aviser le père mettrait l’élève en danger.', studentConsulted: true }, META)).toMatchObject({ ok: true });
		expect(await recordParentNotification(ctx, who.principal, { incidentId: id, studentId: thomas, outcome: 'not_notified' }, META)).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { reasonNotNotified: { key: 'form.error.required' } }
		});
		const rows = await ctx.db.selectFrom('parent_notifications').selectAll().where('incident_id', '=', id).orderBy('recorded_at').execute();
		expect(rows.map((r) => [r.student_id, r.outcome, r.at, r.student_consulted, r.by_user])).toEqual([
			[lea, 'notified', '2026-03-02T13:50:00.000Z', 1, who.principal.userId],
			[thomas, 'not_notified', null, null, who.principal.userId]
		]);
		for (const r of rows) expect(`${r.party_enc} ${r.reason_not_enc}`).not.toMatch(/Julie|danger/);
		const view = await getIncident(ctx, who.responder, { incidentId: id }, META);
		expect(view?.parentNotifications.map((p) => [p.outcome, p.party, p.reasonNotNotified, p.studentConsulted, p.by.name])).toEqual([
			['notified', 'Mère (Julie Bouchard)', null, true, 'Marc Gagnon'],
			['not_notified', null, 'Aviser le père mettrait l’élève en danger.', null, 'Marc Gagnon']
		]);
		ctx.clock.set(new Date('2026-03-02T14:00:00.000Z'));
	});
});

describe(`assignment (${TEST_DIALECT})`, () => {
	it('the principal assigns a responder of the school, who then reads and edits the case and is notified', async () => {
		const { id } = await readyCase();
		expect(await getIncident(ctx, who.responder2, { incidentId: id }, META)).toBeNull();
		await expect(assignIncident(ctx, who.responder, { incidentId: id, assigneeId: who.responder2.userId }, META)).rejects.toBeInstanceOf(ForbiddenError);
		expect(await assignIncident(ctx, who.principal, { incidentId: id, assigneeId: who.police.userId }, META)).toEqual({ ok: false, reason: 'invalid', errors: { assigneeId: { key: 'kit.error.not_a_responder' } } });
		expect(await assignIncident(ctx, who.principal, { incidentId: id, assigneeId: who.principalB.userId }, META)).toMatchObject({ ok: false, reason: 'invalid' });
		expect(await assignIncident(ctx, who.principal, { incidentId: id, assigneeId: who.responder2.userId }, META)).toEqual({ ok: true, assigneeId: who.responder2.userId });
		const view = await getIncident(ctx, who.responder2, { incidentId: id }, META);
		expect(view?.assignedTo).toEqual({ id: who.responder2.userId, name: 'Rémi Gauthier' });
		expect(view?.can.edit).toBe(true);
		expect(await ctx.db.selectFrom('notifications').select('kind').where('incident_id', '=', id).where('user_id', '=', who.responder2.userId).execute()).toEqual([{ kind: 'incident.assigned' }]);
		expect(await assignIncident(ctx, who.principal, { incidentId: id, assigneeId: null }, META)).toEqual({ ok: true, assigneeId: null });
		expect(await getIncident(ctx, who.responder2, { incidentId: id }, META)).toBeNull();
	});
});

describe(`closure and addenda (${TEST_DIALECT})`, () => {
	it('only the principal closes, with a reason code; afterwards every write answers `closed` and nothing changes', async () => {
		const { id, lea } = await readyCase();
		await logPoliceCall(ctx, who.responder, { incidentId: id, ...CALL }, META);
		await expect(closeIncident(ctx, who.responder, { incidentId: id, reason: 'unfounded' }, META)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(closeIncident(ctx, who.police, { incidentId: id, reason: 'unfounded' }, META)).rejects.toBeInstanceOf(ForbiddenError);
		expect(await closeIncident(ctx, who.principal, { incidentId: id, reason: 'Parce que' }, META)).toEqual({ ok: false, reason: 'invalid', errors: { reason: { key: 'kit.error.not_an_option' } } });
		ctx.clock.advance(3 * HOUR);
		expect(await closeIncident(ctx, who.principal, { incidentId: id, reason: 'extrajudicial_completed' }, META)).toEqual({ ok: true, closedAt: ctx.now().toISOString() });

		const snapshot = async () => ({
			incident: await ctx.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
			answers: await ctx.db.selectFrom('incident_answers').selectAll().where('incident_id', '=', id).orderBy('step_id').execute(),
			students: await ctx.db.selectFrom('incident_students').selectAll().where('incident_id', '=', id).orderBy('id').execute(),
			custody: await ctx.db.selectFrom('device_custody').selectAll().where('incident_id', '=', id).orderBy('id').execute(),
			calls: await ctx.db.selectFrom('incident_police_calls').selectAll().where('incident_id', '=', id).orderBy('id').execute(),
			decisions: await ctx.db.selectFrom('incident_decisions').selectAll().where('incident_id', '=', id).execute(),
			followups: await ctx.db.selectFrom('incident_followups').selectAll().where('incident_id', '=', id).execute(),
			parents: await ctx.db.selectFrom('parent_notifications').selectAll().where('incident_id', '=', id).execute()
		});
		const before = await snapshot();
		const seq = await lastAuditSeq(ctx);
		const writes: [string, () => Promise<unknown>][] = [
			['saveStepAnswers', () => saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'red_flags', answers: NO_RED_FLAGS, expectedVersion: 1 }, META)],
			['addStudent', () => addStudent(ctx, who.responder, { incidentId: id, student: { name: 'Nouvel Élève', roles: ['witness'] } }, META)],
			['updateStudent', () => updateStudent(ctx, who.principal, { incidentId: id, studentId: lea, student: { name: 'Léa Bouchard', roles: ['witness'] }, expectedVersion: 1 }, META)],
			['recordCustodyEvent', () => recordCustodyEvent(ctx, who.responder, { incidentId: id, deviceRef: 'D1', event: 'stored', at: '2026-03-02T14:30:00.000Z', byName: 'X', state: 'off', location: 'Coffre' }, META)],
			['logPoliceCall', () => logPoliceCall(ctx, who.responder, { incidentId: id, ...CALL }, META)],
			['recordDecision', () => recordDecision(ctx, who.police, { incidentId: id, decision: 'impulsive', decidedOn: '2026-03-02' }, META)],
			['recordFollowup (school)', () => recordFollowup(ctx, who.responder, { incidentId: id, kind: 'victim_met', status: 'planned' }, META)],
			['recordFollowup (police)', () => recordFollowup(ctx, who.police, { incidentId: id, kind: 'investigation_status', status: 'opened' }, META)],
			['recordParentNotification', () => recordParentNotification(ctx, who.principal, { incidentId: id, studentId: lea, outcome: 'not_notified', reasonNotNotified: 'x', studentConsulted: false }, META)],
			['assignIncident', () => assignIncident(ctx, who.principal, { incidentId: id, assigneeId: who.responder2.userId }, META)],
			['closeIncident', () => closeIncident(ctx, who.principal, { incidentId: id, reason: 'other' }, META)]
		];
		for (const [what, write] of writes) expect({ what, result: await write() }).toEqual({ what, result: { ok: false, reason: 'closed' } });
		expect(await snapshot()).toEqual(before);
		const audit = await auditRows(ctx, seq);
		expect(audit).toHaveLength(writes.length);
		expect(audit.every((a) => a.outcome === 'denied' && a.details.reason === 'closed' && a.target_id === id)).toBe(true);

		const view = await getIncident(ctx, who.principal, { incidentId: id }, META);
		expect(view?.status).toBe('closed');
		expect(view?.closureReason).toBe('extrajudicial_completed');
		expect(view?.can).toEqual({ edit: false, assign: false, notifyParents: false, close: false, decide: false, policeFollowup: false, addendum: true, viewPacket: true });
		expect(view?.clocks.t0ToClosure).toBe(Date.parse(ctx.now().toISOString()) - Date.parse(INTAKE.intake_learned_at));
		ctx.clock.set(new Date('2026-03-02T14:00:00.000Z'));
	});

	it('addenda: after closure only, by the school or police side of the case, encrypted and append-only', async () => {
		const { id } = await readyCase();
		expect(await addAddendum(ctx, who.responder, { incidentId: id, text: 'Correction.' }, META)).toEqual({ ok: false, reason: 'invalid', errors: { text: { key: 'kit.error.addendum_before_closure' } } });
		await logPoliceCall(ctx, who.responder, { incidentId: id, ...CALL }, META);
		await closeIncident(ctx, who.principal, { incidentId: id, reason: 'police_investigation' }, META);
		const a = await addAddendum(ctx, who.responder, { incidentId: id, text: 'Le numéro d’enveloppe est ENV-8, pas ENV-7.' }, META);
		const b = await addAddendum(ctx, who.police, { incidentId: id, text: 'Dossier transmis au DPCP le 3 mars.' }, META);
		expect([a, b]).toMatchObject([{ ok: true }, { ok: true }]);
		expect(await addAddendum(ctx, who.principal, { incidentId: id, text: '   ' }, META)).toEqual({ ok: false, reason: 'invalid', errors: { text: { key: 'form.error.required' } } });
		expect(await addAddendum(ctx, who.principalB, { incidentId: id, text: 'intrus' }, META)).toEqual({ ok: false, reason: 'not_found' });
		await expect(addAddendum(ctx, who.coordinator, { incidentId: id, text: 'intrus' }, META)).resolves.toEqual({ ok: false, reason: 'not_found' });

		const rows = await ctx.db.selectFrom('incident_addenda').selectAll().where('incident_id', '=', id).orderBy('at').orderBy('id').execute();
		expect(rows.map((r) => r.author_id).sort()).toEqual([who.responder.userId, who.police.userId].sort());
		for (const r of rows) expect(r.text_enc).not.toMatch(/ENV|DPCP/);
		await expect(ctx.db.updateTable('incident_addenda').set({ text_enc: 'x' }).where('incident_id', '=', id).execute()).rejects.toThrow(/append-only/);
		await expect(sql`delete from incident_addenda where incident_id = ${id}`.execute(ctx.db)).rejects.toThrow(/append-only/);
		const view = await getIncident(ctx, who.police, { incidentId: id }, META);
		expect(view?.addenda.map((x) => [x.author.name, x.text]).sort()).toEqual(
			[
				['Isabelle Tremblay', 'Le numéro d’enveloppe est ENV-8, pas ENV-7.'],
				['Sophie Pouliot', 'Dossier transmis au DPCP le 3 mars.']
			].sort()
		);
	});
});
