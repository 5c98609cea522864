/**
 * The trainer-evaluator's side (ADR 011): the list of attempts, one attempt's full path (every choice with
 * its time, points, feedback, critical errors and what the protocol engine said), and the validation of a
 * learner's Architecte level. Every read of someone else's path is audited.
 *
 *   listAttempts(ctx, actor, { status?, limit? }, meta)        policy `architecte:review`
 *   attemptPath(ctx, actor, { attemptId }, meta) → view | null  policy `architecte:read_attempt` (owner or evaluator; else null → 404)
 *   validateLevel(ctx, actor, { userId }, meta)                  policy `architecte:validate` (an evaluator, not for themselves)
 *     → ok | not_found (no live Architecte award) | already_validated
 */
import { appendAudit, recordAudit } from '../../audit/log';
import type { RequestMeta } from '../../context';
import { newId } from '../../crypto/tokens';
import type { AttemptStatus, AwardStatus } from '../../db/schema';
import { authorize, can, type Actor } from '../../policy';
import type { Localized } from '../../../domain/protocol/schema';
import { outcome } from '../../../domain/training/scenario/engine';
import { liveAward } from '../awards';
import { caseFor, casesOf, loadAttempt, looksLikeId, parseCritical, type ArchitecteContext } from './context';
import { stepFeedback, type StepFeedback } from './views';

export const ATTEMPT_FILTERS = ['all', 'in_progress', 'passed', 'failed'] as const;
export type AttemptFilter = (typeof ATTEMPT_FILTERS)[number];

export interface AttemptRow {
	id: string;
	learner: { id: string; name: string; email: string };
	caseId: string;
	caseVersion: string;
	caseTitle: Localized;
	status: AttemptStatus;
	score: number;
	maxScore: number;
	passScore: number;
	critical: number;
	steps: number;
	startedAt: string;
	finishedAt: string | null;
}

export interface LevelRow {
	userId: string;
	name: string;
	awardId: string;
	awardStatus: AwardStatus;
	awardedAt: string;
	validatedAt: string | null;
	validatedBy: string | null;
	canValidate: boolean;
}

export async function listAttempts(
	ctx: ArchitecteContext,
	actor: Actor,
	input: { status?: AttemptFilter; limit?: number },
	meta: RequestMeta
): Promise<{ attempts: AttemptRow[]; levels: LevelRow[] }> {
	authorize(actor, 'architecte:review', null);
	const limit = Math.min(Math.max(input.limit ?? 200, 1), 500);
	let query = ctx.db
		.selectFrom('training_architecte_attempts as a')
		.innerJoin('users as u', 'u.id', 'a.user_id')
		.selectAll('a')
		.select(['u.display_name as learner_name', 'u.email as learner_email'])
		.orderBy('a.updated_at', 'desc')
		.orderBy('a.id', 'desc')
		.limit(limit);
	if (input.status && input.status !== 'all') query = query.where('a.status', '=', input.status);
	const rows = await query.execute();
	const levelRows = await ctx.db
		.selectFrom('training_awards as w')
		.innerJoin('users as u', 'u.id', 'w.user_id')
		.leftJoin('training_architecte_validations as v', 'v.award_id', 'w.id')
		.leftJoin('users as e', 'e.id', 'v.validated_by')
		.select(['w.id as award_id', 'w.user_id', 'w.status', 'w.awarded_at', 'u.display_name', 'v.validated_at', 'e.display_name as validator_name'])
		.where('w.level', '=', 'architecte')
		.where('w.revoked_at', 'is', null)
		.orderBy('w.awarded_at', 'desc')
		.limit(limit)
		.execute();
	await recordAudit(
		ctx.db,
		{ actorId: actor.userId, action: 'training.architecte_attempts_listed', targetType: 'training_attempt', targetId: null, outcome: 'success', ip: meta.ip, details: { status: input.status ?? 'all', count: rows.length } },
		ctx.now()
	);
	const cases = casesOf(ctx);
	return {
		attempts: rows.map((r) => ({
			id: r.id,
			learner: { id: r.user_id, name: r.learner_name, email: r.learner_email },
			caseId: r.case_id,
			caseVersion: r.case_version,
			caseTitle: (cases.get(r.case_id, r.case_version) ?? caseFor(ctx, r)).title,
			status: r.status,
			score: r.score,
			maxScore: r.max_score,
			passScore: r.pass_score,
			critical: parseCritical(r.critical_errors).length,
			steps: r.step_count,
			startedAt: r.started_at,
			finishedAt: r.finished_at
		})),
		levels: levelRows.map((l) => ({
			userId: l.user_id,
			name: l.display_name,
			awardId: l.award_id,
			awardStatus: l.status,
			awardedAt: l.awarded_at,
			validatedAt: l.validated_at ?? null,
			validatedBy: l.validator_name ?? null,
			canValidate: !l.validated_at && can(actor, 'architecte:validate', { ownerId: l.user_id })
		}))
	};
}

export interface PathStep extends StepFeedback {
	seq: number;
	sceneId: string;
	choiceId: string;
	chosenAt: string;
	/** seconds since the previous choice (or since the start) */
	seconds: number;
}

export interface AttemptPath {
	attempt: AttemptRow;
	steps: PathStep[];
	outcome: { score: number; maxScore: number; passScore: number; passed: boolean; critical: { label: Localized; explanation: Localized }[] };
	keyPoints: Localized[] | null;
	level: { awardId: string; awardStatus: AwardStatus; validatedAt: string | null; canValidate: boolean } | null;
	ownAttempt: boolean;
}

