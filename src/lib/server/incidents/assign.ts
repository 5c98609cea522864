/**
 * assignIncident(ctx, actor, { incidentId, assigneeId }, meta) → { ok: true } | invalid | closed | not_found
 *
 * The principal of the school (policy `incident:assign`) assigns the case to a responder of the same school
 * (an active account holding the responder role at that school: `kit.error.not_a_responder` otherwise), or
 * removes the assignment (`assigneeId: null`). The assignee gets an in-app notification (kind
 * `incident.assigned`) and can then read and edit the case.
 *
 * assignmentOptions(ctx, actor, { incidentId }) → { assignedTo, responders } | null
 *   The responders the case may be assigned to (active responders of the case's school), for the principal's
 *   assignment screen. null when the case is not readable (404); ForbiddenError unless `incident:assign`.
 */
import type { RequestMeta } from '../context';
import type { DbOrTrx } from '../db';
import { authorize, can, type Actor } from '../policy';
import { newId } from '../crypto/tokens';
import { auditCase, loadCase, touchCase, writeCase } from './access';
import type { CaseWriteRefusal, KitContext } from './types';
import { Check } from './validate';

export type AssignResult = { ok: true; assigneeId: string | null } | CaseWriteRefusal;

export interface AssignmentOptions {
	assignedTo: string | null;
	openedBy: string;
	responders: { id: string; name: string }[];
}

/** Active accounts holding the responder role at this school (the only people a case there may go to). */
function schoolResponders(db: DbOrTrx, schoolId: string) {
	return db
		.selectFrom('memberships')
		.innerJoin('users', 'users.id', 'memberships.user_id')
		.select(['users.id', 'users.display_name'])
		.distinct()
		.where('memberships.role', '=', 'responder')
		.where('memberships.scope_type', '=', 'school')
		.where('memberships.scope_id', '=', schoolId)
		.where('users.disabled_at', 'is', null);
}

export async function assignmentOptions(ctx: KitContext, actor: Actor, input: { incidentId: string }): Promise<AssignmentOptions | null> {
	const c = await loadCase(ctx.db, input.incidentId);
	if (!c || !can(actor, 'incident:read', c.access)) return null;
	authorize(actor, 'incident:assign', c.access);
	const rows = await schoolResponders(ctx.db, c.row.school_id).orderBy('users.display_name').execute();
	return { assignedTo: c.row.assigned_to, openedBy: c.row.opened_by, responders: rows.map((r) => ({ id: r.id, name: r.display_name })) };
}

export async function assignIncident(ctx: KitContext, actor: Actor, input: { incidentId: string; assigneeId: string | null }, meta: RequestMeta): Promise<AssignResult> {
	return writeCase(ctx, actor, input.incidentId, meta, { action: 'incident:assign', audit: 'incident.assigned' }, async (trx, { row }) => {
		const now = ctx.now();
		const check = new Check(now);
		const assigneeId = check.id('assigneeId', input.assigneeId);
		if (assigneeId) {
			const responder = await schoolResponders(trx, row.school_id).where('memberships.user_id', '=', assigneeId).executeTakeFirst();
			if (!responder) check.fail('assigneeId', 'kit.error.not_a_responder');
		}
		if (!check.ok) return check.result();

		await touchCase(trx, row.id, now, { assigned_to: assigneeId });
		if (assigneeId && assigneeId !== row.assigned_to) {
			await trx.insertInto('notifications').values({ id: newId(), user_id: assigneeId, kind: 'incident.assigned', incident_id: row.id, created_at: now.toISOString(), read_at: null }).execute();
		}
		await auditCase(trx, ctx, actor, 'incident.assigned', row.id, meta, { assigneeId, previousAssigneeId: row.assigned_to });
		return { ok: true as const, assigneeId };
	});
}
