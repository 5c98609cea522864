import type { PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { requireSignedIn } from '$lib/server/http';
import { can } from '$lib/server/policy';
import { kitHome } from '$lib/server/incidents';
import { defaultKitPack, forbidden, requestMeta } from '$lib/server/kit-http';
import { INCIDENT_STATUSES } from '$lib/server/db/schema';
import { ORIENTATIONS } from '$lib/domain/protocol/schema';

export const load: PageServerLoad = async (event) => {
	const { actor } = requireSignedIn(event);
	if (!can(actor, 'incidents:view', null)) forbidden();
	const ctx = getAppContext();
	const q = event.url.searchParams;
	const pageNo = Number.parseInt(q.get('page') ?? '1', 10);
	const filters = { schoolId: q.get('ecole'), status: q.get('statut') || null, orientation: q.get('orientation') || null };
	const { schools, lists } = await kitHome(ctx, actor, { ...filters, page: Number.isInteger(pageNo) && pageNo > 0 ? pageNo : 1 }, requestMeta(event));
	return {
		kitPack: defaultKitPack(),
		schools,
		lists,
		filters: { status: filters.status ?? '', orientation: filters.orientation ?? '' },
		statuses: [...INCIDENT_STATUSES],
		orientations: [...ORIENTATIONS]
	};
};
