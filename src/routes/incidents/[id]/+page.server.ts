import type { PageServerLoad } from './$types';
import { caseHeader, casePack, kitPackOf, loadCase, studentRefs } from '$lib/server/kit-http';
import { kitScreens } from '$lib/kit/flow';

export const load: PageServerLoad = async (event) => {
	const { view } = await loadCase(event);
	const pack = casePack(view);
	const progressOf = new Map(view.evaluation.progress.steps.map((s) => [s.stepId, s]));
	const savedOf = new Map(view.steps.map((s) => [s.stepId, s.version > 0]));
	const screens = kitScreens(pack.steps).map((s) => {
		let state: 'done' | 'partial' | 'todo' | 'na';
		let detail: { answered: number; required: number } | null = null;
		switch (s.screen) {
			case 'intake':
			case 'red_flags':
			case 'questions': {
				const p = progressOf.get(s.stepId!);
				detail = p ? { answered: p.answered, required: p.required } : null;
				state = !savedOf.get(s.stepId!) ? 'todo' : p?.complete ? 'done' : 'partial';
				break;
			}
			case 'students':
				state = view.students.length > 0 ? 'done' : 'todo';
				break;
			case 'devices':
				state = view.devices.length > 0 ? 'done' : 'todo';
				break;
			case 'handoff':
				state = view.handedOffAt ? 'done' : 'todo';
				break;
			case 'decision':
				state = view.decision ? 'done' : view.handedOffAt ? 'todo' : 'na';
				break;
			case 'followup':
				state = view.followups.length > 0 || view.parentNotifications.length > 0 ? 'partial' : 'todo';
				break;
			case 'closure':
				state = view.closedAt ? 'done' : 'todo';
				break;
		}
		const step = s.stepId ? pack.steps.find((x) => x.id === s.stepId) : null;
		return { ...s, title: step?.title ?? null, state, detail };
	});
	const next = view.can.edit ? (screens.find((s) => ['intake', 'red_flags', 'students', 'devices', 'questions', 'handoff'].includes(s.screen) && s.state !== 'done') ?? null) : null;
	const suggestion = view.evaluation.suggestion;
	return {
		kitPack: kitPackOf(view),
		kase: caseHeader(view),
		overview: {
			createdAt: view.createdAt,
			t0: view.intake.t0,
			summary: view.intake.summary,
			openedBy: view.openedBy.name,
			assignedTo: view.assignedTo?.name ?? null,
			policeService: view.policeService,
			policeCalledAt: view.policeCalledAt,
			handedOffAt: view.handedOffAt,
			closedAt: view.closedAt,
			closureReason: view.closureReason,
			clocks: view.clocks,
			decision: view.decision ? { decision: view.decision.decision, decidedOn: view.decision.decidedOn, conditions: view.decision.conditions } : null,
			decisionOverdue: view.decisionOverdue,
			stop: view.evaluation.callNow || suggestion.stopInterviewing,
			redFlags: view.evaluation.redFlags.map((f) => ({ id: f.id, label: f.label, action: f.action })),
			suggestion: {
				orientation: suggestion.orientation,
				reasons: suggestion.reasons.map((r) => ({ ruleId: r.ruleId, points: r.points, reason: r.reason })),
				provisional: suggestion.provisional,
				hasBasis: suggestion.reasons.length > 0 || view.evaluation.progress.complete
			},
			students: studentRefs(view),
			devices: view.devices.length,
			pack: { title: view.pack.title, version: view.pack.version }
		},
		screens,
		next
	};
};
