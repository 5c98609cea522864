/**
 * The protocol engine (ADR 007): pure, deterministic functions over a validated pack and a plain map of
 * answers. No I/O, no clock (a caller that wants "not in the future" passes `now`), no incident: the kit
 * and the training simulations ("simulation mode") call the same functions with their own answers.
 *
 * Answers are stored as `Record<questionId, AnswerValue>`:
 *   yes_no → 'yes' | 'no' | 'unknown'   choice → option id        multi_choice → option ids (pack order)
 *   datetime → ISO-8601 UTC text         short_text → trimmed text  number → number
 * An answer to a question that is currently hidden (its `showWhen` is false) is ignored everywhere: see
 * `effectiveAnswers`.
 */
import {
	askingOrder,
	comparisonOperator,
	RED_FLAG_ACTIONS,
	type Comparison,
	type Condition,
	type GridRule,
	type Localized,
	type Orientation,
	type ProtocolPack,
	type Question,
	type RedFlag,
	type RedFlagAction,
	type Step
} from './schema';

export type AnswerValue = string | number | readonly string[];
export type Answers = Readonly<Record<string, AnswerValue>>;

/** Default `maxLength` of a short_text question without one. */
export const DEFAULT_TEXT_MAX_LENGTH = 500;

// ---------------------------------------------------------------------------------------------------------
// Pack index (built once per pack object; packs are frozen by the loader)

interface PackIndex {
	steps: readonly Step[];
	/** questions in asking order */
	questions: readonly Question[];
	byId: ReadonlyMap<string, Question>;
}

const indexes = new WeakMap<ProtocolPack, PackIndex>();

function indexOf(pack: ProtocolPack): PackIndex {
	let index = indexes.get(pack);
	if (!index) {
		const order = askingOrder(pack.steps, pack.questions);
		index = { steps: order.steps, questions: order.questions, byId: new Map(pack.questions.map((q) => [q.id, q])) };
		indexes.set(pack, index);
	}
	return index;
}

export function findQuestion(pack: ProtocolPack, questionId: string): Question | undefined {
	return indexOf(pack).byId.get(questionId);
}

/** Steps in asking order: the red-flags step first, then the others in pack order. */
export function orderedSteps(pack: ProtocolPack): readonly Step[] {
	return indexOf(pack).steps;
}

export function pickText(text: Localized, locale: 'fr' | 'en'): string {
	return text[locale];
}

// ---------------------------------------------------------------------------------------------------------
// Conditions

function own(answers: Answers, id: string): AnswerValue | undefined {
	return Object.prototype.hasOwnProperty.call(answers, id) ? answers[id] : undefined;
}

function compare(c: Comparison, value: AnswerValue | undefined): boolean {
	if (value === undefined) return false;
	switch (comparisonOperator(c)) {
		case 'eq':
			return value === (c as { eq: string | number }).eq;
		case 'in':
			return typeof value === 'string' && (c as { in: readonly string[] }).in.includes(value);
		case 'includes':
			return Array.isArray(value) && value.includes((c as { includes: string }).includes);
		case 'lt':
			return typeof value === 'number' && value < (c as { lt: number }).lt;
		case 'lte':
			return typeof value === 'number' && value <= (c as { lte: number }).lte;
		case 'gt':
			return typeof value === 'number' && value > (c as { gt: number }).gt;
		case 'gte':
			return typeof value === 'number' && value >= (c as { gte: number }).gte;
	}
}

/**
 * Evaluates a condition against answers *as given*. Callers that hold raw stored answers should pass
 * `effectiveAnswers(pack, answers)` so that answers to hidden questions do not count.
 */
export function evaluateCondition(condition: Condition, answers: Answers): boolean {
	if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, answers));
	if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, answers));
	if ('not' in condition) return !evaluateCondition(condition.not, answers);
	if ('answered' in condition) return own(answers, condition.answered) !== undefined;
	return compare(condition, own(answers, condition.q));
}

/**
 * The answers that count: those of questions that exist and are visible, in asking order. A question's
 * `showWhen` only reads earlier questions (schema rule), so one pass is enough, and an answer left behind
 * by a question that was later hidden (the responder changed an earlier answer) is dropped, along with
 * everything that depended on it.
 */
export function effectiveAnswers(pack: ProtocolPack, answers: Answers): Record<string, AnswerValue> {
	const effective: Record<string, AnswerValue> = {};
	for (const q of indexOf(pack).questions) {
		const value = own(answers, q.id);
		if (value === undefined || isEmpty(value)) continue;
		if (q.showWhen && !evaluateCondition(q.showWhen, effective)) continue;
		effective[q.id] = value;
	}
	return effective;
}

