/**
 * The learner's side of Explorateur: modules read, knowledge check, reflections.
 *
 *   markModuleRead(ctx, actor, { moduleId }, meta)          → { ok } | not_found
 *   submitQuizAttempt(ctx, actor, { answers }, meta)        → { ok, attemptId, score } | invalid
 *   saveReflections(ctx, actor, { answers, submit }, meta)  → { ok, submissionId, version, status } | invalid | locked
 *   explorateurProgress(db, userId)                         → what the hub, the dashboard and the status page show
 *   mySubmission(ctx, actor)                                → the learner's current submission with versions and reviews
 *
 * Policy `training:learn` for everything; `training:submission_edit` on the learner's own submission.
 * Each write is one transaction with its audit row (details: ids, versions, scores — never the answers).
 * Reflections: a draft may be incomplete (nothing typed is lost); submitting needs the three answers within
 * the limits of course.json and a passed knowledge check. A submission waiting for review or approved is
 * locked ("locked"); a returned one is edited as a new version, the submitted versions stay as they were.
 */
import type { AppContext, RequestMeta } from '../../context';
import type { DbOrTrx, Trx } from '../../db';
import type { SubmissionStatus, TrainingSubmissionsTable } from '../../db/schema';
import { appendAudit } from '../../audit/log';
import { newId } from '../../crypto/tokens';
import { authorize, can, type Actor } from '../../policy';
import type { FieldErrors } from '../../../forms';
import type { MessageKey } from '../../../i18n';
import { scoreQuiz, type QuizScore } from '../../../domain/training/explorateur/quiz';
import { checkAnswers, type AnswerProblem } from '../../../domain/training/explorateur/reflections';
import { EXPLORATEUR_STEPS_TOTAL, explorateurStepsDone } from '../../../domain/training/explorateur/steps';
import { explorateurCourse } from './content';
import type { TrainingRefusal } from './types';

type Ctx = Pick<AppContext, 'db' | 'now'>;

/** Statuses in which the learner may still edit (the latest version is a draft or gets a new one). */
export const EDITABLE_STATUSES: readonly SubmissionStatus[] = ['draft', 'returned'];

export function answerError(p: AnswerProblem): FieldErrors[string] {
	switch (p.code) {
		case 'required':
			return { key: 'training.error.answer_required' };
		case 'too_short':
			return { key: 'training.error.answer_too_short', params: { min: p.min } };
		case 'too_long':
			return { key: 'training.error.answer_too_long', params: { max: p.max } };
	}
}

/**
 * The school an award or submission is attached to: the person's first school among their learner,
 * responder and principal grants (oldest grant first), or null for a platform-level learner.
 */
export async function learnerSchoolOf(db: DbOrTrx, userId: string): Promise<string | null> {
	const row = await db
		.selectFrom('memberships')
		.select('scope_id')
		.where('user_id', '=', userId)
		.where('scope_type', '=', 'school')
		.where('role', 'in', ['learner', 'responder', 'principal'])
		.orderBy('created_at')
		.orderBy('id')
		.executeTakeFirst();
	return row?.scope_id ?? null;
}

export async function markModuleRead(ctx: Ctx, actor: Actor, input: { moduleId: string }, meta: RequestMeta): Promise<{ ok: true } | TrainingRefusal> {
	authorize(actor, 'training:learn', null);
	const course = explorateurCourse();
	const module = course.modules.find((m) => m.id === input.moduleId);
	if (!module) return { ok: false, reason: 'not_found' };
	const now = ctx.now();
	await ctx.db.transaction().execute(async (trx) => {
		const seen = await trx.selectFrom('training_module_reads').select('module_id').where('user_id', '=', actor.userId).where('module_id', '=', module.id).executeTakeFirst();
		if (seen) return; // reading again changes nothing and needs no new trace
		await trx.insertInto('training_module_reads').values({ user_id: actor.userId, module_id: module.id, course_version: course.version, read_at: now.toISOString() }).execute();
		await appendAudit(trx, { actorId: actor.userId, action: 'training.module_read', targetType: 'training_module', targetId: module.id, outcome: 'success', ip: meta.ip, details: { courseVersion: course.version } }, now);
	});
	return { ok: true };
}

export type QuizAttemptResult = { ok: true; attemptId: string; score: QuizScore } | TrainingRefusal;

