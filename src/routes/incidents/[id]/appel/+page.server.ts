import type { PageServerLoad } from './$types';
import { caseHeader, casePack, kitPackOf, loadCase } from '$lib/server/kit-http';
import { nextAfter } from '$lib/kit/flow';

export const load: PageServerLoad = async (event) => {
	const { view } = await loadCase(event);
	const pack = casePack(view);
	const flags = view.evaluation.redFlags;
	return {
		kitPack: kitPackOf(view),
		kase: caseHeader(view),
		flags: flags.map((f) => ({ id: f.id, label: f.label, action: f.action, guidance: f.guidance })),
		actions: view.evaluation.actions,
		// What to do meanwhile: the most urgent flag's list (the pack keeps each to 3–4 steps).
		meanwhile: flags[0]?.meanwhile ?? null,
		stop: view.evaluation.suggestion.stopInterviewing,
		malicious: view.evaluation.suggestion.orientation === 'likely_malicious',
		policeService: view.policeService,
		policeCalledAt: view.policeCalledAt,
		// The rest of the kit stays available as follow-up: from the red flags on.
		next: nextAfter(pack.steps, { screen: 'red_flags', stepId: pack.steps.find((s) => s.kind === 'red_flags')?.id ?? null })
	};
};
