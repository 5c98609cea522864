import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { parseForm } from '$lib/server/forms';
import { guarded, requireSignedIn } from '$lib/server/http';
import { can } from '$lib/server/policy';
import { registryOverview } from '$lib/server/territories/read';
import { saveAgreement, savePoliceService, saveTerritory } from '$lib/server/territories/registry';
import { agreementSchema, policeServiceSchema, territorySchema } from './schemas';

export const load: PageServerLoad = async (event) => {
	const { actor } = requireSignedIn(event);
	if (!can(actor, 'registry:manage', null)) error(403, { message: 'forbidden', code: 'error.403' });
	return registryOverview(getAppContext(), actor);
};

export const actions: Actions = {
	territory: async (event) => {
		const { actor } = requireSignedIn(event);
		const form = await parseForm(event.request, territorySchema);
		if (!form.ok) return fail(400, { form: 'territory', errors: form.errors, values: form.values });
		const r = await guarded(() => saveTerritory(getAppContext(), actor, null, form.data, { ip: event.locals.ip }));
		return r.ok ? { form: 'territory', created: true } : fail(400, { form: 'territory', errors: r.errors, values: form.values });
	},
	policeService: async (event) => {
		const { actor } = requireSignedIn(event);
		const form = await parseForm(event.request, policeServiceSchema);
		if (!form.ok) return fail(400, { form: 'policeService', errors: form.errors, values: form.values });
		const r = await guarded(() => savePoliceService(getAppContext(), actor, null, form.data, { ip: event.locals.ip }));
		return r.ok ? { form: 'policeService', created: true } : fail(400, { form: 'policeService', errors: r.errors, values: form.values });
	},
	agreement: async (event) => {
		const { actor } = requireSignedIn(event);
		const form = await parseForm(event.request, agreementSchema);
		if (!form.ok) return fail(400, { form: 'agreement', errors: form.errors, values: form.values });
		const r = await guarded(() => saveAgreement(getAppContext(), actor, null, form.data, { ip: event.locals.ip }));
		return r.ok ? { form: 'agreement', created: true } : fail(400, { form: 'agreement', errors: r.errors, values: form.values });
	}
};
