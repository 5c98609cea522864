/**
 * Job `incident.decision_overdue`: 24 h after the hand-off to the police, if the DPCP decision has not
 * been entered and the case is not closed, the police liaisons of the serving police service and the
 * principal(s) of the school get an in-app notification, and the audit log records it.
 *
 * The hand-off service enqueues it in its own transaction with `enqueueDecisionOverdue`; the dedupe key
 * makes a repeated hand-off (double submit, retry) a no-op.
 */
import type { DbOrTrx, Trx } from '../db';
import { lockResource } from '../db';
import { appendAudit } from '../audit/log';
import { newId } from '../crypto/tokens';
import { logger } from '../log';
import { enqueueJob, JobError, type Job } from './queue';
import type { JobHandler } from './worker';

export const DECISION_OVERDUE_KIND = 'incident.decision_overdue';
/** Notification kind shown to the recipients (same code as the job). */
export const DECISION_OVERDUE_NOTIFICATION = 'incident.decision_overdue';
export const DECISION_OVERDUE_AFTER_MS = 24 * 60 * 60 * 1000;

export function decisionOverdueKey(incidentId: string): string {
	return `decision_overdue:${incidentId}`;
}

/** Called by the hand-off service, inside its transaction: runs at handedOffAt + 24 h, once per incident. */
export async function enqueueDecisionOverdue(trx: DbOrTrx, incidentId: string, handedOffAt: string | Date): Promise<{ id: string; created: boolean }> {
	const at = new Date(handedOffAt);
	if (Number.isNaN(at.getTime())) throw new Error('enqueueDecisionOverdue: handedOffAt is not a date');
	return enqueueJob(
		trx,
		{
			kind: DECISION_OVERDUE_KIND,
			payload: { incidentId },
			runAt: new Date(at.getTime() + DECISION_OVERDUE_AFTER_MS),
			dedupeKey: decisionOverdueKey(incidentId)
		},
		at
	);
}

export type DecisionOverdueOutcome = 'notified' | 'decided' | 'closed' | 'not_handed_off' | 'missing';

/** The handler's work, returning what it did (the worker ignores the value; tests read it). */
export async function runDecisionOverdue(trx: Trx, incidentId: string, now: Date, jobId: string | null = null): Promise<{ outcome: DecisionOverdueOutcome; notified: number }> {
	// One case at a time: a repeated run (lease expired on a slow server) waits, then sees the notifications.
	await lockResource(trx, `incident:${incidentId}`);
	const incident = await trx
		.selectFrom('incidents')
		.innerJoin('schools', 'schools.id', 'incidents.school_id')
		.select(['incidents.id', 'incidents.school_id', 'incidents.status', 'incidents.handed_off_at', 'incidents.decision', 'incidents.decided_at', 'incidents.closed_at', 'schools.police_service_id'])
		.where('incidents.id', '=', incidentId)
		.executeTakeFirst();
	if (!incident) return { outcome: 'missing', notified: 0 };
	if (incident.status === 'closed' || incident.closed_at) return { outcome: 'closed', notified: 0 };
	if (!incident.handed_off_at) return { outcome: 'not_handed_off', notified: 0 };
	const decisionRow = await trx.selectFrom('incident_decisions').select('id').where('incident_id', '=', incidentId).limit(1).executeTakeFirst();
	if (incident.decision || incident.decided_at || decisionRow) return { outcome: 'decided', notified: 0 };

	const recipients = await trx
		.selectFrom('memberships')
		.innerJoin('users', 'users.id', 'memberships.user_id')
		.select('users.id')
		.distinct()
		.where('users.disabled_at', 'is', null)
		.where((eb) =>
			eb.or([
				eb.and([eb('memberships.role', '=', 'police_liaison'), eb('memberships.scope_type', '=', 'police_service'), eb('memberships.scope_id', '=', incident.police_service_id)]),
				eb.and([eb('memberships.role', '=', 'principal'), eb('memberships.scope_type', '=', 'school'), eb('memberships.scope_id', '=', incident.school_id)])
			])
		)
		.execute();
	const already = new Set(
		(
			await trx
				.selectFrom('notifications')
				.select('user_id')
				.where('incident_id', '=', incidentId)
				.where('kind', '=', DECISION_OVERDUE_NOTIFICATION)
				.execute()
		).map((r) => r.user_id)
	);
	const fresh = recipients.map((r) => r.id).filter((id) => !already.has(id)).sort();
	const at = now.toISOString();
	if (fresh.length > 0) {
		await trx
			.insertInto('notifications')
			.values(fresh.map((userId) => ({ id: newId(), user_id: userId, kind: DECISION_OVERDUE_NOTIFICATION, incident_id: incidentId, created_at: at, read_at: null })))
			.execute();
	}
	if (recipients.length === 0) logger.warn('jobs.decision_overdue.no_recipients', { incidentId, policeServiceId: incident.police_service_id });
	if (fresh.length > 0 || already.size === 0) {
		await appendAudit(
			trx,
			{
				actorId: null,
				action: 'incident.decision_overdue',
				targetType: 'incident',
				targetId: incidentId,
				outcome: 'success',
				details: { jobId, notified: fresh.length, schoolId: incident.school_id, policeServiceId: incident.police_service_id, handedOffAt: incident.handed_off_at }
			},
			now
		);
	}
	return { outcome: 'notified', notified: fresh.length };
}

const ID = /^[A-Za-z0-9-]{1,64}$/;

export const handleDecisionOverdue: JobHandler = async (job: Job, trx, ctx) => {
	const incidentId = job.payload.incidentId;
	if (typeof incidentId !== 'string' || !ID.test(incidentId)) throw new JobError('invalid_payload', true);
	await runDecisionOverdue(trx, incidentId, ctx.now(), job.id);
};
