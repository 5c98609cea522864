/**
 * Playing an Architecte case (ADR 011).
 *
 *   startAttempt(ctx, actor, { caseId }, meta)
 *     → { ok: true, attemptId, resumed } | not_found (unknown case) | explorateur_required
 *   recordChoice(ctx, actor, { attemptId, sceneId, choiceId }, meta)
 *     → { ok: true, duplicate, finished, passed, awardId } | not_found | finished | not_offered | stale
 *
 * Every choice is one transaction: lock the attempt (PostgreSQL row lock; SQLite serialises writers),
 * replay its stored choices with the scenario engine, check the posted step, apply it, store the choice
 * with its time and the attempt's new state, append the audit row; when the choice ends the case, the
 * attempt is finished in the same transaction and, if it was the last of the three cases to be passed,
 * the Architecte award is created there too (createAward, with its own audit row).
 *
 * The posted form carries the scene it was shown for, so:
 *   - the same step posted twice (double click, resubmitted page) with the same choice → `duplicate`
 *     (nothing written, same answer: idempotent);
 *   - a step already played with another choice → `stale` (or `finished` when the attempt is over);
 *   - a choice the current scene does not offer (forged POST) → `not_offered`.
 * Refusals are audited (outcome `denied`) and nothing is written. Another person's attempt is `not_found`.
 */
import { appendAudit } from '../../audit/log';
import type { RequestMeta } from '../../context';
import type { Trx } from '../../db';
import { newId } from '../../crypto/tokens';
import { authorize, type Actor } from '../../policy';
import { apply, maxScore, outcome, start } from '../../../domain/training/scenario/engine';
import { AwardExistsError, createAward, liveAward } from '../awards';
import { auditRefusal, casesOf, explorateurStatus, loadAttempt, packFor, schoolOf, type ArchitecteContext } from './context';

const UNIQUE_VIOLATION = /unique|duplicate key/i;
const isUniqueViolation = (e: unknown) => e instanceof Error && UNIQUE_VIOLATION.test(`${e.message} ${(e as { code?: string }).code ?? ''}`);

export type StartResult = { ok: true; attemptId: string; resumed: boolean } | { ok: false; reason: 'not_found' | 'explorateur_required' };

export async function startAttempt(ctx: ArchitecteContext, actor: Actor, input: { caseId: string }, meta: RequestMeta): Promise<StartResult> {
	const kase = casesOf(ctx).latest(input.caseId);
	if (!kase) return { ok: false, reason: 'not_found' };
	authorize(actor, 'architecte:play', { ownerId: actor.userId });
	if ((await explorateurStatus(ctx.db, actor.userId)) === 'missing') {
		await auditRefusal(ctx, actor, 'training.architecte_attempt_started', null, 'explorateur_required', meta, { caseId: kase.id });
		return { ok: false, reason: 'explorateur_required' };
	}
	const open = () =>
		ctx.db.selectFrom('training_architecte_attempts').select('id').where('user_id', '=', actor.userId).where('case_id', '=', kase.id).where('status', '=', 'in_progress').executeTakeFirst();
	const existing = await open();
	if (existing) return { ok: true, attemptId: existing.id, resumed: true };

	const now = ctx.now();
	const at = now.toISOString();
	const first = start(kase, packFor(ctx, kase));
	const id = newId();
	try {
		await ctx.db.transaction().execute(async (trx) => {
			await trx
				.insertInto('training_architecte_attempts')
				.values({
					id,
					user_id: actor.userId,
					case_id: kase.id,
					case_version: kase.version,
					status: 'in_progress',
					scene_id: first.sceneId,
					step_count: 0,
					score: 0,
					max_score: maxScore(kase),
					pass_score: kase.passScore,
					critical_errors: '[]',
					started_at: at,
					updated_at: at,
					finished_at: null
				})
				.execute();
			await appendAudit(
				trx,
				{ actorId: actor.userId, action: 'training.architecte_attempt_started', targetType: 'training_attempt', targetId: id, outcome: 'success', ip: meta.ip, details: { caseId: kase.id, caseVersion: kase.version } },
				now
			);
		});
	} catch (e) {
		// Two "start" clicks at once: the partial unique index lets one attempt in progress exist; resume it.
		if (!isUniqueViolation(e)) throw e;
		const winner = await open();
		if (!winner) throw e;
		return { ok: true, attemptId: winner.id, resumed: true };
	}
	return { ok: true, attemptId: id, resumed: false };
}

export interface ChoiceInput {
	attemptId: string;
	/** the scene the form was shown for */
	sceneId: string;
	choiceId: string;
}

export type ChoiceRefusal = 'not_found' | 'finished' | 'not_offered' | 'stale';
export type ChoiceResult =
	| { ok: true; duplicate: boolean; finished: boolean; passed: boolean; awardId: string | null }
	| { ok: false; reason: ChoiceRefusal };

class Refused extends Error {
	constructor(
		readonly reason: ChoiceRefusal,
		readonly details: Record<string, string | number | null> = {}
	) {
		super(reason);
	}
}

