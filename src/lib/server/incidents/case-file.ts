/**
 * Loads everything of one case, decrypted, for the read models (case page, hand-off packet), in one query: the
 * incident with its place (school, police service, territory: what the policy needs), the names of the people
 * it mentions, and each of its lists (answers, students, device log, police calls, decisions, follow-ups, parent
 * notifications, addenda) as a JSON array built by the database — `json_agg` on PostgreSQL, `json_group_array`
 * on SQLite. Before, that was twelve round trips. The policy is asked on the loaded row; a refusal is audited
 * (`denied`) and nothing is decrypted. Fields the case page does not show (students' names and dates of birth,
 * follow-up notes, parent notifications, addenda) are decrypted on first read. The caller audits the success.
 * Internal to server/incidents.
 */
import { sql, type Expression, type Selectable } from 'kysely';
import type { DeviceCustodyTable, IncidentAddendaTable, IncidentAnswersTable, IncidentDecisionsTable, IncidentFollowupsTable, IncidentPoliceCallsTable, IncidentStudentsTable, ParentNotificationsTable } from '../db/schema';
import { dialectOf, type DB } from '../db';
import { precompiled } from '../db/precompiled';
import type { AuditAction } from '../audit/events';
import type { RequestMeta } from '../context';
import { can, type Actor } from '../policy';
import type { ProtocolPack } from '../../domain/protocol/schema';
import { evaluate, type AnswerValue, type Evaluation } from '../../domain/protocol/engine';
import { accessOf, auditDenied, packOf, type LoadedCase } from './access';
import { mergeAnswers, type StoredStep } from './answers';
import { studentView, type StudentView } from './students';
import type { KitContext } from './types';
import { looksLikeId } from './validate';
import { onFirstRead } from './lazy';
import { answerRows, jsonList, rowsOf } from './json-rows';

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

/** Who opened the case, as the hand-off packet names them (only loaded for the packet). */
export interface Opener {
	email: string;
	/** a responder of the case's school (else the principal opened it) */
	isResponder: boolean;
}

type Row<T> = Selectable<T>;
/** A list row with the display names of the people it mentions (`<column>_name`). */
type Named<T, K extends string> = Row<T> & { [P in `${K}_name`]: string | null };

const userName = (column: Expression<string | null>) => sql<string | null>`(select display_name from users where users.id = ${column})`;

function caseFileQuery(db: DB, incidentId: string, packet: boolean) {
	const d = dialectOf(db);
	return db
		.selectFrom('incidents')
		.innerJoin('schools', 'schools.id', 'incidents.school_id')
		.innerJoin('police_services', 'police_services.id', 'schools.police_service_id')
		.selectAll('incidents')
		.select((eb) => [
			'schools.name as school_name',
			'schools.code as school_code',
			'schools.service_centre as school_service_centre',
			'schools.address as school_address',
			'schools.police_service_id as ps_id',
			'police_services.territory_id as territory_id',
			'police_services.code as ps_code',
			'police_services.name_fr as ps_name_fr',
			'police_services.name_en as ps_name_en',
			'police_services.emergency_phone as ps_emergency_phone',
			'police_services.kit_contact as ps_kit_contact',
			userName(eb.ref('incidents.opened_by')).as('opened_by_name'),
			userName(eb.ref('incidents.assigned_to')).as('assigned_to_name'),
			(packet ? sql<string | null>`(select email from users where users.id = incidents.opened_by)` : sql<string | null>`null`).as('opened_by_email'),
			(packet
				? sql<number>`(case when exists (select 1 from memberships m where m.user_id = incidents.opened_by and m.role = 'responder' and m.scope_type = 'school' and m.scope_id = incidents.school_id) then 1 else 0 end)`
				: sql<number>`0`
			).as('opened_by_responder'),
			answerRows(d).as('steps'),
			rowsOf(d, 'incident_students', ['id', 'name_enc', 'dob_enc', 'age', 'grade', 'roles', 'version', 'created_at', 'updated_at'], [], ['created_at', 'id']).as('students'),
			rowsOf(
				d,
				'device_custody',
				['id', 'device_ref', 'event', 'description', 'owner_student_id', 'owner_label', 'at', 'by_name', 'state', 'envelope_no', 'location', 'to_officer_name', 'to_officer_badge', 'recorded_by', 'recorded_at'],
				['recorded_by'],
				['recorded_at', 'id']
			).as('custody'),
			rowsOf(d, 'incident_police_calls', ['id', 'called_at', 'officer_name', 'officer_badge', 'police_file_number', 'called_by', 'recorded_at'], ['called_by'], ['called_at', 'id']).as('calls'),
			rowsOf(d, 'incident_decisions', ['id', 'decision', 'decided_on', 'conditions_enc', 'entered_by', 'entered_at'], ['entered_by'], ['entered_at', 'id']).as('decisions'),
			rowsOf(d, 'incident_followups', ['id', 'kind', 'status', 'done_on', 'by_label', 'note_enc', 'recorded_by', 'recorded_at'], ['recorded_by'], ['recorded_at', 'id']).as('followups'),
			rowsOf(d, 'parent_notifications', ['id', 'student_id', 'outcome', 'party_enc', 'at', 'by_user', 'reason_not_enc', 'student_consulted', 'recorded_at'], ['by_user'], ['recorded_at', 'id']).as('parents'),
			rowsOf(d, 'incident_addenda', ['id', 'author_id', 'at', 'text_enc'], ['author_id'], ['at', 'id']).as('addenda')
		])
		.where('incidents.id', '=', incidentId);
}

