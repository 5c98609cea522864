import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { parseForm } from '$lib/server/forms';
import { guarded, requireSignedIn } from '$lib/server/http';
import { manageablePoliceServices, saveSchool, schoolDetail } from '$lib/server/territories/schools';
import { schoolSchema } from '../schema';

export const load: PageServerLoad = async (event) => {
	const { actor } = requireSignedIn(event);
	const ctx = getAppContext();
	const detail = await schoolDetail(ctx, actor, event.params.id);
	// Outside the actor's territory the school "does not exist".
	if (!detail) error(404, { message: 'not found', code: 'error.404' });
	return { ...detail, services: await manageablePoliceServices(ctx, actor) };
};

export const actions: Actions = {
	default: async (event) => {
		const { actor } = requireSignedIn(event);
		const form = await parseForm(event.request, schoolSchema);
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		const r = await guarded(() => saveSchool(getAppContext(), actor, event.params.id, form.data, { ip: event.locals.ip }));
		if (!r.ok) {
			if ('notFound' in r) error(404, { message: 'not found', code: 'error.404' });
			return fail(400, { errors: r.errors, values: form.values });
		}
		return { saved: true };
	}
};
