import type { AppContext, RequestMeta } from '../context';
import { appendAudit, recordAudit } from '../audit/log';
import { hashPassword } from '../crypto/password';
import { newId, newToken, sha256Hex } from '../crypto/tokens';
import { translate } from '../../i18n';
import { normaliseEmail } from './login';
import { deleteUserSessions } from './sessions';

/**
 * Sends a single-use link valid PASSWORD_RESET_TTL_MINUTES (1 hour by default). The caller always
 * shows the same message whether or not the account exists (no account enumeration).
 */
export async function requestPasswordReset(ctx: AppContext, rawEmail: string, meta: RequestMeta): Promise<void> {
	const email = normaliseEmail(rawEmail);
	const user = await ctx.db
		.selectFrom('users')
		.select(['id', 'locale', 'disabled_at'])
		.where('email', '=', email)
		.executeTakeFirst();
	if (!user || user.disabled_at) {
		await recordAudit(ctx.db, { actorId: null, action: 'auth.password_reset_requested', outcome: 'failure', ip: meta.ip }, ctx.now());
		return;
	}
	const token = newToken();
	const now = ctx.now();
	await ctx.db.transaction().execute(async (trx) => {
		// Only the newest link works: older unused links are retired.
		await trx.updateTable('password_resets').set({ used_at: now.toISOString() }).where('user_id', '=', user.id).where('used_at', 'is', null).execute();
		await trx
			.insertInto('password_resets')
			.values({
				id: newId(),
				token_hash: sha256Hex(token),
				user_id: user.id,
				created_at: now.toISOString(),
				expires_at: new Date(now.getTime() + ctx.config.PASSWORD_RESET_TTL_MINUTES * 60_000).toISOString(),
				used_at: null
			})
			.execute();
		await appendAudit(trx, { actorId: null, action: 'auth.password_reset_requested', targetType: 'user', targetId: user.id, outcome: 'success', ip: meta.ip }, now);
	});
	const link = `${ctx.config.ORIGIN}/reinitialiser/${token}`;
	await ctx.mailer.send({
		to: email,
		subject: translate(user.locale, 'mail.reset.subject'),
		text: translate(user.locale, 'mail.reset.body', { link })
	});
}

async function findUsableReset(ctx: AppContext, token: string) {
	if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
	const row = await ctx.db
		.selectFrom('password_resets')
		.select(['id', 'user_id', 'expires_at', 'used_at'])
		.where('token_hash', '=', sha256Hex(token))
		.executeTakeFirst();
	if (!row || row.used_at || new Date(row.expires_at) <= ctx.now()) return null;
	return row;
}

export async function isResetTokenUsable(ctx: AppContext, token: string): Promise<boolean> {
	return (await findUsableReset(ctx, token)) !== null;
}

/** Sets the new password, burns the token, closes every session of the account. */
export async function completePasswordReset(
	ctx: AppContext,
	token: string,
	password: string,
	meta: RequestMeta
): Promise<{ ok: true } | { ok: false; reason: 'invalid_token' }> {
	const reset = await findUsableReset(ctx, token);
	if (!reset) {
		await recordAudit(ctx.db, { actorId: null, action: 'auth.password_reset_rejected', outcome: 'failure', ip: meta.ip }, ctx.now());
		return { ok: false, reason: 'invalid_token' };
	}
	const passwordHash = await hashPassword(password);
	const now = ctx.now().toISOString();
	const user = await ctx.db.transaction().execute(async (trx) => {
		// The `used_at is null` guard makes a token single-use even under two simultaneous submits.
		const burned = await trx
			.updateTable('password_resets')
			.set({ used_at: now })
			.where('id', '=', reset.id)
			.where('used_at', 'is', null)
			.executeTakeFirst();
		if (Number(burned.numUpdatedRows) !== 1) return null;
		await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', reset.user_id).execute();
		await deleteUserSessions(trx, reset.user_id);
		await appendAudit(trx, { actorId: reset.user_id, action: 'auth.password_reset_completed', targetType: 'user', targetId: reset.user_id, outcome: 'success', ip: meta.ip }, ctx.now());
		return trx.selectFrom('users').select(['email', 'locale']).where('id', '=', reset.user_id).executeTakeFirstOrThrow();
	});
	if (!user) return { ok: false, reason: 'invalid_token' };
	await ctx.mailer.send({
		to: user.email,
		subject: translate(user.locale, 'mail.password_changed.subject'),
		text: translate(user.locale, 'mail.password_changed.body')
	});
	return { ok: true };
}