/** Scores and keeps one attempt (every attempt is kept; retries are allowed, passed or not). */
export async function submitQuizAttempt(ctx: Ctx, actor: Actor, input: { answers: Record<string, string | undefined> }, meta: RequestMeta): Promise<QuizAttemptResult> {
	authorize(actor, 'training:learn', null);
	const { quiz } = explorateurCourse();
	const check = scoreQuiz(quiz, input.answers);
	if (!check.ok) {
		const errors: FieldErrors = { _form: { key: 'training.error.quiz_incomplete' } };
		for (const id of check.missing) errors[id] = { key: 'training.error.choose_one' };
		for (const id of check.unknown) errors[id] = { key: 'training.error.unknown_option' };
		return { ok: false, reason: 'invalid', errors };
	}
	const { score } = check;
	const now = ctx.now();
	const attemptId = newId();
	const answers = Object.fromEntries(score.questions.map((q) => [q.questionId, q.chosen]));
	await ctx.db.transaction().execute(async (trx) => {
		await trx
			.insertInto('training_quiz_attempts')
			.values({ id: attemptId, user_id: actor.userId, quiz_version: quiz.version, answers_json: JSON.stringify(answers), score: score.score, total: score.total, passed: score.passed ? 1 : 0, created_at: now.toISOString() })
			.execute();
		await appendAudit(trx, { actorId: actor.userId, action: 'training.quiz_attempted', targetType: 'training_quiz_attempt', targetId: attemptId, outcome: 'success', ip: meta.ip, details: { quizVersion: quiz.version, score: score.score, total: score.total, passed: score.passed } }, now);
	});
	return { ok: true, attemptId, score };
}

export interface QuizAttemptView {
	id: string;
	at: string;
	score: number;
	total: number;
	passed: boolean;
	answers: Record<string, string>;
}

/** The learner's attempts, newest first. */
export async function quizAttemptsOf(db: DbOrTrx, userId: string): Promise<QuizAttemptView[]> {
	const rows = await db.selectFrom('training_quiz_attempts').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
	return rows.map((r) => ({ id: r.id, at: r.created_at, score: r.score, total: r.total, passed: r.passed === 1, answers: JSON.parse(r.answers_json) as Record<string, string> }));
}

/** The person's current submission: the one not rejected, else the latest rejected one, else null. */
export async function currentSubmission(db: DbOrTrx, userId: string): Promise<TrainingSubmissionsTable | null> {
	const rows = await db.selectFrom('training_submissions').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
	return rows.find((r) => r.status !== 'rejected') ?? rows[0] ?? null;
}

export type SaveReflectionsResult = { ok: true; submissionId: string; version: number; status: SubmissionStatus } | TrainingRefusal;

