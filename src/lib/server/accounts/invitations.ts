import type { AppContext, RequestMeta } from '../context';
import { appendAudit, recordAudit } from '../audit/log';
import { hashPassword } from '../crypto/password';
import { newId, newToken, sha256Hex } from '../crypto/tokens';
import type { Role, ScopeType } from '../db/schema';
import { authorize, type Actor } from '../policy';
import { translate } from '../../i18n';
import { normaliseEmail } from '../auth/login';
import { placeOfScope } from './places';

export interface InviteInput {
	email: string;
	displayName: string;
	role: Role;
	scopeType: ScopeType;
	scopeId: string | null;
}

export type InviteResult =
	| { ok: true; kind: 'invited'; expiresInDays: number }
	| { ok: true; kind: 'granted' }
	| { ok: false; reason: 'forbidden' | 'scope' };

/**
 * Invites a person to a role at a scope. If the email already has an account, the role is granted
 * directly (a person can hold several roles); otherwise an emailed single-use link lets them set a password.
 */
export async function inviteMember(ctx: AppContext, actor: Actor, input: InviteInput, meta: RequestMeta): Promise<InviteResult> {
	const place = await placeOfScope(ctx.db, input.scopeType, input.scopeId);
	if (!place) return { ok: false, reason: 'scope' };
	try {
		authorize(actor, 'membership:grant', { role: input.role, scopeType: input.scopeType, place });
	} catch {
		await recordAudit(ctx.db, { actorId: actor.userId, action: 'invitation.rejected', targetType: input.scopeType, targetId: input.scopeId, outcome: 'denied', ip: meta.ip, details: { role: input.role } }, ctx.now());
		return { ok: false, reason: 'forbidden' };
	}
	const email = normaliseEmail(input.email);
	const now = ctx.now();
	const existing = await ctx.db.selectFrom('users').select(['id']).where('email', '=', email).executeTakeFirst();
	if (existing) {
		await ctx.db.transaction().execute(async (trx) => {
			const already = await trx
				.selectFrom('memberships')
				.select('id')
				.where('user_id', '=', existing.id)
				.where('role', '=', input.role)
				.where('scope_type', '=', input.scopeType)
				.where((eb) => (input.scopeId === null ? eb('scope_id', 'is', null) : eb('scope_id', '=', input.scopeId)))
				.executeTakeFirst();
			if (already) return;
			const id = newId();
			await trx
				.insertInto('memberships')
				.values({ id, user_id: existing.id, role: input.role, scope_type: input.scopeType, scope_id: input.scopeId, created_at: now.toISOString(), created_by: actor.userId })
				.execute();
			await appendAudit(trx, { actorId: actor.userId, action: 'membership.granted', targetType: 'user', targetId: existing.id, outcome: 'success', ip: meta.ip, details: { role: input.role, scopeType: input.scopeType, scopeId: input.scopeId, membershipId: id } }, now);
		});
		return { ok: true, kind: 'granted' };
	}

	const token = newToken();
	const days = ctx.config.INVITATION_TTL_DAYS;
	const invitationId = newId();
	await ctx.db.transaction().execute(async (trx) => {
		await trx
			.insertInto('invitations')
			.values({
				id: invitationId,
				token_hash: sha256Hex(token),
				email,
				display_name: input.displayName.trim(),
				role: input.role,
				scope_type: input.scopeType,
				scope_id: input.scopeId,
				invited_by: actor.userId,
				created_at: now.toISOString(),
				expires_at: new Date(now.getTime() + days * 86_400_000).toISOString(),
				accepted_at: null
			})
			.execute();
		await appendAudit(trx, { actorId: actor.userId, action: 'invitation.created', targetType: 'invitation', targetId: invitationId, outcome: 'success', ip: meta.ip, details: { role: input.role, scopeType: input.scopeType, scopeId: input.scopeId } }, now);
	});
	const inviter = await ctx.db.selectFrom('users').select(['display_name', 'locale']).where('id', '=', actor.userId).executeTakeFirst();
	const locale = inviter?.locale ?? 'fr';
	const scopeLabel = await scopeLabelOf(ctx, input.scopeType, input.scopeId, locale);
	await ctx.mailer.send({
		to: email,
		subject: translate(locale, 'mail.invite.subject'),
		text: translate(locale, 'mail.invite.body', {
			name: input.displayName.trim(),
			inviter: inviter?.display_name ?? 'Sexto',
			role: translate(locale, `role.${input.role}`),
			scope: scopeLabel,
			days,
			link: `${ctx.config.ORIGIN}/invitation/${token}`
		})
	});
	return { ok: true, kind: 'invited', expiresInDays: days };
}

