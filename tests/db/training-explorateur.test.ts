/**
 * Explorateur end to end through the services, on the run's dialect: modules, knowledge check (every attempt
 * kept), drafts, submission, the evaluator's queue and decisions with every version kept, the award at
 * approval (with "pending coverage" for an uncovered school), and every refusal the brief lists — each a
 * clear result with a message key, never an exception, and nothing saved lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../src/lib/server/db/seed/demo';
import { ForbiddenError, type Actor } from '../../src/lib/server/policy';
import { newId } from '../../src/lib/server/crypto/tokens';
import { freezeEvidence, liveAward } from '../../src/lib/server/training/awards';
import {
	explorateurCourse,
	explorateurProgress,
	getSubmissionForReview,
	listQueue,
	markModuleRead,
	mySubmission,
	QUEUE_FILTERS,
	QUEUE_PAGE_SIZE,
	queueStatement,
	quizAttemptsOf,
	reviewSubmission,
	saveReflections,
	submitQuizAttempt
} from '../../src/lib/server/training/explorateur';
import { trainingCardFor } from '../../src/lib/server/training/explorateur/dashboard';
import { actorOf, auditRows, createTestContext, HOUR, lastAuditSeq, MINUTE, type TestContext } from './harness';

let ctx: TestContext;
const META = { ip: '203.0.113.7' };
const course = explorateurCourse();
const { quiz, reflections } = course;
const RIGHT = Object.fromEntries(quiz.questions.map((q) => [q.id, q.options.find((o) => o.correct)!.id]));
const WRONG = Object.fromEntries(quiz.questions.map((q) => [q.id, q.options.find((o) => !o.correct)!.id]));
const answers = (tag: string) => ({
	learned: `${tag} — J’ai appris que l’école ne qualifie jamais un dossier : elle protège, recueille les faits et appelle la police.`,
	changes: `${tag} — Je ne regarderai plus jamais les images et je cesserai les questions dès qu’il y a des signes de malveillance.`,
	focus: `${tag} — Mon attention ira à l’élève représenté : lui dire que ce n’est pas sa faute et l’orienter vers le CAVAC.`
});

let learner: Actor;
let evaluator: Actor;
let admin: Actor;
let otherLearner: Actor;

beforeAll(async () => {
	ctx = await createTestContext();
	learner = await actorOf(ctx, 'apprenant@sexto.test');
	evaluator = await actorOf(ctx, 'formateur@sexto.test');
	admin = await actorOf(ctx, 'admin@sexto.test');
	otherLearner = await actorOf(ctx, 'intervenant@sexto.test');
});
afterAll(async () => {
	await ctx?.close();
});

/** The dashboard card counts steps with its own single query: it must agree with the hub's full progress. */
async function expectCardAgrees(who: Actor, stepsDone: number) {
	const progress = await explorateurProgress(ctx.db, who.userId);
	expect(progress.stepsDone).toBe(stepsDone);
	const card = await trainingCardFor(ctx, who);
	expect(card?.explorateur).toEqual({ stepsDone, stepsTotal: progress.stepsTotal });
}

async function passQuiz(who: Actor) {
	const r = await submitQuizAttempt(ctx, who, { answers: RIGHT }, META);
	expect(r.ok).toBe(true);
}

async function submitted(who: Actor, tag: string) {
	await passQuiz(who);
	const r = await saveReflections(ctx, who, { answers: answers(tag), submit: true }, META);
	if (!r.ok) throw new Error(JSON.stringify(r));
	return r;
}