function isEmpty(value: AnswerValue): boolean {
	return (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

// ---------------------------------------------------------------------------------------------------------
// Visibility and what comes next

function visibleIn(pack: ProtocolPack, effective: Answers, stepId?: string): Question[] {
	return indexOf(pack).questions.filter((q) => (stepId === undefined || q.step === stepId) && (!q.showWhen || evaluateCondition(q.showWhen, effective)));
}

/** Questions to show (of one step, or all in asking order), honouring `showWhen`. */
export function visibleQuestions(pack: ProtocolPack, answers: Answers, stepId?: string): Question[] {
	return visibleIn(pack, effectiveAnswers(pack, answers), stepId);
}

export interface NextOptions {
	/** also stop at optional questions (simulations walk every question) */
	includeOptional?: boolean;
}

/**
 * The first visible question still unanswered, in asking order (red-flags step first); only required
 * ones unless `includeOptional`. Null when there is nothing left to ask.
 */
export function nextQuestion(pack: ProtocolPack, answers: Answers, options: NextOptions = {}): Question | null {
	const effective = effectiveAnswers(pack, answers);
	return nextIn(visibleIn(pack, effective), effective, options);
}

function nextIn(visible: readonly Question[], effective: Answers, options: NextOptions = {}): Question | null {
	return visible.find((q) => (q.required || options.includeOptional) && effective[q.id] === undefined) ?? null;
}

/** The step of `nextQuestion`: where the responder should go next. */
export function nextStep(pack: ProtocolPack, answers: Answers, options: NextOptions = {}): Step | null {
	const q = nextQuestion(pack, answers, options);
	return q ? (indexOf(pack).steps.find((s) => s.id === q.step) ?? null) : null;
}

export interface StepProgress {
	stepId: string;
	kind: Step['kind'];
	/** required visible questions answered / required visible questions */
	answered: number;
	required: number;
	complete: boolean;
}

export interface Progress {
	answered: number;
	required: number;
	complete: boolean;
	steps: StepProgress[];
}

export function progress(pack: ProtocolPack, answers: Answers): Progress {
	const effective = effectiveAnswers(pack, answers);
	return progressIn(pack, visibleIn(pack, effective), effective);
}

function progressIn(pack: ProtocolPack, visible: readonly Question[], effective: Answers): Progress {
	const steps = indexOf(pack).steps.map((s): StepProgress => {
		const required = visible.filter((q) => q.step === s.id && q.required);
		const answered = required.filter((q) => effective[q.id] !== undefined).length;
		return { stepId: s.id, kind: s.kind, answered, required: required.length, complete: answered === required.length };
	});
	const answered = steps.reduce((n, s) => n + s.answered, 0);
	const required = steps.reduce((n, s) => n + s.required, 0);
	return { answered, required, complete: answered === required, steps };
}

// ---------------------------------------------------------------------------------------------------------
// Red flags

const URGENCY: Record<RedFlagAction, number> = Object.fromEntries(RED_FLAG_ACTIONS.map((a, i) => [a, i])) as Record<RedFlagAction, number>;

/** Red flags whose condition holds, most urgent action first (911, police liaison, DPJ), then pack order. */
export function firedRedFlags(pack: ProtocolPack, answers: Answers): RedFlag[] {
	return firedIn(pack, effectiveAnswers(pack, answers));
}

function firedIn(pack: ProtocolPack, effective: Answers): RedFlag[] {
	return pack.redFlags
		.map((flag, i) => ({ flag, i }))
		.filter(({ flag }) => evaluateCondition(flag.when, effective))
		.sort((a, b) => URGENCY[a.flag.action] - URGENCY[b.flag.action] || a.i - b.i)
		.map(({ flag }) => flag);
}

/** The distinct actions of fired flags, most urgent first. */
export function actionsOf(flags: readonly RedFlag[]): RedFlagAction[] {
	return RED_FLAG_ACTIONS.filter((a) => flags.some((f) => f.action === a));
}

// ---------------------------------------------------------------------------------------------------------
// The grid: a suggestion, never a decision

export interface OrientationReason {
	ruleId: string;
	points: Orientation;
	reason: Localized;
	weight: number;
}

export type StopReason = 'red_flag' | 'malicious_indicators';

export interface Suggestion {
	orientation: Orientation;
	/** every matched rule: malicious first, then unclear, then impulsive; stronger (weight) first within each */
	reasons: OrientationReason[];
	/** stop interviewing the youths, secure the phones, call the police now */
	stopInterviewing: boolean;
	stopReasons: StopReason[];
}

const ORIENTATION_RANK: Record<Orientation, number> = { likely_malicious: 0, unclear: 1, likely_impulsive: 2 };

/**
 * What the grid suggests, and why. The rule, as one would explain it to a school principal:
 *
 *   1. Any sign of malice (a matched rule pointing to "likely malicious") → "likely malicious".
 *      One is enough: impulsive signs never outweigh it.
 *   2. Otherwise, any sign of doubt (a matched "unclear" rule) → "unclear".
 *   3. Otherwise, at least one sign of an impulsive exchange → "likely impulsive".
 *   4. Nothing matched → "unclear".
 *
 * Every matched rule is listed with its reason, so the responder and the prosecutor see what the
 * suggestion rests on. Weights only order the reasons. The DPCP decides; the grid only suggests.
 *
 * `stopInterviewing` is true when the suggestion is "likely malicious" or when any red flag fired: in
 * both cases the responder stops asking the youths about the facts, secures the phones and calls now.
 * Red flags do not change the orientation itself (they say "call now", not "this act was malicious").
 */
export function suggestOrientation(pack: ProtocolPack, answers: Answers): Suggestion {
	const effective = effectiveAnswers(pack, answers);
	return suggestionIn(pack, effective, firedIn(pack, effective).length > 0);
}

function suggestionIn(pack: ProtocolPack, effective: Answers, redFlagFired: boolean): Suggestion {
	const matched: { rule: GridRule; i: number }[] = pack.gridRules.map((rule, i) => ({ rule, i })).filter(({ rule }) => evaluateCondition(rule.when, effective));
	const has = (o: Orientation) => matched.some(({ rule }) => rule.points === o);
	const orientation: Orientation = has('likely_malicious') ? 'likely_malicious' : has('unclear') ? 'unclear' : has('likely_impulsive') ? 'likely_impulsive' : 'unclear';

	const reasons = matched
		.sort((a, b) => ORIENTATION_RANK[a.rule.points] - ORIENTATION_RANK[b.rule.points] || (b.rule.weight ?? 1) - (a.rule.weight ?? 1) || a.i - b.i)
		.map(({ rule }) => ({ ruleId: rule.id, points: rule.points, reason: rule.reason, weight: rule.weight ?? 1 }));

	const stopReasons: StopReason[] = [];
	if (redFlagFired) stopReasons.push('red_flag');
	if (orientation === 'likely_malicious') stopReasons.push('malicious_indicators');
	return { orientation, reasons, stopInterviewing: stopReasons.length > 0, stopReasons };
}

// ---------------------------------------------------------------------------------------------------------
// Everything at once

export interface Evaluation {
	pack: { id: string; version: string };
	/** the answers that count (visible questions only) */
	answers: Record<string, AnswerValue>;
	/** ids of given answers that were ignored (hidden or not a question of this pack) */
	ignored: string[];
	progress: Progress;
	next: { stepId: string; questionId: string } | null;
	redFlags: RedFlag[];
	/** distinct actions of the fired red flags, most urgent first */
	actions: RedFlagAction[];
	/** at least one red flag fired: show the "call now" screen; the rest of the kit becomes follow-up */
	callNow: boolean;
	suggestion: Suggestion & {
		/** required questions remain: the suggestion may still change */
		provisional: boolean;
	};
}

/** Everything the kit shows about a set of answers; the effective answers and visibility are worked out once. */
export function evaluate(pack: ProtocolPack, answers: Answers): Evaluation {
	const effective = effectiveAnswers(pack, answers);
	const visible = visibleIn(pack, effective);
	const redFlags = firedIn(pack, effective);
	const prog = progressIn(pack, visible, effective);
	const next = nextIn(visible, effective);
	return {
		pack: { id: pack.id, version: pack.version },
		answers: effective,
		ignored: Object.keys(answers).filter((k) => effective[k] === undefined && !isEmpty(answers[k] as AnswerValue)),
		progress: prog,
		next: next ? { stepId: next.step, questionId: next.id } : null,
		redFlags,
		actions: actionsOf(redFlags),
		callNow: redFlags.length > 0,
		suggestion: { ...suggestionIn(pack, effective, redFlags.length > 0), provisional: !prog.complete }
	};
}

// ---------------------------------------------------------------------------------------------------------
// Validating answers (the server refuses forged POSTs with these)

export type AnswerErrorCode =
	| 'unknown_question'
	| 'required'
	| 'not_an_option'
	| 'out_of_range'
	| 'too_long'
	| 'invalid_datetime'
	| 'invalid_number'
	| 'invalid_text';

/** `value: null` = no answer (an optional question left empty, or cleared). */
export type AnswerResult = { ok: true; value: AnswerValue | null } | { ok: false; code: AnswerErrorCode };

export interface ValidateOptions {
	/** when given, a datetime later than `now` (+5 min of clock skew) is `out_of_range` */
	now?: Date;
}

const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

function blank(raw: unknown): boolean {
	return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '') || (Array.isArray(raw) && raw.every(blank));
}

/** One scalar from a form value: a string or a number; an array of one element is unwrapped. */
function scalar(raw: unknown): string | number | boolean | undefined {
	const v = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
	return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
}

// Control characters other than tab and line breaks.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * Checks one raw value (from a form or JSON) against a question and returns the normalised answer or an
 * error code. Empty input → `required` if the question is required, else `{ ok: true, value: null }`.
 * Visibility is not checked here (it depends on the other answers): use `validateStep` for a whole step.
 */
export function validateAnswer(pack: ProtocolPack, questionId: string, rawValue: unknown, options: ValidateOptions = {}): AnswerResult {
	const q = findQuestion(pack, questionId);
	if (!q) return { ok: false, code: 'unknown_question' };
	if (blank(rawValue)) return q.required ? { ok: false, code: 'required' } : { ok: true, value: null };

	switch (q.type) {
		case 'yes_no': {
			let v = scalar(rawValue);
			if (typeof v === 'boolean') v = v ? 'yes' : 'no';
			const allowed = q.allowUnknown ? ['yes', 'no', 'unknown'] : ['yes', 'no'];
			return typeof v === 'string' && allowed.includes(v.trim()) ? { ok: true, value: v.trim() } : { ok: false, code: 'not_an_option' };
		}
		case 'choice': {
			const v = scalar(rawValue);
			return typeof v === 'string' && q.options.some((o) => o.id === v.trim()) ? { ok: true, value: v.trim() } : { ok: false, code: 'not_an_option' };
		}
		case 'multi_choice': {
			const list = Array.isArray(rawValue) ? rawValue : [rawValue];
			if (!list.every((v) => typeof v === 'string')) return { ok: false, code: 'not_an_option' };
			const chosen = new Set((list as string[]).map((v) => v.trim()).filter((v) => v !== ''));
			if (![...chosen].every((v) => q.options.some((o) => o.id === v))) return { ok: false, code: 'not_an_option' };
			// Pack order, no duplicates: the same choice always stores the same value.
			return { ok: true, value: q.options.filter((o) => chosen.has(o.id)).map((o) => o.id) };
		}
		case 'number': {
			const n = parseNumber(scalar(rawValue));
			if (n === null || (q.integer && !Number.isInteger(n))) return { ok: false, code: 'invalid_number' };
			if ((q.min !== undefined && n < q.min) || (q.max !== undefined && n > q.max)) return { ok: false, code: 'out_of_range' };
			return { ok: true, value: n };
		}
		case 'datetime': {
			const v = scalar(rawValue);
			const iso = typeof v === 'string' ? parseDateTime(v) : null;
			if (iso === null) return { ok: false, code: 'invalid_datetime' };
			if (options.now && Date.parse(iso) > options.now.getTime() + FUTURE_TOLERANCE_MS) return { ok: false, code: 'out_of_range' };
			return { ok: true, value: iso };
		}
		case 'short_text': {
			const v = scalar(rawValue);
			if (typeof v !== 'string') return { ok: false, code: 'invalid_text' };
			const text = v.replace(/\r\n?/g, '\n').trim().normalize('NFC');
			if (CONTROL.test(text)) return { ok: false, code: 'invalid_text' };
			if ([...text].length > (q.maxLength ?? DEFAULT_TEXT_MAX_LENGTH)) return { ok: false, code: 'too_long' };
			return { ok: true, value: text };
		}
	}
}

const INTEGER_PART = /^[-+]?\d{1,15}$/;
const FRACTION_PART = /^\d{1,10}$/;

/** Accepts numbers and numeric text with a dot or a French decimal comma ("2,5"); spaces as thousands separators. */
function parseNumber(v: string | number | boolean | undefined): number | null {
	if (typeof v === 'number') return Number.isFinite(v) ? v : null;
	if (typeof v !== 'string') return null;
	const [whole = '', fraction, ...more] = v.trim().replace(/[\s\u00A0\u202F]/g, '').split(/[.,]/);
	if (more.length > 0 || !INTEGER_PART.test(whole) || (fraction !== undefined && !FRACTION_PART.test(fraction))) return null;
	return Number(fraction === undefined ? whole : `${whole}.${fraction}`);
}

const DATE_TIME_HEAD = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)/;
const SECONDS = /^:(\d\d)/;
const FRACTION = /^\.(\d{1,9})/;
const OFFSET = /^([+-])(\d\d):(\d\d)$/;
const QUEBEC_TIME_ZONE = 'America/Montreal';

