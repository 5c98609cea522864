/**
 * Public pages have an English address under /en (e.g. /en/coverage for /couverture). The French path is
 * the route; `reroute` (src/hooks.ts) maps the English one onto it and the locale hook serves it in English.
 * Pages with an id in their address (a proof page, a member profile) map by prefix: one id segment only, so
 * /attestations/<id>/parametres (the holder's settings, signed in) keeps a single address.
 */
export const ENGLISH_PATHS: Record<string, string> = {
	'/couverture': '/en/coverage',
	'/verifier': '/en/verify'
};
const FRENCH_BY_ENGLISH = Object.fromEntries(Object.entries(ENGLISH_PATHS).map(([fr, en]) => [en, fr]));

/** [French prefix, English prefix] of public pages addressed by one id. */
const ENGLISH_PREFIXES: readonly (readonly [string, string])[] = [
	['/attestations/', '/en/attestations/'],
	['/membres/', '/en/members/']
];
const ID_SEGMENT = /^[A-Za-z0-9_-]{1,100}$/;

function mapPrefix(pathname: string, from: 0 | 1): string | null {
	for (const pair of ENGLISH_PREFIXES) {
		const prefix = pair[from];
		if (!pathname.startsWith(prefix)) continue;
		const rest = pathname.slice(prefix.length);
		if (ID_SEGMENT.test(rest)) return pair[from === 0 ? 1 : 0] + rest;
	}
	return null;
}

export function isEnglishPath(pathname: string): boolean {
	return pathname === '/en' || pathname.startsWith('/en/');
}

/** The route (French path) that serves an English address, or null. */
export function frenchPathOf(pathname: string): string | null {
	if (pathname === '/en' || pathname === '/en/') return '/';
	return FRENCH_BY_ENGLISH[pathname] ?? mapPrefix(pathname, 1);
}

/** The English address of a French public path, or null when the page has only one address. */
export function englishPathOf(pathname: string): string | null {
	return ENGLISH_PATHS[pathname] ?? mapPrefix(pathname, 0);
}

/** Where the language switch should go for the current path. */
export function pathInLocale(pathname: string, locale: 'fr' | 'en'): string {
	if (locale === 'en') return englishPathOf(pathname) ?? pathname;
	return frenchPathOf(pathname) ?? pathname;
}
