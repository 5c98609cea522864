/**
 * The scenario engine (ADR 011): plays an Architecte case on the protocol engine in simulation mode.
 * Pure and deterministic: a case, its pack and a list of choice ids give always the same state, so the
 * server stores only the choices (with their time) and replays them.
 *
 * After each choice the facts established so far (scene facts + choice answers) are handed to the real
 * protocol engine (`evaluate`): red flags fired, "call now", grid suggestion, "stop interviewing". Critical
 * errors come from two sources: the author's `critical` tag on a choice, and rules on the choice's action
 * read against the protocol engine's verdict *before* the choice (what the responder knew at that moment):
 *   view_images → viewed_images · copy_images → copied_images · contact_adult → contacted_adult ·
 *   investigate → acted_as_police · question_author while "stop interviewing" → interviewed_suspected_author ·
 *   delay while a red flag fired → delayed_call.
 * A case is passed when it reaches an ending with score ≥ passScore and no critical error.
 */
import { actionsOf, effectiveAnswers, firedRedFlags, suggestOrientation, type AnswerValue } from '../../protocol/engine';
import type { Localized, Orientation, ProtocolPack, RedFlagAction } from '../../protocol/schema';
import type { Choice, ChoiceAction, CriticalErrorId, Scene, TrainingCase } from './schema';

export interface ProtocolView {
	/** ids of the red flags fired, most urgent first */
	redFlags: string[];
	actions: RedFlagAction[];
	callNow: boolean;
	orientation: Orientation;
	/** grid rule ids matched, in the engine's order */
	reasons: string[];
	stopInterviewing: boolean;
}

export interface StepRecord {
	sceneId: string;
	choiceId: string;
	points: number;
	critical: CriticalErrorId[];
	/** the protocol engine's verdict after this choice */
	protocol: ProtocolView;
}

export interface ScenarioState {
	caseId: string;
	caseVersion: string;
	sceneId: string;
	answers: Record<string, AnswerValue>;
	score: number;
	critical: CriticalErrorId[];
	path: StepRecord[];
	/** the protocol engine's verdict on `answers` (what the responder knows now) */
	protocol: ProtocolView;
	finished: boolean;
}

export type ApplyRefusal = 'finished' | 'not_offered';
export type ApplyResult = { ok: true; state: ScenarioState; step: StepRecord } | { ok: false; code: ApplyRefusal };

// ---------------------------------------------------------------------------------------------------------
// Indexes (built once per case object; cases are frozen by the loader)

interface CaseIndex {
	scenes: ReadonlyMap<string, Scene>;
	maxScore: number;
}
const indexes = new WeakMap<TrainingCase, CaseIndex>();

function indexOf(c: TrainingCase): CaseIndex {
	let index = indexes.get(c);
	if (!index) {
		const scenes = new Map(c.scenes.map((s) => [s.id, s]));
		// Best score over all paths: longest path in a DAG (the schema forbids cycles), memoised.
		const best = new Map<string, number>();
		const bestFrom = (id: string): number => {
			const known = best.get(id);
			if (known !== undefined) return known;
			const scene = scenes.get(id);
			const value = scene && scene.choices.length > 0 ? Math.max(...scene.choices.map((ch) => ch.points + bestFrom(ch.next))) : 0;
			best.set(id, value);
			return value;
		};
		index = { scenes, maxScore: bestFrom(c.start) };
		indexes.set(c, index);
	}
	return index;
}

export function sceneOf(c: TrainingCase, sceneId: string): Scene | undefined {
	return indexOf(c).scenes.get(sceneId);
}

/** The highest score any path can reach. */
export function maxScore(c: TrainingCase): number {
	return indexOf(c).maxScore;
}

export function isEnding(scene: Scene): boolean {
	return scene.choices.length === 0;
}

// ---------------------------------------------------------------------------------------------------------
// The protocol engine in simulation mode

/**
 * What the kit would say given the facts established so far: the protocol engine's red flags and grid
 * suggestion (the same functions the kit's screens call), without the questionnaire's progress.
 */
export function simulate(pack: ProtocolPack, answers: Readonly<Record<string, AnswerValue>>): ProtocolView {
	const effective = effectiveAnswers(pack, answers);
	const flags = firedRedFlags(pack, effective);
	const suggestion = suggestOrientation(pack, effective);
	return {
		redFlags: flags.map((f) => f.id),
		actions: actionsOf(flags),
		callNow: flags.length > 0,
		orientation: suggestion.orientation,
		reasons: suggestion.reasons.map((r) => r.ruleId),
		stopInterviewing: suggestion.stopInterviewing
	};
}

const ALWAYS_CRITICAL: Partial<Record<ChoiceAction, CriticalErrorId>> = {
	view_images: 'viewed_images',
	copy_images: 'copied_images',
	contact_adult: 'contacted_adult',
	investigate: 'acted_as_police'
};

/** Critical errors of a choice, given what the protocol engine said before it. */
export function criticalErrorsOf(choice: Choice, before: ProtocolView): CriticalErrorId[] {
	const found = new Set<CriticalErrorId>();
	const always = ALWAYS_CRITICAL[choice.action];
	if (always) found.add(always);
	if (choice.action === 'question_author' && before.stopInterviewing) found.add('interviewed_suspected_author');
	if (choice.action === 'delay' && before.callNow) found.add('delayed_call');
	if (choice.critical) found.add(choice.critical);
	return [...found];
}

