/**
 * Protocol pack format (ADR 007). A pack is data: steps, questions, red flags and grid rules, every text in
 * French and English. This module holds the zod schema, the inferred types and the cross-reference checks
 * (ids unique, every id a condition names exists, each operator fits the question it reads). Pure: no I/O.
 *
 * Conditions are a tiny expression language, written as plain JSON:
 *   { "q": "rf_adult", "eq": "yes" }            answer equals a value (yes_no, choice: option id; number)
 *   { "q": "rf_adult", "in": ["yes", "unknown"] } answer is one of the values (yes_no, choice)
 *   { "q": "recipients", "includes": "adults" }  a multi_choice answer contains that option
 *   { "q": "age_depicted", "lt": 13 }            number comparisons: lt, lte, gt, gte
 *   { "answered": "prior_details" }              the question has a (visible) answer
 *   { "all": [...] }, { "any": [...] }, { "not": {...} }
 * A comparison on an unanswered (or hidden) question is false, so `{ not: { q, eq } }` is true when unanswered.
 */
import { z } from 'zod';
import { isPackId, isSemver } from './version';

// ---------------------------------------------------------------------------------------------------------
// Building blocks

/** Ids of steps, questions, options, red flags, rules: short snake_case (safe as form field names and keys). */
export const ID_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

const Id = z.string().regex(ID_PATTERN, 'must be snake_case: a–z, 0–9, _ (max 64), starting with a letter');
const Text = z.string().trim().min(1).max(2000);

/** Every human-readable text exists in French (the default) and English. */
export const LocalizedSchema = z.strictObject({ fr: Text, en: Text });
export type Localized = z.infer<typeof LocalizedSchema>;

export const QUESTION_TYPES = ['yes_no', 'choice', 'multi_choice', 'datetime', 'short_text', 'number'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** What a red flag tells the responder to do, from most to least urgent. */
export const RED_FLAG_ACTIONS = ['call_911', 'call_police_liaison', 'report_dpj'] as const;
export type RedFlagAction = (typeof RED_FLAG_ACTIONS)[number];

export const ORIENTATIONS = ['likely_impulsive', 'likely_malicious', 'unclear'] as const;
export type Orientation = (typeof ORIENTATIONS)[number];

export const PACK_STATUSES = ['default', 'official', 'draft', 'retired'] as const;
export type PackStatus = (typeof PACK_STATUSES)[number];

/** yes_no answers are stored as these strings; `unknown` only when the question has `allowUnknown`. */
export const YES_NO_VALUES = ['yes', 'no', 'unknown'] as const;

// ---------------------------------------------------------------------------------------------------------
// Conditions

export type Comparison = { q: string } & (
	| { eq: string | number }
	| { in: readonly string[] }
	| { includes: string }
	| { lt: number }
	| { lte: number }
	| { gt: number }
	| { gte: number }
);
export type Condition = Comparison | { answered: string } | { all: readonly Condition[] } | { any: readonly Condition[] } | { not: Condition };

export const COMPARISON_OPERATORS = ['eq', 'in', 'includes', 'lt', 'lte', 'gt', 'gte'] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];
const COMBINATORS = ['answered', 'all', 'any', 'not'] as const;

const finite = z.number().finite();

/**
 * One loose object with every key optional, then a shape check, rather than a z.union: a typo gives
 * "unrecognized key" or "needs exactly one operator" at the right path instead of a wall of union errors.
 */
const ConditionObject = z
	.strictObject({
		q: Id.optional(),
		eq: z.union([z.string().min(1).max(64), finite]).optional(),
		in: z.array(z.string().min(1).max(64)).min(1).max(50).optional(),
		includes: Id.optional(),
		lt: finite.optional(),
		lte: finite.optional(),
		gt: finite.optional(),
		gte: finite.optional(),
		answered: Id.optional(),
		get all() {
			return z.array(ConditionSchema).min(1).max(50).optional();
		},
		get any() {
			return z.array(ConditionSchema).min(1).max(50).optional();
		},
		get not() {
			return ConditionSchema.optional();
		}
	})
	.superRefine((c, ctx) => {
		const ops = COMPARISON_OPERATORS.filter((k) => c[k] !== undefined);
		const combinators = COMBINATORS.filter((k) => c[k] !== undefined);
		const comparison = c.q !== undefined && ops.length === 1 && combinators.length === 0;
		const combined = c.q === undefined && ops.length === 0 && combinators.length === 1;
		if (!comparison && !combined) {
			ctx.addIssue({
				code: 'custom',
				message:
					'a condition is either { q, <one of eq|in|includes|lt|lte|gt|gte> } or exactly one of { all }, { any }, { not }, { answered }'
			});
		}
	});