function validParts(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
	if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59) return false;
	const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate();
	return d >= 1 && d <= dim;
}

/**
 * Normalises a date-time to ISO-8601 UTC (`2025-03-04T15:05:00.000Z`). Accepts an ISO string with `Z` or
 * an offset, or a wall-clock time as sent by `<input type="datetime-local">` (`2025-03-04T10:05`), which
 * is read as Québec time (America/Montreal, daylight saving included). Null when invalid.
 */
export function parseDateTime(raw: string): string | null {
	const text = raw.trim();
	const head = DATE_TIME_HEAD.exec(text);
	if (!head) return null;
	const [y, mo, d, h, mi] = head.slice(1, 6).map(Number) as [number, number, number, number, number];
	let rest = text.slice(head[0].length);
	let s = 0;
	let ms = 0;
	const sec = SECONDS.exec(rest);
	if (sec) {
		s = Number(sec[1]);
		rest = rest.slice(sec[0].length);
		const frac = FRACTION.exec(rest);
		if (frac) {
			ms = Number((frac[1] ?? '').slice(0, 3).padEnd(3, '0'));
			rest = rest.slice(frac[0].length);
		}
	}
	if (!validParts(y, mo, d, h, mi, s)) return null;
	const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
	if (rest === '') return new Date(quebecWallClockToUtc(wall)).toISOString();
	if (rest === 'Z') return new Date(wall).toISOString();
	const offset = OFFSET.exec(rest);
	if (!offset || Number(offset[2]) > 23 || Number(offset[3]) > 59) return null;
	const minutes = (Number(offset[2]) * 60 + Number(offset[3])) * (offset[1] === '-' ? -1 : 1);
	return new Date(wall - minutes * 60_000).toISOString();
}