describe('Explorateur: learner → evaluator → award', () => {
	let submissionId = '';

	it('marks modules read once each (audited once), refuses an unknown module', async () => {
		const before = await lastAuditSeq(ctx);
		for (const m of course.modules) expect(await markModuleRead(ctx, learner, { moduleId: m.id }, META)).toEqual({ ok: true });
		expect(await markModuleRead(ctx, learner, { moduleId: course.modules[0]!.id }, META)).toEqual({ ok: true });
		expect(await markModuleRead(ctx, learner, { moduleId: '../etc/passwd' }, META)).toEqual({ ok: false, reason: 'not_found' });
		const rows = (await auditRows(ctx, before)).filter((r) => r.action === 'training.module_read');
		expect(rows.map((r) => r.target_id)).toEqual(course.modules.map((m) => m.id));
		expect((await explorateurProgress(ctx.db, learner.userId)).modules.read).toHaveLength(course.modules.length);
		await expectCardAgrees(learner, 1);
	});

	it('keeps every quiz attempt; an incomplete or forged attempt is refused per question and not kept', async () => {
		const incomplete = await submitQuizAttempt(ctx, learner, { answers: { ...RIGHT, [quiz.questions[0]!.id]: undefined, [quiz.questions[1]!.id]: 'forged' } }, META);
		expect(incomplete).toMatchObject({ ok: false, reason: 'invalid', errors: { _form: { key: 'training.error.quiz_incomplete' }, [quiz.questions[0]!.id]: { key: 'training.error.choose_one' }, [quiz.questions[1]!.id]: { key: 'training.error.unknown_option' } } });
		const failed = await submitQuizAttempt(ctx, learner, { answers: WRONG }, META);
		expect(failed.ok && failed.score).toMatchObject({ score: 0, passed: false });
		ctx.clock.advance(MINUTE);
		const passed = await submitQuizAttempt(ctx, learner, { answers: RIGHT }, META);
		expect(passed.ok && passed.score).toMatchObject({ score: quiz.questions.length, passed: true });
		const attempts = await quizAttemptsOf(ctx.db, learner.userId);
		expect(attempts.map((a) => a.passed)).toEqual([true, false]);
		expect(attempts[1]!.answers).toEqual(WRONG);
		await expectCardAgrees(learner, 2);
	});

	it('refuses empty, whitespace-only and over-long answers with field errors; a draft keeps short work', async () => {
		const bad = await saveReflections(ctx, learner, { answers: { learned: '', changes: '   \n\t ', focus: 'x'.repeat(reflections.maxLength + 1) }, submit: true }, META);
		expect(bad).toEqual({
			ok: false,
			reason: 'invalid',
			errors: {
				_form: { key: 'training.error.submit_invalid' },
				learned: { key: 'training.error.answer_required' },
				changes: { key: 'training.error.answer_required' },
				focus: { key: 'training.error.answer_too_long', params: { max: reflections.maxLength } }
			}
		});
		const short = await saveReflections(ctx, learner, { answers: { learned: 'Trop court', changes: answers('v1').changes, focus: answers('v1').focus }, submit: true }, META);
		expect(short).toMatchObject({ ok: false, errors: { learned: { key: 'training.error.answer_too_short', params: { min: reflections.minLength } } } });
		const tooLongDraft = await saveReflections(ctx, learner, { answers: { learned: 'y'.repeat(reflections.maxLength + 1) }, submit: false }, META);
		expect(tooLongDraft).toMatchObject({ ok: false, errors: { learned: { key: 'training.error.answer_too_long' } } });
		expect(await mySubmission(ctx, learner)).toBeNull();

		const draft = await saveReflections(ctx, learner, { answers: { learned: 'Début de réponse', changes: '', focus: '' }, submit: false }, META);
		expect(draft).toMatchObject({ ok: true, version: 1, status: 'draft' });
		const again = await saveReflections(ctx, learner, { answers: answers('v1'), submit: false }, META);
		expect(again).toMatchObject({ ok: true, version: 1, status: 'draft' });
		const mine = await mySubmission(ctx, learner);
		expect(mine?.versions).toHaveLength(1);
		expect(mine?.versions[0]!.answers).toEqual(answers('v1'));
	});

	it('a draft never shows in the evaluator queue nor opens for review', async () => {
		const q = await listQueue(ctx, evaluator, { status: 'all' });
		expect(q.items).toHaveLength(0);
		const mine = (await mySubmission(ctx, learner))!;
		expect(await getSubmissionForReview(ctx, evaluator, { id: mine.id }, META)).toBeNull();
		expect(await reviewSubmission(ctx, evaluator, { id: mine.id, version: 1, decision: 'approved' }, META)).toEqual({ ok: false, reason: 'not_found' });
	});

	it('submits (audited), then refuses to edit or resubmit a pending submission', async () => {
		ctx.clock.advance(HOUR);
		const before = await lastAuditSeq(ctx);
		const r = await saveReflections(ctx, learner, { answers: answers('v1'), submit: true }, META);
		expect(r).toMatchObject({ ok: true, version: 1, status: 'submitted' });
		submissionId = r.ok ? r.submissionId : '';
		const rows = await auditRows(ctx, before);
		expect(rows.map((x) => x.action)).toEqual(['training.reflections_submitted']);
		await expectCardAgrees(learner, 3);
		expect((await trainingCardFor(ctx, evaluator))?.waiting).toBeGreaterThanOrEqual(1);
		expect(rows[0]).toMatchObject({ actor_id: learner.userId, target_id: submissionId, ip: META.ip, details: { version: 1, status: 'submitted' } });
		expect(JSON.stringify(rows[0]!.details)).not.toContain('appris');

		for (const submit of [true, false]) {
			const again = await saveReflections(ctx, learner, { answers: answers('sneaky edit'), submit }, META);
			expect(again).toEqual({ ok: false, reason: 'locked', status: 'submitted', errors: { _form: { key: 'training.error.already_submitted' } } });
		}
		expect((await mySubmission(ctx, learner))!.versions[0]!.answers).toEqual(answers('v1'));
	});

	it('lists it in the queue, oldest first; admin and learners may not open the queue', async () => {
		const q = await listQueue(ctx, evaluator, {});
		expect(q.filter).toBe('submitted');
		expect(q.items.map((i) => [i.id, i.learnerName, i.status, i.version])).toEqual([[submissionId, 'Émilie Roy', 'submitted', 1]]);
		expect(q.items[0]!.schoolName).toMatch(/Hauts-Bois/);
		await expect(listQueue(ctx, admin, {})).rejects.toBeInstanceOf(ForbiddenError);
		await expect(listQueue(ctx, learner, {})).rejects.toBeInstanceOf(ForbiddenError);
		await expect(getSubmissionForReview(ctx, otherLearner, { id: submissionId }, META)).rejects.toBeInstanceOf(ForbiddenError);
	});

	it('forged, malformed and unknown ids are "not found"', async () => {
		for (const id of ['not-a-uuid', "' or 1=1 --", newId(), '']) {
			expect(await getSubmissionForReview(ctx, evaluator, { id }, META)).toBeNull();
			expect(await reviewSubmission(ctx, evaluator, { id, version: 1, decision: 'approved' }, META)).toEqual({ ok: false, reason: 'not_found' });
		}
	});

	it('a return needs a comment, a rejection a reason; a forged decision or stale version changes nothing', async () => {
		expect(await reviewSubmission(ctx, evaluator, { id: submissionId, version: 1, decision: 'returned', comment: '   ' }, META)).toMatchObject({ ok: false, reason: 'invalid', errors: { comment: { key: 'training.error.comment_required' } } });
		expect(await reviewSubmission(ctx, evaluator, { id: submissionId, version: 1, decision: 'rejected' }, META)).toMatchObject({ ok: false, reason: 'invalid', errors: { comment: { key: 'training.error.reason_required' } } });
		expect(await reviewSubmission(ctx, evaluator, { id: submissionId, version: 1, decision: 'awarded' }, META)).toMatchObject({ ok: false, reason: 'invalid', errors: { decision: { key: 'training.error.decision_required' } } });
		expect(await reviewSubmission(ctx, evaluator, { id: submissionId, version: 1, decision: 'returned', comment: 'z'.repeat(2001) }, META)).toMatchObject({ ok: false, errors: { comment: { key: 'training.error.comment_too_long' } } });
		expect(await reviewSubmission(ctx, evaluator, { id: submissionId, version: 7, decision: 'approved' }, META)).toEqual({ ok: false, reason: 'conflict', errors: { _form: { key: 'training.error.not_pending' } } });
		expect((await mySubmission(ctx, learner))!.status).toBe('submitted');
	});

	it('the evaluator reads it (audited) and returns it with a comment the learner sees', async () => {
		const before = await lastAuditSeq(ctx);
		const view = await getSubmissionForReview(ctx, evaluator, { id: submissionId.toUpperCase() }, META);
		expect(view?.can).toEqual({ review: true, ownSubmission: false });
		expect(view?.versions.map((v) => v.version)).toEqual([1]);
		ctx.clock.advance(HOUR);
		const r = await reviewSubmission(ctx, evaluator, { id: submissionId, version: 1, decision: 'returned', comment: 'Précisez ce que vous ferez autrement.' }, META);
		expect(r).toEqual({ ok: true, decision: 'returned', awardId: null });
		const rows = await auditRows(ctx, before);
		expect(rows.map((x) => [x.action, x.outcome])).toEqual([
			['training.submission_read', 'success'],
			['training.submission_reviewed', 'success']
		]);
		expect(rows[1]!.details).toEqual({ decision: 'returned', version: 1, awardId: null });
		const mine = (await mySubmission(ctx, learner))!;
		expect(mine.status).toBe('returned');
		expect(mine.reviews.map((x) => [x.decision, x.comment, x.reviewerName])).toEqual([['returned', 'Précisez ce que vous ferez autrement.', 'Nadia Cool']]);
		// a second decision on the same version is refused
		expect(await reviewSubmission(ctx, evaluator, { id: submissionId, version: 1, decision: 'approved' }, META)).toMatchObject({ ok: false, reason: 'conflict' });
	});

	it('the learner edits a new version (version 1 stays as reviewed) and resubmits', async () => {
		const draft = await saveReflections(ctx, learner, { answers: answers('v2 draft'), submit: false }, META);
		expect(draft).toMatchObject({ ok: true, version: 2, status: 'draft' });
		// while the learner drafts, the evaluator sees only submitted versions
		const evalView = await getSubmissionForReview(ctx, evaluator, { id: submissionId }, META);
		expect(evalView?.versions.map((v) => v.version)).toEqual([1]);
		expect(evalView?.can.review).toBe(false);
		ctx.clock.advance(HOUR);
		const sub = await saveReflections(ctx, learner, { answers: answers('v2'), submit: true }, META);
		expect(sub).toMatchObject({ ok: true, version: 2, status: 'submitted' });
		const mine = (await mySubmission(ctx, learner))!;
		expect(mine.versions.map((v) => [v.version, v.answers.learned?.slice(0, 2), v.submittedAt !== null])).toEqual([
			[2, 'v2', true],
			[1, 'v1', true]
		]);
		// back in the queue, with its new submission time
		const q = await listQueue(ctx, evaluator, { status: 'submitted' });
		expect(q.items.map((i) => [i.id, i.version])).toEqual([[submissionId, 2]]);
	});

	it('approval creates the award in the same transaction, with the frozen answers of the approved version', async () => {
		ctx.clock.advance(HOUR);
		const before = await lastAuditSeq(ctx);
		const r = await reviewSubmission(ctx, evaluator, { id: submissionId, version: 2, decision: 'approved', comment: '' }, META);
		expect(r.ok).toBe(true);
		const award = await liveAward(ctx.db, learner.userId, 'explorateur');
		expect(award).not.toBeNull();
		expect(r.ok && r.awardId).toBe(award!.id);
		expect(award).toMatchObject({ status: 'awarded', pending_reason: null, school_id: DEMO_IDS.schoolCovered, awarded_by: evaluator.userId, source_type: 'explorateur_submission', source_id: submissionId, awarded_at: ctx.now().toISOString() });
		const evidence = reflections.questions.map((q) => ({ key: q.key, question: { fr: q.question.fr, en: q.question.en }, answer: answers('v2')[q.key as 'learned'] }));
		expect(JSON.parse(award!.evidence_json)).toEqual(evidence);
		expect(award!.evidence_hash).toBe(freezeEvidence(evidence).hash);
		const rows = await auditRows(ctx, before);
		expect(rows.map((x) => x.action)).toEqual(['training.award_created', 'training.submission_reviewed']);
		expect(rows[1]!.details).toEqual({ decision: 'approved', version: 2, awardId: award!.id });
		const progress = await explorateurProgress(ctx.db, learner.userId);
		expect(progress).toMatchObject({ stepsDone: 4, reflections: { status: 'approved', latestDecision: 'approved' }, award: { id: award!.id, status: 'awarded' } });
		await expectCardAgrees(learner, 4);
	});

	it('refuses to edit or resubmit an approved submission', async () => {
		for (const submit of [true, false]) {
			expect(await saveReflections(ctx, learner, { answers: answers('v3'), submit }, META)).toEqual({ ok: false, reason: 'locked', status: 'approved', errors: { _form: { key: 'training.error.already_approved' } } });
		}
		const mine = (await mySubmission(ctx, learner))!;
		expect(mine.versions).toHaveLength(2);
		expect(mine.status).toBe('approved');
	});
});

