/**
 * Loads everything of one case, decrypted, for the read models (case page, hand-off packet). Called only
 * after the policy allowed the read; the caller audits it. Internal to server/incidents.
 */
import type { Selectable } from 'kysely';
import type { DeviceCustodyTable } from '../db/schema';
import type { ProtocolPack } from '../../domain/protocol/schema';
import { evaluate, type AnswerValue, type Evaluation } from '../../domain/protocol/engine';
import { packOf, userNames, type LoadedCase } from './access';
import { loadSteps, mergeAnswers, type StoredStep } from './answers';
import { studentView, type StudentView } from './students';
import type { KitContext } from './types';

export interface UserRef {
	id: string;
	name: string;
}

export interface CustodyEventView {
	id: string;
	event: Selectable<DeviceCustodyTable>['event'];
	at: string;
	byName: string;
	state: Selectable<DeviceCustodyTable>['state'];
	envelopeNo: string | null;
	location: string | null;
	toName: string | null;
	toBadge: string | null;
	description: string;
	recordedBy: UserRef;
	recordedAt: string;
}

export interface DeviceView {
	deviceRef: string;
	/** as described when seized */
	description: string;
	owner: { studentId: string | null; label: string | null };
	/** oldest first (the order they happened in) */
	events: CustodyEventView[];
}

export interface PoliceCallView {
	id: string;
	calledAt: string;
	officerName: string;
	officerBadge: string | null;
	policeFileNumber: string | null;
	calledBy: UserRef;
	recordedAt: string;
}

export interface DecisionView {
	id: string;
	decision: 'impulsive' | 'malicious';
	decidedOn: string;
	conditions: string | null;
	enteredBy: UserRef;
	enteredAt: string;
}

export interface FollowupView {
	id: string;
	kind: string;
	status: string;
	doneOn: string | null;
	byLabel: string | null;
	note: string | null;
	recordedBy: UserRef;
	recordedAt: string;
}

export interface ParentNotificationView {
	id: string;
	studentId: string;
	outcome: 'notified' | 'not_notified';
	party: string | null;
	at: string | null;
	reasonNotNotified: string | null;
	studentConsulted: boolean | null;
	by: UserRef;
	recordedAt: string;
}

export interface AddendumView {
	id: string;
	author: UserRef;
	at: string;
	text: string;
}

export interface CaseFile extends LoadedCase {
	pack: ProtocolPack;
	school: { id: string; name: string; code: string; serviceCentre: string | null; address: string | null };
	policeService: { id: string; code: string; nameFr: string; nameEn: string; emergencyPhone: string | null; kitContact: string | null };
	summary: string;
	steps: StoredStep[];
	answers: Record<string, AnswerValue>;
	evaluation: Evaluation;
	students: StudentView[];
	devices: DeviceView[];
	policeCalls: PoliceCallView[];
	/** oldest first: the last one is the decision in force */
	decisions: DecisionView[];
	followups: FollowupView[];
	parentNotifications: ParentNotificationView[];
	addenda: AddendumView[];
	user(id: string | null): UserRef | null;
}

