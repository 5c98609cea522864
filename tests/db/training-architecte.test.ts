/**
 * The Architecte level on a real database (both dialects): the Explorateur prerequisite, playing a case
 * (every choice stored with its time, audited), forged and replayed POSTs refused without writing anything,
 * double submits idempotent, retries kept, the award created in the transaction of the third pass, the
 * evaluator's view of a full path and validation, and another learner's attempt reading as not found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../src/lib/server/db/seed/demo';
import { ForbiddenError, type Actor } from '../../src/lib/server/policy';
import { createAward, liveAward } from '../../src/lib/server/training/awards';
import { architecteProgress, attemptPath, casePlay, listAttempts, recordChoice, startAttempt, validateLevel } from '../../src/lib/server/training/architecte';
import { actorOf, auditRows, createTestContext, lastAuditSeq, MINUTE, type TestContext } from './harness';

let ctx: TestContext;
let learner: Actor;
let other: Actor;
let evaluator: Actor;
let admin: Actor;
const META = { ip: '203.0.113.7' };

const MODEL: Record<string, string[]> = {
	'echange-couple': ['ecouter', 'verifier_signaux', 'rencontrer_samuel', 'securiser', 'appeler_police', 'soutien'],
	'partage-groupe-classe': ['accueillir', 'verifier', 'appeler', 'soutenir', 'sceller'],
	'sextorsion-adulte': ['rassurer', 'cocher', 'appeler', 'preserver', 'securite']
};
const SEXTORTION_DELAYED = ['rassurer', 'cocher', 'finir_kit', 'appeler_enfin', 'preserver', 'securite'];

async function giveExplorateur(actor: Actor): Promise<void> {
	await ctx.db.transaction().execute((trx) =>
		createAward(trx, { userId: actor.userId, level: 'explorateur', schoolId: DEMO_IDS.schoolCovered, awardedBy: null, sourceType: 'explorateur_submission', sourceId: `test-${actor.userId}`, evidence: { test: true } }, ctx.now())
	);
}

/** Plays a whole path through the service (the current scene of each step read from the play view). */
async function play(actor: Actor, caseId: string, choices: string[]): Promise<string> {
	const started = await startAttempt(ctx, actor, { caseId }, META);
	if (!started.ok) throw new Error(`start refused: ${started.reason}`);
	for (const choiceId of choices) {
		const view = (await casePlay(ctx, actor, { caseId }, META))!;
		ctx.clock.advance(MINUTE);
		const r = await recordChoice(ctx, actor, { attemptId: started.attemptId, sceneId: view.attempt!.scene!.id, choiceId }, META);
		if (!r.ok) throw new Error(`choice ${choiceId} refused: ${r.reason}`);
	}
	return started.attemptId;
}

const choiceCount = async (attemptId: string) => Number((await ctx.db.selectFrom('training_architecte_choices').select((eb) => eb.fn.countAll().as('n')).where('attempt_id', '=', attemptId).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
	ctx = await createTestContext();
	learner = await actorOf(ctx, 'apprenant@sexto.test');
	other = await actorOf(ctx, 'intervenant@sexto.test');
	evaluator = await actorOf(ctx, 'formateur@sexto.test');
	admin = await actorOf(ctx, 'admin@sexto.test');
});
afterAll(async () => {
	await ctx?.close();
});

