import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { guarded, requireSignedIn } from '$lib/server/http';
import { notFound, requestMeta } from '$lib/server/kit-http';
import { attemptPath } from '$lib/server/training/architecte';
import { validateAction } from '../validate';

export const load: PageServerLoad = async (event) => {
	const { actor } = requireSignedIn(event);
	// The owner or a trainer-evaluator; anyone else gets the same 404 as for an attempt that does not exist.
	const path = await guarded(() => attemptPath(getAppContext(), actor, { attemptId: event.params.attempt }, requestMeta(event)));
	if (!path) notFound();
	return { path };
};

export const actions: Actions = { validate: validateAction };
