import type { PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { dashboardFor } from '$lib/server/accounts/dashboard';
import { requireSignedIn } from '$lib/server/http';
import { trainingCardFor } from '$lib/server/training/explorateur/dashboard';

export const load: PageServerLoad = async (event) => {
	const { user, actor } = requireSignedIn(event);
	return {
		displayName: user.displayName,
		...(process.env.NO_DASH ? { roles: [], coverage: [] } : await dashboardFor(getAppContext(), actor, event.locals.locale)),
		training: process.env.NO_CARD ? null : await trainingCardFor(getAppContext(), actor)
	};
};
