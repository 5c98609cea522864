import type { PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { publicCoverageCached } from '$lib/server/territories/public-coverage';

/** Public: police services with an agreement in force and their number of covered schools. No personal data. */
export const load: PageServerLoad = async ({ url, setHeaders, locals }) => {
	const q = (url.searchParams.get('q') ?? '').slice(0, 100);
	if (!locals.user) setHeaders({ 'cache-control': 'public, max-age=60' });
	const entries = await publicCoverageCached(getAppContext(), q);
	return { q, entries, schools: entries.reduce((n, e) => n + e.schoolCount, 0) };
};
