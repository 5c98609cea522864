import { error, type Handle, type HandleServerError, type RequestEvent, type ServerInit } from '@sveltejs/kit';
import { closeAppContext, getAppContext } from '$lib/server/app';
import type { AppContext } from '$lib/server/context';
import { cachedPublicPage, keepPublicPage, pageCopyGeneration, publicPageKey } from '$lib/server/cache/public-pages';
import { SESSION_COOKIE, validateSession } from '$lib/server/auth/sessions';
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, type Locale } from '$lib/i18n';
import { englishPathOf, isEnglishPath } from '$lib/i18n/paths';
import { logger } from '$lib/server/log';
import { refusesMedia, sessionCookieOptions } from '$lib/server/http';
import { translate } from '$lib/i18n';
import { jobHandlers, startJobWorker, type JobWorker } from '$lib/server/jobs';

let jobWorker: JobWorker | null = null;

/**
 * Configuration is validated and the database opened before the first request: a bad setting stops the boot.
 * Then the job worker starts (JOBS_ENABLED, default on): every app server may run one, a claim is exclusive.
 */
export const init: ServerInit = async () => {
	const ctx = getAppContext();
	if (ctx.config.JOBS_ENABLED && !jobWorker) jobWorker = startJobWorker(ctx, jobHandlers);
	// adapter-node emits this once the HTTP server has closed (SIGTERM/SIGINT): let the job round in progress
	// finish, then close the database so the process exits.
	process.once('sveltekit:shutdown', () => void shutDown());
};

async function shutDown(): Promise<void> {
	try {
		await jobWorker?.stop();
	} finally {
		jobWorker = null;
		await closeAppContext();
	}
}

/**
 * Headers every answer gets. Reset and invitation links carry tokens in the URL: never leak them through Referer
 * to another site. Not 'no-referrer': with it, browsers send `Origin: null` on same-origin form POSTs and
 * SvelteKit's CSRF check refuses every form (sign-in included). 'same-origin' keeps Referer off cross-site requests.
 * Built once: the configuration does not change while the server runs.
 */
let staticHeaders: [string, string][] | undefined;
function securityHeaderList(ctx: AppContext): [string, string][] {
	staticHeaders ??= [
		['X-Content-Type-Options', 'nosniff'],
		['Referrer-Policy', 'same-origin'],
		['X-Frame-Options', 'DENY'],
		['Cross-Origin-Opener-Policy', 'same-origin'],
		['Cross-Origin-Resource-Policy', 'same-origin'],
		['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()'],
		...(ctx.config.secureCookies ? [['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'] as [string, string]] : [])
	];
	return staticHeaders;
}

function addSecurityHeaders(ctx: AppContext, event: RequestEvent, response: Response): Response {
	const h = response.headers;
	for (const [name, value] of securityHeaderList(ctx)) h.set(name, value);
	// Non-page responses (endpoints, errors thrown before rendering) get a strict CSP too.
	if (!h.has('Content-Security-Policy')) h.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
	if (event.locals.user) h.set('Cache-Control', 'private, no-store');
	return response;
}

function setLocale(event: RequestEvent): void {
	const path = event.url.pathname;
	// A page with its own English address is in the language of its URL; other pages follow the cookie.
	if (isEnglishPath(path)) event.locals.locale = 'en';
	else if (englishPathOf(path)) event.locals.locale = 'fr';
	else {
		const fromCookie = event.cookies.get(LOCALE_COOKIE);
		event.locals.locale = isLocale(fromCookie) ? fromCookie : DEFAULT_LOCALE;
	}
	try {
		event.locals.ip = event.getClientAddress();
	} catch {
		event.locals.ip = null;
	}
}

async function authenticate(ctx: AppContext, event: RequestEvent): Promise<void> {
	event.locals.user = null;
	event.locals.actor = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (!token) return;
	const session = await validateSession(ctx, token);
	if (session) {
		event.locals.user = session.user;
		event.locals.actor = { userId: session.user.id, grants: session.grants, schoolPlaces: session.schoolPlaces };
		// The cookie's expiry only moves when the session was extended (once per half-life).
		if (session.renewed) event.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(session.expiresAt));
	} else {
		event.cookies.delete(SESSION_COOKIE, { path: '/' });
	}
}

/** The page's language on <html lang> (src/app.html), one function per locale built once. */
const withLang = {
	fr: ({ html }: { html: string }) => html.replace('%lang%', 'fr'),
	en: ({ html }: { html: string }) => html.replace('%lang%', 'en')
} satisfies Record<Locale, (input: { html: string }) => string>;

/**
 * One hook, in this order: language (URL, then cookie) and client address; media bodies refused (415); for an anonymous GET of a public
 * page (coverage list, public proof page), this server's rendered copy if it has one (cache/public-pages.ts); otherwise the session
 * (checked in the database on every request), the page, and a copy kept when it qualifies; then the
 * security headers on whatever answer leaves.
 */
export const handle: Handle = async ({ event, resolve }) => {
	const ctx = getAppContext();
	setLocale(event);
	// No media, ever: an image/video body, or a multipart body outside the credential verifier, is refused (415).
	if (refusesMedia(event.request.method, event.url.pathname, event.request.headers.get('content-type'))) {
		error(415, { message: translate(event.locals.locale, 'error.415'), code: 'error.415' });
	}
	const pageKey = publicPageKey(event);
	let response: Response | null = null;
	if (pageKey) {
		event.locals.user = null;
		event.locals.actor = null;
		response = cachedPublicPage(ctx, pageKey);
	}
	if (!response) {
		const generation = pageKey ? pageCopyGeneration(ctx, pageKey) : 0;
		await authenticate(ctx, event);
		response = await resolve(event, { transformPageChunk: withLang[event.locals.locale] });
		if (pageKey) response = await keepPublicPage(ctx, pageKey, response, generation);
	}
	return addSecurityHeaders(ctx, event, response);
};

/** Never a stack trace to the browser: a reference id in the log, a localized message on the page. */
export const handleError: HandleServerError = ({ error, status, event }) => {
	const ref = crypto.randomUUID().slice(0, 8);
	if (status >= 500) {
		logger.error('request.error', {
			ref,
			route: event.route.id,
			error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown'
		});
	}
	return { message: `ref ${ref}`, code: `error.${status}` };
};