export async function saveReflections(ctx: Ctx, actor: Actor, input: { answers: Record<string, string | undefined>; submit: boolean }, meta: RequestMeta): Promise<SaveReflectionsResult> {
	authorize(actor, 'training:learn', null);
	const { reflections } = explorateurCourse();
	const check = checkAnswers(reflections, input.answers, input.submit ? 'submit' : 'draft');
	const errors: FieldErrors = {};
	for (const [key, problem] of Object.entries(check.problems)) errors[key] = answerError(problem);
	const now = ctx.now();
	const at = now.toISOString();

	return ctx.db.transaction().execute(async (trx): Promise<SaveReflectionsResult> => {
		const existing = await currentSubmission(trx, actor.userId);
		const live = existing && existing.status !== 'rejected' ? existing : null;
		if (live) {
			authorize(actor, 'training:submission_edit', { ownerId: live.user_id });
			if (!EDITABLE_STATUSES.includes(live.status)) {
				const key: MessageKey = live.status === 'approved' ? 'training.error.already_approved' : 'training.error.already_submitted';
				return { ok: false, reason: 'locked', status: live.status, errors: { _form: { key } } };
			}
		}
		if (input.submit && !(await quizPassed(trx, actor.userId))) errors._form ??= { key: 'training.error.quiz_required' };
		if (Object.keys(errors).length) {
			if (!errors._form) errors._form = { key: input.submit ? 'training.error.submit_invalid' : 'training.error.draft_invalid' };
			return { ok: false, reason: 'invalid', errors };
		}

		const answersJson = JSON.stringify(check.answers);
		const status: SubmissionStatus = input.submit ? 'submitted' : 'draft';
		let submissionId: string;
		let version: number;
		if (!live) {
			submissionId = newId();
			version = 1;
			await trx
				.insertInto('training_submissions')
				.values({ id: submissionId, user_id: actor.userId, school_id: await learnerSchoolOf(trx, actor.userId), status, current_version: 1, submitted_at: input.submit ? at : null, reviewed_at: null, award_id: null, created_at: at, updated_at: at })
				.execute();
			await insertVersion(trx, submissionId, 1, answersJson, at, input.submit);
		} else {
			submissionId = live.id;
			const latest = await trx.selectFrom('training_submission_versions').select(['id', 'submitted_at']).where('submission_id', '=', live.id).where('version', '=', live.current_version).executeTakeFirstOrThrow();
			if (latest.submitted_at === null) {
				// the draft version is edited in place until it is submitted
				version = live.current_version;
				await trx.updateTable('training_submission_versions').set({ answers_json: answersJson, saved_at: at, submitted_at: input.submit ? at : null }).where('id', '=', latest.id).execute();
			} else {
				// returned for revision: the submitted version stays as the evaluator saw it; edits go to a new one
				version = live.current_version + 1;
				await insertVersion(trx, live.id, version, answersJson, at, input.submit);
			}
			const updated = await trx
				.updateTable('training_submissions')
				.set({ status, current_version: version, updated_at: at, ...(input.submit ? { submitted_at: at } : {}) })
				.where('id', '=', live.id)
				.where('status', '=', live.status)
				.executeTakeFirst();
			if (Number(updated.numUpdatedRows) !== 1) return { ok: false, reason: 'conflict', errors: { _form: { key: 'training.error.conflict' } } };
		}
		await appendAudit(
			trx,
			{ actorId: actor.userId, action: input.submit ? 'training.reflections_submitted' : 'training.reflections_saved', targetType: 'training_submission', targetId: submissionId, outcome: 'success', ip: meta.ip, details: { version, status } },
			now
		);
		return { ok: true, submissionId, version, status };
	});
}

async function insertVersion(trx: Trx, submissionId: string, version: number, answersJson: string, at: string, submitted: boolean): Promise<void> {
	await trx
		.insertInto('training_submission_versions')
		.values({ id: newId(), submission_id: submissionId, version, answers_json: answersJson, created_at: at, saved_at: at, submitted_at: submitted ? at : null })
		.execute();
}

