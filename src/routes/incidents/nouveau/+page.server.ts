import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { echoFields, fieldList, fieldText, readFields, type FieldErrors, type FormFields } from '$lib/server/forms';
import { guarded, requireSignedIn } from '$lib/server/http';
import { intakeSchools, intakeStepOf, openIncident } from '$lib/server/incidents';
import { defaultKitPack, forbidden, requestMeta } from '$lib/server/kit-http';
import { packRegistry } from '$lib/server/protocol/packs';
import { casePath, stepPath } from '$lib/kit/flow';
import { montrealInputValue } from '$lib/format';
import type { ProtocolPack } from '$lib/domain/protocol/schema';

function intakeOf(pack: ProtocolPack) {
	const step = intakeStepOf(pack);
	return { step, questions: pack.questions.filter((q) => q.step === step.id) };
}

export const load: PageServerLoad = async (event) => {
	const { actor } = requireSignedIn(event);
	const schools = await intakeSchools(getAppContext(), actor);
	// Nobody here may open a case: the same page as any other refusal.
	if (schools.length === 0) forbidden();
	const pack = packRegistry().defaultPack();
	const { step, questions } = intakeOf(pack);
	return {
		kitPack: defaultKitPack(),
		covered: schools.filter((s) => s.covered).map((s) => ({ id: s.id, name: s.name })),
		uncovered: schools.filter((s) => !s.covered),
		step: { id: step.id, title: step.title, guidance: step.guidance },
		questions,
		// T0 defaults to now (the responder usually opens the kit right after learning of it): change it if not.
		defaults: { intake_learned_at: montrealInputValue(getAppContext().now()) } as FormFields
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { actor } = requireSignedIn(event);
		const fields = await readFields(event.request);
		const values = echoFields(fields);
		const pack = packRegistry().defaultPack();
		const { questions } = intakeOf(pack);
		const intake = Object.fromEntries(questions.map((q) => [q.id, q.type === 'multi_choice' ? fieldList(fields, q.id) : fieldText(fields, q.id)]));
		const ctx = getAppContext();
		const r = await guarded(() =>
			openIncident(
				ctx,
				actor,
				{ schoolId: fieldText(fields, 'schoolId'), intake, imagesReported: fieldText(fields, 'imagesReported') || null, devicesReported: fieldText(fields, 'devicesReported') || null },
				requestMeta(event)
			)
		);
		if (r.ok) {
			const redFlags = pack.steps.find((s) => s.kind === 'red_flags')!;
			redirect(303, casePath(r.id, stepPath(redFlags.id)));
		}
		if (r.reason === 'invalid') return fail(400, { errors: r.errors, values });
		if (r.reason === 'not_covered') return fail(400, { errors: { _form: { key: 'kit.error.not_covered' } } as FieldErrors, values });
		return fail(400, { errors: { schoolId: { key: 'kit.error.not_an_option' } } as FieldErrors, values });
	}
};
