import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions } from './$types';
import { getAppContext } from '$lib/server/app';
import { requestPasswordReset } from '$lib/server/auth/password-reset';
import { parseForm } from '$lib/server/forms';

const schema = z.object({ email: z.string().trim().min(1).max(254).pipe(z.email()) });

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const form = await parseForm(request, schema);
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values, sent: false });
		await requestPasswordReset(getAppContext(), form.data.email, { ip: locals.ip });
		// Same answer whether or not the account exists.
		return { sent: true, values: form.values, errors: undefined };
	}
};