async function quizPassed(db: DbOrTrx, userId: string): Promise<boolean> {
	const row = await db.selectFrom('training_quiz_attempts').select('id').where('user_id', '=', userId).where('passed', '=', 1).limit(1).executeTakeFirst();
	return !!row;
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface VersionView {
	version: number;
	answers: Record<string, string>;
	savedAt: string;
	submittedAt: string | null;
}

export interface ReviewView {
	id: string;
	version: number;
	decision: 'approved' | 'returned' | 'rejected';
	comment: string | null;
	reviewerName: string;
	at: string;
}

export interface AwardView {
	id: string;
	status: 'awarded' | 'pending_coverage' | 'revoked';
	pendingReason: string | null;
	awardedAt: string;
}

export interface SubmissionView {
	id: string;
	ownerId: string;
	ownerName: string;
	schoolName: string | null;
	status: SubmissionStatus;
	currentVersion: number;
	submittedAt: string | null;
	createdAt: string;
	/** newest first */
	versions: VersionView[];
	/** newest first */
	reviews: ReviewView[];
	award: AwardView | null;
}

/** A submission with its versions, reviews and award (no policy, no audit: callers decide and trace). */
export async function loadSubmissionView(db: DbOrTrx, row: TrainingSubmissionsTable): Promise<SubmissionView> {
	const [owner, school, versions, reviews, award] = await Promise.all([
		db.selectFrom('users').select('display_name').where('id', '=', row.user_id).executeTakeFirstOrThrow(),
		row.school_id ? db.selectFrom('schools').select('name').where('id', '=', row.school_id).executeTakeFirst() : Promise.resolve(undefined),
		db.selectFrom('training_submission_versions').selectAll().where('submission_id', '=', row.id).orderBy('version', 'desc').execute(),
		db
			.selectFrom('training_reviews')
			.innerJoin('users', 'users.id', 'training_reviews.reviewer_id')
			.select(['training_reviews.id', 'training_reviews.version', 'training_reviews.decision', 'training_reviews.comment', 'training_reviews.created_at', 'users.display_name'])
			.where('training_reviews.submission_id', '=', row.id)
			.orderBy('training_reviews.created_at', 'desc')
			.orderBy('training_reviews.id', 'desc')
			.execute(),
		row.award_id ? db.selectFrom('training_awards').select(['id', 'status', 'pending_reason', 'awarded_at']).where('id', '=', row.award_id).executeTakeFirst() : Promise.resolve(undefined)
	]);
	return {
		id: row.id,
		ownerId: row.user_id,
		ownerName: owner.display_name,
		schoolName: school?.name ?? null,
		status: row.status,
		currentVersion: row.current_version,
		submittedAt: row.submitted_at,
		createdAt: row.created_at,
		versions: versions.map((v) => ({ version: v.version, answers: JSON.parse(v.answers_json) as Record<string, string>, savedAt: v.saved_at, submittedAt: v.submitted_at })),
		reviews: reviews.map((r) => ({ id: r.id, version: r.version, decision: r.decision, comment: r.comment, reviewerName: r.display_name, at: r.created_at })),
		award: award ? { id: award.id, status: award.status, pendingReason: award.pending_reason, awardedAt: award.awarded_at } : null
	};
}

/** The learner's own current submission (null when they never saved one). */
export async function mySubmission(ctx: Ctx, actor: Actor): Promise<SubmissionView | null> {
	authorize(actor, 'training:learn', null);
	const row = await currentSubmission(ctx.db, actor.userId);
	if (!row) return null;
	authorize(actor, 'training:submission_read', { ownerId: row.user_id });
	return loadSubmissionView(ctx.db, row);
}

export interface ExplorateurProgress {
	modules: { total: number; read: string[] };
	quiz: { attempts: number; best: number | null; total: number; passMark: number; passed: boolean };
	reflections: { status: SubmissionStatus | null; version: number | null; latestDecision: 'approved' | 'returned' | 'rejected' | null };
	award: AwardView | null;
	/** the four steps of the level (modules read, quiz passed, reflections submitted, approved) done so far */
	stepsDone: number;
	stepsTotal: number;
}

/** Progress of one person in Explorateur (read-only, cheap: four small queries on indexed columns). */
export async function explorateurProgress(db: DbOrTrx, userId: string): Promise<ExplorateurProgress> {
	const course = explorateurCourse();
	const ids = course.modules.map((m) => m.id);
	const [reads, attempts, submission, award] = await Promise.all([
		db.selectFrom('training_module_reads').select('module_id').where('user_id', '=', userId).execute(),
		db.selectFrom('training_quiz_attempts').select(['score', 'passed']).where('user_id', '=', userId).execute(),
		currentSubmission(db, userId),
		db.selectFrom('training_awards').select(['id', 'status', 'pending_reason', 'awarded_at']).where('user_id', '=', userId).where('level', '=', 'explorateur').where('revoked_at', 'is', null).executeTakeFirst()
	]);
	const read = reads.map((r) => r.module_id).filter((id) => ids.includes(id));
	const latestDecision = submission?.reviewed_at
		? ((await db.selectFrom('training_reviews').select('decision').where('submission_id', '=', submission.id).orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirst())?.decision ?? null)
		: null;
	const quizPassedNow = attempts.some((a) => a.passed === 1);
	const stepsDone = explorateurStepsDone({
		allModulesRead: ids.every((id) => read.includes(id)),
		quizPassed: quizPassedNow,
		liveSubmissionStatus: submission && submission.status !== 'rejected' ? submission.status : null,
		awarded: !!award
	});
	return {
		modules: { total: ids.length, read },
		quiz: { attempts: attempts.length, best: attempts.length ? Math.max(...attempts.map((a) => a.score)) : null, total: course.quiz.questions.length, passMark: course.quiz.passMark, passed: quizPassedNow },
		reflections: { status: submission?.status ?? null, version: submission?.current_version ?? null, latestDecision },
		award: award ? { id: award.id, status: award.status, pendingReason: award.pending_reason, awardedAt: award.awarded_at } : null,
		stepsDone,
		stepsTotal: EXPLORATEUR_STEPS_TOTAL
	};
}

/** Whether the person may train at all (routes show the hub or a 403). */
export function canLearn(actor: Actor | null): boolean {
	return can(actor, 'training:learn', null);
}