export async function scopeLabelOf(ctx: Pick<AppContext, 'db'>, scopeType: ScopeType, scopeId: string | null, locale: 'fr' | 'en'): Promise<string> {
	if (scopeType === 'platform' || !scopeId) return translate(locale, 'scope.platform');
	if (scopeType === 'school') {
		const s = await ctx.db.selectFrom('schools').select('name').where('id', '=', scopeId).executeTakeFirst();
		return s?.name ?? '';
	}
	const table = scopeType === 'police_service' ? 'police_services' : 'territories';
	const s = await ctx.db.selectFrom(table).select(['name_fr', 'name_en']).where('id', '=', scopeId).executeTakeFirst();
	return s ? (locale === 'fr' ? s.name_fr : s.name_en) : '';
}

async function findOpenInvitation(ctx: AppContext, token: string) {
	if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
	const row = await ctx.db.selectFrom('invitations').selectAll().where('token_hash', '=', sha256Hex(token)).executeTakeFirst();
	if (!row || row.accepted_at || new Date(row.expires_at) <= ctx.now()) return null;
	return row;
}

export async function describeInvitation(ctx: AppContext, token: string, locale: 'fr' | 'en') {
	const inv = await findOpenInvitation(ctx, token);
	if (!inv) return null;
	return { email: inv.email, displayName: inv.display_name, role: inv.role, scopeLabel: await scopeLabelOf(ctx, inv.scope_type, inv.scope_id, locale) };
}

/** Creates the account with its first role; the token works once. */
export async function acceptInvitation(
	ctx: AppContext,
	token: string,
	input: { displayName: string; password: string; locale: 'fr' | 'en' },
	meta: RequestMeta
): Promise<{ ok: true; email: string } | { ok: false; reason: 'invalid_token' | 'email_taken' }> {
	const inv = await findOpenInvitation(ctx, token);
	if (!inv) return { ok: false, reason: 'invalid_token' };
	const taken = await ctx.db.selectFrom('users').select('id').where('email', '=', inv.email).executeTakeFirst();
	if (taken) return { ok: false, reason: 'email_taken' };
	const passwordHash = await hashPassword(input.password);
	const now = ctx.now().toISOString();
	const userId = newId();
	const done = await ctx.db.transaction().execute(async (trx) => {
		const claimed = await trx.updateTable('invitations').set({ accepted_at: now }).where('id', '=', inv.id).where('accepted_at', 'is', null).executeTakeFirst();
		if (Number(claimed.numUpdatedRows) !== 1) return false;
		await trx.insertInto('users').values({ id: userId, email: inv.email, display_name: input.displayName.trim(), password_hash: passwordHash, locale: input.locale, created_at: now, disabled_at: null }).execute();
		const membershipId = newId();
		await trx.insertInto('memberships').values({ id: membershipId, user_id: userId, role: inv.role, scope_type: inv.scope_type, scope_id: inv.scope_id, created_at: now, created_by: inv.invited_by }).execute();
		await appendAudit(trx, { actorId: userId, action: 'invitation.accepted', targetType: 'invitation', targetId: inv.id, outcome: 'success', ip: meta.ip }, ctx.now());
		await appendAudit(trx, { actorId: inv.invited_by, action: 'membership.granted', targetType: 'user', targetId: userId, outcome: 'success', ip: meta.ip, details: { role: inv.role, scopeType: inv.scope_type, scopeId: inv.scope_id, membershipId } }, ctx.now());
		return true;
	});
	return done ? { ok: true, email: inv.email } : { ok: false, reason: 'invalid_token' };
}
