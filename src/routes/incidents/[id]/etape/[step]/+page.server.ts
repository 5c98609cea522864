import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { echoFields, fieldList, fieldText, readFields, type FieldErrors, type FormFields } from '$lib/server/forms';
import { guarded, requireSignedIn } from '$lib/server/http';
import { saveStepAnswers } from '$lib/server/incidents';
import { displayValue } from '$lib/server/incidents/handoff-packet';
import { caseHeader, casePack, kitPackOf, loadCase, notFound, requestMeta, writeFailure } from '$lib/server/kit-http';
import { packRegistry } from '$lib/server/protocol/packs';
import { casePath, kitScreens, nextAfter, type ScreenId } from '$lib/kit/flow';
import { stepQuestions } from '$lib/server/kit-steps';
import { translate } from '$lib/i18n';
import type { Localized } from '$lib/domain/protocol/schema';

/** Form fields that are not answers (question ids are snake_case letters first, so they never start with "_"). */
const CONTROL = /^_/;

export const load: PageServerLoad = async (event) => {
	const { view } = await loadCase(event);
	const pack = casePack(view);
	const step = pack.steps.find((s) => s.id === event.params.step);
	if (!step) notFound();
	const snapshot = view.steps.find((s) => s.stepId === step.id);
	const locale = event.locals.locale;
	const questions = stepQuestions(pack, step.id, view.evaluation.answers, locale, (key, params) => translate(locale, key, params));
	const stored = snapshot?.answers ?? {};
	const display: Record<string, Localized> = {};
	for (const { question } of questions) {
		const v = stored[question.id];
		if (v !== undefined) display[question.id] = displayValue(question, v);
	}
	const screens = kitScreens(pack.steps);
	const index = screens.findIndex((s) => s.stepId === step.id);
	return {
		kitPack: kitPackOf(view),
		kase: caseHeader(view),
		step: { id: step.id, kind: step.kind, title: step.title, guidance: step.guidance },
		questions,
		stored,
		display,
		version: snapshot?.version ?? 0,
		updatedBy: snapshot?.updatedBy?.name ?? null,
		updatedAt: snapshot?.updatedAt ?? null,
		fired: view.evaluation.redFlags.map((f) => f.id),
		stop: view.evaluation.suggestion.stopInterviewing,
		callNow: view.evaluation.callNow,
		policeCalled: view.policeCalledAt !== null,
		readOnly: !view.can.edit,
		previous: index > 0 ? screens[index - 1]!.path : '',
		next: nextAfter(pack.steps, { screen: screenOf(step.kind), stepId: step.id })
	};
};

function screenOf(kind: string): ScreenId {
	return kind === 'intake' ? 'intake' : kind === 'red_flags' ? 'red_flags' : 'questions';
}

export const actions: Actions = {
	default: async (event) => {
		const { actor } = requireSignedIn(event);
		const incidentId = event.params.id;
		const stepId = event.params.step;
		const fields = await readFields(event.request);
		const values = echoFields(fields);

		const answers: Record<string, string | string[]> = {};
		for (const [name, value] of Object.entries(fields)) if (!CONTROL.test(name)) answers[name] = value;
		// "None of these": every red-flag question left unanswered is answered "no" (a "yes" ticked stays).
		if (fieldText(fields, '_intent') === 'none') {
			for (const id of fieldList(fields, '_yesno')) if (!fieldText(answers, id)) answers[id] = 'no';
		}
		const version = Number.parseInt(fieldText(fields, '_version'), 10);

		const r = await guarded(() =>
			saveStepAnswers(getAppContext(), actor, { incidentId, stepId, answers, expectedVersion: Number.isInteger(version) ? version : -1 }, requestMeta(event))
		);
		if (r.ok) {
			const firedBefore = new Set(fieldList(fields, '_fired'));
			const newlyFired = r.evaluation.redFlags.some((f) => !firedBefore.has(f.id));
			const newlyStopped = r.evaluation.suggestion.stopInterviewing && fieldText(fields, '_stop') !== '1';
			const pack = packRegistry().get(r.evaluation.pack.id, r.evaluation.pack.version);
			const step = pack?.steps.find((s) => s.id === stepId);
			// The red flags always lead to "call now" while one holds; another step does when it raises a new one.
			if (newlyFired || newlyStopped || (step?.kind === 'red_flags' && r.evaluation.callNow)) redirect(303, casePath(incidentId, 'appel'));
			redirect(303, casePath(incidentId, pack && step ? nextAfter(pack.steps, { screen: screenOf(step.kind), stepId }) : ''));
		}
		if (r.reason === 'conflict') {
			return fail(409, {
				errors: { _form: { key: 'kit.error.conflict' } } as FieldErrors,
				values: values as FormFields,
				conflict: { version: r.current.version, by: r.current.updatedBy?.name ?? null, at: r.current.updatedAt }
			});
		}
		return writeFailure(r, { values });
	}
};
