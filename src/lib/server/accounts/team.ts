import type { AppContext, RequestMeta } from '../context';
import { appendAudit, recordAudit } from '../audit/log';
import type { Role, ScopeType } from '../db/schema';
import { can, type Actor, type Place } from '../policy';
import { listScopes, placeOfScope } from './places';
import { ROLES } from '../db/schema';

export interface TeamMember {
	membershipId: string;
	userId: string;
	displayName: string;
	email: string;
	role: Role;
	scopeType: ScopeType;
	scopeId: string | null;
	canRevoke: boolean;
}

/**
 * Memberships the actor may see (policy `member:list` on each membership's place), with the
 * "may revoke" ability computed here so the page never re-derives a rule.
 */
export async function listTeam(ctx: AppContext, actor: Actor): Promise<TeamMember[]> {
	const rows = await ctx.db
		.selectFrom('memberships')
		.innerJoin('users', 'users.id', 'memberships.user_id')
		.leftJoin('schools', (j) => j.onRef('schools.id', '=', 'memberships.scope_id').on('memberships.scope_type', '=', 'school'))
		.leftJoin('police_services as ps', (j) =>
			j.on((eb) =>
				eb.or([
					eb.and([eb('memberships.scope_type', '=', 'police_service'), eb('ps.id', '=', eb.ref('memberships.scope_id'))]),
					eb.and([eb('memberships.scope_type', '=', 'school'), eb('ps.id', '=', eb.ref('schools.police_service_id'))])
				])
			)
		)
		.select([
			'memberships.id as membershipId',
			'memberships.role',
			'memberships.scope_type',
			'memberships.scope_id',
			'users.id as userId',
			'users.display_name',
			'users.email',
			'schools.id as schoolId',
			'ps.id as policeServiceId',
			'ps.territory_id as territoryId'
		])
		.orderBy('users.display_name')
		.execute();
	const members: TeamMember[] = [];
	for (const r of rows) {
		const place: Place = {
			schoolId: r.schoolId,
			policeServiceId: r.policeServiceId,
			territoryId: r.scope_type === 'territory' ? r.scope_id : r.territoryId
		};
		if (r.scope_type === 'platform' ? !can(actor, 'registry:manage', null) : !can(actor, 'member:list', place)) continue;
		const target = { role: r.role, scopeType: r.scope_type, place };
		members.push({
			membershipId: r.membershipId,
			userId: r.userId,
			displayName: r.display_name,
			email: r.email,
			role: r.role,
			scopeType: r.scope_type,
			scopeId: r.scope_id,
			canRevoke: r.userId !== actor.userId && can(actor, 'membership:revoke', target)
		});
	}
	return members;
}

/** Removes one role from one person. Nobody removes their own roles (no accidental lock-out). */
export async function revokeMembership(
	ctx: AppContext,
	actor: Actor,
	membershipId: string,
	meta: RequestMeta
): Promise<{ ok: true } | { ok: false; reason: 'not_found' | 'forbidden' }> {
	const m = await ctx.db.selectFrom('memberships').selectAll().where('id', '=', membershipId).executeTakeFirst();
	if (!m) return { ok: false, reason: 'not_found' };
	const place = await placeOfScope(ctx.db, m.scope_type, m.scope_id);
	// Same visibility rule as listTeam. Memberships outside the actor's view answer "not found" (their
	// existence must not leak), but the attempt is audited like any other refusal.
	const visible = !!place && (m.scope_type === 'platform' ? can(actor, 'registry:manage', null) : can(actor, 'member:list', place));
	if (!place || !visible || m.user_id === actor.userId || !can(actor, 'membership:revoke', { role: m.role, scopeType: m.scope_type, place })) {
		await recordAudit(ctx.db, { actorId: actor.userId, action: 'access.denied', targetType: 'membership', targetId: m.id, outcome: 'denied', ip: meta.ip, details: { attempted: 'membership.revoked' } }, ctx.now());
		return { ok: false, reason: visible ? 'forbidden' : 'not_found' };
	}
	await ctx.db.transaction().execute(async (trx) => {
		await trx.deleteFrom('memberships').where('id', '=', m.id).execute();
		await appendAudit(trx, { actorId: actor.userId, action: 'membership.revoked', targetType: 'user', targetId: m.user_id, outcome: 'success', ip: meta.ip, details: { role: m.role, scopeType: m.scope_type, scopeId: m.scope_id, membershipId: m.id } }, ctx.now());
	});
	return { ok: true };
}

export interface InviteOptions {
	roles: Role[];
	scopes: { value: string; scopeType: ScopeType; scopeId: string | null; label: string }[];
}

/** The roles and scopes the actor may grant at least once (the server re-checks each pair on submit). */
export async function inviteOptions(ctx: AppContext, actor: Actor, locale: 'fr' | 'en'): Promise<InviteOptions> {
	const scopes = await listScopes(ctx.db, locale);
	const roles = new Set<Role>();
	const allowedScopes: InviteOptions['scopes'] = [];
	for (const s of scopes) {
		let any = false;
		for (const role of ROLES) {
			if (can(actor, 'membership:grant', { role, scopeType: s.scopeType, place: s.place })) {
				roles.add(role);
				any = true;
			}
		}
		if (any) allowedScopes.push({ value: encodeScope(s.scopeType, s.scopeId), scopeType: s.scopeType, scopeId: s.scopeId, label: s.label });
	}
	return { roles: ROLES.filter((r) => roles.has(r)), scopes: allowedScopes };
}

export function encodeScope(scopeType: ScopeType, scopeId: string | null): string {
	return scopeId ? `${scopeType}:${scopeId}` : scopeType;
}

export function decodeScope(value: string): { scopeType: ScopeType; scopeId: string | null } | null {
	const [type, id] = value.split(':', 2) as [string, string | undefined];
	if (type === 'platform' && id === undefined) return { scopeType: 'platform', scopeId: null };
	if ((type === 'school' || type === 'police_service' || type === 'territory') && id) return { scopeType: type, scopeId: id };
	return null;
}
