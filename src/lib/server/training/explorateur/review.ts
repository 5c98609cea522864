/**
 * The evaluator's side of Explorateur (role trainer_evaluator).
 *
 *   listQueue(ctx, actor, { status, after })                 → one page of submissions, oldest first (keyset)
 *   getSubmissionForReview(ctx, actor, { id }, meta)         → the submission with every version and review (audited) | null
 *   reviewSubmission(ctx, actor, { id, version, decision, comment }, meta)
 *       → { ok, decision, awardId } | not_found | invalid | conflict | self_review
 *
 * Reviews apply to the version the evaluator read (`version`): if the learner's submission moved on or
 * another evaluator decided first, the second decision is refused ("conflict") and nothing changes.
 * Approving creates the award in the same transaction (server/training/awards.ts: coverage decided there,
 * evidence = the three questions in both languages with the answers of the approved version).
 * Returning needs a comment, rejecting a reason; both are shown to the learner. An evaluator never reviews
 * their own submission: refused, and the refusal is audited.
 * The queue page itself is not audited (names, dates and statuses only); opening a submission is.
 */
import { sql } from 'kysely';
import type { AppContext, RequestMeta } from '../../context';
import type { ReviewDecision, SubmissionStatus } from '../../db/schema';
import { REVIEW_DECISIONS } from '../../db/schema';
import { appendAudit } from '../../audit/log';
import { executeRead } from '../../db';
import { precompiled } from '../../db/precompiled';
import { newId } from '../../crypto/tokens';
import { authorize, can, type Actor } from '../../policy';
import { createAward } from '../awards';
import { WAITING_COUNT_CAP } from '../../../domain/training/explorateur/queue';
import { textLength } from '../../../domain/training/explorateur/reflections';
import { explorateurCourse } from './content';
import { learnerSchoolOf, loadSubmissionView, type SubmissionView } from './learner';
import { looksLikeId, type TrainingRefusal } from './types';

type Ctx = Pick<AppContext, 'db' | 'now'>;

export const QUEUE_FILTERS = ['submitted', 'returned', 'approved', 'rejected', 'all'] as const;
export type QueueFilter = (typeof QUEUE_FILTERS)[number];
export const QUEUE_PAGE_SIZE = 25;
export const REVIEW_COMMENT_MAX = 2000;

export interface QueueItem {
	id: string;
	learnerName: string;
	schoolName: string | null;
	status: SubmissionStatus;
	version: number;
	submittedAt: string;
}

export interface QueuePage {
	filter: QueueFilter;
	items: QueueItem[];
	/** cursor of the next page, or null on the last page */
	next: string | null;
}

/** Cursor = "<submitted_at>_<id>" of the last row shown; anything else is treated as "first page". */
function parseCursor(raw: string | null | undefined): { at: string; id: string } | null {
	if (!raw) return null;
	const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_([0-9a-f-]{36})$/i.exec(raw);
	return m ? { at: m[1]!, id: m[2]!.toLowerCase() } : null;
}

export function isQueueFilter(v: unknown): v is QueueFilter {
	return typeof v === 'string' && (QUEUE_FILTERS as readonly string[]).includes(v);
}

/**
 * One page of the queue. Served by the index (status, submitted_at, id) — or (submitted_at, id) for "all" —
 * with keyset paging, so a page costs the same on page 1 and page 2,000 and no count(*) runs.
 */
type Db = AppContext['db'];

function queueQuery(db: Db, filter: QueueFilter, cursor: { at: string; id: string } | null) {
	let q = db
		.selectFrom('training_submissions as s')
		.innerJoin('users as u', 'u.id', 's.user_id')
		.leftJoin('schools as sc', 'sc.id', 's.school_id')
		.select(['s.id', 's.status', 's.current_version', 's.submitted_at', 'u.display_name', 'sc.name as school_name']);
	// Every status but "draft" has been submitted (submitted_at set): a status filter alone walks (status, submitted_at, id).
	// The status and the page size are fixed per compiled text, so they are written into it (`sql.lit`, values from
	// QUEUE_FILTERS only): a bound LIMIT hid the row count from PostgreSQL's generic plan (estimated at 10 % of the
	// table), which it then rejected and planned again on every bind (0.7 ms of planning for 0.2 ms of execution).
	q = filter === 'all' ? q.where('s.submitted_at', 'is not', null) : q.where('s.status', '=', sql.lit(filter));
	// A row-value comparison, so the index seeks straight to the cursor (an OR of two conditions made PostgreSQL
	// walk every earlier row: 128 ms at row 40,000 instead of < 1 ms).
	if (cursor) q = q.where((eb) => eb(eb.refTuple('s.submitted_at', 's.id'), '>', eb.tuple(cursor.at, cursor.id)));
	return q.orderBy('s.submitted_at').orderBy('s.id').limit(sql.lit(QUEUE_PAGE_SIZE + 1));
}

