import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { echoFields, fieldText, readFields, type FormFields } from '$lib/server/forms';
import { guarded, requireSignedIn } from '$lib/server/http';
import { logPoliceCall } from '$lib/server/incidents';
import { caseHeader, kitPackOf, loadCase, requestMeta, writeFailure } from '$lib/server/kit-http';
import { montrealInputValue } from '$lib/format';

export const load: PageServerLoad = async (event) => {
	const { view } = await loadCase(event);
	const s = view.evaluation.suggestion;
	return {
		kitPack: kitPackOf(view),
		kase: caseHeader(view),
		calls: view.policeCalls.map((c) => ({ ...c, calledBy: c.calledBy.name })),
		handedOffAt: view.handedOffAt,
		policeService: view.policeService,
		suggestion: s.reasons.length > 0 || view.evaluation.progress.complete ? { orientation: s.orientation, provisional: s.provisional } : null,
		redFlags: view.evaluation.redFlags.length,
		students: view.students.length,
		devices: view.devices.length,
		canEdit: view.can.edit,
		defaults: { calledAt: montrealInputValue(getAppContext().now()) } as FormFields
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { actor } = requireSignedIn(event);
		const fields = await readFields(event.request);
		const values = echoFields(fields);
		const r = await guarded(() =>
			logPoliceCall(
				getAppContext(),
				actor,
				{
					incidentId: event.params.id,
					calledAt: fieldText(fields, 'calledAt'),
					officerName: fieldText(fields, 'officerName'),
					officerBadge: fieldText(fields, 'officerBadge') || null,
					policeFileNumber: fieldText(fields, 'policeFileNumber') || null
				},
				requestMeta(event)
			)
		);
		if (r.ok) return { logged: true, handedOff: r.handedOff, notified: r.notified };
		return writeFailure(r, { values });
	}
};
