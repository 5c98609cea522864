/**
 * Step 9: closure, then addenda.
 *
 *   closeIncident(ctx, actor, { incidentId, reason }, meta) → { ok: true, closedAt } | invalid | closed | not_found
 *   addAddendum(ctx, actor, { incidentId, text }, meta)     → { ok: true, id, at } | invalid | not_found
 *
 * closeIncident: the principal of the school (policy `incident:close`) closes with a reason code
 * (CLOSURE_REASONS — a code, because `closure_reason` is not encrypted). From then on the case is read-only:
 * every other write answers `closed`. Closing does not require a hand-off (an unfounded report).
 *
 * addAddendum: after closure only (`kit.error.addendum_before_closure` on an open case: edit it instead),
 * by the school side or the police side of the case (policy `incident:addendum`). Author, time and the
 * text (encrypted); addenda are append-only (database triggers refuse UPDATE and DELETE).
 */
import type { RequestMeta } from '../context';
import type { Actor } from '../policy';
import { newId } from '../crypto/tokens';
import { CLOSURE_REASONS, type ClosureReason } from '../../domain/incidents/vocabulary';
import { auditCase, finishCaseWrite, writeCase } from './access';
import { invalid, type CaseWriteRefusal, type Invalid, type KitContext, type NotFound } from './types';
import { Check } from './validate';

export type CloseResult = { ok: true; closedAt: string } | CaseWriteRefusal;

export async function closeIncident(ctx: KitContext, actor: Actor, input: { incidentId: string; reason: ClosureReason | string }, meta: RequestMeta): Promise<CloseResult> {
	return writeCase(ctx, actor, input.incidentId, meta, { action: 'incident:close', audit: 'incident.closed' }, async (trx, { row }) => {
		const now = ctx.now();
		const check = new Check(now);
		const reason = check.oneOf('reason', input.reason, CLOSURE_REASONS, { required: true });
		if (!check.ok || !reason) return check.result();
		const closedAt = now.toISOString();
		await finishCaseWrite(trx, ctx, actor, row.id, meta, { action: 'incident.closed', details: { reason, previousStatus: row.status } }, { changes: { status: 'closed', closed_at: closedAt, closure_reason: reason }, at: now });
		return { ok: true as const, closedAt };
	});
}

export const ADDENDUM_MAX = 4000;

export type AddendumResult = { ok: true; id: string; at: string } | NotFound | Invalid;

export async function addAddendum(ctx: KitContext, actor: Actor, input: { incidentId: string; text: string }, meta: RequestMeta): Promise<AddendumResult> {
	const result = await writeCase(
		ctx,
		actor,
		input.incidentId,
		meta,
		{ action: 'incident:addendum', audit: 'incident.addendum_added', onClosed: 'policy', precheck: (c) => (c.access.closed ? null : invalid({ text: { key: 'kit.error.addendum_before_closure' } })) },
		async (trx, { row }) => {
			const now = ctx.now();
			const check = new Check(now);
			const text = check.text('text', input.text, { required: true, max: ADDENDUM_MAX });
			if (!check.ok || !text) return check.result();
			const id = newId();
			const at = now.toISOString();
			await trx.insertInto('incident_addenda').values({ id, incident_id: row.id, author_id: actor.userId, at, text_enc: ctx.cipher.encrypt(text) }).execute();
			// The case row itself stays as it was at closure (read-only); only the audit row and the addendum are new.
			await auditCase(trx, ctx, actor, 'incident.addendum_added', row.id, meta, { addendumId: id });
			return { ok: true as const, id, at };
		}
	);
	// writeCase only answers `closed` to writes that refuse closed cases; addenda let the policy decide.
	if (!result.ok && result.reason === 'closed') throw new Error('unreachable: addenda are written on closed cases');
	return result;
}
