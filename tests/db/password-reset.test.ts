import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { login } from '../../src/lib/server/auth/login';
import { completePasswordReset, isResetTokenUsable, requestPasswordReset } from '../../src/lib/server/auth/password-reset';
import { validateSession } from '../../src/lib/server/auth/sessions';
import { sha256Hex } from '../../src/lib/server/crypto/tokens';
import { DEMO_PASSWORD } from '../../src/lib/server/db/seed/demo';
import { translate } from '../../src/lib/i18n';
import { auditRows, createTestContext, DAY, lastAuditSeq, linkToken, MINUTE, TEST_DIALECT, TEST_ORIGIN, userIdOf, type TestContext } from './harness';

const RESET_PATH = '/reinitialiser/';
const NEW_PASSWORD = 'Nouveau-mot-de-passe-2026';

let ctx: TestContext;
beforeAll(async () => {
	ctx = await createTestContext();
});
afterAll(() => ctx?.close());
beforeEach(() => {
	ctx.clock.advance(DAY);
	ctx.mail.clear();
});

let ipCounter = 0;
const freshIp = () => `198.18.0.${++ipCounter % 250}`;

/** Asks for a reset and returns the token read from the email the SMTP server received. */
async function resetLinkFor(email: string): Promise<string> {
	const before = ctx.mail.to(email).length;
	await requestPasswordReset(ctx, email, { ip: freshIp() });
	const received = ctx.mail.to(email);
	expect(received).toHaveLength(before + 1);
	return linkToken(received[received.length - 1]!, TEST_ORIGIN, RESET_PATH);
}

async function signIn(email: string, password: string) {
	return login(ctx, { email, password }, { ip: freshIp() });
}

