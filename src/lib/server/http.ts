/**
 * Small helpers shared by routes: sign-in guard, cookie options, safe redirects.
 * Authorization decisions are not made here: they live in policy/.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { getAppContext } from './app';
import { ForbiddenError, type Actor } from './policy';
import type { SessionUser } from './auth/sessions';

export function sessionCookieOptions(expires: Date) {
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax' as const,
		secure: getAppContext().config.secureCookies,
		expires
	};
}

/** Redirects anonymous visitors to the sign-in page, remembering where they were going. */
export function requireSignedIn(event: Pick<RequestEvent, 'locals' | 'url'>): { user: SessionUser; actor: Actor } {
	const { user, actor } = event.locals;
	if (!user || !actor) {
		redirect(303, `/connexion?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
	}
	return { user, actor };
}

const NEXT_BASE = 'http://next.invalid';

/**
 * Only same-site relative paths: "next" must never become an open redirect. Parsed the way a browser
 * will resolve it (tabs and newlines dropped, backslashes read as slashes), so "/\t/evil.example"
 * cannot turn into "//evil.example" on the way.
 */
export function safeNext(next: string | null | undefined, fallback = '/tableau-de-bord'): string {
	if (!next || !next.startsWith('/')) return fallback;
	let url: URL;
	try {
		url = new URL(next, NEXT_BASE);
	} catch {
		return fallback;
	}
	const path = url.pathname + url.search + url.hash;
	// "/.//evil.example" normalises to "//evil.example": refused too.
	if (url.origin !== NEXT_BASE || path.startsWith('//')) return fallback;
	return path;
}

/**
 * Runs a service call and turns a policy refusal into a localized 403 page. Routes check `can()` first to
 * show the right page; this catches what slips through, so a refusal is never a 500.
 */
export async function guarded<T>(call: () => Promise<T>): Promise<T> {
	try {
		return await call();
	} catch (e) {
		if (e instanceof ForbiddenError) error(403, { message: 'forbidden', code: 'error.403' });
		throw e;
	}
}

/**
 * The one place where a file may come in: the credential verifier's upload (a baked PNG or SVG badge, read
 * for its embedded credential and never stored). Everywhere else a multipart body or an image/video/audio
 * body is refused before any route code runs (no media, ever).
 */
export const FILE_UPLOAD_ROUTES: readonly string[] = ['/verifier', '/en/verify'];

export function refusesMedia(method: string, pathname: string, contentType: string | null): boolean {
	const type = (contentType ?? '').toLowerCase().trim();
	if (!type || method === 'GET' || method === 'HEAD') return false;
	if (/^(image|video|audio)\//.test(type)) return true;
	if (type.startsWith('multipart/')) return !FILE_UPLOAD_ROUTES.includes(pathname.replace(/\/+$/, '') || '/');
	return false;
}
