import type { PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { requireSignedIn } from '$lib/server/http';
import { forbidden } from '$lib/server/kit-http';
import { architecteProgress, caseRegistry, mayTrainArchitecte } from '$lib/server/training/architecte';

export const load: PageServerLoad = async (event) => {
	const { actor } = requireSignedIn(event);
	if (!mayTrainArchitecte(actor)) forbidden();
	return { progress: await architecteProgress(getAppContext().db, actor.userId, caseRegistry()) };
};
