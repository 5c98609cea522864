import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { badgeClassOf, getAttestationSettings, saveAttestationSettings } from '$lib/server/attestations';
import { fieldList, fieldText, readFields } from '$lib/server/forms';
import { guarded, requireSignedIn } from '$lib/server/http';
import { notFound, requestMeta } from '$lib/server/kit-http';

/** The holder's controls. Anyone else (and any unknown id) gets the same 404 as an unknown page. */
export const load: PageServerLoad = async (event) => {
	const { actor } = requireSignedIn(event);
	const view = await getAttestationSettings(getAppContext(), actor, event.params.id);
	if (!view) notFound();
	const locale = event.locals.locale;
	return {
		id: view.id,
		badgeName: badgeClassOf(view.level).name[locale],
		isPublic: view.isPublic,
		answers: view.answers.map((a) => ({ key: a.key, question: a.question[locale], answer: a.answer, shown: a.shown }))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { actor } = requireSignedIn(event);
		const fields = await readFields(event.request);
		const visibility = fieldText(fields, 'visibility');
		if (visibility !== 'public' && visibility !== 'private') {
			return fail(400, { errors: { visibility: { key: 'form.error.required' as const } } });
		}
		const shownKeys = fieldList(fields, 'show').slice(0, 50);
		const r = await guarded(() => saveAttestationSettings(getAppContext(), actor, { awardId: event.params.id, isPublic: visibility === 'public', shownKeys }, requestMeta(event)));
		if (!r.ok) notFound();
		return { saved: true, isPublic: r.isPublic };
	}
};
