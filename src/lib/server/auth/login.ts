import type { AppContext, RequestMeta } from '../context';
import { appendAudit, recordAudit } from '../audit/log';
import { verifyPassword } from '../crypto/password';
import { createSession, deleteSession } from './sessions';
import { isThrottled, recordAttempt } from './rate-limit';

export type LoginResult =
	| { ok: true; token: string; expiresAt: Date; userId: string; locale: 'fr' | 'en' }
	| { ok: false; reason: 'invalid' | 'throttled' };

export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

/**
 * Email + password sign-in. Unknown email and wrong password give the same answer and take the same
 * time. Throttled before the password is even checked, so a locked account cannot be probed.
 * A successful sign-in always creates a new session (the old cookie, if any, is replaced: rotation).
 */
export async function login(ctx: AppContext, input: { email: string; password: string }, meta: RequestMeta): Promise<LoginResult> {
	const email = normaliseEmail(input.email);
	if (await isThrottled(ctx, email, meta.ip)) {
		await recordAudit(ctx.db, {
			actorId: null,
			action: 'auth.login_throttled',
			outcome: 'denied',
			ip: meta.ip
		}, ctx.now());
		return { ok: false, reason: 'throttled' };
	}
	const user = await ctx.db
		.selectFrom('users')
		.select(['id', 'password_hash', 'disabled_at', 'locale'])
		.where('email', '=', email)
		.executeTakeFirst();
	const valid = await verifyPassword(user && !user.disabled_at ? user.password_hash : null, input.password);
	await recordAttempt(ctx, email, meta.ip, valid);
	if (!user || !valid) {
		await recordAudit(ctx.db, {
			actorId: null,
			action: 'auth.login_failed',
			targetType: user ? 'user' : null,
			targetId: user?.id ?? null,
			outcome: 'failure',
			ip: meta.ip
		}, ctx.now());
		return { ok: false, reason: 'invalid' };
	}
	const session = await ctx.db.transaction().execute(async (trx) => {
		const s = await createSession(ctx, trx, user.id);
		await appendAudit(trx, { actorId: user.id, action: 'auth.login', targetType: 'user', targetId: user.id, outcome: 'success', ip: meta.ip }, ctx.now());
		return s;
	});
	return { ok: true, token: session.token, expiresAt: session.expiresAt, userId: user.id, locale: user.locale };
}

/** Deletes the session and records the sign-out in one transaction. */
export async function logout(ctx: AppContext, token: string, meta: RequestMeta): Promise<void> {
	await ctx.db.transaction().execute(async (trx) => {
		const userId = await deleteSession(trx, token);
		if (userId) {
			await appendAudit(trx, { actorId: userId, action: 'auth.logout', targetType: 'user', targetId: userId, outcome: 'success', ip: meta.ip }, ctx.now());
		}
	});
}