describe(`password reset through a real SMTP server (${TEST_DIALECT})`, () => {
	it('sends the link by email; the link works once and sets the new password', async () => {
		const email = 'intervenant@sexto.test';
		const userId = await userIdOf(ctx, email);
		const before = await lastAuditSeq(ctx);
		await requestPasswordReset(ctx, email, { ip: '198.51.100.50' });

		const [message] = ctx.mail.to(email);
		expect(message).toBeDefined();
		expect(message!.subject).toBe(translate('fr', 'mail.reset.subject'));
		expect(message!.text).toContain('valide une heure');
		const token = linkToken(message!, TEST_ORIGIN, RESET_PATH);
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

		// only the hash of the emailed token is stored
		const stored = await ctx.db.selectFrom('password_resets').selectAll().where('user_id', '=', userId).execute();
		expect(stored.map((r) => r.token_hash)).toContain(sha256Hex(token));
		expect(JSON.stringify(stored)).not.toContain(token);
		expect(await isResetTokenUsable(ctx, token)).toBe(true);

		expect(await completePasswordReset(ctx, token, NEW_PASSWORD, { ip: '198.51.100.51' })).toEqual({ ok: true });
		expect((await signIn(email, NEW_PASSWORD)).ok).toBe(true);
		expect(await signIn(email, DEMO_PASSWORD)).toEqual({ ok: false, reason: 'invalid' });

		// a second use of the same link is refused, and the refusal is audited
		expect(await isResetTokenUsable(ctx, token)).toBe(false);
		expect(await completePasswordReset(ctx, token, 'Encore-un-autre-2026', { ip: '198.51.100.52' })).toEqual({ ok: false, reason: 'invalid_token' });
		expect((await signIn(email, NEW_PASSWORD)).ok).toBe(true);

		// the account holder is told their password changed
		const changed = ctx.mail.to(email).find((m) => m.subject === translate('fr', 'mail.password_changed.subject'));
		expect(changed?.text).toContain('toutes vos sessions ont été fermées');

		const actions = (await auditRows(ctx, before)).map((r) => [r.action, r.outcome, r.target_id]);
		expect(actions).toContainEqual(['auth.password_reset_requested', 'success', userId]);
		expect(actions).toContainEqual(['auth.password_reset_completed', 'success', userId]);
		expect(actions).toContainEqual(['auth.password_reset_rejected', 'failure', null]);
		// order: requested, completed, (sign-ins), rejected
		const names = actions.map((a) => a[0]);
		expect(names.indexOf('auth.password_reset_requested')).toBeLessThan(names.indexOf('auth.password_reset_completed'));
		expect(names.indexOf('auth.password_reset_completed')).toBeLessThan(names.indexOf('auth.password_reset_rejected'));
	});

	it('writes in the account\'s language', async () => {
		await requestPasswordReset(ctx, 'admin@sexto.test', { ip: freshIp() });
		const [message] = ctx.mail.to('admin@sexto.test');
		expect(message!.subject).toBe(translate('en', 'mail.reset.subject'));
		expect(message!.text).toContain('valid for one hour');
	});

	it('the link expires 60 minutes after it was sent', async () => {
		const email = 'formateur@sexto.test';
		const sentAt = ctx.now().getTime();
		const token = await resetLinkFor(email);

		ctx.clock.set(new Date(sentAt + 60 * MINUTE - 1));
		expect(await isResetTokenUsable(ctx, token)).toBe(true);
		ctx.clock.set(new Date(sentAt + 60 * MINUTE));
		expect(await isResetTokenUsable(ctx, token)).toBe(false);
		expect(await completePasswordReset(ctx, token, NEW_PASSWORD, { ip: freshIp() })).toEqual({ ok: false, reason: 'invalid_token' });
		// the password did not change
		expect((await signIn(email, DEMO_PASSWORD)).ok).toBe(true);
	});

	it('an unknown email sends nothing, stores nothing, and returns normally', async () => {
		const resetsBefore = (await ctx.db.selectFrom('password_resets').select('id').execute()).length;
		const before = await lastAuditSeq(ctx);
		await expect(requestPasswordReset(ctx, 'personne@sexto.test', { ip: '198.51.100.60' })).resolves.toBeUndefined();
		// requestPasswordReset awaits the SMTP exchange, so a message would already be here
		expect(ctx.mail.messages).toHaveLength(0);
		expect((await ctx.db.selectFrom('password_resets').select('id').execute()).length).toBe(resetsBefore);
		expect(await auditRows(ctx, before)).toMatchObject([
			{ action: 'auth.password_reset_requested', outcome: 'failure', target_id: null, ip: '198.51.100.60', at: ctx.now().toISOString() }
		]);
		// while a real address in the same run does get its email (the sink is listening)
		await requestPasswordReset(ctx, 'rprp@sexto.test', { ip: freshIp() });
		expect(ctx.mail.messages.map((m) => m.to)).toEqual([['rprp@sexto.test']]);
	});

	it('only the newest link works', async () => {
		const email = 'procureur@sexto.test';
		const first = await resetLinkFor(email);
		ctx.clock.advance(MINUTE);
		const second = await resetLinkFor(email);
		expect(await isResetTokenUsable(ctx, first)).toBe(false);
		expect(await isResetTokenUsable(ctx, second)).toBe(true);
		expect(await completePasswordReset(ctx, first, NEW_PASSWORD, { ip: freshIp() })).toEqual({ ok: false, reason: 'invalid_token' });
	});

	it('a malformed or made-up token is refused', async () => {
		for (const token of ['', 'abc', '../../etc/passwd', 'A'.repeat(43)]) {
			expect(await isResetTokenUsable(ctx, token)).toBe(false);
			expect(await completePasswordReset(ctx, token, NEW_PASSWORD, { ip: freshIp() })).toEqual({ ok: false, reason: 'invalid_token' });
		}
	});

	it('completing a reset closes every session of that account, and only of that account', async () => {
		const email = 'coordination@sexto.test';
		const userId = await userIdOf(ctx, email);
		const a = await signIn(email, DEMO_PASSWORD);
		const b = await signIn(email, DEMO_PASSWORD);
		const other = await signIn('policier@sexto.test', DEMO_PASSWORD);
		if (!a.ok || !b.ok || !other.ok) throw new Error('login failed');

		const token = await resetLinkFor(email);
		// asking for a link does not close anything yet
		expect(await validateSession(ctx, a.token)).not.toBeNull();
		expect(await completePasswordReset(ctx, token, NEW_PASSWORD, { ip: freshIp() })).toEqual({ ok: true });

		expect(await validateSession(ctx, a.token)).toBeNull();
		expect(await validateSession(ctx, b.token)).toBeNull();
		expect(await ctx.db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute()).toEqual([]);
		expect(await validateSession(ctx, other.token)).not.toBeNull();
	});

	it('two simultaneous submits of one link: exactly one succeeds', async () => {
		const email = 'direction.lacvert@sexto.test';
		const token = await resetLinkFor(email);
		const results = await Promise.all([
			completePasswordReset(ctx, token, 'Premier-essai-2026', { ip: freshIp() }),
			completePasswordReset(ctx, token, 'Second-essai-2026', { ip: freshIp() })
		]);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'invalid_token' }]);
		const winner = results[0]!.ok ? 'Premier-essai-2026' : 'Second-essai-2026';
		expect((await signIn(email, winner)).ok).toBe(true);
	});
});
