import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { completePasswordReset, isResetTokenUsable } from '$lib/server/auth/password-reset';
import { newPasswordFields, passwordsMatch } from '$lib/server/auth/password-schema';
import { PASSWORD_MIN_LENGTH } from '$lib/server/crypto/password';
import { formError, parseForm } from '$lib/server/forms';

const schema = passwordsMatch(z.object(newPasswordFields));

export const load: PageServerLoad = async ({ params }) => ({
	usable: await isResetTokenUsable(getAppContext(), params.token),
	minLength: PASSWORD_MIN_LENGTH
});

export const actions: Actions = {
	default: async ({ request, params, locals }) => {
		const form = await parseForm(request, schema);
		if (!form.ok) return fail(400, { errors: form.errors });
		const result = await completePasswordReset(getAppContext(), params.token, form.data.password, { ip: locals.ip });
		if (!result.ok) return fail(400, { errors: formError('reset.error.invalid_token') });
		redirect(303, '/connexion?notice=password_changed');
	}
};