/** The queue is the evaluators' busiest page: each filter's first and later pages compiled once (10 fixed texts). */
const queueQueries = new Map(
	QUEUE_FILTERS.map((filter) => [
		filter,
		{
			first: precompiled(0, (db) => queueQuery(db, filter, null)),
			after: precompiled(2, (db, at: string, id: string) => queueQuery(db, filter, { at, id }))
		}
	])
);
type QueueRow = { id: string; status: SubmissionStatus; current_version: number; submitted_at: string | null; display_name: string; school_name: string | null };

/** The compiled statement of one queue page: fixed text per filter and page kind, only the cursor bound. */
export function queueStatement(db: Db, filter: QueueFilter, cursor: { at: string; id: string } | null) {
	const queries = queueQueries.get(filter)!;
	return cursor ? queries.after(db, cursor.at, cursor.id) : queries.first(db);
}

export async function listQueue(ctx: Ctx, actor: Actor, input: { status?: string | null; after?: string | null }): Promise<QueuePage> {
	authorize(actor, 'training:review_queue', null);
	const filter: QueueFilter = isQueueFilter(input.status) ? input.status : 'submitted';
	const rows = await executeRead<QueueRow>(ctx.db, queueStatement(ctx.db, filter, parseCursor(input.after)));
	const page = rows.slice(0, QUEUE_PAGE_SIZE);
	const last = page.at(-1);
	return {
		filter,
		items: page.map((r) => ({ id: r.id, learnerName: r.display_name, schoolName: r.school_name, status: r.status, version: r.current_version, submittedAt: r.submitted_at! })),
		next: rows.length > QUEUE_PAGE_SIZE && last ? `${last.submitted_at}_${last.id}` : null
	};
}

/**
 * The dashboard and the training hub say how many submissions wait, up to WAITING_COUNT_CAP ("more than 99"):
 * the count stops reading at the cap, so it costs the same at 100 or 30,000 waiting submissions (it read every
 * waiting row before: 7–24 ms a request at 50,000 submissions). Constants are written into the SQL text so
 * PostgreSQL's generic plan knows them (ADR 016 amendment).
 */
const waitingQuery = precompiled(0, (db) =>
	db
		.selectFrom((eb) => eb.selectFrom('training_submissions').select(sql.lit(1).as('one')).where('status', '=', sql.lit('submitted')).limit(sql.lit(WAITING_COUNT_CAP)).as('waiting'))
		.select((eb) => eb.fn.countAll<number>().as('n'))
);

/** Submissions waiting for a decision, at most WAITING_COUNT_CAP (shown as "more than 99"). */
export async function waitingCount(ctx: Ctx, actor: Actor): Promise<number> {
	authorize(actor, 'training:review_queue', null);
	const rows = await executeRead<{ n: number | string }>(ctx.db, waitingQuery(ctx.db));
	return Number(rows[0]?.n ?? 0);
}

export interface ReviewPageView extends SubmissionView {
	can: { review: boolean; ownSubmission: boolean };
}

/** One submission for the evaluator (audited read). Unknown, malformed or never-submitted ids → null (404). */
export async function getSubmissionForReview(ctx: Ctx, actor: Actor, input: { id: string }, meta: RequestMeta): Promise<ReviewPageView | null> {
	authorize(actor, 'training:review_queue', null);
	if (!looksLikeId(input.id)) return null;
	const row = await ctx.db.selectFrom('training_submissions').selectAll().where('id', '=', input.id.toLowerCase()).executeTakeFirst();
	// A draft that never reached the queue is the learner's private work.
	if (!row || row.submitted_at === null || !can(actor, 'training:submission_read', { ownerId: row.user_id })) return null;
	const view = await loadSubmissionView(ctx.db, row);
	const now = ctx.now();
	await ctx.db.transaction().execute((trx) =>
		appendAudit(trx, { actorId: actor.userId, action: 'training.submission_read', targetType: 'training_submission', targetId: row.id, outcome: 'success', ip: meta.ip, details: { version: row.current_version, status: row.status } }, now)
	);
	// Versions still being drafted after a return are the learner's work in progress: the evaluator sees submitted ones.
	view.versions = view.versions.filter((v) => v.submittedAt !== null);
	const ownSubmission = row.user_id === actor.userId;
	return { ...view, can: { review: row.status === 'submitted' && can(actor, 'training:submission_review', { ownerId: row.user_id }), ownSubmission } };
}