function withFacts(answers: Readonly<Record<string, AnswerValue>>, facts: Readonly<Record<string, AnswerValue>> | undefined): Record<string, AnswerValue> {
	return facts ? { ...answers, ...facts } : { ...answers };
}

// ---------------------------------------------------------------------------------------------------------
// Playing

export function start(c: TrainingCase, pack: ProtocolPack): ScenarioState {
	const first = sceneOf(c, c.start);
	if (!first) throw new Error(`case ${c.id}: start scene "${c.start}" is missing`);
	const answers = withFacts({}, first.facts);
	return { caseId: c.id, caseVersion: c.version, sceneId: first.id, answers, score: 0, critical: [], path: [], protocol: simulate(pack, answers), finished: isEnding(first) };
}

/** The choices offered by the current scene (none when finished). */
export function offered(c: TrainingCase, state: ScenarioState): readonly Choice[] {
	if (state.finished) return [];
	return sceneOf(c, state.sceneId)?.choices ?? [];
}

/**
 * Applies one choice. Refuses a choice on a finished scenario (`finished`) and a choice the current scene
 * does not offer (`not_offered`: a forged POST). Never mutates `state`.
 */
export function apply(c: TrainingCase, pack: ProtocolPack, state: ScenarioState, choiceId: string): ApplyResult {
	if (state.finished) return { ok: false, code: 'finished' };
	const scene = sceneOf(c, state.sceneId);
	const choice = scene?.choices.find((ch) => ch.id === choiceId);
	if (!scene || !choice) return { ok: false, code: 'not_offered' };
	// What the responder knew when choosing (computed once, when the scene opened).
	const critical = criticalErrorsOf(choice, state.protocol);
	const next = sceneOf(c, choice.next);
	if (!next) throw new Error(`case ${c.id}: scene "${choice.next}" is missing`);
	const answers = withFacts(withFacts(state.answers, choice.answers), next.facts);
	const protocol = simulate(pack, answers);
	const step: StepRecord = { sceneId: scene.id, choiceId: choice.id, points: choice.points, critical, protocol };
	return {
		ok: true,
		step,
		state: {
			...state,
			sceneId: next.id,
			answers,
			score: state.score + choice.points,
			critical: [...state.critical, ...critical.filter((e) => !state.critical.includes(e))],
			path: [...state.path, step],
			protocol,
			finished: isEnding(next)
		}
	};
}

export type ReplayResult = { ok: true; state: ScenarioState } | { ok: false; code: ApplyRefusal; at: number };

/** Replays stored choices from the start (refuses at the first one that does not apply). */
export function replay(c: TrainingCase, pack: ProtocolPack, choiceIds: readonly string[]): ReplayResult {
	let state = start(c, pack);
	for (const [i, id] of choiceIds.entries()) {
		const r = apply(c, pack, state, id);
		if (!r.ok) return { ok: false, code: r.code, at: i };
		state = r.state;
	}
	return { ok: true, state };
}

// ---------------------------------------------------------------------------------------------------------
// Result and debrief

export interface Outcome {
	score: number;
	maxScore: number;
	passScore: number;
	critical: CriticalErrorId[];
	passed: boolean;
}

export function outcome(c: TrainingCase, state: ScenarioState): Outcome {
	return { score: state.score, maxScore: maxScore(c), passScore: c.passScore, critical: [...state.critical], passed: state.finished && state.critical.length === 0 && state.score >= c.passScore };
}

export interface DebriefStep {
	sceneId: string;
	sceneTitle: Localized;
	choiceId: string;
	choice: Localized;
	feedback: Localized;
	points: number;
	bestPoints: number;
	critical: { id: CriticalErrorId; label: Localized; explanation: Localized }[];
}

export interface Debrief extends Outcome {
	ending: { title: Localized; narrative: Localized };
	steps: DebriefStep[];
	/** the protocol engine's last word on the facts of this path: red flags and the grid's suggestion */
	protocol: ProtocolView;
	keyPoints: Localized[];
}

/** The debrief of a finished scenario (null while it is still running). */
export function debrief(c: TrainingCase, pack: ProtocolPack, state: ScenarioState): Debrief | null {
	if (!state.finished) return null;
	const ending = sceneOf(c, state.sceneId)!;
	const label = new Map(c.criticalErrors.map((e) => [e.id, e]));
	const steps = state.path.map((s) => {
		const scene = sceneOf(c, s.sceneId)!;
		const choice = scene.choices.find((ch) => ch.id === s.choiceId)!;
		return {
			sceneId: s.sceneId,
			sceneTitle: scene.title,
			choiceId: s.choiceId,
			choice: choice.label,
			feedback: choice.feedback,
			points: s.points,
			bestPoints: Math.max(...scene.choices.map((ch) => ch.points)),
			critical: s.critical.map((id) => ({ id, label: label.get(id)?.label ?? { fr: id, en: id }, explanation: label.get(id)?.explanation ?? { fr: id, en: id } }))
		};
	});
	return {
		...outcome(c, state),
		ending: { title: ending.title, narrative: ending.narrative },
		steps,
		protocol: state.protocol,
		keyPoints: c.debrief
	};
}
