/**
 * Step 6 of the kit: the police hand-off.
 *
 *   logPoliceCall(ctx, actor, { incidentId, calledAt, officerName, officerBadge?, policeFileNumber? }, meta)
 *     → { ok: true, callId, handedOff, notified, emailed, emailFailures } | invalid | closed | not_found
 *   handoffRecipients(db, policeServiceId) → HandoffRecipient[]   (seam for the jobs worker: overdue alerts, re-sends)
 *   handoffEmail(locale, link)             → { subject, text }    (the message sent to each recipient)
 *
 * logPoliceCall records one call (time not in the future nor before T0, officer, badge, police file
 * number). The first call hands the case off: status `handed_off`, `handed_off_at` = that call's time, the
 * overdue-decision job is enqueued (server/jobs `enqueueDecisionOverdue`: runs 24 h later, once per case), and
 * every active police liaison of the police service serving the school gets an in-app notification
 * (`notifications`, kind `incident.handed_off`) in the same transaction as the call and its audit row. After
 * the commit each of them is emailed a link to the case — never case content. A failed email does not undo
 * the hand-off (the notification row is there); failures are counted in the result and logged by id.
 * `police_called_at` keeps the earliest call time (T0 → police call clock). Later calls add rows only.
 * Policy `incident:edit` (school side).
 */
import type { RequestMeta } from '../context';
import type { DbOrTrx } from '../db';
import type { Actor } from '../policy';
import { newId } from '../crypto/tokens';
import { logger } from '../log';
import { translate } from '../../i18n';
import { enqueueDecisionOverdue } from '../jobs/decision-overdue';
import { auditCase, touchCase, writeCase } from './access';
import { incidentPath, type CaseWriteRefusal, type KitContext, type Locale } from './types';
import { Check } from './validate';

export interface PoliceCallInput {
	incidentId: string;
	/** when the call was made (ISO, or Québec wall-clock time from datetime-local) */
	calledAt: string;
	officerName: string;
	officerBadge?: string | null;
	/** the police event / file number given on the phone */
	policeFileNumber?: string | null;
}

export type PoliceCallResult =
	| {
			ok: true;
			callId: string;
			/** this call handed the case off (it was the first one) */
			handedOff: boolean;
			/** in-app notifications created (0 when the case was already handed off) */
			notified: number;
			emailed: number;
			emailFailures: number;
	  }
	| CaseWriteRefusal;

export interface HandoffRecipient {
	userId: string;
	email: string;
	displayName: string;
	locale: Locale;
}

/** Every active police liaison of a police service (who receives hand-offs and overdue alerts). */
export async function handoffRecipients(db: DbOrTrx, policeServiceId: string): Promise<HandoffRecipient[]> {
	const rows = await db
		.selectFrom('memberships')
		.innerJoin('users', 'users.id', 'memberships.user_id')
		.select(['users.id', 'users.email', 'users.display_name', 'users.locale'])
		.where('memberships.role', '=', 'police_liaison')
		.where('memberships.scope_type', '=', 'police_service')
		.where('memberships.scope_id', '=', policeServiceId)
		.where('users.disabled_at', 'is', null)
		.orderBy('users.email')
		.execute();
	const seen = new Set<string>();
	return rows
		.filter((r) => !seen.has(r.id) && seen.add(r.id))
		.map((r) => ({ userId: r.id, email: r.email, displayName: r.display_name, locale: r.locale }));
}

/** The hand-off email: a link to the case, nothing about it (no school, no names, no facts). */
export function handoffEmail(locale: Locale, link: string): { subject: string; text: string } {
	return { subject: translate(locale, 'mail.handoff.subject'), text: translate(locale, 'mail.handoff.body', { link }) };
}

export async function logPoliceCall(ctx: KitContext, actor: Actor, input: PoliceCallInput, meta: RequestMeta): Promise<PoliceCallResult> {
	const written = await writeCase(ctx, actor, input.incidentId, meta, { action: 'incident:edit', audit: 'incident.police_call_logged' }, async (trx, { row, access }) => {
		const now = ctx.now();
		const check = new Check(now);
		const calledAt = check.instant('calledAt', input.calledAt, { required: true, notBefore: row.t0, beforeKey: 'kit.error.before_t0' });
		const officerName = check.text('officerName', input.officerName, { required: true, max: 100 });
		const officerBadge = check.text('officerBadge', input.officerBadge, { max: 40 });
		const policeFileNumber = check.text('policeFileNumber', input.policeFileNumber, { max: 60 });
		if (!check.ok || !calledAt || !officerName) return check.result();

		const callId = newId();
		const at = now.toISOString();
		await trx
			.insertInto('incident_police_calls')
			.values({ id: callId, incident_id: row.id, called_at: calledAt, officer_name: officerName, officer_badge: officerBadge, police_file_number: policeFileNumber, called_by: actor.userId, recorded_at: at })
			.execute();
		const handsOff = row.handed_off_at === null;
		const policeCalledAt = row.police_called_at && row.police_called_at < calledAt ? row.police_called_at : calledAt;
		await touchCase(trx, row.id, now, handsOff ? { status: 'handed_off', handed_off_at: calledAt, police_called_at: policeCalledAt } : { police_called_at: policeCalledAt });

		// 24 h later, without a decision, the overdue alert (job worker, server/jobs): once per case.
		if (handsOff) await enqueueDecisionOverdue(trx, row.id, calledAt);
		const recipients = handsOff ? await handoffRecipients(trx, access.policeServiceId) : [];
		if (recipients.length > 0) {
			await trx
				.insertInto('notifications')
				.values(recipients.map((r) => ({ id: newId(), user_id: r.userId, kind: 'incident.handed_off', incident_id: row.id, created_at: at, read_at: null })))
				.execute();
		}
		await auditCase(trx, ctx, actor, 'incident.police_call_logged', row.id, meta, { callId, handedOff: handsOff, notified: recipients.length, fileNumberGiven: policeFileNumber !== null });
		return { ok: true as const, callId, handedOff: handsOff, recipients, incidentId: row.id };
	});
	if (!written.ok) return written;

	let emailed = 0;
	let emailFailures = 0;
	const link = `${ctx.config.ORIGIN}${incidentPath(written.incidentId)}`;
	for (const r of written.recipients) {
		try {
			await ctx.mailer.send({ to: r.email, ...handoffEmail(r.locale, link) });
			emailed++;
		} catch (error) {
			emailFailures++;
			logger.error('incident.handoff_email_failed', { incidentId: written.incidentId, userId: r.userId, error: error instanceof Error ? error.name : 'unknown' });
		}
	}
	return { ok: true, callId: written.callId, handedOff: written.handedOff, notified: written.recipients.length, emailed, emailFailures };
}
