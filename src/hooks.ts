import type { Reroute } from '@sveltejs/kit';
import { frenchPathOf } from '$lib/i18n/paths';

/** English addresses of public pages (/en/coverage) are served by their French route (/couverture). */
export const reroute: Reroute = ({ url }) => frenchPathOf(url.pathname) ?? undefined;
