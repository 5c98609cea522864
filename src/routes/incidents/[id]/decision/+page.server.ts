import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { echoFields, fieldText, readFields, type FormFields } from '$lib/server/forms';
import { guarded, requireSignedIn } from '$lib/server/http';
import { recordDecision } from '$lib/server/incidents';
import { caseHeader, forbidden, kitPackOf, loadCase, requestMeta, writeFailure } from '$lib/server/kit-http';
import { DECISIONS } from '$lib/server/db/schema';
import { quebecDay } from '$lib/domain/coverage/coverage';

export const load: PageServerLoad = async (event) => {
	const { view } = await loadCase(event);
	// The DPCP decision is the police side's to enter; on a closed case anyone who reads it sees it, read-only.
	if (!view.can.decide && view.status !== 'closed') forbidden();
	return {
		kitPack: kitPackOf(view),
		kase: caseHeader(view),
		decisions: view.decisions.map((d) => ({ ...d, enteredBy: d.enteredBy.name })),
		handedOffAt: view.handedOffAt,
		options: [...DECISIONS],
		canDecide: view.can.decide,
		defaults: { decidedOn: quebecDay(getAppContext().now()) } as FormFields
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { actor } = requireSignedIn(event);
		const fields = await readFields(event.request);
		const values = echoFields(fields);
		const r = await guarded(() =>
			recordDecision(
				getAppContext(),
				actor,
				{ incidentId: event.params.id, decision: fieldText(fields, 'decision'), decidedOn: fieldText(fields, 'decidedOn'), conditions: fieldText(fields, 'conditions') || null },
				requestMeta(event)
			)
		);
		if (r.ok) return { recorded: true, correction: r.correction };
		return writeFailure(r, { values });
	}
};
