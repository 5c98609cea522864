import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { echoFields, fieldText, readFields } from '$lib/server/forms';
import { guarded, requireSignedIn } from '$lib/server/http';
import { addAddendum, closeIncident, ADDENDUM_MAX } from '$lib/server/incidents';
import { caseHeader, kitPackOf, loadCase, requestMeta, writeFailure } from '$lib/server/kit-http';
import { CLOSURE_REASONS } from '$lib/domain/incidents/vocabulary';

export const load: PageServerLoad = async (event) => {
	const { view } = await loadCase(event);
	return {
		kitPack: kitPackOf(view),
		kase: caseHeader(view),
		closedAt: view.closedAt,
		closureReason: view.closureReason,
		addenda: view.addenda.map((a) => ({ id: a.id, author: a.author.name, at: a.at, text: a.text })),
		reasons: [...CLOSURE_REASONS],
		canClose: view.can.close,
		canAddendum: view.can.addendum,
		addendumMax: ADDENDUM_MAX,
		decision: view.decision?.decision ?? null
	};
};

export const actions: Actions = {
	close: async (event) => {
		const { actor } = requireSignedIn(event);
		const fields = await readFields(event.request);
		const r = await guarded(() => closeIncident(getAppContext(), actor, { incidentId: event.params.id, reason: fieldText(fields, 'reason') }, requestMeta(event)));
		if (r.ok) return { form: 'close', closed: true };
		return writeFailure(r, { values: echoFields(fields), form: 'close' });
	},
	addendum: async (event) => {
		const { actor } = requireSignedIn(event);
		const fields = await readFields(event.request);
		const r = await guarded(() => addAddendum(getAppContext(), actor, { incidentId: event.params.id, text: fieldText(fields, 'text') }, requestMeta(event)));
		if (r.ok) return { form: 'addendum', added: true };
		return writeFailure(r, { values: echoFields(fields), form: 'addendum' });
	}
};
