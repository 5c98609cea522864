/**
 * The kit's screens in the order a responder walks them (PRODUCT.md §3), and where each one lives. Pure:
 * shared by the server (where to go after a save) and the pages (the step list, "continue" links).
 *
 *   intake → red flags → questionnaire steps of the pack → students → devices → police hand-off
 *          → DPCP decision (police side) → follow-up → closure
 *
 * The red-flags step always comes right after the intake: a "yes" there switches to the "call now" screen.
 * The questionnaire comes before the students and the seizure log (PRODUCT.md §3 lists it fifth): it is
 * where a malicious redistribution shows (passed on without agreement, to a class group…), and the kit must
 * say "stop interviewing, call the police" before anyone questions the students about who did what. That
 * keeps the way from the intake to that instruction within 5 interactions; every screen stays reachable
 * from the case overview in any order.
 */
import type { Step, StepKind } from '../domain/protocol/schema';

export type ScreenId = 'intake' | 'red_flags' | 'students' | 'devices' | 'questions' | 'handoff' | 'decision' | 'followup' | 'closure';

export interface KitScreen {
	/** one of the fixed screens, or `questions` for a questionnaire step of the pack */
	screen: ScreenId;
	/** the pack step, for intake, red flags and questionnaire steps */
	stepId: string | null;
	/** path below /incidents/<id> ('' = the case overview) */
	path: string;
}

export function casePath(incidentId: string, sub = ''): string {
	return `/incidents/${encodeURIComponent(incidentId)}${sub ? `/${sub}` : ''}`;
}

export function stepPath(stepId: string): string {
	return `etape/${encodeURIComponent(stepId)}`;
}

/** The screens of a case, in order, for a pack's steps (any order in the pack: intake, red flags, questions). */
export function kitScreens(steps: readonly Pick<Step, 'id' | 'kind'>[]): KitScreen[] {
	const of = (kind: StepKind) => steps.filter((s) => s.kind === kind);
	const packStep = (s: Pick<Step, 'id' | 'kind'>, screen: ScreenId): KitScreen => ({ screen, stepId: s.id, path: stepPath(s.id) });
	return [
		...of('intake').map((s) => packStep(s, 'intake')),
		...of('red_flags').map((s) => packStep(s, 'red_flags')),
		...of('questions').map((s) => packStep(s, 'questions')),
		{ screen: 'students', stepId: null, path: 'eleves' },
		{ screen: 'devices', stepId: null, path: 'appareils' },
		{ screen: 'handoff', stepId: null, path: 'remise' },
		{ screen: 'decision', stepId: null, path: 'decision' },
		{ screen: 'followup', stepId: null, path: 'suivi' },
		{ screen: 'closure', stepId: null, path: 'fermeture' }
	];
}

/**
 * Where the responder goes after saving a screen: the next one of the school's part of the kit (intake →
 * red flags → each questionnaire step), then the case overview, which shows the grid's suggestion and leads
 * on (students, devices, hand-off: the overview's "continue" is the first screen not done yet).
 */
export function nextAfter(steps: readonly Pick<Step, 'id' | 'kind'>[], current: { screen: ScreenId; stepId?: string | null }): string {
	const schoolPart = kitScreens(steps).filter((s) => ['intake', 'red_flags', 'students', 'devices', 'questions'].includes(s.screen));
	const i = schoolPart.findIndex((s) => s.screen === current.screen && (s.stepId === null || s.stepId === (current.stepId ?? null)));
	const next = i >= 0 ? schoolPart[i + 1] : undefined;
	// The end of the questionnaire: the overview, where the grid's suggestion and the next step are shown.
	if (current.screen === 'questions' && next?.screen !== 'questions') return '';
	return next ? next.path : '';
}
