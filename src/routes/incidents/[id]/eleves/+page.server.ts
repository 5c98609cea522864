import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { echoFields, fieldList, fieldText, readFields, type FieldErrors, type FormFields } from '$lib/server/forms';
import { guarded, requireSignedIn } from '$lib/server/http';
import { addStudent, updateStudent, type StudentInput } from '$lib/server/incidents';
import { caseHeader, kitPackOf, loadCase, requestMeta, writeFailure } from '$lib/server/kit-http';
import { STUDENT_ROLES } from '$lib/server/db/schema';

export const load: PageServerLoad = async (event) => {
	const { view } = await loadCase(event);
	return {
		kitPack: kitPackOf(view),
		kase: caseHeader(view),
		// Names and dates of birth appear on this screen only.
		students: view.students.map((s, i) => ({ ...s, number: i + 1 })),
		roles: [...STUDENT_ROLES],
		canEdit: view.can.edit
	};
};

function studentOf(fields: FormFields): StudentInput {
	return {
		name: fieldText(fields, 'name'),
		dateOfBirth: fieldText(fields, 'dateOfBirth') || null,
		age: fieldText(fields, 'age') || null,
		grade: fieldText(fields, 'grade') || null,
		roles: fieldList(fields, 'roles')
	};
}

export const actions: Actions = {
	add: async (event) => {
		const { actor } = requireSignedIn(event);
		const fields = await readFields(event.request);
		const values = echoFields(fields);
		const r = await guarded(() => addStudent(getAppContext(), actor, { incidentId: event.params.id, student: studentOf(fields) }, requestMeta(event)));
		if (r.ok) return { form: 'add', added: true };
		return writeFailure(r, { values, form: 'add' });
	},
	update: async (event) => {
		const { actor } = requireSignedIn(event);
		const fields = await readFields(event.request);
		const values = echoFields(fields);
		const studentId = fieldText(fields, 'studentId');
		const version = Number.parseInt(fieldText(fields, 'version'), 10);
		const r = await guarded(() =>
			updateStudent(getAppContext(), actor, { incidentId: event.params.id, studentId, student: studentOf(fields), expectedVersion: Number.isInteger(version) ? version : -1 }, requestMeta(event))
		);
		if (r.ok) return { form: 'update', studentId, saved: true };
		if (r.reason === 'conflict') {
			return fail(409, { form: 'update', studentId, values, errors: { _form: { key: 'kit.error.conflict' } } as FieldErrors, conflict: r.current });
		}
		return writeFailure(r, { values, form: 'update', studentId });
	}
};