const caseQuery = precompiled(1, (db, incidentId: string) => caseFileQuery(db, incidentId, false));
const packetQuery = precompiled(1, (db, incidentId: string) => caseFileQuery(db, incidentId, true));

/**
 * The case file of `incidentId` if the actor may read it; otherwise null, after auditing the refused read under
 * `audit` (existence never leaks). `packet` also loads who opened the case as the hand-off packet names them.
 */
export async function readCaseFile(ctx: KitContext, actor: Actor, incidentId: string, audit: AuditAction, meta: RequestMeta, options: { packet?: boolean } = {}): Promise<(CaseFile & { opener: Opener | null }) | null> {
	const found = looksLikeId(incidentId) ? (await ctx.db.executeQuery((options.packet ? packetQuery : caseQuery)(ctx.db, incidentId))).rows[0] : undefined;
	if (!found) {
		await auditDenied(ctx, actor, audit, incidentId, 'not_found', meta);
		return null;
	}
	const {
		school_name,
		school_code,
		school_service_centre,
		school_address,
		ps_id,
		territory_id,
		ps_code,
		ps_name_fr,
		ps_name_en,
		ps_emergency_phone,
		ps_kit_contact,
		opened_by_name,
		assigned_to_name,
		opened_by_email,
		opened_by_responder,
		steps: stepRows,
		students,
		custody,
		calls,
		decisions,
		followups,
		parents,
		addenda,
		...row
	} = found;
	const access = accessOf(row, ps_id, territory_id);
	if (!can(actor, 'incident:read', access)) {
		await auditDenied(ctx, actor, audit, incidentId, 'not_found', meta);
		return null;
	}
	const names = new Map<string, string>();
	const named = (id: string | null, name: string | null) => {
		if (id && name !== null) names.set(id, name);
	};
	named(row.opened_by, opened_by_name);
	named(row.assigned_to, assigned_to_name);
	const steps = jsonList<Named<IncidentAnswersTable, 'updated_by'>>(stepRows).map((r): StoredStep => {
		named(r.updated_by, r.updated_by_name);
		return { stepId: r.step_id, answers: JSON.parse(ctx.cipher.decrypt(r.answers_enc)) as Record<string, AnswerValue>, version: r.version, updatedAt: r.updated_at, updatedBy: r.updated_by };
	});
	const custodyRows = jsonList<Named<DeviceCustodyTable, 'recorded_by'>>(custody);
	const callRows = jsonList<Named<IncidentPoliceCallsTable, 'called_by'>>(calls);
	const decisionRows = jsonList<Named<IncidentDecisionsTable, 'entered_by'>>(decisions);
	const followupRows = jsonList<Named<IncidentFollowupsTable, 'recorded_by'>>(followups);
	const parentRows = jsonList<Named<ParentNotificationsTable, 'by_user'>>(parents);
	const addendumRows = jsonList<Named<IncidentAddendaTable, 'author_id'>>(addenda);
	for (const r of custodyRows) named(r.recorded_by, r.recorded_by_name);
	for (const r of callRows) named(r.called_by, r.called_by_name);
	for (const r of decisionRows) named(r.entered_by, r.entered_by_name);
	for (const r of followupRows) named(r.recorded_by, r.recorded_by_name);
	for (const r of parentRows) named(r.by_user, r.by_user_name);
	for (const r of addendumRows) named(r.author_id, r.author_id_name);
	const ref = (userId: string): UserRef => ({ id: userId, name: names.get(userId) ?? '' });

	const devices = new Map<string, DeviceView>();
	for (const r of custodyRows) {
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
		row,
		access,
		pack,
		school: { id: row.school_id, name: school_name, code: school_code, serviceCentre: school_service_centre, address: school_address },
		policeService: { id: ps_id, code: ps_code, nameFr: ps_name_fr, nameEn: ps_name_en, emergencyPhone: ps_emergency_phone, kitContact: ps_kit_contact },
		summary: ctx.cipher.decrypt(row.summary_enc),
		steps,
		answers,
		evaluation: evaluate(pack, answers),
		students: jsonList<Row<IncidentStudentsTable>>(students).map((s) => studentView(ctx.cipher, s)),
		devices: [...devices.values()].sort((a, b) => a.deviceRef.localeCompare(b.deviceRef, 'en', { numeric: true })),
		policeCalls: callRows.map((r) => ({ id: r.id, calledAt: r.called_at, officerName: r.officer_name, officerBadge: r.officer_badge, policeFileNumber: r.police_file_number, calledBy: ref(r.called_by), recordedAt: r.recorded_at })),
		decisions: decisionRows.map((r) => ({ id: r.id, decision: r.decision, decidedOn: r.decided_on, conditions: ctx.cipher.decryptOptional(r.conditions_enc), enteredBy: ref(r.entered_by), enteredAt: r.entered_at })),
		followups: followupRows.map((r) => {
			const note = onFirstRead(() => ctx.cipher.decryptOptional(r.note_enc));
			return {
				id: r.id,
				kind: r.kind,
				status: r.status,
				doneOn: r.done_on,
				byLabel: r.by_label,
				get note() {
					return note();
				},
				recordedBy: ref(r.recorded_by),
				recordedAt: r.recorded_at
			};
		}),
		parentNotifications: parentRows.map((r) => {
			const party = onFirstRead(() => ctx.cipher.decryptOptional(r.party_enc));
			const reason = onFirstRead(() => ctx.cipher.decryptOptional(r.reason_not_enc));
			return {
				id: r.id,
				studentId: r.student_id,
				outcome: r.outcome,
				get party() {
					return party();
				},
				at: r.at,
				get reasonNotNotified() {
					return reason();
				},
				studentConsulted: r.student_consulted === null ? null : r.student_consulted === 1,
				by: ref(r.by_user),
				recordedAt: r.recorded_at
			};
		}),
		addenda: addendumRows.map((r) => {
			const text = onFirstRead(() => ctx.cipher.decrypt(r.text_enc));
			return {
				id: r.id,
				author: ref(r.author_id),
				at: r.at,
				get text() {
					return text();
				}
			};
		}),
		user: (userId) => (userId ? ref(userId) : null),
		opener: options.packet ? { email: opened_by_email ?? '', isResponder: Number(opened_by_responder) === 1 } : null
	};
}