// The runtime check above guarantees the union shape; the cast gives callers the precise type.
export const ConditionSchema: z.ZodType<Condition> = ConditionObject as unknown as z.ZodType<Condition>;

// ---------------------------------------------------------------------------------------------------------
// Steps, questions, red flags, grid rules

export const STEP_KINDS = ['intake', 'red_flags', 'questions'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const StepSchema = z.strictObject({
	id: Id,
	/** `red_flags`: exactly one per pack; the engine asks it first. */
	kind: z.enum(STEP_KINDS),
	title: LocalizedSchema,
	guidance: LocalizedSchema
});
export type Step = z.infer<typeof StepSchema>;

export const OptionSchema = z.strictObject({ id: Id, label: LocalizedSchema });
export type Option = z.infer<typeof OptionSchema>;

const questionBase = {
	id: Id,
	/** id of the step the question belongs to */
	step: Id,
	label: LocalizedSchema,
	/** shown under the question: what to ask, what never to do */
	guidance: LocalizedSchema,
	/** a required question must be answered when it is visible (hidden questions are never required) */
	required: z.boolean(),
	/** the question is shown only when this holds; it may only read questions asked before it */
	showWhen: ConditionSchema.optional()
};

export const QuestionSchema = z.discriminatedUnion('type', [
	z.strictObject({
		...questionBase,
		type: z.literal('yes_no'),
		/** adds "I don't know" (`unknown`) to yes / no */
		allowUnknown: z.boolean().optional()
	}),
	z.strictObject({ ...questionBase, type: z.literal('choice'), options: z.array(OptionSchema).min(2).max(30) }),
	z.strictObject({ ...questionBase, type: z.literal('multi_choice'), options: z.array(OptionSchema).min(2).max(30) }),
	z.strictObject({ ...questionBase, type: z.literal('datetime') }),
	z.strictObject({
		...questionBase,
		type: z.literal('short_text'),
		/** in characters (code points); 500 when absent */
		maxLength: z.int().min(1).max(5000).optional()
	}),
	z.strictObject({
		...questionBase,
		type: z.literal('number'),
		min: finite.optional(),
		max: finite.optional(),
		integer: z.boolean().optional()
	})
]);
export type Question = z.infer<typeof QuestionSchema>;
export type ChoiceQuestion = Extract<Question, { type: 'choice' | 'multi_choice' }>;

export const RedFlagSchema = z.strictObject({
	id: Id,
	label: LocalizedSchema,
	when: ConditionSchema,
	action: z.enum(RED_FLAG_ACTIONS),
	/** who to call and how, e.g. the territory's practice; shown on the "call now" screen */
	guidance: LocalizedSchema,
	/** the 3–4 things to do while waiting / right after the call */
	meanwhile: z.array(LocalizedSchema).min(3).max(4)
});
export type RedFlag = z.infer<typeof RedFlagSchema>;

export const GridRuleSchema = z.strictObject({
	id: Id,
	when: ConditionSchema,
	points: z.enum(ORIENTATIONS),
	/** shown to the responder and in the hand-off packet: why the grid points this way */
	reason: LocalizedSchema,
	/** strength 1–3 (default 1); orders the reasons shown, never changes the orientation */
	weight: z.int().min(1).max(3).optional()
});
export type GridRule = z.infer<typeof GridRuleSchema>;

// ---------------------------------------------------------------------------------------------------------
// The pack

export const PACK_FORMAT = 1;

const PackObject = z.strictObject({
	/** editors' JSON-schema hint; ignored */
	$schema: z.string().optional(),
	/** version of this file format (not of the pack) */
	format: z.literal(PACK_FORMAT),
	/** kebab-case, e.g. `sexto-default`; also the folder name under content/protocol-packs/ */
	id: z.string().refine(isPackId, 'must be kebab-case, e.g. sexto-default'),
	/** semantic version, e.g. `1.0.0`, `1.1.0-draft.2`; also the file name (`1.0.0.json`) */
	version: z.string().refine(isSemver, 'must be a semantic version, e.g. 1.0.0'),
	status: z.enum(PACK_STATUSES),
	title: LocalizedSchema,
	/** short banner shown wherever the pack is used; required for the project's default pack */
	notice: LocalizedSchema.optional(),
	/** longer text: who wrote the pack, from what, what to check */
	description: LocalizedSchema.optional(),
	steps: z.array(StepSchema).min(1).max(30),
	questions: z.array(QuestionSchema).min(1).max(300),
	redFlags: z.array(RedFlagSchema).max(50),
	gridRules: z.array(GridRuleSchema).max(100)
});

type Issue = { message: string; path: (string | number)[] };

/** Walks a condition, reporting every comparison/`answered` leaf with its path. */
function walkCondition(
	c: Condition,
	path: (string | number)[],
	visit: (leaf: Comparison | { answered: string }, path: (string | number)[]) => void
): void {
	if ('all' in c) c.all.forEach((child, i) => walkCondition(child, [...path, 'all', i], visit));
	else if ('any' in c) c.any.forEach((child, i) => walkCondition(child, [...path, 'any', i], visit));
	else if ('not' in c) walkCondition(c.not, [...path, 'not'], visit);
	else visit(c, path);
}

export function comparisonOperator(c: Comparison): ComparisonOperator {
	// Exactly one operator is present (checked by the schema).
	return COMPARISON_OPERATORS.find((k) => k in c) as ComparisonOperator;
}

/** Values a yes_no or choice question can take. */
export function allowedValues(q: Question): readonly string[] | null {
	if (q.type === 'yes_no') return q.allowUnknown ? YES_NO_VALUES : YES_NO_VALUES.slice(0, 2);
	if (q.type === 'choice' || q.type === 'multi_choice') return q.options.map((o) => o.id);
	return null;
}

/** Checks one condition leaf against the question it reads; returns problems (empty = fine). */
function checkLeaf(leaf: Comparison | { answered: string }, questions: ReadonlyMap<string, Question>): Issue[] {
	if ('answered' in leaf) {
		return questions.has(leaf.answered) ? [] : [{ message: `unknown question "${leaf.answered}"`, path: ['answered'] }];
	}
	const q = questions.get(leaf.q);
	if (!q) return [{ message: `unknown question "${leaf.q}"`, path: ['q'] }];
	const op = comparisonOperator(leaf);
	const values = allowedValues(q);
	const describe = (v: unknown) => `"${String(v)}" is not a value of ${q.type} question "${q.id}" (allowed: ${values?.join(', ')})`;
	switch (op) {
		case 'eq': {
			const v = (leaf as { eq: string | number }).eq;
			if (q.type === 'number') return typeof v === 'number' ? [] : [{ message: `"${q.id}" is a number question: eq needs a number`, path: ['eq'] }];
			if (q.type === 'yes_no' || q.type === 'choice') {
				return typeof v === 'string' && values?.includes(v) ? [] : [{ message: describe(v), path: ['eq'] }];
			}
			return [{ message: `eq cannot read ${q.type} question "${q.id}"${q.type === 'multi_choice' ? ' (use includes)' : ''}`, path: ['eq'] }];
		}
		case 'in': {
			if (q.type !== 'yes_no' && q.type !== 'choice') return [{ message: `in cannot read ${q.type} question "${q.id}"`, path: ['in'] }];
			return (leaf as { in: readonly string[] }).in.flatMap((v, i) => (values?.includes(v) ? [] : [{ message: describe(v), path: ['in', i] }]));
		}
		case 'includes': {
			if (q.type !== 'multi_choice') return [{ message: `includes needs a multi_choice question; "${q.id}" is ${q.type}`, path: ['includes'] }];
			const v = (leaf as { includes: string }).includes;
			return values?.includes(v) ? [] : [{ message: describe(v), path: ['includes'] }];
		}
		default:
			return q.type === 'number' ? [] : [{ message: `${op} needs a number question; "${q.id}" is ${q.type}`, path: [op] }];
	}
}

function duplicates(ids: readonly string[]): Map<string, number[]> {
	const seen = new Map<string, number[]>();
	ids.forEach((id, i) => seen.set(id, [...(seen.get(id) ?? []), i]));
	return new Map([...seen].filter(([, at]) => at.length > 1));
}

/**
 * The order in which the engine asks questions: the red-flags step first, then the other steps in pack
 * order; within a step, the order of the `questions` array. Exported for the engine.
 */
export function askingOrder<S extends { id: string; kind: StepKind }, Q extends { step: string }>(steps: readonly S[], questions: readonly Q[]): { steps: S[]; questions: Q[] } {
	const orderedSteps = [...steps.filter((s) => s.kind === 'red_flags'), ...steps.filter((s) => s.kind !== 'red_flags')];
	return { steps: orderedSteps, questions: orderedSteps.flatMap((s) => questions.filter((q) => q.step === s.id)) };
}

function crossCheck(pack: z.infer<typeof PackObject>): Issue[] {
	const issues: Issue[] = [];
	const dup = (what: string, list: readonly { id: string }[], path: (string | number)[]) => {
		for (const [id, at] of duplicates(list.map((x) => x.id))) {
			for (const i of at.slice(1)) issues.push({ message: `duplicate ${what} id "${id}" (first at index ${at[0]})`, path: [...path, i, 'id'] });
		}
	};
	dup('step', pack.steps, ['steps']);
	dup('question', pack.questions, ['questions']);
	dup('red flag', pack.redFlags, ['redFlags']);
	dup('grid rule', pack.gridRules, ['gridRules']);

	const redFlagSteps = pack.steps.flatMap((s, i) => (s.kind === 'red_flags' ? [i] : []));
	if (redFlagSteps.length !== 1) {
		issues.push({ message: `a pack needs exactly one step of kind "red_flags" (found ${redFlagSteps.length})`, path: ['steps'] });
	}
	if (pack.status === 'default' && !pack.notice) {
		issues.push({ message: 'a default pack must carry a notice saying it is to be replaced by the official kit', path: ['notice'] });
	}

	const stepIds = new Set(pack.steps.map((s) => s.id));
	const questions = new Map<string, Question>();
	for (const q of pack.questions) if (!questions.has(q.id)) questions.set(q.id, q);

	pack.questions.forEach((q, i) => {
		if (!stepIds.has(q.step)) issues.push({ message: `unknown step "${q.step}"`, path: ['questions', i, 'step'] });
		if (q.type === 'choice' || q.type === 'multi_choice') dup('option', q.options, ['questions', i, 'options']);
		if (q.type === 'number' && q.min !== undefined && q.max !== undefined && q.min > q.max) {
			issues.push({ message: `min (${q.min}) is greater than max (${q.max})`, path: ['questions', i, 'min'] });
		}
	});
	pack.steps.forEach((s, i) => {
		if (!pack.questions.some((q) => q.step === s.id)) issues.push({ message: `step "${s.id}" has no question`, path: ['steps', i] });
	});

	const checkCondition = (c: Condition, path: (string | number)[]) =>
		walkCondition(c, path, (leaf, leafPath) => {
			for (const issue of checkLeaf(leaf, questions)) issues.push({ message: issue.message, path: [...leafPath, ...issue.path] });
		});

	// showWhen may only read questions asked earlier: one pass evaluates visibility and cycles are impossible.
	const position = new Map(askingOrder(pack.steps, pack.questions).questions.map((q, i) => [q, i]));
	pack.questions.forEach((q, i) => {
		if (!q.showWhen) return;
		checkCondition(q.showWhen, ['questions', i, 'showWhen']);
		walkCondition(q.showWhen, ['questions', i, 'showWhen'], (leaf, leafPath) => {
			const target = questions.get('answered' in leaf ? leaf.answered : leaf.q);
			if (!target) return;
			const before = (position.get(target) ?? Infinity) < (position.get(q) ?? -Infinity);
			if (!before) {
				issues.push({
					message: `showWhen may only read questions asked before "${q.id}"; "${target.id}" is not`,
					path: [...leafPath, 'answered' in leaf ? 'answered' : 'q']
				});
			}
		});
	});
	pack.redFlags.forEach((f, i) => checkCondition(f.when, ['redFlags', i, 'when']));
	pack.gridRules.forEach((r, i) => checkCondition(r.when, ['gridRules', i, 'when']));
	return issues;
}

export const ProtocolPackSchema = PackObject.superRefine((pack, ctx) => {
	for (const issue of crossCheck(pack)) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
});
export type ProtocolPack = z.infer<typeof ProtocolPackSchema>;
