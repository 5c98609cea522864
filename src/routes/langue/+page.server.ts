import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isLocale, LOCALE_COOKIE } from '$lib/i18n';
import { pathInLocale } from '$lib/i18n/paths';
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
		const rawNext = form.get('next');
		const next = safeNext(typeof rawNext === 'string' ? rawNext : null, '/');
		// Pages with an address per language go to the address of the chosen language.
		const url = new URL(next, 'http://x.invalid');
		redirect(303, (isLocale(locale) ? pathInLocale(url.pathname, locale) : url.pathname) + url.search);
	}
};
