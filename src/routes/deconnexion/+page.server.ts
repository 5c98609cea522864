import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { logout } from '$lib/server/auth/login';
import { SESSION_COOKIE } from '$lib/server/auth/sessions';

// Signing out changes state, so it is a POST (the header button); a GET just goes home.
export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ cookies, locals }) => {
		const token = cookies.get(SESSION_COOKIE);
		if (token) await logout(getAppContext(), token, { ip: locals.ip });
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/connexion?notice=signed_out');
	}
};
