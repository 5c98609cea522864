import type { PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { dashboardFor } from '$lib/server/accounts/dashboard';
import { requireSignedIn } from '$lib/server/http';
import { trainingCardFor } from '$lib/server/training/explorateur/dashboard';

export const load: PageServerLoad = async (event) => {
	const { user, actor } = requireSignedIn(event);
	const ctx = getAppContext();
	// Independent: the registry part comes from this server's copies, the card from one query.
	const [dashboard, training] = await Promise.all([dashboardFor(ctx, actor, event.locals.locale), trainingCardFor(ctx, actor)]);
	return { displayName: user.displayName, ...dashboard, training };
};
