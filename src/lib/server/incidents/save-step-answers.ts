/**
 * saveStepAnswers(ctx, actor, { incidentId, stepId, answers, expectedVersion }, meta)
 *   → { ok: true, version, evaluation } | conflict (current) | invalid | closed | not_found
 *
 * Saves one kit step (red flags, questionnaire…) as posted, on every step ("no data lost if the tab closes"):
 *   - validated by the engine against the pack version stored on the case (never a newer one): a field that
 *     is not a question of this step, an option the pack does not offer, a missing required answer, a date
 *     in the future… are refused per question (`errors[questionId] = kit.answer.<code>`);
 *   - optimistic concurrency: `expectedVersion` is the step version the screen was shown (0 = never saved).
 *     If someone saved in between, nothing is overwritten and the result is `conflict` with the answers
 *     stored now (an audited read: `incident.edit_conflict`);
 *   - stored as encrypted JSON (this step's answers only); the incident's cached red flags and orientation
 *     are refreshed from the engine, and the new evaluation (call now? next step? suggestion) is returned;
 *   - a red flag or a sign of malice never waits for the rest of a checklist: when the only problems are
 *     unanswered required questions and the answers given already say "stop and call" (a red flag fired,
 *     or the grid points to likely malicious), the step is saved as it stands and `incomplete` names the
 *     questions still to answer (the step stays incomplete in `evaluation.progress`). Any other problem
 *     (an option the pack does not offer, a date in the future…) still refuses the whole step;
 *   - saving the intake step also refreshes the incident's copies of T0, reporter kind, channel and summary
 *     (intake.ts). Note that T0 moves the clocks: it is the school's own account of when it learned.
 * Policy `incident:edit` (responder of the case or principal; not on a closed case).
 */
import type { RequestMeta } from '../context';
import type { Actor } from '../policy';
import { evaluate, findQuestion, validateStep, type AnswerValue, type Evaluation } from '../../domain/protocol/engine';
import { auditCase, finishCaseWrite, packOf, userNames, writeCase } from './access';
import { answerErrors, cachedOrientation, firedFlagIds, loadSteps, mergeAnswers } from './answers';
import { intakeColumns, intakeStepOf } from './intake';
import { invalid, type CaseWriteRefusal, type Conflict, type KitContext } from './types';

export interface SaveStepInput {
	incidentId: string;
	stepId: string;
	/** question id → raw value as posted (strings, string arrays for multi-choice, numbers) */
	answers: Readonly<Record<string, unknown>>;
	/** the step version the screen was built from; 0 when the step had never been saved */
	expectedVersion: number;
}

export interface StepSnapshot {
	stepId: string;
	version: number;
	answers: Record<string, AnswerValue>;
	updatedAt: string | null;
	updatedBy: { id: string; name: string } | null;
}

export type SaveStepResult =
	| {
			ok: true;
			version: number;
			evaluation: Evaluation;
			/** required questions of this step left unanswered (saved anyway because the answers say "call now") */
			incomplete: string[];
	  }
	| Conflict<StepSnapshot>
	| CaseWriteRefusal;

export async function saveStepAnswers(ctx: KitContext, actor: Actor, input: SaveStepInput, meta: RequestMeta): Promise<SaveStepResult> {
	return writeCase(ctx, actor, input.incidentId, meta, { action: 'incident:edit', audit: 'incident.step_saved' }, async (trx, { row }) => {
		const pack = packOf(ctx, row);
		if (!pack.steps.some((s) => s.id === input.stepId)) return invalid({ stepId: { key: 'kit.error.unknown_step' } });
		if (!Number.isInteger(input.expectedVersion) || input.expectedVersion < 0) return invalid({ expectedVersion: { key: 'form.error.invalid' } });

		// A statement of its own, after the row lock: under READ COMMITTED it sees the last committed save of the case
		// (a subquery of the locking statement would read the answers as they were before waiting for the lock).
		const steps = await loadSteps(trx, ctx.cipher, row.id);
		const stored = steps.find((s) => s.stepId === input.stepId);
		const storedVersion = stored?.version ?? 0;
		if (input.expectedVersion !== storedVersion) {
			await auditCase(trx, ctx, actor, 'incident.edit_conflict', row.id, meta, { kind: 'step', stepId: input.stepId, expectedVersion: input.expectedVersion, currentVersion: storedVersion });
			const names = await userNames(trx, [stored?.updatedBy]);
			return {
				ok: false as const,
				reason: 'conflict' as const,
				current: {
					stepId: input.stepId,
					version: storedVersion,
					answers: stored?.answers ?? {},
					updatedAt: stored?.updatedAt ?? null,
					updatedBy: stored ? { id: stored.updatedBy, name: names.get(stored.updatedBy) ?? '' } : null
				}
			};
		}

		const now = ctx.now();
		const validation = validateStep(pack, input.stepId, input.answers ?? {}, mergeAnswers(steps), { now });
		const incomplete = Object.entries(validation.errors).flatMap(([id, code]) => (code === 'required' ? [id] : []));
		if (!validation.ok) {
			// Only unanswered questions, and what was answered already says "stop and call": save it as it stands.
			const onlyMissing = incomplete.length === Object.keys(validation.errors).length;
			if (!onlyMissing) return invalid(answerErrors(validation.errors));
			// A missing answer keeps nothing of what was stored before for that question (it was cleared).
			for (const id of incomplete) delete validation.answers[id];
			const urgent = evaluate(pack, validation.answers);
			if (!urgent.callNow && !urgent.suggestion.stopInterviewing) return invalid(answerErrors(validation.errors));
		}

		const stepAnswers = Object.fromEntries(Object.entries(validation.answers).filter(([id]) => findQuestion(pack, id)?.step === input.stepId));
		const answers_enc = ctx.cipher.encrypt(JSON.stringify(stepAnswers));
		const at = now.toISOString();
		const version = storedVersion + 1;
		const write = stored
			? trx
					.updateTable('incident_answers')
					.set({ answers_enc, version, updated_by: actor.userId, updated_at: at })
					.where('incident_id', '=', row.id)
					.where('step_id', '=', input.stepId)
					.where('version', '=', storedVersion)
					.returning('version')
			: trx.insertInto('incident_answers').values({ incident_id: row.id, step_id: input.stepId, answers_enc, version, updated_by: actor.userId, updated_at: at }).returning('version');

		const evaluation = evaluate(pack, validation.answers);
		const orientation = cachedOrientation(evaluation);
		// The intake's copies on the incident row follow its answers (intake.ts).
		const intake = intakeStepOf(pack).id === input.stepId ? intakeColumns(validation.answers) : null;
		// The answers, the case's revision and cached suggestion, and the audit row: one statement on PostgreSQL.
		const written = await finishCaseWrite(
			trx,
			ctx,
			actor,
			row.id,
			meta,
			{ action: 'incident.step_saved', details: { stepId: input.stepId, version, redFlags: evaluation.redFlags.length, orientation, incomplete: incomplete.length } },
			{
				write,
				at: now,
				changes: {
					red_flags: JSON.stringify(firedFlagIds(evaluation)),
					orientation,
					...(intake ? { t0: intake.t0, reporter_kind: intake.reporter_kind, report_channel: intake.report_channel, summary_enc: ctx.cipher.encrypt(intake.summary) } : {})
				}
			}
		);
		// The case row is locked (PostgreSQL) or the database serialises writers (SQLite): cannot happen.
		if (written !== 1) throw new Error('step version moved under a row lock');
		return { ok: true as const, version, evaluation, incomplete };
	});
}