describe('Explorateur: refusals and coverage', () => {
	it('submitting before passing the knowledge check is refused, the text is not lost as a draft stays possible', async () => {
		const who = otherLearner;
		const r = await saveReflections(ctx, who, { answers: answers('early'), submit: true }, META);
		expect(r).toEqual({ ok: false, reason: 'invalid', errors: { _form: { key: 'training.error.quiz_required' } } });
		expect(await saveReflections(ctx, who, { answers: answers('early'), submit: false }, META)).toMatchObject({ ok: true, status: 'draft' });
	});

	it('an evaluator never reviews their own submission (refusal audited)', async () => {
		// the trainer also enrols as a learner
		await ctx.db.insertInto('memberships').values({ id: newId(), user_id: evaluator.userId, role: 'learner', scope_type: 'platform', scope_id: null, created_at: ctx.now().toISOString(), created_by: null }).execute();
		const trainerLearner = await actorOf(ctx, 'formateur@sexto.test');
		const s = await submitted(trainerLearner, 'own');
		const view = await getSubmissionForReview(ctx, trainerLearner, { id: s.submissionId }, META);
		expect(view?.can).toEqual({ review: false, ownSubmission: true });
		const before = await lastAuditSeq(ctx);
		const r = await reviewSubmission(ctx, trainerLearner, { id: s.submissionId, version: 1, decision: 'approved' }, META);
		expect(r).toEqual({ ok: false, reason: 'self_review', errors: { _form: { key: 'training.error.self_review' } } });
		const rows = await auditRows(ctx, before);
		expect(rows.map((x) => [x.action, x.outcome, x.target_id])).toEqual([['training.review_refused', 'denied', s.submissionId]]);
		expect(await liveAward(ctx.db, trainerLearner.userId, 'explorateur')).toBeNull();
		expect((await mySubmission(ctx, trainerLearner))!.status).toBe('submitted');
	});

	it('a platform-level learner (no school) is awarded "pending coverage: no_school"', async () => {
		const pending = (await listQueue(ctx, evaluator, { status: 'submitted' })).items.find((i) => i.learnerName === 'Nadia Cool')!;
		expect(pending.schoolName).toBeNull();
		// another evaluator approves it
		const second = newId();
		await ctx.db.insertInto('users').values({ id: second, email: 'formateur2@sexto.test', display_name: 'Second Trainer', password_hash: null, locale: 'fr', created_at: ctx.now().toISOString(), disabled_at: null }).execute();
		await ctx.db.insertInto('memberships').values({ id: newId(), user_id: second, role: 'trainer_evaluator', scope_type: 'platform', scope_id: null, created_at: ctx.now().toISOString(), created_by: null }).execute();
		const r = await reviewSubmission(ctx, { userId: second, grants: [{ role: 'trainer_evaluator', scopeType: 'platform', scopeId: null }] }, { id: pending.id, version: 1, decision: 'approved' }, META);
		expect(r.ok).toBe(true);
		expect(await liveAward(ctx.db, evaluator.userId, 'explorateur')).toMatchObject({ status: 'pending_coverage', pending_reason: 'no_school', school_id: null });
	});

	it('the principal of DEMO-002 (no agreement in force) trains and gets an award "pending coverage" with the reason', async () => {
		const lacVert = await actorOf(ctx, 'direction.lacvert@sexto.test');
		for (const m of course.modules) await markModuleRead(ctx, lacVert, { moduleId: m.id }, META);
		const s = await submitted(lacVert, 'lac-vert');
		const r = await reviewSubmission(ctx, evaluator, { id: s.submissionId, version: 1, decision: 'approved' }, META);
		expect(r.ok).toBe(true);
		const award = await liveAward(ctx.db, lacVert.userId, 'explorateur');
		expect(award).toMatchObject({ status: 'pending_coverage', pending_reason: 'school_not_covered', school_id: DEMO_IDS.schoolOther });
		const progress = await explorateurProgress(ctx.db, lacVert.userId);
		expect(progress.award).toMatchObject({ status: 'pending_coverage', pendingReason: 'school_not_covered' });
	});

	it('a rejection closes the submission with its reason; the learner may start a fresh one', async () => {
		const who = await actorOf(ctx, 'direction@sexto.test');
		const s = await submitted(who, 'first');
		expect(await reviewSubmission(ctx, evaluator, { id: s.submissionId, version: 1, decision: 'rejected', comment: 'Réponses copiées d’une autre personne.' }, META)).toMatchObject({ ok: true, decision: 'rejected' });
		const rejected = (await mySubmission(ctx, who))!;
		expect(rejected).toMatchObject({ id: s.submissionId, status: 'rejected' });
		expect(rejected.reviews[0]).toMatchObject({ decision: 'rejected', comment: 'Réponses copiées d’une autre personne.' });
		const fresh = await saveReflections(ctx, who, { answers: answers('fresh'), submit: false }, META);
		expect(fresh).toMatchObject({ ok: true, version: 1, status: 'draft' });
		expect(fresh.ok && fresh.submissionId).not.toBe(s.submissionId);
		// Quiz passed; the rejected submission no longer counts and the fresh one is a draft.
		await expectCardAgrees(who, 1);
		const rejectedList = await listQueue(ctx, evaluator, { status: 'rejected' });
		expect(rejectedList.items.map((i) => i.id)).toEqual([s.submissionId]);
	});

	it('pages the queue oldest first with a keyset cursor (no item twice, none missing)', async () => {
		const at0 = new Date('2026-01-05T10:00:00.000Z').getTime();
		const ids: string[] = [];
		const total = QUEUE_PAGE_SIZE + 7;
		for (let i = 0; i < total; i++) {
			const userId = newId();
			const id = newId();
			// two submissions share each timestamp, to exercise the (submitted_at, id) tie-break
			const at = new Date(at0 + Math.floor(i / 2) * MINUTE).toISOString();
			await ctx.db.insertInto('users').values({ id: userId, email: `queue${i}@sexto.test`, display_name: `Queue ${i}`, password_hash: null, locale: 'fr', created_at: at, disabled_at: null }).execute();
			await ctx.db.insertInto('training_submissions').values({ id, user_id: userId, school_id: DEMO_IDS.schoolCovered, status: 'submitted', current_version: 1, submitted_at: at, reviewed_at: null, award_id: null, created_at: at, updated_at: at }).execute();
			ids.push(id);
		}
		const first = await listQueue(ctx, evaluator, { status: 'submitted' });
		expect(first.items).toHaveLength(QUEUE_PAGE_SIZE);
		expect(first.next).not.toBeNull();
		const second = await listQueue(ctx, evaluator, { status: 'submitted', after: first.next });
		expect(second.next).toBeNull();
		const seen = [...first.items, ...second.items].map((i) => i.id);
		expect(new Set(seen).size).toBe(seen.length);
		// the generated ones are older than the earlier test submissions, so they come first, in (time, id) order
		const expected = [...ids].map((id, i) => ({ id, at: Math.floor(i / 2) })).sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1)).map((x) => x.id);
		expect(seen.slice(0, total)).toEqual(expected);
		// a forged cursor is the first page again, a forged filter is "submitted"
		expect((await listQueue(ctx, evaluator, { status: "x' or 1=1", after: 'garbage' })).items.map((i) => i.id)).toEqual(first.items.map((i) => i.id));
	});

	it('each queue page is a fixed statement: only the cursor is bound (PostgreSQL keeps one plan per text)', () => {
		const cursor = { at: '2026-03-02T14:00:00.000Z', id: newId() };
		const texts = new Set<string>();
		for (const filter of QUEUE_FILTERS) {
			const first = queueStatement(ctx.db, filter, null);
			const after = queueStatement(ctx.db, filter, cursor);
			expect(first.parameters).toEqual([]);
			expect(after.parameters).toEqual([cursor.at, cursor.id]);
			expect(first.sql.endsWith(` limit ${QUEUE_PAGE_SIZE + 1}`)).toBe(true);
			if (filter !== 'all') expect(first.sql).toContain(`= '${filter}'`);
			texts.add(first.sql).add(after.sql);
		}
		expect(texts.size).toBe(QUEUE_FILTERS.length * 2);
	});
});
