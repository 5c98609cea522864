import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { login } from '$lib/server/auth/login';
import { SESSION_COOKIE } from '$lib/server/auth/sessions';
import { formError, parseForm } from '$lib/server/forms';
import { safeNext, sessionCookieOptions } from '$lib/server/http';
import { LOCALE_COOKIE } from '$lib/i18n';
import { loginSchema } from './schema';

const NOTICES = ['signed_out', 'password_changed', 'welcome_invited'] as const;

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	const notice = url.searchParams.get('notice');
	return {
		next: url.searchParams.get('next') ?? '',
		notice: NOTICES.find((n) => n === notice) ?? null
	};
};

export const actions: Actions = {
	default: async ({ request, cookies, locals }) => {
		const form = await parseForm(request, loginSchema);
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		const ctx = getAppContext();
		const result = await login(ctx, form.data, { ip: locals.ip });
		if (!result.ok) {
			if (result.reason === 'throttled') {
				return fail(429, {
					errors: formError('login.error.throttled', { minutes: ctx.config.LOGIN_WINDOW_MINUTES }),
					values: form.values
				});
			}
			return fail(401, { errors: formError('login.error.invalid'), values: form.values });
		}
		// Replace any previous cookie: a new session id on every sign-in (no session fixation).
		const old = cookies.get(SESSION_COOKIE);
		if (old) cookies.delete(SESSION_COOKIE, { path: '/' });
		cookies.set(SESSION_COOKIE, result.token, sessionCookieOptions(result.expiresAt));
		if (!cookies.get(LOCALE_COOKIE)) {
			cookies.set(LOCALE_COOKIE, result.locale, { path: '/', httpOnly: false, sameSite: 'lax', maxAge: 31536000, secure: ctx.config.secureCookies });
		}
		redirect(303, safeNext(form.data.next));
	}
};