describe('Architecte level', () => {
	it('is locked without a live Explorateur award, with the reason, and the refusal is audited', async () => {
		const seq = await lastAuditSeq(ctx);
		expect(await startAttempt(ctx, learner, { caseId: 'sextorsion-adulte' }, META)).toEqual({ ok: false, reason: 'explorateur_required' });
		const progress = await architecteProgress(ctx.db, learner.userId);
		expect(progress).toMatchObject({ eligible: false, explorateur: 'missing', passed: 0, total: 3, percent: 0, award: null });
		expect(progress.cases.map((c) => c.id)).toEqual(['echange-couple', 'partage-groupe-classe', 'sextorsion-adulte']);
		const audit = await auditRows(ctx, seq);
		expect(audit.map((a) => [a.action, a.outcome, a.details.reason])).toEqual([['training.architecte_attempt_started', 'denied', 'explorateur_required']]);
		expect(await ctx.db.selectFrom('training_architecte_attempts').selectAll().execute()).toEqual([]);
	});

	it('refuses an unknown case and a person who is not in training', async () => {
		await giveExplorateur(learner);
		expect(await startAttempt(ctx, learner, { caseId: 'pas-un-cas' }, META)).toEqual({ ok: false, reason: 'not_found' });
		await expect(startAttempt(ctx, admin, { caseId: 'sextorsion-adulte' }, META)).rejects.toBeInstanceOf(ForbiddenError);
	});

	let failedAttempt = '';

	it('plays case 3 with a critical error: every choice stored with its time, the attempt failed, all audited', async () => {
		const seq = await lastAuditSeq(ctx);
		const first = await startAttempt(ctx, learner, { caseId: 'sextorsion-adulte' }, META);
		expect(first).toMatchObject({ ok: true, resumed: false });
		// starting again resumes the attempt in progress
		expect(await startAttempt(ctx, learner, { caseId: 'sextorsion-adulte' }, META)).toEqual({ ok: true, attemptId: (first as { attemptId: string }).attemptId, resumed: true });
		failedAttempt = (first as { attemptId: string }).attemptId;
		for (const choiceId of SEXTORTION_DELAYED) {
			const view = (await casePlay(ctx, learner, { caseId: 'sextorsion-adulte' }, META))!;
			ctx.clock.advance(2 * MINUTE);
			const r = await recordChoice(ctx, learner, { attemptId: failedAttempt, sceneId: view.attempt!.scene!.id, choiceId }, META);
			expect(r.ok).toBe(true);
		}
		const attempt = await ctx.db.selectFrom('training_architecte_attempts').selectAll().where('id', '=', failedAttempt).executeTakeFirstOrThrow();
		expect(attempt).toMatchObject({ status: 'failed', score: 13, max_score: 15, pass_score: 12, step_count: 6, critical_errors: '["delayed_call"]', case_version: '1.0.0' });
		expect(attempt.finished_at).toBe(ctx.now().toISOString());
		const choices = await ctx.db.selectFrom('training_architecte_choices').selectAll().where('attempt_id', '=', failedAttempt).orderBy('seq').execute();
		expect(choices.map((c) => [c.seq, c.choice_id, c.points])).toEqual([
			[1, 'rassurer', 3],
			[2, 'cocher', 3],
			[3, 'finir_kit', 0],
			[4, 'appeler_enfin', 1],
			[5, 'preserver', 3],
			[6, 'securite', 3]
		]);
		expect(choices[2]!.critical_errors).toBe('["delayed_call"]');
		expect(new Set(choices.map((c) => c.chosen_at)).size).toBe(6);
		const audit = await auditRows(ctx, seq);
		expect(audit.map((a) => a.action)).toEqual([
			'training.architecte_attempt_started',
			...SEXTORTION_DELAYED.map(() => 'training.architecte_choice_recorded'),
			'training.architecte_attempt_finished'
		]);
		expect(audit.at(-1)!.details).toMatchObject({ status: 'failed', score: 13, critical: 'delayed_call' });
		expect(audit[3]!.details).toMatchObject({ choiceId: 'finir_kit', critical: 'delayed_call', seq: 3 });
		expect(audit.every((a) => a.ip === META.ip && a.actor_id === learner.userId)).toBe(true);
		// the debrief is shown on the play page
		const view = (await casePlay(ctx, learner, { caseId: 'sextorsion-adulte' }, META))!;
		expect(view.attempt!.debrief).toMatchObject({ passed: false, score: 13, critical: ['delayed_call'] });
		expect(view.attempt!.scene).toBeNull();
	});

	it('refuses a replay of the finished attempt (forged POST) without writing, but a resubmitted last step is idempotent', async () => {
		const seq = await lastAuditSeq(ctx);
		expect(await recordChoice(ctx, learner, { attemptId: failedAttempt, sceneId: 'appel', choiceId: 'appeler' }, META)).toEqual({ ok: false, reason: 'finished' });
		expect(await recordChoice(ctx, learner, { attemptId: failedAttempt, sceneId: 'fin', choiceId: 'x' }, META)).toEqual({ ok: false, reason: 'finished' });
		expect(await recordChoice(ctx, learner, { attemptId: failedAttempt, sceneId: 'detresse', choiceId: 'securite' }, META)).toEqual({ ok: true, duplicate: true, finished: true, passed: false, awardId: null });
		expect(await choiceCount(failedAttempt)).toBe(6);
		const audit = await auditRows(ctx, seq);
		expect(audit.map((a) => [a.action, a.outcome, a.details.reason])).toEqual([
			['training.architecte_choice_recorded', 'denied', 'finished'],
			['training.architecte_choice_recorded', 'denied', 'finished']
		]);
	});

	let passedAttempt = '';

	it('refuses a choice the current scene does not offer, is idempotent on a double submit, then passes on retry', async () => {
		const started = await startAttempt(ctx, learner, { caseId: 'sextorsion-adulte' }, META);
		if (!started.ok) throw new Error(started.reason);
		expect(started.resumed).toBe(false);
		passedAttempt = started.attemptId;
		// forged: a choice of a later scene, a made-up choice, a scene that is not the current one
		expect(await recordChoice(ctx, learner, { attemptId: passedAttempt, sceneId: 'confidence', choiceId: 'appeler' }, META)).toEqual({ ok: false, reason: 'not_offered' });
		expect(await recordChoice(ctx, learner, { attemptId: passedAttempt, sceneId: 'confidence', choiceId: '<script>' }, META)).toEqual({ ok: false, reason: 'not_offered' });
		expect(await recordChoice(ctx, learner, { attemptId: passedAttempt, sceneId: 'appel', choiceId: 'appeler' }, META)).toEqual({ ok: false, reason: 'stale' });
		expect(await choiceCount(passedAttempt)).toBe(0);
		// the same step twice (double click): one row
		const a = await recordChoice(ctx, learner, { attemptId: passedAttempt, sceneId: 'confidence', choiceId: 'rassurer' }, META);
		const b = await recordChoice(ctx, learner, { attemptId: passedAttempt, sceneId: 'confidence', choiceId: 'rassurer' }, META);
		expect(a).toMatchObject({ ok: true, duplicate: false });
		expect(b).toMatchObject({ ok: true, duplicate: true });
		// the same step again with another choice (an old page): refused
		expect(await recordChoice(ctx, learner, { attemptId: passedAttempt, sceneId: 'confidence', choiceId: 'montrer' }, META)).toEqual({ ok: false, reason: 'stale' });
		expect(await choiceCount(passedAttempt)).toBe(1);
		// two submits of the next step at the same time: exactly one is recorded
		const both = await Promise.all([
			recordChoice(ctx, learner, { attemptId: passedAttempt, sceneId: 'signaux', choiceId: 'cocher' }, META),
			recordChoice(ctx, learner, { attemptId: passedAttempt, sceneId: 'signaux', choiceId: 'cocher' }, META)
		]);
		expect(both.filter((r) => r.ok && !r.duplicate)).toHaveLength(1);
		expect(await choiceCount(passedAttempt)).toBe(2);
		for (const [sceneId, choiceId] of [['appel', 'appeler'], ['pendant', 'preserver'], ['detresse', 'securite']] as const) {
			ctx.clock.advance(MINUTE);
			expect(await recordChoice(ctx, learner, { attemptId: passedAttempt, sceneId, choiceId }, META)).toMatchObject({ ok: true, duplicate: false });
		}
		const row = await ctx.db.selectFrom('training_architecte_attempts').selectAll().where('id', '=', passedAttempt).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ status: 'passed', score: 15, critical_errors: '[]' });
		// every attempt is kept
		const view = (await casePlay(ctx, learner, { caseId: 'sextorsion-adulte' }, META))!;
		expect(view.history.map((h) => [h.id, h.status])).toEqual([
			[passedAttempt, 'passed'],
			[failedAttempt, 'failed']
		]);
		// an older attempt's debrief can be shown again
		expect((await casePlay(ctx, learner, { caseId: 'sextorsion-adulte', attemptId: failedAttempt }, META))!.attempt!.id).toBe(failedAttempt);
	});

	it("keeps another learner out of an attempt: not found, audited, nothing written", async () => {
		await giveExplorateur(other);
		const seq = await lastAuditSeq(ctx);
		expect(await attemptPath(ctx, other, { attemptId: failedAttempt }, META)).toBeNull();
		expect(await attemptPath(ctx, admin, { attemptId: failedAttempt }, META)).toBeNull();
		expect(await recordChoice(ctx, other, { attemptId: passedAttempt, sceneId: 'fin', choiceId: 'x' }, META)).toEqual({ ok: false, reason: 'not_found' });
		expect(await recordChoice(ctx, evaluator, { attemptId: passedAttempt, sceneId: 'fin', choiceId: 'x' }, META)).toEqual({ ok: false, reason: 'not_found' });
		expect(await attemptPath(ctx, other, { attemptId: 'not-an-id' }, META)).toBeNull();
		const audit = await auditRows(ctx, seq);
		expect(audit.every((a) => a.outcome === 'denied')).toBe(true);
		expect(audit.map((a) => a.action)).toEqual([
			'training.architecte_attempt_read',
			'training.architecte_attempt_read',
			'training.architecte_choice_recorded',
			'training.architecte_choice_recorded',
			'training.architecte_attempt_read'
		]);
		expect(await choiceCount(passedAttempt)).toBe(5);
	});

	it("shows the evaluator an attempt's full path: choices, times, feedback, critical errors, score (audited read)", async () => {
		const seq = await lastAuditSeq(ctx);
		const path = (await attemptPath(ctx, evaluator, { attemptId: failedAttempt }, META))!;
		expect(path.attempt).toMatchObject({ status: 'failed', score: 13, maxScore: 15, learner: { id: learner.userId, name: 'Émilie Roy' } });
		expect(path.steps.map((s) => [s.seq, s.sceneId, s.choiceId, s.points, s.seconds])).toEqual([
			[1, 'confidence', 'rassurer', 3, 120],
			[2, 'signaux', 'cocher', 3, 120],
			[3, 'appel', 'finir_kit', 0, 120],
			[4, 'retard', 'appeler_enfin', 1, 120],
			[5, 'pendant', 'preserver', 3, 120],
			[6, 'detresse', 'securite', 3, 120]
		]);
		expect(path.steps[2]!.critical.map((c) => c.id)).toEqual(['delayed_call']);
		expect(path.steps[2]!.feedback.fr).toContain('Erreur critique');
		expect(path.steps[2]!.protocol.callNow).toBe(true);
		expect(path.outcome).toMatchObject({ passed: false, score: 13, passScore: 12 });
		expect(path.ownAttempt).toBe(false);
		const audit = await auditRows(ctx, seq);
		expect(audit.map((a) => [a.action, a.outcome, a.target_id, a.actor_id])).toEqual([['training.architecte_attempt_read', 'success', failedAttempt, evaluator.userId]]);
		// the owner reads their own path too (not audited: nobody else's record)
		expect((await attemptPath(ctx, learner, { attemptId: failedAttempt }, META))!.ownAttempt).toBe(true);
	});

	it('creates the Architecte award in the transaction of the third pass, once, with evidence and no free text', async () => {
		await play(learner, 'echange-couple', MODEL['echange-couple']!);
		expect(await liveAward(ctx.db, learner.userId, 'architecte')).toBeNull();
		const progress = await architecteProgress(ctx.db, learner.userId);
		expect(progress.cases.map((c) => [c.id, c.status])).toEqual([
			['echange-couple', 'passed'],
			['partage-groupe-classe', 'not_started'],
			['sextorsion-adulte', 'passed']
		]);
		expect(progress.percent).toBe(67);

		const seq = await lastAuditSeq(ctx);
		const last = await play(learner, 'partage-groupe-classe', MODEL['partage-groupe-classe']!);
		const award = (await liveAward(ctx.db, learner.userId, 'architecte'))!;
		expect(award).toMatchObject({ level: 'architecte', status: 'awarded', source_type: 'architecte_validation', source_id: last, awarded_by: null, school_id: DEMO_IDS.schoolCovered });
		const evidence = JSON.parse(award.evidence_json) as { cases: Record<string, unknown>[] };
		expect(evidence.cases).toEqual([
			{ attemptId: expect.any(String), caseId: 'echange-couple', caseVersion: '1.0.0', choices: 6, maxScore: 18, score: 18 },
			{ attemptId: last, caseId: 'partage-groupe-classe', caseVersion: '1.0.0', choices: 5, maxScore: 15, score: 15 },
			{ attemptId: passedAttempt, caseId: 'sextorsion-adulte', caseVersion: '1.0.0', choices: 5, maxScore: 15, score: 15 }
		]);
		const audit = await auditRows(ctx, seq);
		const finish = audit.findIndex((a) => a.action === 'training.architecte_attempt_finished');
		expect(audit[finish + 1]).toMatchObject({ action: 'training.award_created', target_id: award.id, details: { level: 'architecte' } });
		// same transaction: the award's audit row and the finishing choice share the instant
		expect(audit[finish + 1]!.at).toBe(audit[finish]!.at);
		expect(award.awarded_at).toBe(audit[finish]!.at);

		// passing a case again never creates a second award
		await play(learner, 'sextorsion-adulte', MODEL['sextorsion-adulte']!);
		const awards = await ctx.db.selectFrom('training_awards').select('id').where('user_id', '=', learner.userId).where('level', '=', 'architecte').execute();
		expect(awards).toHaveLength(1);
		expect(await architecteProgress(ctx.db, learner.userId)).toMatchObject({ passed: 3, percent: 100, award: { id: award.id, validatedAt: null } });
	});

	it('lets the evaluator list attempts and validate the level once; never the learner, nor for oneself', async () => {
		const list = await listAttempts(ctx, evaluator, {}, META);
		expect(list.attempts.filter((a) => a.learner.id === learner.userId)).toHaveLength(5);
		expect(list.attempts[0]!.caseTitle.fr).toBeTruthy();
		expect((await listAttempts(ctx, evaluator, { status: 'failed' }, META)).attempts.map((a) => a.id)).toEqual([failedAttempt]);
		expect(list.levels).toEqual([expect.objectContaining({ userId: learner.userId, canValidate: true, validatedAt: null })]);
		await expect(listAttempts(ctx, learner, {}, META)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(listAttempts(ctx, admin, {}, META)).rejects.toBeInstanceOf(ForbiddenError);

		await expect(validateLevel(ctx, learner, { userId: learner.userId }, META)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(validateLevel(ctx, evaluator, { userId: evaluator.userId }, META)).rejects.toBeInstanceOf(ForbiddenError);
		expect(await validateLevel(ctx, evaluator, { userId: other.userId }, META)).toEqual({ ok: false, reason: 'not_found' });

		const seq = await lastAuditSeq(ctx);
		const v = await validateLevel(ctx, evaluator, { userId: learner.userId }, META);
		expect(v.ok).toBe(true);
		expect(await validateLevel(ctx, evaluator, { userId: learner.userId }, META)).toEqual({ ok: false, reason: 'already_validated' });
		const audit = await auditRows(ctx, seq);
		expect(audit.map((a) => [a.action, a.outcome])).toEqual([
			['training.architecte_level_validated', 'success'],
			['training.architecte_level_validated', 'denied']
		]);
		const progress = await architecteProgress(ctx.db, learner.userId);
		expect(progress.award!.validatedAt).toBe(ctx.now().toISOString());
		expect((await listAttempts(ctx, evaluator, {}, META)).levels[0]).toMatchObject({ canValidate: false, validatedBy: 'Nadia Cool' });
	});
});

describe('demo seed', () => {
	it('gives the demo learner one passed case and one failed attempt, only with an Explorateur award, once', async () => {
		const { seedDemoArchitecte } = await import('../../src/lib/server/db/seed/demo-architecte');
		const principal = await actorOf(ctx, 'direction@sexto.test');
		expect(await seedDemoArchitecte(ctx, 'direction@sexto.test')).toBe(0);
		await giveExplorateur(principal);
		expect(await seedDemoArchitecte(ctx, 'direction@sexto.test')).toBe(2);
		expect(await seedDemoArchitecte(ctx, 'direction@sexto.test')).toBe(0);
		const progress = await architecteProgress(ctx.db, principal.userId);
		expect(progress.cases.map((c) => [c.id, c.status, c.bestScore])).toEqual([
			['echange-couple', 'passed', 18],
			['partage-groupe-classe', 'failed', 13],
			['sextorsion-adulte', 'not_started', null]
		]);
	});
});
