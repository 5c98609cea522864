import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { inviteMember } from '$lib/server/accounts/invitations';
import { decodeScope, inviteOptions, listTeam, revokeMembership } from '$lib/server/accounts/team';
import { ROLES } from '$lib/server/db/schema';
import { fieldError, formError, parseForm } from '$lib/server/forms';
import { requireSignedIn } from '$lib/server/http';
import { can } from '$lib/server/policy';

const inviteSchema = z.object({
	email: z.string().trim().min(1).max(254).pipe(z.email()),
	displayName: z.string().trim().min(1).max(120),
	role: z.enum(ROLES),
	scope: z.string().min(1).max(80)
});
const revokeSchema = z.object({ membershipId: z.uuid() });

export const load: PageServerLoad = async (event) => {
	const { actor } = requireSignedIn(event);
	if (!can(actor, 'team:view', null)) error(403, { message: 'forbidden', code: 'error.403' });
	const ctx = getAppContext();
	const [members, options] = await Promise.all([listTeam(ctx, actor), inviteOptions(ctx, actor, event.locals.locale)]);
	return { members, options };
};

export const actions: Actions = {
	invite: async (event) => {
		const { actor } = requireSignedIn(event);
		const form = await parseForm(event.request, inviteSchema);
		if (!form.ok) return fail(400, { invite: { errors: form.errors, values: form.values } });
		const scope = decodeScope(form.data.scope);
		if (!scope) return fail(400, { invite: { errors: fieldError('scope', 'team.invite.error.scope'), values: form.values } });
		const result = await inviteMember(getAppContext(), actor, { ...form.data, ...scope }, { ip: event.locals.ip });
		if (!result.ok) {
			const key = result.reason === 'forbidden' ? ('team.invite.error.forbidden' as const) : ('team.invite.error.scope' as const);
			return fail(result.reason === 'forbidden' ? 403 : 400, { invite: { errors: formError(key), values: form.values } });
		}
		return { invite: { done: result.kind, email: form.data.email, days: result.kind === 'invited' ? result.expiresInDays : 0 } };
	},
	revoke: async (event) => {
		const { actor } = requireSignedIn(event);
		const form = await parseForm(event.request, revokeSchema);
		if (!form.ok) error(400, { message: 'bad request', code: 'error.400' });
		const result = await revokeMembership(getAppContext(), actor, form.data.membershipId, { ip: event.locals.ip });
		if (!result.ok) error(result.reason === 'not_found' ? 404 : 403, { message: result.reason, code: result.reason === 'not_found' ? 'error.404' : 'error.403' });
		return { revoked: true };
	}
};
