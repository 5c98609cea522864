/**
 * Public pages have an English address under /en (e.g. /en/coverage for /couverture). The French path is
 * the route; `reroute` (src/hooks.ts) maps the English one onto it and the locale hook serves it in English.
 */
export const ENGLISH_PATHS: Record<string, string> = {
	'/couverture': '/en/coverage',
	'/verifier': '/en/verify'
};
const FRENCH_BY_ENGLISH = Object.fromEntries(Object.entries(ENGLISH_PATHS).map(([fr, en]) => [en, fr]));

export function isEnglishPath(pathname: string): boolean {
	return pathname === '/en' || pathname.startsWith('/en/');
}

/** The route (French path) that serves an English address, or null. */
export function frenchPathOf(pathname: string): string | null {
	if (pathname === '/en' || pathname === '/en/') return '/';
	return FRENCH_BY_ENGLISH[pathname] ?? null;
}

/** Where the language switch should go for the current path. */
export function pathInLocale(pathname: string, locale: 'fr' | 'en'): string {
	if (locale === 'en') return ENGLISH_PATHS[pathname] ?? pathname;
	return frenchPathOf(pathname) ?? pathname;
}
