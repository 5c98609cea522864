import type { PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { requireEvaluator } from '$lib/server/training-http';
import { listQueue, QUEUE_FILTERS } from '$lib/server/training/explorateur';

export const load: PageServerLoad = async (event) => {
	const { actor } = requireEvaluator(event);
	const page = await listQueue(getAppContext(), actor, { status: event.url.searchParams.get('statut'), after: event.url.searchParams.get('apres') });
	return { queue: page, filters: [...QUEUE_FILTERS], firstPage: !event.url.searchParams.get('apres') };
};
