/**
 * Demo cases for `npm start` (PRODUCT.md §8: "a few incidents in each state"), written through the real
 * incident services so they are encrypted, audited and consistent like any case. Fictional people only.
 * Idempotent: does nothing when the demo school already has cases.
 */
import type { AppContext } from '../../context';
import type { Actor } from '../../policy';
import { loadActor } from '../../accounts/actor';
import {
	addStudent,
	closeIncident,
	logPoliceCall,
	openIncident,
	recordCustodyEvent,
	recordDecision,
	recordFollowup,
	recordParentNotification,
	saveStepAnswers
} from '../../incidents';
import { DEMO_IDS } from './demo';
import { quebecDay } from '../../../domain/coverage/coverage';

const META = { ip: null };
const NO_RED_FLAGS = { rf_immediate_danger: 'no', rf_self_harm: 'no', rf_adult: 'no', rf_coercion: 'no', rf_under_13: 'no', rf_violent: 'no', rf_covert: 'no', rf_capacity: 'no', rf_sexual_abuse: 'no' };
const IMPULSIVE = {
	sharing: { shared_beyond: 'no', share_method: ['private_message'], platform: ['snapchat'] },
	context: { origin: 'self', context: 'relationship', relationship: 'couple', age_depicted: '15', age_gap: 'similar', consent_initial: 'yes' },
	intent: { threats: 'no', prior_incidents: 'no' }
};

/** Seeding stops loudly if a service refuses: the demo must show real, valid cases. */
function must(what: string, result: { ok: boolean; reason?: string }): void {
	if (!result.ok) throw new Error(`demo seed: ${what} refused (${result.reason ?? 'unknown'} ${JSON.stringify((result as { errors?: unknown }).errors ?? {})})`);
}