export async function recordChoice(ctx: ArchitecteContext, actor: Actor, input: ChoiceInput, meta: RequestMeta): Promise<ChoiceResult> {
	try {
		return await ctx.db.transaction().execute(async (trx) => {
			const loaded = await loadAttempt(ctx, trx, input.attemptId, { lock: true });
			// Someone else's attempt reads as not found: its existence does not leak.
			if (!loaded || loaded.attempt.user_id !== actor.userId) throw new Refused('not_found');
			authorize(actor, 'architecte:play', { ownerId: loaded.attempt.user_id });
			const { attempt, choices, kase, pack, state } = loaded;

			const already = choices.find((c) => c.scene_id === input.sceneId);
			if (already) {
				if (already.choice_id === input.choiceId) {
					const o = outcome(kase, state);
					return { ok: true as const, duplicate: true, finished: state.finished, passed: o.passed, awardId: null };
				}
				throw new Refused(state.finished ? 'finished' : 'stale', { sceneId: input.sceneId.slice(0, 64) });
			}
			if (state.finished) throw new Refused('finished');
			if (input.sceneId !== state.sceneId) throw new Refused('stale', { sceneId: input.sceneId.slice(0, 64) });

			const r = apply(kase, pack, state, input.choiceId);
			if (!r.ok) throw new Refused(r.code === 'finished' ? 'finished' : 'not_offered', { sceneId: state.sceneId, choiceId: input.choiceId.slice(0, 64) });

			const now = ctx.now();
			const at = now.toISOString();
			const seq = attempt.step_count + 1;
			const next = r.state;
			const o = outcome(kase, next);
			const status = !next.finished ? 'in_progress' : o.passed ? 'passed' : 'failed';
			await trx
				.insertInto('training_architecte_choices')
				.values({ id: newId(), attempt_id: attempt.id, seq, scene_id: r.step.sceneId, choice_id: r.step.choiceId, points: r.step.points, critical_errors: JSON.stringify(r.step.critical), chosen_at: at })
				.execute();
			await trx
				.updateTable('training_architecte_attempts')
				.set({ scene_id: next.sceneId, step_count: seq, score: next.score, critical_errors: JSON.stringify(next.critical), status, updated_at: at, finished_at: next.finished ? at : null })
				.where('id', '=', attempt.id)
				.execute();
			await appendAudit(
				trx,
				{
					actorId: actor.userId,
					action: 'training.architecte_choice_recorded',
					targetType: 'training_attempt',
					targetId: attempt.id,
					outcome: 'success',
					ip: meta.ip,
					details: { caseId: kase.id, seq, sceneId: r.step.sceneId, choiceId: r.step.choiceId, points: r.step.points, critical: r.step.critical.join(',') || null }
				},
				now
			);
			let awardId: string | null = null;
			if (next.finished) {
				await appendAudit(
					trx,
					{
						actorId: actor.userId,
						action: 'training.architecte_attempt_finished',
						targetType: 'training_attempt',
						targetId: attempt.id,
						outcome: 'success',
						ip: meta.ip,
						details: { caseId: kase.id, caseVersion: kase.version, status, score: next.score, maxScore: o.maxScore, passScore: o.passScore, critical: next.critical.join(',') || null }
					},
					now
				);
				if (o.passed) awardId = await awardIfComplete(ctx, trx, actor, attempt.id, now);
			}
			return { ok: true as const, duplicate: false, finished: next.finished, passed: o.passed, awardId };
		});
	} catch (e) {
		if (e instanceof Refused) {
			await auditRefusal(ctx, actor, 'training.architecte_choice_recorded', input.attemptId, e.reason, meta, e.details);
			return { ok: false, reason: e.reason };
		}
		// The same step posted twice at the same instant: the (attempt, scene) unique key let one in.
		if (isUniqueViolation(e)) {
			await auditRefusal(ctx, actor, 'training.architecte_choice_recorded', input.attemptId, 'stale', meta);
			return { ok: false, reason: 'stale' };
		}
		throw e;
	}
}

/** The first passed attempt of each current case, or null when one is missing. */
export async function passedAttempts(ctx: ArchitecteContext, db: Trx | ArchitecteContext['db'], userId: string) {
	const rows = await db
		.selectFrom('training_architecte_attempts')
		.select(['id', 'case_id', 'case_version', 'score', 'max_score', 'step_count', 'finished_at'])
		.where('user_id', '=', userId)
		.where('status', '=', 'passed')
		.orderBy('finished_at')
		.orderBy('id')
		.execute();
	const evidence = [];
	for (const c of casesOf(ctx).current()) {
		const first = rows.find((r) => r.case_id === c.id);
		if (!first) return null;
		evidence.push({ caseId: first.case_id, caseVersion: first.case_version, attemptId: first.id, score: first.score, maxScore: first.max_score, choices: first.step_count });
	}
	return evidence;
}

/**
 * "Passing all three cases creates the Architecte award record" (ADR 011: created at the third pass, then
 * endorsed by an evaluator's validation). Requires a live Explorateur award at that moment; a person who
 * already holds a live Architecte award keeps it (retries never create a second one).
 */
async function awardIfComplete(ctx: ArchitecteContext, trx: Trx, actor: Actor, attemptId: string, now: Date): Promise<string | null> {
	if (await liveAward(trx, actor.userId, 'architecte')) return null;
	if ((await explorateurStatus(trx, actor.userId)) === 'missing') return null;
	const evidence = await passedAttempts(ctx, trx, actor.userId);
	if (!evidence) return null;
	try {
		const award = await createAward(
			trx,
			{ userId: actor.userId, level: 'architecte', schoolId: schoolOf(actor), awardedBy: null, sourceType: 'architecte_validation', sourceId: attemptId, evidence: { cases: evidence } },
			now
		);
		return award.id;
	} catch (e) {
		if (e instanceof AwardExistsError) return null;
		throw e;
	}
}
