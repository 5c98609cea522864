import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { echoFields, fieldText, readFields, type FormFields } from '$lib/server/forms';
import { guarded, requireSignedIn } from '$lib/server/http';
import { recordCustodyEvent } from '$lib/server/incidents';
import { caseHeader, kitPackOf, loadCase, requestMeta, studentRefs, writeFailure } from '$lib/server/kit-http';
import { CUSTODY_EVENTS, DEVICE_STATES } from '$lib/server/db/schema';
import { montrealInputValue } from '$lib/format';

export const load: PageServerLoad = async (event) => {
	const { user } = event.locals;
	const { view } = await loadCase(event);
	const refs = studentRefs(view);
	const number = new Map(refs.map((r) => [r.id, r.number]));
	return {
		kitPack: kitPackOf(view),
		kase: caseHeader(view),
		// The owner is shown as "Élève 2", never by name (names are on the Students screen).
		devices: view.devices.map((d) => ({ ...d, owner: { studentNumber: d.owner.studentId ? (number.get(d.owner.studentId) ?? null) : null, label: d.owner.label } })),
		students: refs,
		events: [...CUSTODY_EVENTS],
		states: [...DEVICE_STATES],
		canEdit: view.can.edit,
		defaults: { at: montrealInputValue(getAppContext().now()), byName: user?.displayName ?? '', event: 'seized', state: 'off' } as FormFields,
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { actor } = requireSignedIn(event);
		const fields = await readFields(event.request);
		const values = echoFields(fields);
		const v = (name: string) => fieldText(fields, name) || null;
		const r = await guarded(() =>
			recordCustodyEvent(
				getAppContext(),
				actor,
				{
					incidentId: event.params.id,
					deviceRef: v('deviceRef'),
					event: fieldText(fields, 'event'),
					description: v('description'),
					ownerStudentId: v('ownerStudentId'),
					ownerLabel: v('ownerLabel'),
					at: fieldText(fields, 'at'),
					byName: fieldText(fields, 'byName'),
					state: fieldText(fields, 'state'),
					envelopeNo: v('envelopeNo'),
					location: v('location'),
					toName: v('toName'),
					toBadge: v('toBadge')
				},
				requestMeta(event)
			)
		);
		if (r.ok) return { recorded: r.deviceRef };
		return writeFailure(r, { values });
	}
};
