/**
 * Small helpers shared by routes: sign-in guard, cookie options, safe redirects.
 * Authorization decisions are not made here: they live in policy/.
 */
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { getAppContext } from './app';
import type { Actor } from './policy';
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

/** Only same-site relative paths: "next" must never become an open redirect. */
export function safeNext(next: string | null | undefined, fallback = '/tableau-de-bord'): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
	return next;
}
