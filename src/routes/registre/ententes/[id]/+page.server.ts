import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { parseForm } from '$lib/server/forms';
import { guarded, requireSignedIn } from '$lib/server/http';
import { can } from '$lib/server/policy';
import { agreementDetail } from '$lib/server/territories/read';
import { saveAgreement } from '$lib/server/territories/registry';
import { agreementSchema } from '../../schemas';

export const load: PageServerLoad = async (event) => {
	const { actor } = requireSignedIn(event);
	if (!can(actor, 'registry:manage', null)) error(403, { message: 'forbidden', code: 'error.403' });
	const detail = await agreementDetail(getAppContext(), actor, event.params.id);
	if (!detail) error(404, { message: 'not found', code: 'error.404' });
	return detail;
};

export const actions: Actions = {
	default: async (event) => {
		const { actor } = requireSignedIn(event);
		const form = await parseForm(event.request, agreementSchema);
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		const r = await guarded(() => saveAgreement(getAppContext(), actor, event.params.id, form.data, { ip: event.locals.ip }));
		return r.ok ? { saved: true } : fail(400, { errors: r.errors, values: form.values });
	}
};
