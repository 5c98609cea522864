/**
 * recordDecision(ctx, actor, { incidentId, decision, decidedOn, conditions? }, meta)
 *   → { ok: true, id } | invalid | closed | not_found        (ForbiddenError for anyone but the police side)
 *
 * Step 7: the DPCP's decision, entered by the police liaison of the serving police service or a DPCP
 * prosecutor of the territory, after the hand-off (policy `incident:decide`). The app never computes it.
 *   - `decision` impulsive (extrajudicial path) | malicious (investigation); `decidedOn` a calendar day,
 *     not in the future nor before the day of T0; `conditions` free text, encrypted;
 *   - a correction is a new row; `incidents.decision` / `decided_at` always reflect the latest row
 *     (`decided_at` = when it was entered). The hand-off → decision clock uses the first row.
 */
import type { RequestMeta } from '../context';
import { DECISIONS } from '../db/schema';
import type { Actor } from '../policy';
import { newId } from '../crypto/tokens';
import { quebecDay } from '../../domain/coverage/coverage';
import { finishCaseWrite, writeCase } from './access';
import type { CaseWriteRefusal, KitContext } from './types';
import { Check } from './validate';

export interface DecisionInput {
	incidentId: string;
	decision: 'impulsive' | 'malicious' | string;
	/** "YYYY-MM-DD" */
	decidedOn: string;
	conditions?: string | null;
}

export type DecisionResult = { ok: true; id: string; correction: boolean } | CaseWriteRefusal;

export async function recordDecision(ctx: KitContext, actor: Actor, input: DecisionInput, meta: RequestMeta): Promise<DecisionResult> {
	return writeCase(ctx, actor, input.incidentId, meta, { action: 'incident:decide', audit: 'incident.decision_recorded' }, async (trx, { row }) => {
		const now = ctx.now();
		const check = new Check(now);
		const decision = check.oneOf('decision', input.decision, DECISIONS, { required: true });
		const decidedOn = check.day('decidedOn', input.decidedOn, { required: true, notBeforeDay: quebecDay(new Date(row.t0)), beforeKey: 'kit.error.before_t0' });
		const conditions = check.text('conditions', input.conditions, { max: 2000 });
		if (!check.ok || !decision || !decidedOn) return check.result();

		const id = newId();
		const at = now.toISOString();
		await trx
			.insertInto('incident_decisions')
			.values({ id, incident_id: row.id, decision, decided_on: decidedOn, conditions_enc: ctx.cipher.encryptOptional(conditions), entered_by: actor.userId, entered_at: at })
			.execute();
		const correction = row.decision !== null;
		await finishCaseWrite(trx, ctx, actor, row.id, meta, { action: 'incident.decision_recorded', details: { decisionId: id, decision, decidedOn, correction } }, { changes: { decision, decided_at: at }, at: now });
		return { ok: true as const, id, correction };
	});
}