export async function loadCaseFile(ctx: KitContext, c: LoadedCase): Promise<CaseFile> {
	const { row } = c;
	const db = ctx.db;
	const id = row.id;
	const [place, steps, students, custody, calls, decisions, followups, parents, addenda] = await Promise.all([
		db
			.selectFrom('schools')
			.innerJoin('police_services', 'police_services.id', 'schools.police_service_id')
			.select([
				'schools.id',
				'schools.name',
				'schools.code',
				'schools.service_centre',
				'schools.address',
				'police_services.id as ps_id',
				'police_services.code as ps_code',
				'police_services.name_fr',
				'police_services.name_en',
				'police_services.emergency_phone',
				'police_services.kit_contact'
			])
			.where('schools.id', '=', row.school_id)
			.executeTakeFirstOrThrow(),
		loadSteps(db, ctx.cipher, id),
		db.selectFrom('incident_students').selectAll().where('incident_id', '=', id).orderBy('created_at').orderBy('id').execute(),
		db.selectFrom('device_custody').selectAll().where('incident_id', '=', id).orderBy('recorded_at').orderBy('id').execute(),
		db.selectFrom('incident_police_calls').selectAll().where('incident_id', '=', id).orderBy('called_at').orderBy('id').execute(),
		db.selectFrom('incident_decisions').selectAll().where('incident_id', '=', id).orderBy('entered_at').orderBy('id').execute(),
		db.selectFrom('incident_followups').selectAll().where('incident_id', '=', id).orderBy('recorded_at').orderBy('id').execute(),
		db.selectFrom('parent_notifications').selectAll().where('incident_id', '=', id).orderBy('recorded_at').orderBy('id').execute(),
		db.selectFrom('incident_addenda').selectAll().where('incident_id', '=', id).orderBy('at').orderBy('id').execute()
	]);
	const names = await userNames(db, [
		row.opened_by,
		row.assigned_to,
		...steps.map((s) => s.updatedBy),
		...custody.map((r) => r.recorded_by),
		...calls.map((r) => r.called_by),
		...decisions.map((r) => r.entered_by),
		...followups.map((r) => r.recorded_by),
		...parents.map((r) => r.by_user),
		...addenda.map((r) => r.author_id)
	]);
	const ref = (userId: string): UserRef => ({ id: userId, name: names.get(userId) ?? '' });

	const devices = new Map<string, DeviceView>();
	for (const r of custody) {
		const device = devices.get(r.device_ref) ?? { deviceRef: r.device_ref, description: r.description, owner: { studentId: r.owner_student_id, label: r.owner_label }, events: [] };
		device.events.push({
			id: r.id,
			event: r.event,
			at: r.at,
			byName: r.by_name,
			state: r.state,
			envelopeNo: r.envelope_no,
			location: r.location,
			toName: r.to_officer_name,
			toBadge: r.to_officer_badge,
			description: r.description,
			recordedBy: ref(r.recorded_by),
			recordedAt: r.recorded_at
		});
		devices.set(r.device_ref, device);
	}
	for (const d of devices.values()) d.events.sort((a, b) => a.at.localeCompare(b.at));

	const pack = packOf(ctx, row);
	const answers = mergeAnswers(steps);
	return {
		...c,
		pack,
		school: { id: place.id, name: place.name, code: place.code, serviceCentre: place.service_centre, address: place.address },
		policeService: { id: place.ps_id, code: place.ps_code, nameFr: place.name_fr, nameEn: place.name_en, emergencyPhone: place.emergency_phone, kitContact: place.kit_contact },
		summary: ctx.cipher.decrypt(row.summary_enc),
		steps,
		answers,
		evaluation: evaluate(pack, answers),
		students: students.map((s) => studentView(ctx.cipher, s)),
		devices: [...devices.values()].sort((a, b) => a.deviceRef.localeCompare(b.deviceRef, 'en', { numeric: true })),
		policeCalls: calls.map((r) => ({ id: r.id, calledAt: r.called_at, officerName: r.officer_name, officerBadge: r.officer_badge, policeFileNumber: r.police_file_number, calledBy: ref(r.called_by), recordedAt: r.recorded_at })),
		decisions: decisions.map((r) => ({ id: r.id, decision: r.decision, decidedOn: r.decided_on, conditions: ctx.cipher.decryptOptional(r.conditions_enc), enteredBy: ref(r.entered_by), enteredAt: r.entered_at })),
		followups: followups.map((r) => ({ id: r.id, kind: r.kind, status: r.status, doneOn: r.done_on, byLabel: r.by_label, note: ctx.cipher.decryptOptional(r.note_enc), recordedBy: ref(r.recorded_by), recordedAt: r.recorded_at })),
		parentNotifications: parents.map((r) => ({
			id: r.id,
			studentId: r.student_id,
			outcome: r.outcome,
			party: ctx.cipher.decryptOptional(r.party_enc),
			at: r.at,
			reasonNotNotified: ctx.cipher.decryptOptional(r.reason_not_enc),
			studentConsulted: r.student_consulted === null ? null : r.student_consulted === 1,
			by: ref(r.by_user),
			recordedAt: r.recorded_at
		})),
		addenda: addenda.map((r) => ({ id: r.id, author: ref(r.author_id), at: r.at, text: ctx.cipher.decrypt(r.text_enc) })),
		user: (userId) => (userId ? ref(userId) : null)
	};
}
