import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { acceptInvitation, describeInvitation } from '$lib/server/accounts/invitations';
import { newPasswordFields, passwordsMatch } from '$lib/server/auth/password-schema';
import { PASSWORD_MIN_LENGTH } from '$lib/server/crypto/password';
import { formError, parseForm } from '$lib/server/forms';

const schema = passwordsMatch(z.object({ displayName: z.string().trim().min(1).max(120), ...newPasswordFields }));

export const load: PageServerLoad = async ({ params, locals }) => ({
	invitation: await describeInvitation(getAppContext(), params.token, locals.locale),
	minLength: PASSWORD_MIN_LENGTH
});

export const actions: Actions = {
	default: async ({ request, params, locals }) => {
		const form = await parseForm(request, schema);
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		const result = await acceptInvitation(
			getAppContext(),
			params.token,
			{ displayName: form.data.displayName, password: form.data.password, locale: locals.locale },
			{ ip: locals.ip }
		);
		if (!result.ok) {
			const key = result.reason === 'email_taken' ? ('invite.error.email_taken' as const) : ('invite.error.invalid_token' as const);
			return fail(result.reason === 'email_taken' ? 409 : 400, { errors: formError(key), values: form.values });
		}
		redirect(303, '/connexion?notice=welcome_invited');
	}
};
