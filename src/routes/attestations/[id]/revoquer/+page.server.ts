/** Revoke an award (trainer-evaluator, platform admin): category + optional internal note. */
import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { guarded, requireSignedIn } from '$lib/server/http';
import { formError, parseForm } from '$lib/server/forms';
import { can } from '$lib/server/policy';
import { CredentialError, REVOCATION_CATEGORIES, revokeAward, verificationStatusOf } from '$lib/server/credentials';
import { optionalText } from '$lib/server/forms-fields';

const schema = z.object({
	category: z.enum(REVOCATION_CATEGORIES),
	note: optionalText(1000)
});

async function holderOf(awardId: string): Promise<string | null> {
	if (!/^[0-9a-f-]{36}$/i.test(awardId)) return null;
	const row = await getAppContext().db.selectFrom('training_awards').select('user_id').where('id', '=', awardId).executeTakeFirst();
	return row?.user_id ?? null;
}

export const load: PageServerLoad = async (event) => {
	const { actor } = requireSignedIn(event);
	const holderId = await holderOf(event.params.id);
	// Unknown award, or not someone who may revoke: the same 404 (no existence leak).
	if (!holderId || !can(actor, 'credential:revoke', { holderId })) error(404, { message: 'not found', code: 'error.404' });
	return { status: await verificationStatusOf(getAppContext(), event.params.id), categories: REVOCATION_CATEGORIES };
};

export const actions: Actions = {
	default: async (event) => {
		const { actor } = requireSignedIn(event);
		const form = await parseForm(event.request, schema);
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values, done: false });
		try {
			await guarded(() => revokeAward(getAppContext(), actor, event.params.id, { category: form.data.category, note: form.data.note }, { ip: event.locals.ip }));
		} catch (e) {
			if (e instanceof CredentialError && e.code === 'already_revoked') return fail(409, { errors: formError('attestations.credential.already_revoked'), values: form.values, done: false });
			if (e instanceof CredentialError) error(404, { message: 'not found', code: 'error.404' });
			throw e;
		}
		return { done: true, errors: undefined, values: form.values };
	}
};
