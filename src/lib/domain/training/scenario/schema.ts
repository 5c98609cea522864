/**
 * Architecte case format (ADR 011). A case is data: a branching scenario of scenes and choices, tied to a
 * protocol pack (id + exact version). Each choice may carry the *facts* it establishes as answers to the
 * pack's questions; the scenario engine hands them to the protocol engine (simulation mode), which says
 * which red flags fire, what the grid suggests and whether the responder must stop interviewing. The case
 * file adds what a kit never needs: narrative, choices, consequences, feedback, points and critical errors.
 *
 * Rules checked here (pure, no I/O):
 *   - ids unique (scenes; choices within a scene); every `next` names a scene; `start` exists;
 *   - the scene graph is acyclic and every scene is reachable from `start` (so every path ends, and scores
 *     are bounded); a scene without choices is an ending;
 *   - every critical error a choice names is declared by the case;
 *   - the pass mark is reachable (≤ the best score of a path with no critical error is checked by tests);
 *   - with the pack: every `protocolStep` is a step of the pack and every answer is valid for its question
 *     (`crossCheckWithPack`).
 */
import { z } from 'zod';
import { LocalizedSchema, ID_PATTERN, type ProtocolPack } from '../../protocol/schema';
import { findQuestion, validateAnswer } from '../../protocol/engine';
import { isPackId, isSemver } from '../../protocol/version';

const Id = z.string().regex(ID_PATTERN, 'must be snake_case: a–z, 0–9, _ (max 64), starting with a letter');

/**
 * What a choice does, in the protocol's vocabulary. The engine derives some critical errors from the action
 * and the protocol engine's verdict at that moment (ADR 011):
 *   view_images / copy_images → always critical (never look at, copy or forward an image)
 *   contact_adult             → always critical (never contact the adult: police business)
 *   investigate               → always critical (acting as the police: searching phones, seizing accounts)
 *   question_author           → critical once the protocol says "stop interviewing" (malicious signs or a red flag)
 *   delay                     → critical once a red flag fired ("call now")
 */
export const CHOICE_ACTIONS = [
	'call_police',
	'secure_device',
	'support_student',
	'gather_facts',
	'record_facts',
	'consult_principal',
	'inform_parents',
	'question_author',
	'view_images',
	'copy_images',
	'contact_adult',
	'investigate',
	'delay',
	'other'
] as const;
export type ChoiceAction = (typeof CHOICE_ACTIONS)[number];

/** Critical errors (closed list: the engine knows how to detect each one). */
export const CRITICAL_ERRORS = ['viewed_images', 'copied_images', 'interviewed_suspected_author', 'contacted_adult', 'delayed_call', 'acted_as_police', 'blamed_student'] as const;
export type CriticalErrorId = (typeof CRITICAL_ERRORS)[number];

const AnswerValueSchema = z.union([z.string().min(1).max(200), z.number().finite(), z.array(z.string().min(1).max(64)).min(1).max(30)]);

export const ChoiceSchema = z.strictObject({
	id: Id,
	label: LocalizedSchema,
	/** why this choice is good, partly right or wrong: shown right after the choice and in the debrief */
	feedback: LocalizedSchema,
	/** what happens next in the story (optional) */
	consequence: LocalizedSchema.optional(),
	action: z.enum(CHOICE_ACTIONS),
	/** points earned by this choice (0 for a poor one) */
	points: z.int().min(0).max(10),
	next: Id,
	/** facts this choice establishes, as answers to the pack's questions (simulation mode) */
	answers: z.record(Id, AnswerValueSchema).optional(),
	/** a critical error the author names for this choice (besides those the engine derives from `action`) */
	critical: z.enum(CRITICAL_ERRORS).optional()
});
export type Choice = z.infer<typeof ChoiceSchema>;

export const SceneSchema = z.strictObject({
	id: Id,
	title: LocalizedSchema,
	narrative: LocalizedSchema,
	/** the kit step this scene rehearses (a step id of the pack) */
	protocolStep: Id.optional(),
	/** facts known when the scene opens (e.g. what the student says), as answers to the pack's questions */
	facts: z.record(Id, AnswerValueSchema).optional(),
	/** none = an ending */
	choices: z.array(ChoiceSchema).max(6).default([])
});
export type Scene = z.infer<typeof SceneSchema>;

export const CriticalErrorSchema = z.strictObject({ id: z.enum(CRITICAL_ERRORS), label: LocalizedSchema, explanation: LocalizedSchema });
export type CriticalError = z.infer<typeof CriticalErrorSchema>;

export const CASE_FORMAT = 1;