export async function attemptPath(ctx: ArchitecteContext, actor: Actor, input: { attemptId: string }, meta: RequestMeta): Promise<AttemptPath | null> {
	const loaded = looksLikeId(input.attemptId) ? await loadAttempt(ctx, ctx.db, input.attemptId) : null;
	if (!loaded || !can(actor, 'architecte:read_attempt', { ownerId: loaded.attempt.user_id })) {
		await recordAudit(
			ctx.db,
			{ actorId: actor.userId, action: 'training.architecte_attempt_read', targetType: 'training_attempt', targetId: looksLikeId(input.attemptId) ? input.attemptId : null, outcome: 'denied', ip: meta.ip, details: { reason: 'not_found' } },
			ctx.now()
		);
		return null;
	}
	const { attempt, choices, kase, pack, state } = loaded;
	const learner = await ctx.db.selectFrom('users').select(['id', 'display_name', 'email']).where('id', '=', attempt.user_id).executeTakeFirstOrThrow();
	const own = attempt.user_id === actor.userId;
	if (!own) {
		await recordAudit(
			ctx.db,
			{ actorId: actor.userId, action: 'training.architecte_attempt_read', targetType: 'training_attempt', targetId: attempt.id, outcome: 'success', ip: meta.ip, details: { caseId: kase.id, learnerId: attempt.user_id } },
			ctx.now()
		);
	}
	let previous = Date.parse(attempt.started_at);
	const steps = state.path.map((step, i) => {
		const row = choices[i]!;
		const at = Date.parse(row.chosen_at);
		const seconds = Math.max(0, Math.round((at - previous) / 1000));
		previous = at;
		return { ...stepFeedback(kase, pack, step), seq: row.seq, sceneId: row.scene_id, choiceId: row.choice_id, chosenAt: row.chosen_at, seconds };
	});
	const o = outcome(kase, state);
	const labels = new Map(kase.criticalErrors.map((e) => [e.id, e]));
	const award = await liveAward(ctx.db, attempt.user_id, 'architecte');
	const validation = award ? await ctx.db.selectFrom('training_architecte_validations').select('validated_at').where('award_id', '=', award.id).executeTakeFirst() : undefined;
	return {
		attempt: {
			id: attempt.id,
			learner: { id: learner.id, name: learner.display_name, email: learner.email },
			caseId: kase.id,
			caseVersion: kase.version,
			caseTitle: kase.title,
			status: attempt.status,
			score: attempt.score,
			maxScore: attempt.max_score,
			passScore: attempt.pass_score,
			critical: o.critical.length,
			steps: attempt.step_count,
			startedAt: attempt.started_at,
			finishedAt: attempt.finished_at
		},
		steps,
		outcome: {
			score: o.score,
			maxScore: o.maxScore,
			passScore: o.passScore,
			passed: o.passed,
			critical: o.critical.map((id) => ({ label: labels.get(id)?.label ?? { fr: id, en: id }, explanation: labels.get(id)?.explanation ?? { fr: id, en: id } }))
		},
		keyPoints: state.finished ? kase.debrief : null,
		level: award
			? { awardId: award.id, awardStatus: award.status, validatedAt: validation?.validated_at ?? null, canValidate: !validation && can(actor, 'architecte:validate', { ownerId: attempt.user_id }) }
			: null,
		ownAttempt: own
	};
}

export type ValidateResult = { ok: true; validationId: string } | { ok: false; reason: 'not_found' | 'already_validated' };

export async function validateLevel(ctx: ArchitecteContext, actor: Actor, input: { userId: string }, meta: RequestMeta): Promise<ValidateResult> {
	authorize(actor, 'architecte:validate', { ownerId: input.userId });
	const now = ctx.now();
	const deny = async (reason: 'not_found' | 'already_validated', awardId: string | null) => {
		await recordAudit(ctx.db, { actorId: actor.userId, action: 'training.architecte_level_validated', targetType: 'training_award', targetId: awardId, outcome: 'denied', ip: meta.ip, details: { reason } }, now);
		return { ok: false as const, reason };
	};
	if (!looksLikeId(input.userId)) return deny('not_found', null);
	const award = await liveAward(ctx.db, input.userId, 'architecte');
	if (!award) return deny('not_found', null);
	const id = newId();
	try {
		await ctx.db.transaction().execute(async (trx) => {
			const existing = await trx.selectFrom('training_architecte_validations').select('id').where('award_id', '=', award.id).executeTakeFirst();
			if (existing) throw new AlreadyValidated();
			await trx.insertInto('training_architecte_validations').values({ id, award_id: award.id, user_id: input.userId, validated_by: actor.userId, validated_at: now.toISOString() }).execute();
			await appendAudit(
				trx,
				{ actorId: actor.userId, action: 'training.architecte_level_validated', targetType: 'training_award', targetId: award.id, outcome: 'success', ip: meta.ip, details: { learnerId: input.userId, validationId: id } },
				now
			);
		});
	} catch (e) {
		// a second validation (or two at once: the unique award_id lets one in)
		if (e instanceof AlreadyValidated || (e instanceof Error && /unique|duplicate key/i.test(e.message))) return deny('already_validated', award.id);
		throw e;
	}
	return { ok: true, validationId: id };
}

class AlreadyValidated extends Error {}
