import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { echoFields, fieldText, readFields, type FormFields } from '$lib/server/forms';
import { guarded, requireSignedIn } from '$lib/server/http';
import { recordFollowup, recordParentNotification } from '$lib/server/incidents';
import { caseHeader, kitPackOf, loadCase, requestMeta, studentRefs, writeFailure } from '$lib/server/kit-http';
import { CHECKLIST_KINDS, CONSULTATION_AGE, FOLLOWUP_STATUSES, PARENT_OUTCOMES, SUPPORT_KINDS } from '$lib/domain/incidents/vocabulary';
import { montrealInputValue } from '$lib/format';
import type { IncidentView } from '$lib/server/incidents';

function items(view: IncidentView, kinds: readonly (keyof typeof FOLLOWUP_STATUSES)[], editable: boolean) {
	return kinds.map((kind) => {
		const rows = view.followups.filter((f) => f.kind === kind);
		const latest = rows.at(-1) ?? null;
		return {
			kind,
			statuses: [...FOLLOWUP_STATUSES[kind]],
			latest: latest ? { status: latest.status, doneOn: latest.doneOn, byLabel: latest.byLabel, note: latest.note, recordedBy: latest.recordedBy.name, recordedAt: latest.recordedAt } : null,
			entries: rows.length,
			editable
		};
	});
}

export const load: PageServerLoad = async (event) => {
	const { view } = await loadCase(event);
	const decision = view.decision?.decision ?? null;
	const refs = studentRefs(view);
	const number = new Map(refs.map((r) => [r.id, r.number]));
	const policeSide = view.can.policeFollowup;
	return {
		kitPack: kitPackOf(view),
		kase: caseHeader(view),
		decision,
		// Impulsive path (or no decision yet): the school's checklist. Malicious: the police investigate, the school does not.
		checklist: decision === 'malicious' ? null : items(view, CHECKLIST_KINDS, view.can.edit),
		investigation: decision === 'malicious' || policeSide || view.followups.some((f) => f.kind === 'investigation_status') ? items(view, ['investigation_status'], policeSide)[0]! : null,
		support: items(view, SUPPORT_KINDS, view.can.edit),
		students: refs,
		consultationAge: CONSULTATION_AGE,
		notifications: view.parentNotifications.map((n) => ({ ...n, by: n.by.name, studentNumber: number.get(n.studentId) ?? null })),
		outcomes: [...PARENT_OUTCOMES],
		canNotify: view.can.notifyParents,
		defaults: { at: montrealInputValue(getAppContext().now()) } as FormFields
	};
};

export const actions: Actions = {
	followup: async (event) => {
		const { actor } = requireSignedIn(event);
		const fields = await readFields(event.request);
		const values = echoFields(fields);
		const kind = fieldText(fields, 'kind');
		const r = await guarded(() =>
			recordFollowup(
				getAppContext(),
				actor,
				{ incidentId: event.params.id, kind, status: fieldText(fields, 'status'), doneOn: fieldText(fields, 'doneOn') || null, byLabel: fieldText(fields, 'byLabel') || null, note: fieldText(fields, 'note') || null },
				requestMeta(event)
			)
		);
		if (r.ok) return { form: `followup:${kind}`, saved: true };
		return writeFailure(r, { values, form: `followup:${kind}` });
	},
	parents: async (event) => {
		const { actor } = requireSignedIn(event);
		const fields = await readFields(event.request);
		const values = echoFields(fields);
		const r = await guarded(() =>
			recordParentNotification(
				getAppContext(),
				actor,
				{
					incidentId: event.params.id,
					studentId: fieldText(fields, 'studentId'),
					outcome: fieldText(fields, 'outcome'),
					party: fieldText(fields, 'party') || null,
					at: fieldText(fields, 'at') || null,
					reasonNotNotified: fieldText(fields, 'reasonNotNotified') || null,
					studentConsulted: fieldText(fields, 'studentConsulted') || null
				},
				requestMeta(event)
			)
		);
		if (r.ok) return { form: 'parents', saved: true };
		return writeFailure(r, { values, form: 'parents' });
	}
};