const CaseObject = z.strictObject({
	$schema: z.string().optional(),
	format: z.literal(CASE_FORMAT),
	/** kebab-case; also the folder name under content/training/cases/ and the address /formation/architecte/<id> */
	id: z.string().refine(isPackId, 'must be kebab-case'),
	/** semantic version; also the file name; a published file is never edited */
	version: z.string().refine(isSemver, 'must be a semantic version'),
	/** order on the Architecte page (1, 2, 3) */
	order: z.int().min(1).max(99),
	/** the protocol pack the case is played with (exact version) */
	pack: z.strictObject({ id: z.string().refine(isPackId), version: z.string().refine(isSemver) }),
	title: LocalizedSchema,
	summary: LocalizedSchema,
	/** "Fictional case: any resemblance…" */
	notice: LocalizedSchema,
	start: Id,
	/** points needed to pass (and no critical error) */
	passScore: z.int().min(1).max(200),
	criticalErrors: z.array(CriticalErrorSchema).min(1).max(10),
	scenes: z.array(SceneSchema).min(2).max(60),
	/** key points shown in the debrief */
	debrief: z.array(LocalizedSchema).min(2).max(8)
});

type Issue = { message: string; path: (string | number)[] };

/** Scenes reachable from `start`, and whether the graph has a cycle (iterative DFS, colours). */
export function graphProblems(scenes: readonly { id: string; choices: readonly { next: string }[] }[], start: string): Issue[] {
	const byId = new Map(scenes.map((s) => [s.id, s]));
	const issues: Issue[] = [];
	const colour = new Map<string, 1 | 2>();
	const visit = (id: string, trail: string[]): void => {
		const scene = byId.get(id);
		if (!scene) return;
		if (colour.get(id) === 2) return;
		if (colour.get(id) === 1) {
			issues.push({ message: `cycle: ${[...trail.slice(trail.indexOf(id)), id].join(' → ')}`, path: ['scenes'] });
			return;
		}
		colour.set(id, 1);
		for (const c of scene.choices) visit(c.next, [...trail, id]);
		colour.set(id, 2);
	};
	visit(start, []);
	scenes.forEach((s, i) => {
		if (!colour.has(s.id)) issues.push({ message: `scene "${s.id}" cannot be reached from start`, path: ['scenes', i, 'id'] });
	});
	return issues;
}

function crossCheck(c: z.infer<typeof CaseObject>): Issue[] {
	const issues: Issue[] = [];
	const sceneIds = new Set<string>();
	c.scenes.forEach((s, i) => {
		if (sceneIds.has(s.id)) issues.push({ message: `duplicate scene id "${s.id}"`, path: ['scenes', i, 'id'] });
		sceneIds.add(s.id);
		const choiceIds = new Set<string>();
		s.choices.forEach((ch, j) => {
			if (choiceIds.has(ch.id)) issues.push({ message: `duplicate choice id "${ch.id}"`, path: ['scenes', i, 'choices', j, 'id'] });
			choiceIds.add(ch.id);
		});
	});
	if (!sceneIds.has(c.start)) issues.push({ message: `unknown start scene "${c.start}"`, path: ['start'] });
	const declared = new Set(c.criticalErrors.map((e) => e.id));
	if (declared.size !== c.criticalErrors.length) issues.push({ message: 'duplicate critical error', path: ['criticalErrors'] });
	c.scenes.forEach((s, i) =>
		s.choices.forEach((ch, j) => {
			if (!sceneIds.has(ch.next)) issues.push({ message: `unknown next scene "${ch.next}"`, path: ['scenes', i, 'choices', j, 'next'] });
			if (ch.critical && !declared.has(ch.critical)) issues.push({ message: `critical error "${ch.critical}" is not declared by the case`, path: ['scenes', i, 'choices', j, 'critical'] });
		})
	);
	if (issues.length === 0 && sceneIds.has(c.start)) issues.push(...graphProblems(c.scenes, c.start));
	return issues;
}

export const CaseSchema = CaseObject.superRefine((c, ctx) => {
	for (const issue of crossCheck(c)) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
});
export type TrainingCase = z.infer<typeof CaseSchema>;

/** Problems of a (schema-valid) case against the pack it names: unknown steps, questions or answer values. */
export function crossCheckWithPack(c: TrainingCase, pack: ProtocolPack): Issue[] {
	const issues: Issue[] = [];
	if (pack.id !== c.pack.id || pack.version !== c.pack.version) issues.push({ message: `case names ${c.pack.id}@${c.pack.version}, got ${pack.id}@${pack.version}`, path: ['pack'] });
	const stepIds = new Set(pack.steps.map((s) => s.id));
	const checkAnswers = (answers: Record<string, unknown> | undefined, path: (string | number)[]) => {
		for (const [q, v] of Object.entries(answers ?? {})) {
			if (!findQuestion(pack, q)) {
				issues.push({ message: `unknown question "${q}" of ${pack.id}@${pack.version}`, path: [...path, q] });
				continue;
			}
			const r = validateAnswer(pack, q, v);
			if (!r.ok) issues.push({ message: `answer to "${q}" refused by the protocol engine (${r.code})`, path: [...path, q] });
		}
	};
	c.scenes.forEach((s, i) => {
		if (s.protocolStep && !stepIds.has(s.protocolStep)) issues.push({ message: `unknown protocol step "${s.protocolStep}"`, path: ['scenes', i, 'protocolStep'] });
		checkAnswers(s.facts, ['scenes', i, 'facts']);
		s.choices.forEach((ch, j) => checkAnswers(ch.answers, ['scenes', i, 'choices', j, 'answers']));
	});
	return issues;
}
