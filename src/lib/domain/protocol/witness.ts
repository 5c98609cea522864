/**
 * Finds answers that make a condition true, respecting `showWhen` (an answer only counts when its
 * question is visible). Used by the tests to prove that every red flag and grid rule of a pack can fire,
 * and usable by pack-authoring tools to report rules that never can. Pure and bounded.
 *
 * Method: the condition is put in negation normal form and searched branch by branch (`any` = try each
 * child, `all` = satisfy every child); each comparison adds a constraint on one question; a constraint
 * that needs an answer also needs the question to be visible, so its `showWhen` joins the goals. Values
 * are tried from a small candidate set per question (options, numbers around each threshold), so the
 * search is sound (the result is checked) but not complete for contrived conditions.
 */
import { evaluateCondition, effectiveAnswers, findQuestion, validateAnswer, type AnswerValue, type Answers } from './engine';
import { allowedValues, comparisonOperator, type Comparison, type Condition, type ProtocolPack, type Question } from './schema';

type Literal = { q: string; test: (v: AnswerValue | undefined) => boolean; needsAnswer: boolean; atom: Comparison | { answered: string } };
type Goal = { kind: 'lit'; lit: Literal } | { kind: 'and'; goals: Goal[] } | { kind: 'or'; goals: Goal[] };

function literal(atom: Comparison | { answered: string }, positive: boolean): Literal {
	const q = 'answered' in atom ? atom.answered : atom.q;
	const holds = (v: AnswerValue | undefined) => evaluateCondition(atom, v === undefined ? {} : { [q]: v });
	return { q, atom, needsAnswer: positive, test: positive ? holds : (v) => !holds(v) };
}

function toGoal(c: Condition, positive = true): Goal {
	if ('not' in c) return toGoal(c.not, !positive);
	if ('all' in c) return { kind: positive ? 'and' : 'or', goals: c.all.map((x) => toGoal(x, positive)) };
	if ('any' in c) return { kind: positive ? 'or' : 'and', goals: c.any.map((x) => toGoal(x, positive)) };
	return { kind: 'lit', lit: literal(c, positive) };
}

function subsets<T>(items: readonly T[]): T[][] {
	return items.reduce<T[][]>((acc, item) => acc.concat(acc.map((s) => [...s, item])), [[]]);
}

/** Candidate values for a question given the literals on it (undefined = leave unanswered). */
function candidates(pack: ProtocolPack, q: Question, lits: readonly Literal[]): (AnswerValue | undefined)[] {
	const out: (AnswerValue | undefined)[] = [undefined];
	switch (q.type) {
		case 'yes_no':
		case 'choice':
			out.push(...(allowedValues(q) ?? []));
			break;
		case 'multi_choice': {
			const named = [...new Set(lits.flatMap((l) => ('includes' in l.atom ? [l.atom.includes] : [])))];
			const pool = named.length > 0 && named.length <= 6 ? subsets(named).filter((s) => s.length > 0) : [named];
			const spare = q.options.find((o) => !named.includes(o.id))?.id;
			out.push(...pool.filter((s) => s.length > 0), ...(spare ? [[spare]] : []));
			break;
		}
		case 'number': {
			const points = lits.flatMap((l) => {
				if ('answered' in l.atom) return [];
				const op = comparisonOperator(l.atom);
				const t = (l.atom as Record<string, unknown>)[op];
				return typeof t === 'number' ? [t - 1, t, t + 1] : [];
			});
			for (const n of [...points, q.min ?? 0, q.max ?? 0]) {
				const r = validateAnswer(pack, q.id, n);
				if (r.ok && r.value !== null) out.push(r.value);
			}
			break;
		}
		case 'datetime':
			out.push('2025-01-15T15:00:00.000Z');
			break;
		case 'short_text':
			out.push('x');
			break;
	}
	return out;
}

const MAX_STEPS = 200_000;

/**
 * Answers under which `condition` holds (after hidden answers are dropped), or null if none was found.
 * Only the questions the condition (and their `showWhen`) read are answered.
 */
export function findWitness(pack: ProtocolPack, condition: Condition): Record<string, AnswerValue> | null {
	let budget = MAX_STEPS;

	const solve = (goals: readonly Goal[], lits: ReadonlyMap<string, Literal[]>, shown: ReadonlySet<string>): Record<string, AnswerValue> | null => {
		if (--budget < 0) return null;
		if (goals.length === 0) return assign(lits);
		const [goal, ...rest] = goals as [Goal, ...Goal[]];
		if (goal.kind === 'and') return solve([...goal.goals, ...rest], lits, shown);
		if (goal.kind === 'or') {
			for (const g of goal.goals) {
				const found = solve([g, ...rest], lits, shown);
				if (found) return found;
			}
			return null;
		}
		const { lit } = goal;
		const q = findQuestion(pack, lit.q);
		if (!q) return null;
		const onQ = [...(lits.get(lit.q) ?? []), lit];
		if (!candidates(pack, q, onQ).some((v) => onQ.every((l) => l.test(v)))) return null;
		const nextLits = new Map(lits).set(lit.q, onQ);
		// A constraint that needs an answer needs the question to be visible.
		if (lit.needsAnswer && q.showWhen && !shown.has(q.id)) {
			return solve([toGoal(q.showWhen), ...rest], nextLits, new Set(shown).add(q.id));
		}
		return solve(rest, nextLits, shown);
	};

	const assign = (lits: ReadonlyMap<string, Literal[]>): Record<string, AnswerValue> | null => {
		const answers: Record<string, AnswerValue> = {};
		for (const [id, onQ] of lits) {
			const q = findQuestion(pack, id);
			if (!q) return null;
			const value = candidates(pack, q, onQ).find((v) => onQ.every((l) => l.test(v)));
			if (value !== undefined) answers[id] = value;
			else if (!onQ.every((l) => l.test(undefined))) return null;
		}
		// Sound: check the result under the engine's own rules (visibility included).
		return evaluateCondition(condition, effectiveAnswers(pack, answers)) ? answers : null;
	};

	return solve([toGoal(condition)], new Map(), new Set());
}

/** Answers made of `base` plus a witness for `condition`, or null. Handy for scenario tests. */
export function withWitness(pack: ProtocolPack, base: Answers, condition: Condition): Record<string, AnswerValue> | null {
	const w = findWitness(pack, condition);
	return w ? { ...base, ...w } : null;
}
