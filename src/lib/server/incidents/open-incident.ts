/**
 * openIncident(ctx, actor, { schoolId, intake, imagesReported?, devicesReported? }, meta)
 *   → { ok: true, id, reference } | not_covered | not_found | invalid        (ForbiddenError without the right)
 *
 * Step 1 of the kit (intake). A responder or the principal of the school opens a case:
 *   - the school must exist (`not_found`) and the actor must hold `incident:open` there (ForbiddenError);
 *   - the school must be covered today by an active DPCP agreement (`not_covered`: call the police directly);
 *   - `intake` holds the raw answers of the pack's intake step (who reported, how, when the school learned:
 *     T0, short factual summary…), validated by the engine: an option the pack does not offer, a missing
 *     answer or a T0 in the future is refused per question (`errors[questionId] = kit.answer_error.<code>`).
 *     They are saved (encrypted) as that step's version 1, and T0, reporter kind, channel and the summary
 *     (encrypted) are copied onto the incident (see intake.ts);
 *   - images and devices reported are counts only (metadata: nothing can hold media);
 *   - the case records the pack it runs with (id + version active for the school's police service — chosen by
 *     its territory coordinator, else the latest usable default pack; pack-activation.ts) and keeps it for
 *     life, even when another version is activated later.
 * One transaction: the incident, its intake answers and the `incident.opened` audit row. Refusals are
 * audited (`incident.opened`, outcome denied, with the reason).
 */
import { appendAudit, recordAudit } from '../audit/log';
import type { RequestMeta } from '../context';
import { authorize, can, type Actor } from '../policy';
import { placeOfScope } from '../accounts/places';
import { newId } from '../crypto/tokens';
import { assertSchoolCovered, schoolCoverage, SchoolNotCoveredError } from '../territories/coverage';
import { evaluate, validateStep } from '../../domain/protocol/engine';
import { caseReference } from '../../domain/incidents/case';
import { activePackFor } from './pack-activation';
import { answerErrors, cachedOrientation, firedFlagIds } from './answers';
import { intakeColumns, intakeStepOf } from './intake';
import { NOT_COVERED, NOT_FOUND, type Invalid, type KitContext, type NotCovered, type NotFound } from './types';
import { Check } from './validate';

export interface OpenIncidentInput {
	schoolId: string;
	/** raw answers of the pack's intake step: question id → value as posted */
	intake: Readonly<Record<string, unknown>>;
	/** how many images are said to circulate (a count, never the images) */
	imagesReported?: number | string | null;
	/** how many devices are involved */
	devicesReported?: number | string | null;
}

export type OpenIncidentResult = { ok: true; id: string; reference: string } | NotFound | NotCovered | Invalid;

export async function openIncident(ctx: KitContext, actor: Actor, input: OpenIncidentInput, meta: RequestMeta): Promise<OpenIncidentResult> {
	const place = typeof input.schoolId === 'string' ? await placeOfScope(ctx.db, 'school', input.schoolId) : null;
	if (!place) {
		await auditOpenDenied(ctx, actor, null, 'not_found', meta);
		return NOT_FOUND;
	}
	if (!can(actor, 'incident:open', place)) {
		await auditOpenDenied(ctx, actor, input.schoolId, 'forbidden', meta);
		authorize(actor, 'incident:open', place);
	}

	const now = ctx.now();
	// Coverage first: when the kit cannot be used here, the intake's details do not matter (checked again below).
	if (!(await schoolCoverage(ctx.db, input.schoolId, now))?.covered) {
		await auditOpenDenied(ctx, actor, input.schoolId, 'not_covered', meta);
		return NOT_COVERED;
	}
	// The pack the coordinator of the school's police service activated (or the installation's default).
	const { pack } = await activePackFor(ctx, ctx.db, place.policeServiceId!);
	const step = intakeStepOf(pack);
	const check = new Check(now);
	const imagesReported = check.integer('imagesReported', input.imagesReported, { min: 0, max: 10_000 });
	const devicesReported = check.integer('devicesReported', input.devicesReported, { min: 0, max: 1_000 });
	const validation = validateStep(pack, step.id, input.intake ?? {}, {}, { now });
	if (!validation.ok || !check.ok) return { ok: false, reason: 'invalid', errors: { ...answerErrors(validation.errors), ...check.errors } };
	const columns = intakeColumns(validation.answers);

	const id = newId();
	const at = now.toISOString();
	const opened = await ctx.db.transaction().execute(async (trx) => {
		try {
			// Again inside the transaction: an agreement suspended a moment ago wins.
			await assertSchoolCovered(trx, input.schoolId, now);
		} catch (error) {
			if (error instanceof SchoolNotCoveredError) return false;
			throw error;
		}
		const evaluation = evaluate(pack, validation.answers);
		await trx
			.insertInto('incidents')
			.values({
				id,
				school_id: input.schoolId,
				opened_by: actor.userId,
				assigned_to: null,
				pack_id: pack.id,
				pack_version: pack.version,
				status: 'open',
				t0: columns.t0,
				reporter_kind: columns.reporter_kind,
				report_channel: columns.report_channel,
				summary_enc: ctx.cipher.encrypt(columns.summary),
				images_reported: imagesReported,
				devices_reported: devicesReported,
				red_flags: JSON.stringify(firedFlagIds(evaluation)),
				orientation: cachedOrientation(evaluation),
				police_called_at: null,
				handed_off_at: null,
				decision: null,
				decided_at: null,
				closed_at: null,
				closure_reason: null,
				created_at: at,
				updated_at: at
			})
			.execute();
		await trx
			.insertInto('incident_answers')
			.values({ incident_id: id, step_id: step.id, answers_enc: ctx.cipher.encrypt(JSON.stringify(validation.answers)), version: 1, updated_by: actor.userId, updated_at: at })
			.execute();
		await appendAudit(
			trx,
			{
				actorId: actor.userId,
				action: 'incident.opened',
				targetType: 'incident',
				targetId: id,
				outcome: 'success',
				ip: meta.ip,
				details: { schoolId: input.schoolId, packId: pack.id, packVersion: pack.version, reporterKind: columns.reporter_kind, reportChannel: columns.report_channel }
			},
			now
		);
		return true;
	});
	if (!opened) {
		await auditOpenDenied(ctx, actor, input.schoolId, 'not_covered', meta);
		return NOT_COVERED;
	}
	return { ok: true, id, reference: caseReference(id, at) };
}

async function auditOpenDenied(ctx: KitContext, actor: Actor, schoolId: string | null, reason: string, meta: RequestMeta): Promise<void> {
	await recordAudit(ctx.db, { actorId: actor.userId, action: 'incident.opened', targetType: 'school', targetId: schoolId, outcome: 'denied', ip: meta.ip, details: { reason } }, ctx.now());
}
