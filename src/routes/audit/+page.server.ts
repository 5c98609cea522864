import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { recentAudit, verifyChainFor } from '$lib/server/audit/read';
import { requireSignedIn } from '$lib/server/http';
import { can } from '$lib/server/policy';

export const load: PageServerLoad = async (event) => {
	const { actor } = requireSignedIn(event);
	if (!can(actor, 'audit:read', null)) error(403, { message: 'forbidden', code: 'error.403' });
	return { rows: await recentAudit(getAppContext(), actor, { ip: event.locals.ip }) };
};

export const actions: Actions = {
	verify: async (event) => {
		const { actor } = requireSignedIn(event);
		if (!can(actor, 'audit:read', null)) error(403, { message: 'forbidden', code: 'error.403' });
		return { verdict: await verifyChainFor(getAppContext(), actor) };
	}
};
