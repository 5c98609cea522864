/**
 * The evaluators' waiting count (dashboard card, training hub): exact below WAITING_COUNT_CAP, and it stops at the
 * cap (the card then says "more than 99"), so its cost does not grow with the queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../src/lib/server/policy';
import { waitingCount } from '../../src/lib/server/training/explorateur/review';
import { trainingCardFor } from '../../src/lib/server/training/explorateur/dashboard';
import { WAITING_COUNT_CAP } from '../../src/lib/domain/training/explorateur/queue';
import { actorOf, createTestContext, TEST_DIALECT, type TestContext } from './harness';

let ctx: TestContext;
beforeAll(async () => {
	ctx = await createTestContext();
});
afterAll(() => ctx?.close());

const exactWaiting = async () => Number((await ctx.db.selectFrom('training_submissions').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'submitted').executeTakeFirstOrThrow()).n);

/** `n` more learners, each with one submission in the given status. */
async function addSubmissions(n: number, status: 'submitted' | 'returned', tag: string) {
	const at = '2026-03-02T14:00:00.000Z';
	const users = Array.from({ length: n }, (_, i) => ({ id: `${tag}-user-${i}`, email: `${tag}-${i}@sexto.test`, display_name: `Apprenant ${i}`, password_hash: null, locale: 'fr' as const, created_at: at, disabled_at: null }));
	await ctx.db.insertInto('users').values(users).execute();
	await ctx.db
		.insertInto('training_submissions')
		.values(users.map((u, i) => ({ id: `${tag}-sub-${i}`, user_id: u.id, school_id: null, status, current_version: 1, submitted_at: at, reviewed_at: null, award_id: null, created_at: at, updated_at: at })))
		.execute();
}

describe(`evaluators' waiting count (${TEST_DIALECT})`, () => {
	it('is exact below the cap, ignores other statuses, and stops at the cap', async () => {
		const evaluator = await actorOf(ctx, 'formateur@sexto.test');
		const start = await exactWaiting();
		expect(start).toBeLessThan(WAITING_COUNT_CAP - 10);
		expect(await waitingCount(ctx, evaluator)).toBe(start);

		await addSubmissions(5, 'submitted', 'a');
		await addSubmissions(7, 'returned', 'b');
		expect(await waitingCount(ctx, evaluator)).toBe(start + 5);
		expect((await trainingCardFor(ctx, evaluator))?.waiting).toBe(start + 5);

		await addSubmissions(WAITING_COUNT_CAP, 'submitted', 'c');
		expect(await exactWaiting()).toBe(start + 5 + WAITING_COUNT_CAP);
		expect(await waitingCount(ctx, evaluator)).toBe(WAITING_COUNT_CAP);
	});

	it('is for evaluators only', async () => {
		await expect(waitingCount(ctx, await actorOf(ctx, 'apprenant@sexto.test'))).rejects.toBeInstanceOf(ForbiddenError);
	});
});
