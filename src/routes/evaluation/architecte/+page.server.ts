import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { guarded, requireSignedIn } from '$lib/server/http';
import { requestMeta } from '$lib/server/kit-http';
import { ATTEMPT_FILTERS, listAttempts, type AttemptFilter } from '$lib/server/training/architecte';
import { validateAction } from './validate';

export const load: PageServerLoad = async (event) => {
	const { actor } = requireSignedIn(event);
	const asked = event.url.searchParams.get('statut') ?? 'all';
	const status: AttemptFilter = (ATTEMPT_FILTERS as readonly string[]).includes(asked) ? (asked as AttemptFilter) : 'all';
	const list = await guarded(() => listAttempts(getAppContext(), actor, { status }, requestMeta(event)));
	return { ...list, status, filters: [...ATTEMPT_FILTERS] };
};

export const actions: Actions = { validate: validateAction };
