import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { parseForm } from '$lib/server/forms';
import { guarded, requireSignedIn } from '$lib/server/http';
import { can } from '$lib/server/policy';
import { listSchools, manageablePoliceServices, saveSchool } from '$lib/server/territories/schools';
import { schoolSchema } from './schema';

export const load: PageServerLoad = async (event) => {
	const { actor } = requireSignedIn(event);
	if (!can(actor, 'schools:view', null)) error(403, { message: 'forbidden', code: 'error.403' });
	const ctx = getAppContext();
	const q = (event.url.searchParams.get('q') ?? '').slice(0, 100);
	const [schools, services] = await Promise.all([listSchools(ctx, actor, q), manageablePoliceServices(ctx, actor)]);
	return { q, schools, services };
};

export const actions: Actions = {
	create: async (event) => {
		const { actor } = requireSignedIn(event);
		const form = await parseForm(event.request, schoolSchema);
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		const r = await guarded(() => saveSchool(getAppContext(), actor, null, form.data, { ip: event.locals.ip }));
		if (!r.ok) {
			if ('notFound' in r) error(404, { message: 'not found', code: 'error.404' });
			return fail(400, { errors: r.errors, values: form.values });
		}
		return { created: true };
	}
};
