import { error, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { getAppContext } from '$lib/server/app';
import { SESSION_COOKIE, validateSession } from '$lib/server/auth/sessions';
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE } from '$lib/i18n';
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
	if (ctx.config.JOBS_ENABLED && !jobWorker) {
		const worker = startJobWorker(ctx, jobHandlers);
		jobWorker = worker;
		// adapter-node emits this once the HTTP server has closed (SIGTERM/SIGINT): let the round in progress finish.
		process.once('sveltekit:shutdown', () => void worker.stop());
	}
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const h = response.headers;
	h.set('X-Content-Type-Options', 'nosniff');
	// Reset and invitation links carry tokens in the URL: never leak them through Referer to another site.
	// Not 'no-referrer': with it, browsers send `Origin: null` on same-origin form POSTs and SvelteKit's
	// CSRF check refuses every form (sign-in included). 'same-origin' keeps Referer off cross-site requests.
	h.set('Referrer-Policy', 'same-origin');
	h.set('X-Frame-Options', 'DENY');
	h.set('Cross-Origin-Opener-Policy', 'same-origin');
	h.set('Cross-Origin-Resource-Policy', 'same-origin');
	h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
	if (getAppContext().config.secureCookies) h.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	// Non-page responses (endpoints, errors thrown before rendering) get a strict CSP too.
	if (!h.has('Content-Security-Policy')) h.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
	if (event.locals.user) h.set('Cache-Control', 'private, no-store');
	return response;
};

const locale: Handle = async ({ event, resolve }) => {
	const fromCookie = event.cookies.get(LOCALE_COOKIE);
	const path = event.url.pathname;
	// A page with its own English address is in the language of its URL; other pages follow the cookie.
	event.locals.locale = isEnglishPath(path) ? 'en' : englishPathOf(path) ? 'fr' : isLocale(fromCookie) ? fromCookie : DEFAULT_LOCALE;
	try {
		event.locals.ip = event.getClientAddress();
	} catch {
		event.locals.ip = null;
	}
	return resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
	});
};

/** No media, ever: an image/video body, or a multipart body outside the credential verifier, is refused (415). */
const noMedia: Handle = async ({ event, resolve }) => {
	if (refusesMedia(event.request.method, event.url.pathname, event.request.headers.get('content-type'))) {
		error(415, { message: translate(event.locals.locale, 'error.415'), code: 'error.415' });
	}
	return resolve(event);
};

const auth: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.actor = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const ctx = getAppContext();
		const session = await validateSession(ctx, token);
		if (session) {
			event.locals.user = session.user;
			event.locals.actor = { userId: session.user.id, grants: session.grants };
			// The cookie's expiry only moves when the session was extended (once per half-life).
			if (session.renewed) event.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(session.expiresAt));
		} else {
			event.cookies.delete(SESSION_COOKIE, { path: '/' });
		}
	}
	return resolve(event);
};

export const handle = sequence(securityHeaders, locale, noMedia, auth);

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
