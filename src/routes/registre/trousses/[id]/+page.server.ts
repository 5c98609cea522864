import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { echoFields, fieldText, readFields, type FieldErrors } from '$lib/server/forms';
import { guarded, requireSignedIn } from '$lib/server/http';
import { activatePack, packSettings } from '$lib/server/incidents';
import { notFound, requestMeta } from '$lib/server/kit-http';

/** One police service's kit pack: the version in force, the versions on offer, the activation history. */
export const load: PageServerLoad = async (event) => {
	const { actor } = requireSignedIn(event);
	const settings = await guarded(() => packSettings(getAppContext(), actor, { policeServiceId: event.params.id }));
	if (!settings) notFound();
	return { settings };
};

export const actions: Actions = {
	default: async (event) => {
		const { actor } = requireSignedIn(event);
		const fields = await readFields(event.request);
		const [packId = '', packVersion = ''] = fieldText(fields, 'pack').split('@');
		const expected = Number.parseInt(fieldText(fields, '_activation'), 10);
		const r = await guarded(() =>
			activatePack(getAppContext(), actor, { policeServiceId: event.params.id, packId, packVersion, expectedActivation: Number.isInteger(expected) ? expected : -1 }, requestMeta(event))
		);
		if (r.ok) return { activated: r.activation.packVersion };
		if (r.reason === 'not_found') notFound();
		if (r.reason === 'conflict') return fail(409, { errors: { _form: { key: 'kit.packs.error.conflict' } } as FieldErrors, values: echoFields(fields) });
		return fail(400, { errors: r.errors, values: echoFields(fields) });
	}
};
