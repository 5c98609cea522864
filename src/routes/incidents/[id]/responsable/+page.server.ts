import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { echoFields, fieldText, readFields } from '$lib/server/forms';
import { guarded, requireSignedIn } from '$lib/server/http';
import { assignIncident, assignmentOptions } from '$lib/server/incidents';
import { caseHeader, forbidden, kitPackOf, loadCase, notFound, requestMeta, writeFailure } from '$lib/server/kit-http';

/** The principal gives the case to a responder of the school (or takes the assignment back). */
export const load: PageServerLoad = async (event) => {
	const { actor, view } = await loadCase(event);
	if (!view.can.assign) forbidden();
	const options = await guarded(() => assignmentOptions(getAppContext(), actor, { incidentId: view.id }));
	if (!options) notFound();
	return {
		kitPack: kitPackOf(view),
		kase: caseHeader(view),
		assignedTo: view.assignedTo?.name ?? null,
		assigneeId: options.assignedTo,
		openedBy: view.openedBy.name,
		responders: options.responders
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { actor } = requireSignedIn(event);
		const fields = await readFields(event.request);
		const chosen = fieldText(fields, 'assigneeId');
		const r = await guarded(() => assignIncident(getAppContext(), actor, { incidentId: event.params.id, assigneeId: chosen || null }, requestMeta(event)));
		if (r.ok) return { assigned: true, assigneeId: r.assigneeId };
		if (r.reason === 'invalid') return fail(400, { errors: r.errors, values: echoFields(fields) });
		return writeFailure(r, { values: echoFields(fields) });
	}
};