let quebecFormat: Intl.DateTimeFormat | undefined;

/** Offset (ms) of Québec time from UTC at instant `t`. */
function quebecOffset(t: number): number {
	quebecFormat ??= new Intl.DateTimeFormat('en-CA', {
		timeZone: QUEBEC_TIME_ZONE,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit'
	});
	const parts = Object.fromEntries(quebecFormat.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
	const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
	return asUtc - Math.floor(t / 1000) * 1000;
}

/** `wall` = the Québec wall-clock time written as if it were UTC; returns the real UTC instant. */
function quebecWallClockToUtc(wall: number): number {
	const first = wall - quebecOffset(wall);
	const second = wall - quebecOffset(first);
	return second;
}

export interface StepValidation {
	ok: boolean;
	/** the previous answers with this step's valid answers applied (hidden ones of this step removed); save only when `ok` */
	answers: Record<string, AnswerValue>;
	/** question id (or unexpected field name) → error code */
	errors: Record<string, AnswerErrorCode>;
}

/**
 * Validates a whole step as posted: each visible question of the step is checked (visibility follows the
 * answers being posted, so a question revealed by an earlier answer of the same step is required at
 * once); answers to hidden questions are dropped; a field that is not a question of this step is
 * `unknown_question` (a forged POST). `raw` holds only answer fields.
 */
export function validateStep(
	pack: ProtocolPack,
	stepId: string,
	raw: Readonly<Record<string, unknown>>,
	previous: Answers,
	options: ValidateOptions = {}
): StepValidation {
	const answers: Record<string, AnswerValue> = { ...previous };
	const errors: Record<string, AnswerErrorCode> = {};
	const stepQuestions = indexOf(pack).questions.filter((q) => q.step === stepId);
	for (const key of Object.keys(raw)) {
		if (!stepQuestions.some((q) => q.id === key)) errors[key] = 'unknown_question';
	}
	for (const q of stepQuestions) {
		const effective = effectiveAnswers(pack, answers);
		if (q.showWhen && !evaluateCondition(q.showWhen, effective)) {
			delete answers[q.id];
			continue;
		}
		const result = validateAnswer(pack, q.id, Object.prototype.hasOwnProperty.call(raw, q.id) ? raw[q.id] : undefined, options);
		// On error the previous answer stays: nothing should be saved anyway while `ok` is false.
		if (!result.ok) errors[q.id] = result.code;
		else if (result.value === null) delete answers[q.id];
		else answers[q.id] = result.value;
	}
	return { ok: Object.keys(errors).length === 0, answers, errors };
}