export async function seedDemoIncidents(base: AppContext): Promise<number> {
	const existing = await base.db.selectFrom('incidents').select('id').where('school_id', '=', DEMO_IDS.schoolCovered).limit(1).executeTakeFirst();
	if (existing) return 0;
	// A moving clock: each case happened some days ago, each step a few minutes after the previous one.
	let clock = Date.now() - 12 * 86_400_000;
	const ctx: AppContext = { ...base, mailer: { send: async () => {} }, now: () => new Date(clock) };
	const tick = (minutes: number) => (clock += minutes * 60_000);
	const actor = async (email: string): Promise<Actor> => {
		const u = await base.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
		return loadActor(base.db, u.id);
	};
	const responder = await actor('intervenant@sexto.test');
	const principal = await actor('direction@sexto.test');
	const police = await actor('policier@sexto.test');

	const open = async (who: Actor, summary: string, minutesAgo = 20) => {
		const r = await openIncident(ctx, who, {
			schoolId: DEMO_IDS.schoolCovered,
			intake: {
				intake_learned_at: new Date(clock - minutesAgo * 60_000).toISOString(),
				intake_reported_by: 'other_student',
				intake_channel: 'in_person',
				intake_content_category: 'nude',
				intake_summary: summary
			},
			imagesReported: 1,
			devicesReported: 1
		}, META);
		if (!r.ok) throw new Error(`demo seed: openIncident refused (${r.reason})`);
		tick(3);
		return r.id;
	};
	const step = async (who: Actor, incidentId: string, stepId: string, answers: Record<string, unknown>, expectedVersion = 0) => {
		const r = await saveStepAnswers(ctx, who, { incidentId, stepId, answers, expectedVersion }, META);
		if (!r.ok) throw new Error(`demo seed: step ${stepId} refused (${r.reason})`);
		tick(4);
	};
	const impulsiveCase = async (summary: string) => {
		const id = await open(responder, summary);
		await step(responder, id, 'red_flags', NO_RED_FLAGS);
		const a = await addStudent(ctx, responder, { incidentId: id, student: { name: 'Léa Demo-Bouchard', age: 15, grade: 'Secondaire 3', roles: ['depicted', 'produced', 'sent'] } }, META);
		const b = await addStudent(ctx, responder, { incidentId: id, student: { name: 'Samuel Demo-Côté', age: 15, grade: 'Secondaire 3', roles: ['received'] } }, META);
		if (!a.ok || !b.ok) throw new Error('demo seed: addStudent refused');
		tick(5);
		must('recordCustodyEvent', await recordCustodyEvent(ctx, responder, { incidentId: id, event: 'seized', description: 'Téléphone intelligent, coque bleue', ownerStudentId: b.studentId, at: new Date(clock - 60_000).toISOString(), byName: 'Isabelle Tremblay', state: 'airplane', envelopeNo: 'ENV-0142', location: 'Coffre du bureau de la direction' }, META));
		tick(3);
		for (const [stepId, answers] of Object.entries(IMPULSIVE)) await step(responder, id, stepId, answers);
		await step(responder, id, 'devices', { devices_secured: 'yes' });
		return { id, students: [a.studentId, b.studentId] };
	};

	// 1. Open, in progress: red flags answered, students being added.
	const inProgress = await open(responder, 'Un élève rapporte qu’une photo intime d’une camarade circulerait; vérification en cours.');
	await step(responder, inProgress, 'red_flags', NO_RED_FLAGS);

	// 2. Red flag: an adult is involved — the kit switched to "call now".
	clock += 86_400_000;
	const redFlag = await open(responder, 'Une élève dit recevoir des messages d’un adulte qui lui demande des photos.');
	await step(responder, redFlag, 'red_flags', { ...NO_RED_FLAGS, rf_adult: 'yes' });

	// 3. Handed off to the police, waiting for the DPCP's decision.
	clock += 86_400_000;
	const waiting = await impulsiveCase('Échange d’une photo entre deux élèves de 15 ans en couple; la photo n’aurait pas été partagée.');
	must('logPoliceCall', await logPoliceCall(ctx, responder, { incidentId: waiting.id, calledAt: new Date(clock - 60_000).toISOString(), officerName: 'Agente Sophie Pouliot', officerBadge: '4411', policeFileNumber: 'SJ-2026-001234' }, META));

	// 4. Decided "impulsive" by the DPCP; follow-up under way.
	clock += 2 * 86_400_000;
	const decided = await impulsiveCase('Deux élèves en couple ont échangé des photos; signalé par une amie.');
	must('logPoliceCall', await logPoliceCall(ctx, responder, { incidentId: decided.id, calledAt: new Date(clock - 60_000).toISOString(), officerName: 'Agente Sophie Pouliot', officerBadge: '4411', policeFileNumber: 'SJ-2026-001250' }, META));
	tick(60 * 20);
	const day = (ms: number) => quebecDay(new Date(ms));
	must('recordDecision', await recordDecision(ctx, police, { incidentId: decided.id, decision: 'impulsive', decidedOn: day(clock), conditions: 'Rencontre de sensibilisation avec les parents; suppression des images confirmée.' }, META));
	tick(60);
	must('recordFollowup', await recordFollowup(ctx, principal, { incidentId: decided.id, kind: 'meeting_youth_parents', status: 'planned', byLabel: 'Direction' }, META));
	must('recordFollowup', await recordFollowup(ctx, principal, { incidentId: decided.id, kind: 'support_cavac', status: 'referred', doneOn: day(clock), byLabel: 'Technicienne en éducation spécialisée' }, META));
	must('recordParentNotification', await recordParentNotification(ctx, principal, { incidentId: decided.id, studentId: decided.students[0]!, outcome: 'notified', party: 'Mère', at: new Date(clock).toISOString(), studentConsulted: true }, META));

	// 5. Closed after the extrajudicial measures.
	clock += 2 * 86_400_000;
	const closed = await impulsiveCase('Photo envoyée entre partenaires; mesures extrajudiciaires complétées.');
	must('logPoliceCall', await logPoliceCall(ctx, responder, { incidentId: closed.id, calledAt: new Date(clock - 60_000).toISOString(), officerName: 'Agent Marc Lalonde', officerBadge: '3920', policeFileNumber: 'SJ-2026-001301' }, META));
	tick(60 * 24);
	must('recordDecision', await recordDecision(ctx, police, { incidentId: closed.id, decision: 'impulsive', decidedOn: day(clock), conditions: null }, META));
	tick(60 * 24);
	for (const kind of ['meeting_youth_parents', 'victim_met', 'deletion_confirmed', 'commitment_signed'] as const) {
		must('recordFollowup', await recordFollowup(ctx, principal, { incidentId: closed.id, kind, status: 'done', doneOn: day(clock), byLabel: 'Direction' }, META));
	}
	tick(60);
	must('closeIncident', await closeIncident(ctx, principal, { incidentId: closed.id, reason: 'extrajudicial_completed' }, META));
	return 5;
}
