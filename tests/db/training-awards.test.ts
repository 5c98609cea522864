/**
 * Award records: coverage is decided at award time, evidence is frozen with its hash, one live award per
 * person and level (also enforced by the database), and every award is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../src/lib/server/db/seed/demo';
import { AwardExistsError, awardsOf, canonicalJson, createAward, freezeEvidence, liveAward } from '../../src/lib/server/training/awards';
import { createTestContext, type TestContext } from './harness';

let ctx: TestContext;
const idOf = async (email: string) => (await ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

beforeAll(async () => {
	ctx = await createTestContext();
});
afterAll(async () => {
	await ctx?.close();
});

const evidence = [{ key: 'q1', question: { fr: 'Question 1 ?', en: 'Question 1?' }, answer: 'Ma réponse, assez longue.' }];

describe('training awards', () => {
	it('freezes evidence as canonical JSON: key order never changes the hash', () => {
		expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 4, e: 5 }] } })).toBe('{"a":{"c":[3,{"e":5,"f":4}],"d":2},"b":1}');
		expect(freezeEvidence({ x: 1, y: 2 }).hash).toBe(freezeEvidence({ y: 2, x: 1 }).hash);
		expect(freezeEvidence({ x: 1 }).hash).not.toBe(freezeEvidence({ x: 2 }).hash);
	});

	it('awards staff of a covered school, with the frozen evidence and an audit row', async () => {
		const learner = await idOf('intervenant@sexto.test');
		const evaluator = await idOf('formateur@sexto.test');
		const award = await ctx.db.transaction().execute((trx) =>
			createAward(trx, { userId: learner, level: 'explorateur', schoolId: DEMO_IDS.schoolCovered, awardedBy: evaluator, sourceType: 'explorateur_submission', sourceId: 'sub-1', evidence }, ctx.now())
		);
		expect(award.status).toBe('awarded');
		expect(award.pending_reason).toBeNull();
		expect(award.awarded_at).toBe(ctx.now().toISOString());
		const stored = await liveAward(ctx.db, learner, 'explorateur');
		expect(stored?.id).toBe(award.id);
		expect(JSON.parse(stored!.evidence_json)).toEqual(evidence);
		expect(stored!.evidence_hash).toBe(freezeEvidence(evidence).hash);
		const audit = await ctx.db.selectFrom('audit_log').selectAll().where('target_id', '=', award.id).execute();
		expect(audit.map((a) => a.action)).toEqual(['training.award_created']);
		expect(JSON.parse(audit[0]!.details)).toMatchObject({ level: 'explorateur', status: 'awarded' });
	});

	it('keeps the award of an uncovered school pending coverage, with the reason', async () => {
		const principal = await idOf('direction.lacvert@sexto.test');
		const award = await ctx.db.transaction().execute((trx) =>
			createAward(trx, { userId: principal, level: 'explorateur', schoolId: DEMO_IDS.schoolOther, awardedBy: null, sourceType: 'explorateur_submission', sourceId: 'sub-2', evidence }, ctx.now())
		);
		expect(award).toMatchObject({ status: 'pending_coverage', pending_reason: 'school_not_covered' });
		expect((await awardsOf(ctx.db, principal)).map((a) => a.id)).toEqual([award.id]);
	});

	it('refuses a second live award of the same level, in the service and in the database', async () => {
		const learner = await idOf('intervenant@sexto.test');
		await expect(
			ctx.db.transaction().execute((trx) =>
				createAward(trx, { userId: learner, level: 'explorateur', schoolId: DEMO_IDS.schoolCovered, awardedBy: null, sourceType: 'explorateur_submission', sourceId: 'sub-3', evidence }, ctx.now())
			)
		).rejects.toBeInstanceOf(AwardExistsError);
		const existing = (await liveAward(ctx.db, learner, 'explorateur'))!;
		await expect(ctx.db.insertInto('training_awards').values({ ...existing, id: crypto.randomUUID() }).execute()).rejects.toThrow();
		// after a revocation, a new award of the level is allowed
		await ctx.db.updateTable('training_awards').set({ revoked_at: ctx.now().toISOString(), status: 'revoked' }).where('id', '=', existing.id).execute();
		const again = await ctx.db.transaction().execute((trx) =>
			createAward(trx, { userId: learner, level: 'explorateur', schoolId: DEMO_IDS.schoolCovered, awardedBy: null, sourceType: 'explorateur_submission', sourceId: 'sub-4', evidence }, ctx.now())
		);
		expect(again.id).not.toBe(existing.id);
	});
});
