/**
 * Step 8: follow-up and parent notification (dates and who — never documents).
 *
 *   recordFollowup(ctx, actor, { incidentId, kind, status, doneOn?, byLabel?, note? }, meta)
 *     → { ok: true, id } | invalid | closed | not_found
 *   recordParentNotification(ctx, actor, { incidentId, studentId, outcome, party?, at?, reasonNotNotified?, studentConsulted? }, meta)
 *     → { ok: true, id } | invalid | closed | not_found
 *
 * recordFollowup: `kind` from FOLLOWUP_KINDS, `status` from the kind's list (domain/incidents/vocabulary.ts);
 * a done/completed item needs the day it happened (not in the future, not before T0's day); `byLabel` says
 * who did it; `note` is encrypted. `investigation_status` is the police side's (policy
 * `incident:police_followup`); every other kind is the school's (`incident:edit`). Once the DPCP decided
 * "malicious", the impulsive-path checklist (meeting, victim met, deletion, commitment) is refused
 * (`kit.error.not_on_path`): the police investigate, the school does not interview. Each entry is a new row
 * (the latest per kind is the current status).
 *
 * recordParentNotification (principal, policy `incident:notify_parents`), per student of the case:
 * `notified` with who was told (`party`, encrypted) and when (`at`), or `not_notified` with the documented
 * reason (`reasonNotNotified`, encrypted). A student of 14 or more (age from the date of birth today, else
 * the age recorded) must have been consulted: `studentConsulted` yes/no is then required; under 14 it is
 * not recorded. `by_user` is the principal entering it.
 */
import type { RequestMeta } from '../context';
import { FOLLOWUP_KINDS, type FollowupKind } from '../db/schema';
import type { Actor } from '../policy';
import { newId } from '../crypto/tokens';
import { quebecDay } from '../../domain/coverage/coverage';
import { ageOn } from '../../domain/incidents/case';
import { CONSULTATION_AGE, FOLLOWUP_DONE_STATUSES, FOLLOWUP_STATUSES, isChecklistKind, PARENT_OUTCOMES } from '../../domain/incidents/vocabulary';
import { finishCaseWrite, writeCase } from './access';
import { mentionsAny, studentNames } from './custody';
import type { CaseWriteRefusal, KitContext } from './types';
import { Check, looksLikeId } from './validate';

/** Compile-time check that the vocabulary covers every kind of the schema. */
const STATUSES_BY_KIND: Record<FollowupKind, readonly string[]> = FOLLOWUP_STATUSES;

export interface FollowupInput {
	incidentId: string;
	kind: FollowupKind | string;
	status: string;
	/** "YYYY-MM-DD": required when the status says it happened (done, completed) */
	doneOn?: string | null;
	/** who did it ("Direction", "Agent sociocommunautaire"…), not a student's name */
	byLabel?: string | null;
	note?: string | null;
}

export type FollowupResult = { ok: true; id: string } | CaseWriteRefusal;

export async function recordFollowup(ctx: KitContext, actor: Actor, input: FollowupInput, meta: RequestMeta): Promise<FollowupResult> {
	const policeSide = input.kind === 'investigation_status';
	return writeCase(ctx, actor, input.incidentId, meta, { action: policeSide ? 'incident:police_followup' : 'incident:edit', audit: 'incident.followup_recorded' }, async (trx, { row }) => {
		const now = ctx.now();
		const check = new Check(now);
		const kind = check.oneOf('kind', input.kind, FOLLOWUP_KINDS, { required: true });
		const status = kind ? check.oneOf('status', input.status, STATUSES_BY_KIND[kind], { required: true }) : null;
		const doneOn = check.day('doneOn', input.doneOn, { required: status !== null && FOLLOWUP_DONE_STATUSES.includes(status), notBeforeDay: quebecDay(new Date(row.t0)), beforeKey: 'kit.error.before_t0' });
		const byLabel = check.text('byLabel', input.byLabel, { max: 100 });
		const note = check.text('note', input.note, { max: 1000 });
		if (kind && isChecklistKind(kind) && row.decision === 'malicious') check.fail('kind', 'kit.error.not_on_path');
		if (byLabel && mentionsAny(byLabel, await studentNames(trx, ctx.cipher, row.id))) check.fail('byLabel', 'kit.error.student_name_in_clear');
		if (!check.ok || !kind || !status) return check.result();

		const id = newId();
		await trx
			.insertInto('incident_followups')
			.values({ id, incident_id: row.id, kind, status, done_on: doneOn, by_label: byLabel, note_enc: ctx.cipher.encryptOptional(note), recorded_by: actor.userId, recorded_at: now.toISOString() })
			.execute();
		await finishCaseWrite(trx, ctx, actor, row.id, meta, { action: 'incident.followup_recorded', details: { followupId: id, kind, status } }, { at: now });
		return { ok: true as const, id };
	});
}