export interface ReviewInput {
	id: string;
	/** the version the evaluator read */
	version: number | string;
	decision: string;
	comment?: string | null;
}

export type ReviewResult = { ok: true; decision: ReviewDecision; awardId: string | null } | TrainingRefusal;

export async function reviewSubmission(ctx: Ctx, actor: Actor, input: ReviewInput, meta: RequestMeta): Promise<ReviewResult> {
	authorize(actor, 'training:review_queue', null);
	if (!looksLikeId(input.id)) return { ok: false, reason: 'not_found' };
	const id = input.id.toLowerCase();
	const now = ctx.now();
	const at = now.toISOString();

	return ctx.db.transaction().execute(async (trx): Promise<ReviewResult> => {
		const row = await trx.selectFrom('training_submissions').selectAll().where('id', '=', id).executeTakeFirst();
		if (!row || row.submitted_at === null) return { ok: false, reason: 'not_found' };
		if (!can(actor, 'training:submission_review', { ownerId: row.user_id })) {
			await appendAudit(trx, { actorId: actor.userId, action: 'training.review_refused', targetType: 'training_submission', targetId: row.id, outcome: 'denied', ip: meta.ip, details: { reason: 'self_review' } }, now);
			return { ok: false, reason: 'self_review', errors: { _form: { key: 'training.error.self_review' } } };
		}

		const errors: TrainingRefusalErrors = {};
		const decision = (REVIEW_DECISIONS as readonly string[]).includes(input.decision) ? (input.decision as ReviewDecision) : null;
		if (!decision) errors.decision = { key: 'training.error.decision_required' };
		const comment = (input.comment ?? '').replace(/\r\n?/g, '\n').trim();
		if (textLength(comment) > REVIEW_COMMENT_MAX) errors.comment = { key: 'training.error.comment_too_long', params: { max: REVIEW_COMMENT_MAX } };
		else if (decision === 'returned' && !comment) errors.comment = { key: 'training.error.comment_required' };
		else if (decision === 'rejected' && !comment) errors.comment = { key: 'training.error.reason_required' };
		const version = Number(input.version);
		if (Object.keys(errors).length || !decision) return { ok: false, reason: 'invalid', errors: { _form: { key: 'training.error.review_invalid' }, ...errors } };
		if (row.status !== 'submitted' || !Number.isInteger(version) || version !== row.current_version) {
			return { ok: false, reason: 'conflict', errors: { _form: { key: 'training.error.not_pending' } } };
		}

		// Only one decision per submitted version, even with two evaluators on the same submission at once.
		const claimed = await trx
			.updateTable('training_submissions')
			.set({ status: decision, reviewed_at: at, updated_at: at })
			.where('id', '=', row.id)
			.where('status', '=', 'submitted')
			.where('current_version', '=', version)
			.executeTakeFirst();
		if (Number(claimed.numUpdatedRows) !== 1) return { ok: false, reason: 'conflict', errors: { _form: { key: 'training.error.not_pending' } } };

		await trx.insertInto('training_reviews').values({ id: newId(), submission_id: row.id, version, reviewer_id: actor.userId, decision, comment: comment || null, created_at: at }).execute();

		let awardId: string | null = null;
		if (decision === 'approved') {
			const v = await trx.selectFrom('training_submission_versions').select('answers_json').where('submission_id', '=', row.id).where('version', '=', version).executeTakeFirstOrThrow();
			const answers = JSON.parse(v.answers_json) as Record<string, string>;
			const { reflections } = explorateurCourse();
			const evidence = reflections.questions.map((q) => ({ key: q.key, question: { fr: q.question.fr, en: q.question.en }, answer: answers[q.key] ?? '' }));
			const award = await createAward(
				trx,
				{ userId: row.user_id, level: 'explorateur', schoolId: (await learnerSchoolOf(trx, row.user_id)) ?? row.school_id, awardedBy: actor.userId, sourceType: 'explorateur_submission', sourceId: row.id, evidence },
				now
			);
			awardId = award.id;
			await trx.updateTable('training_submissions').set({ award_id: award.id }).where('id', '=', row.id).execute();
		}
		await appendAudit(
			trx,
			{ actorId: actor.userId, action: 'training.submission_reviewed', targetType: 'training_submission', targetId: row.id, outcome: 'success', ip: meta.ip, details: { decision, version, awardId } },
			now
		);
		return { ok: true, decision, awardId };
	});
}

type TrainingRefusalErrors = import('../../../forms').FieldErrors;
