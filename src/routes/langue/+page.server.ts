import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isLocale, LOCALE_COOKIE } from '$lib/i18n';
import { readForm } from '$lib/server/forms';
import { safeNext } from '$lib/server/http';
import { getAppContext } from '$lib/server/app';

export const load: PageServerLoad = () => redirect(303, '/');

/** Remembers the chosen language in a cookie (a year) and returns to the same page. */
export const actions: Actions = {
	default: async ({ request, cookies }) => {
		const form = await readForm(request);
		const locale = form.get('locale');
		if (isLocale(locale)) {
			cookies.set(LOCALE_COOKIE, locale, {
				path: '/',
				httpOnly: false,
				sameSite: 'lax',
				maxAge: 31536000,
				secure: getAppContext().config.secureCookies
			});
		}
		const next = form.get('next');
		redirect(303, safeNext(typeof next === 'string' ? next : null, '/'));
	}
};