export interface ParentNotificationInput {
	incidentId: string;
	studentId: string;
	outcome: 'notified' | 'not_notified' | string;
	/** who was told (e.g. "mère", "tuteur légal"): required when notified; encrypted */
	party?: string | null;
	/** when they were told: required when notified */
	at?: string | null;
	/** why they were not told (e.g. telling would endanger the student): required when not notified; encrypted */
	reasonNotNotified?: string | null;
	/** the student (14 or more) was consulted first: required from 14 */
	studentConsulted?: boolean | string | null;
}

export type ParentNotificationResult = { ok: true; id: string } | CaseWriteRefusal;

export async function recordParentNotification(ctx: KitContext, actor: Actor, input: ParentNotificationInput, meta: RequestMeta): Promise<ParentNotificationResult> {
	return writeCase(ctx, actor, input.incidentId, meta, { action: 'incident:notify_parents', audit: 'incident.parent_notification_recorded' }, async (trx, { row }) => {
		const now = ctx.now();
		const check = new Check(now);
		const student = looksLikeId(input.studentId)
			? await trx.selectFrom('incident_students').select(['id', 'age', 'dob_enc']).where('id', '=', input.studentId).where('incident_id', '=', row.id).executeTakeFirst()
			: undefined;
		if (!student) check.fail('studentId', 'kit.error.unknown_student');
		const outcome = check.oneOf('outcome', input.outcome, PARENT_OUTCOMES, { required: true });
		const notified = outcome === 'notified';
		const party = notified ? check.text('party', input.party, { required: true, max: 200 }) : null;
		const at = notified ? check.instant('at', input.at, { required: true, notBefore: row.t0, beforeKey: 'kit.error.before_t0' }) : null;
		const reason = outcome === 'not_notified' ? check.text('reasonNotNotified', input.reasonNotNotified, { required: true, max: 1000 }) : null;

		const dob = student ? ctx.cipher.decryptOptional(student.dob_enc) : null;
		const age = dob ? ageOn(dob, now) : (student?.age ?? null);
		let consulted: boolean | null = null;
		if (age === null || age >= CONSULTATION_AGE) {
			consulted = check.boolean('studentConsulted', input.studentConsulted);
			if (age !== null && consulted === null && !check.errors.studentConsulted) check.fail('studentConsulted', 'kit.error.consultation_required');
		}
		if (!check.ok || !student || !outcome) return check.result();

		const id = newId();
		await trx
			.insertInto('parent_notifications')
			.values({
				id,
				incident_id: row.id,
				student_id: student.id,
				outcome,
				party_enc: ctx.cipher.encryptOptional(party),
				at,
				by_user: actor.userId,
				reason_not_enc: ctx.cipher.encryptOptional(reason),
				student_consulted: consulted === null ? null : consulted ? 1 : 0,
				recorded_at: now.toISOString()
			})
			.execute();
		await finishCaseWrite(trx, ctx, actor, row.id, meta, { action: 'incident.parent_notification_recorded', details: { notificationId: id, studentId: student.id, outcome, studentConsulted: consulted } }, { at: now });
		return { ok: true as const, id };
	});
}
