/**
 * getIncident(ctx, actor, { incidentId }, meta) → IncidentView | null
 *
 * The case page's read model: everything of the case, decrypted, with the engine's evaluation of the stored
 * answers (red flags, call now, next step, the grid's suggestion and its reasons), the students with their
 * roles, devices with their chain of custody, police calls, the decision in force and its corrections,
 * follow-ups, parent notifications, addenda, the three clocks (T0 → police call, hand-off → decision,
 * T0 → closure), the overdue alert, and the actor's abilities (`can`) so the page never re-derives a rule.
 *
 * `null` when the case does not exist or the actor may not read it (→ 404: existence never leaks). Every
 * call is audited: `incident.read` success, or `incident.read` denied.
 */
import type { RequestMeta } from '../context';
import { can, type Actor } from '../policy';
import type { Evaluation } from '../../domain/protocol/engine';
import { orderedSteps } from '../../domain/protocol/engine';
import type { Localized } from '../../domain/protocol/schema';
import { caseClocks, caseReference, isDecisionOverdue, type CaseClocks } from '../../domain/incidents/case';
import type { IncidentStatus } from '../db/schema';
import { auditRead } from './access';
import { readCaseFile, type AddendumView, type DecisionView, type DeviceView, type FollowupView, type ParentNotificationView, type PoliceCallView, type UserRef } from './case-file';
import type { StepSnapshot } from './save-step-answers';
import type { StudentView } from './students';
import type { KitContext } from './types';

export interface IncidentAbilities {
	/** kit steps, students, devices, police call, school follow-up */
	edit: boolean;
	assign: boolean;
	notifyParents: boolean;
	close: boolean;
	/** enter the DPCP decision (police side, after hand-off) */
	decide: boolean;
	/** record the investigation status (police side) */
	policeFollowup: boolean;
	addendum: boolean;
	/** open the hand-off packet (anyone who reads the case) */
	viewPacket: boolean;
}

export interface IncidentView {
	id: string;
	/** e.g. "SX-2026-7F3A" */
	reference: string;
	status: IncidentStatus;
	/** the case revision (moves on every change) */
	version: number;
	createdAt: string;
	updatedAt: string;
	pack: { id: string; version: string; title: Localized; notice: Localized | null; isDefault: boolean };
	school: { id: string; name: string; code: string };
	policeService: { id: string; nameFr: string; nameEn: string; emergencyPhone: string | null; kitContact: string | null };
	openedBy: UserRef;
	assignedTo: UserRef | null;
	/** copies of the intake step's answers (option ids of the pack for reporter kind and channel) */
	intake: { t0: string; reporterKind: string; reportChannel: string; summary: string; imagesReported: number | null; devicesReported: number | null };
	/** every step of the pack in asking order (red flags first); version 0 = never saved */
	steps: StepSnapshot[];
	evaluation: Evaluation;
	students: StudentView[];
	devices: DeviceView[];
	policeCalls: PoliceCallView[];
	policeCalledAt: string | null;
	handedOffAt: string | null;
	/** the decision in force (the latest row), or null */
	decision: DecisionView | null;
	/** every decision row, oldest first (corrections are new rows) */
	decisions: DecisionView[];
	followups: FollowupView[];
	parentNotifications: ParentNotificationView[];
	closedAt: string | null;
	closureReason: string | null;
	addenda: AddendumView[];
	clocks: CaseClocks;
	/** handed off more than 24 h ago, still without a decision */
	decisionOverdue: boolean;
	can: IncidentAbilities;
}

export async function getIncident(ctx: KitContext, actor: Actor, input: { incidentId: string }, meta: RequestMeta): Promise<IncidentView | null> {
	const file = await readCaseFile(ctx, actor, input.incidentId, 'incident.read', meta);
	if (!file) return null;
	const { row, access } = file;
	const byStep = new Map(file.steps.map((s) => [s.stepId, s]));
	const view: IncidentView = {
		id: row.id,
		reference: caseReference(row.id, row.created_at),
		status: row.status,
		version: row.version,
		createdAt: row.created_at,
		updatedAt: row.updated_at,
		pack: { id: file.pack.id, version: file.pack.version, title: file.pack.title, notice: file.pack.notice ?? null, isDefault: file.pack.status === 'default' },
		school: { id: file.school.id, name: file.school.name, code: file.school.code },
		policeService: { id: file.policeService.id, nameFr: file.policeService.nameFr, nameEn: file.policeService.nameEn, emergencyPhone: file.policeService.emergencyPhone, kitContact: file.policeService.kitContact },
		openedBy: file.user(row.opened_by)!,
		assignedTo: file.user(row.assigned_to),
		intake: { t0: row.t0, reporterKind: row.reporter_kind, reportChannel: row.report_channel, summary: file.summary, imagesReported: row.images_reported, devicesReported: row.devices_reported },
		steps: orderedSteps(file.pack).map((s) => {
			const stored = byStep.get(s.id);
			return { stepId: s.id, version: stored?.version ?? 0, answers: stored?.answers ?? {}, updatedAt: stored?.updatedAt ?? null, updatedBy: stored ? file.user(stored.updatedBy) : null };
		}),
		evaluation: file.evaluation,
		students: file.students,
		devices: file.devices,
		policeCalls: file.policeCalls,
		policeCalledAt: row.police_called_at,
		handedOffAt: row.handed_off_at,
		decision: file.decisions.at(-1) ?? null,
		decisions: file.decisions,
		followups: file.followups,
		parentNotifications: file.parentNotifications,
		closedAt: row.closed_at,
		closureReason: row.closure_reason,
		addenda: file.addenda,
		clocks: caseClocks({ t0: row.t0, policeCalledAt: row.police_called_at, handedOffAt: row.handed_off_at, firstDecisionAt: file.decisions[0]?.enteredAt ?? null, closedAt: row.closed_at }),
		decisionOverdue: isDecisionOverdue({ handedOffAt: row.handed_off_at, decision: row.decision, closedAt: row.closed_at }, ctx.now()),
		can: {
			edit: can(actor, 'incident:edit', access),
			assign: can(actor, 'incident:assign', access),
			notifyParents: can(actor, 'incident:notify_parents', access),
			close: can(actor, 'incident:close', access),
			decide: can(actor, 'incident:decide', access),
			policeFollowup: can(actor, 'incident:police_followup', access),
			addendum: can(actor, 'incident:addendum', access),
			viewPacket: can(actor, 'incident:read', access)
		}
	};
	await auditRead(ctx, actor, 'incident.read', { type: 'incident', id: row.id }, meta, { view: 'case' });
	return view;
}
