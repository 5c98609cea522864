import { describe, expect, it } from 'vitest';
import {
	effectiveAnswers,
	evaluate,
	evaluateCondition,
	firedRedFlags,
	nextQuestion,
	nextStep,
	orderedSteps,
	parseDateTime,
	progress,
	suggestOrientation,
	validateAnswer,
	validateStep,
	visibleQuestions,
	type Answers
} from './engine';
import { testPack as pack } from './test-fixtures';
import { findWitness } from './witness';

const ids = (list: readonly { id: string }[]) => list.map((x) => x.id);

describe('conditions', () => {
	const answers: Answers = { kind: 'x', tags: ['p', 'r'], age: 12, unsure: 'unknown' };
	it.each([
		[{ q: 'kind', eq: 'x' }, true],
		[{ q: 'kind', eq: 'y' }, false],
		[{ q: 'age', eq: 12 }, true],
		[{ q: 'unsure', in: ['yes', 'unknown'] }, true],
		[{ q: 'unsure', in: ['yes'] }, false],
		[{ q: 'tags', includes: 'r' }, true],
		[{ q: 'tags', includes: 'q' }, false],
		[{ q: 'age', lt: 13 }, true],
		[{ q: 'age', lt: 12 }, false],
		[{ q: 'age', lte: 12 }, true],
		[{ q: 'age', gt: 12 }, false],
		[{ q: 'age', gte: 12 }, true],
		[{ answered: 'age' }, true],
		[{ answered: 'note' }, false],
		[{ all: [{ q: 'kind', eq: 'x' }, { q: 'age', lt: 13 }] }, true],
		[{ all: [{ q: 'kind', eq: 'x' }, { q: 'age', gt: 13 }] }, false],
		[{ any: [{ q: 'kind', eq: 'y' }, { q: 'tags', includes: 'p' }] }, true],
		[{ any: [{ q: 'kind', eq: 'y' }, { q: 'tags', includes: 'q' }] }, false],
		[{ not: { q: 'kind', eq: 'y' } }, true],
		[{ not: { any: [{ q: 'kind', eq: 'x' }] } }, false]
	] as const)('%j → %s', (condition, expected) => {
		expect(evaluateCondition(condition, answers)).toBe(expected);
	});
	it('a comparison on an unanswered question is false, so its negation is true', () => {
		expect(evaluateCondition({ q: 'note', eq: 'x' }, {})).toBe(false);
		expect(evaluateCondition({ q: 'age', lt: 100 }, {})).toBe(false);
		expect(evaluateCondition({ not: { q: 'age', lt: 100 } }, {})).toBe(true);
	});
	it('a type mismatch never matches (a number is not a string option)', () => {
		expect(evaluateCondition({ q: 'age', lt: 13 }, { age: '12' })).toBe(false);
		expect(evaluateCondition({ q: 'tags', includes: 'p' }, { tags: 'p' })).toBe(false);
	});
	it('ignores inherited properties', () => {
		expect(evaluateCondition({ answered: 'constructor' }, {})).toBe(false);
	});
});

describe('showWhen', () => {
	it('hides a question until its condition holds, then reveals it', () => {
		expect(ids(visibleQuestions(pack, {}, 's_more'))).toEqual(['tags', 'age', 'note', 'unsure', 'ratio']);
		expect(ids(visibleQuestions(pack, { kind: 'x' }, 's_more'))).toEqual(['tags', 'age', 'detail', 'note', 'unsure', 'ratio']);
		expect(ids(visibleQuestions(pack, { kind: 'x', detail: 'abc' }, 's_more'))).toEqual(['tags', 'age', 'detail', 'deeper', 'note', 'unsure', 'ratio']);
	});
	it('drops answers of questions that became hidden, and what depended on them', () => {
		const stale = { kind: 'y', detail: 'abc', deeper: 'yes' };
		expect(ids(visibleQuestions(pack, stale, 's_more'))).not.toContain('deeper');
		expect(effectiveAnswers(pack, stale)).toEqual({ kind: 'y' });
		expect(evaluate(pack, stale).ignored).toEqual(['detail', 'deeper']);
	});
	it('ignores answers to questions that are not in the pack, and empty answers', () => {
		expect(effectiveAnswers(pack, { bogus: 'x', name: '  ', tags: [] })).toEqual({});
		expect(evaluate(pack, { bogus: 'x' }).ignored).toEqual(['bogus']);
	});
	it('lists all visible questions in asking order without a step', () => {
		expect(ids(visibleQuestions(pack, {})).slice(0, 4)).toEqual(['rf1', 'name', 'when', 'kind']);
	});
});

describe('what comes next', () => {
	it('asks the red-flags step first, whatever its place in the pack', () => {
		expect(ids(orderedSteps(pack))).toEqual(['s_flags', 's_intake', 's_more']);
		expect(nextQuestion(pack, {})?.id).toBe('rf1');
		expect(nextStep(pack, {})?.id).toBe('s_flags');
		expect(nextQuestion(pack, { rf1: 'no' })?.id).toBe('name');
		expect(nextStep(pack, { rf1: 'no' })?.id).toBe('s_intake');
	});
	it('walks the required visible questions and skips hidden and optional ones', () => {
		const answers: Record<string, unknown> = {};
		const asked: string[] = [];
		const script: Record<string, unknown> = { rf1: 'no', name: 'A', when: '2025-01-01T10:00', kind: 'y', tags: ['q'], age: 14, unsure: 'no' };
		for (let q = nextQuestion(pack, answers as Answers); q; q = nextQuestion(pack, answers as Answers)) {
			asked.push(q.id);
			answers[q.id] = script[q.id];
		}
		expect(asked).toEqual(['rf1', 'name', 'when', 'kind', 'tags', 'age', 'unsure']);
		expect(nextStep(pack, answers as Answers)).toBeNull();
	});
	it('stops at a question revealed by an answer', () => {
		const base = { rf1: 'no', name: 'A', when: '2025-01-01T15:00:00.000Z', tags: ['q'], age: 14 };
		expect(nextQuestion(pack, { ...base, kind: 'x' })?.id).toBe('detail');
		expect(nextQuestion(pack, { ...base, kind: 'x', detail: 'd' })?.id).toBe('deeper');
	});
	it('includes optional questions on request (simulations)', () => {
		const base = { rf1: 'no', name: 'A', when: '2025-01-01T15:00:00.000Z', kind: 'y', tags: ['q'], age: 14 };
		expect(nextQuestion(pack, base)?.id).toBe('unsure');
		expect(nextQuestion(pack, base, { includeOptional: true })?.id).toBe('note');
	});
	it('reports progress per step; hidden questions are never required', () => {
		const p = progress(pack, { rf1: 'no', kind: 'y' });
		expect(p.steps).toEqual([
			{ stepId: 's_flags', kind: 'red_flags', answered: 1, required: 1, complete: true },
			{ stepId: 's_intake', kind: 'intake', answered: 1, required: 3, complete: false },
			{ stepId: 's_more', kind: 'questions', answered: 0, required: 3, complete: false }
		]);
		expect(p).toMatchObject({ answered: 2, required: 7, complete: false });
		expect(progress(pack, { rf1: 'no', kind: 'x' }).steps[2]?.required).toBe(4);
	});
});

describe('red flags', () => {
	it('fire from their conditions, most urgent action first', () => {
		const answers = { rf1: 'yes', tags: ['p'], kind: 'x', age: 8 };
		expect(ids(firedRedFlags(pack, answers))).toEqual(['f_911', 'f_police', 'f_dpj']);
		expect(evaluate(pack, answers).actions).toEqual(['call_911', 'call_police_liaison', 'report_dpj']);
	});
	it('do not fire on answers of hidden questions', () => {
		// `not kind = y` holds when kind is unanswered, so f_dpj fires on tags alone …
		expect(ids(firedRedFlags(pack, { tags: ['p'] }))).toEqual(['f_dpj']);
		// … and not when kind = y
		expect(ids(firedRedFlags(pack, { tags: ['p'], kind: 'y' }))).toEqual([]);
	});
	it('no flag, no call', () => {
		const e = evaluate(pack, { rf1: 'no' });
		expect(e.redFlags).toEqual([]);
		expect(e.callNow).toBe(false);
		expect(e.actions).toEqual([]);
	});
});

describe('the grid suggestion', () => {
	it('no matched rule → unclear, with no reasons', () => {
		expect(suggestOrientation(pack, {})).toEqual({ orientation: 'unclear', reasons: [], stopInterviewing: false, stopReasons: [] });
	});
	it('impulsive signs only → likely impulsive', () => {
		const s = suggestOrientation(pack, { kind: 'x' });
		expect(s.orientation).toBe('likely_impulsive');
		expect(s.stopInterviewing).toBe(false);
		expect(s.reasons).toEqual([{ ruleId: 'g_imp', points: 'likely_impulsive', reason: { fr: 'impulsive sign (fr)', en: 'impulsive sign (en)' }, weight: 1 }]);
	});
	it('a doubt outweighs impulsive signs → unclear', () => {
		expect(suggestOrientation(pack, { kind: 'x', unsure: 'unknown' }).orientation).toBe('unclear');
		expect(suggestOrientation(pack, { kind: 'x', age: 19 }).orientation).toBe('unclear');
	});
	it('one malicious sign dominates everything → likely malicious, stop interviewing', () => {
		const s = suggestOrientation(pack, { kind: 'x', unsure: 'unknown', tags: ['q', 'r'] });
		expect(s.orientation).toBe('likely_malicious');
		expect(s.stopInterviewing).toBe(true);
		expect(s.stopReasons).toEqual(['malicious_indicators']);
		// all matched rules are listed: malicious first (stronger first), then unclear, then impulsive
		expect(s.reasons.map((r) => r.ruleId)).toEqual(['g_mal', 'g_mal_weak', 'g_unc', 'g_imp']);
	});
	it('a red flag stops the interview without changing the orientation', () => {
		const s = suggestOrientation(pack, { kind: 'x', rf1: 'yes' });
		expect(s.orientation).toBe('likely_impulsive');
		expect(s.stopInterviewing).toBe(true);
		expect(s.stopReasons).toEqual(['red_flag']);
		expect(suggestOrientation(pack, { rf1: 'yes', tags: ['r'] }).stopReasons).toEqual(['red_flag', 'malicious_indicators']);
	});
});

describe('evaluate', () => {
	const complete = { rf1: 'no', name: 'A', when: '2025-01-01T15:00:00.000Z', kind: 'x', detail: 'd', deeper: 'no', tags: ['q'], age: 14, unsure: 'no' };
	it('combines progress, next question, red flags and the suggestion', () => {
		const e = evaluate(pack, { rf1: 'yes', kind: 'x' });
		expect(e.pack).toEqual({ id: 'test-pack', version: '2.1.0' });
		expect(e.next).toEqual({ stepId: 's_intake', questionId: 'name' });
		expect(e.callNow).toBe(true);
		expect(ids(e.redFlags)).toEqual(['f_police']);
		expect(e.suggestion).toMatchObject({ orientation: 'likely_impulsive', stopInterviewing: true, provisional: true });
	});
	it('a complete questionnaire gives a final (non-provisional) suggestion', () => {
		const e = evaluate(pack, complete);
		expect(e.progress.complete).toBe(true);
		expect(e.next).toBeNull();
		expect(e.suggestion).toMatchObject({ orientation: 'likely_malicious', provisional: false });
	});
	it('is deterministic and does not touch its input', () => {
		const input = structuredClone(complete);
		expect(evaluate(pack, input)).toEqual(evaluate(pack, input));
		expect(input).toEqual(complete);
		expect(Object.isFrozen(pack)).toBe(true);
	});
	it('runs on plain answers: no incident needed (simulation mode)', () => {
		const e = evaluate(pack, Object.freeze({ rf1: 'no' }));
		expect(e.next?.questionId).toBe('name');
	});
});

describe('validateAnswer', () => {
	it('unknown_question', () => expect(validateAnswer(pack, 'nope', 'x')).toEqual({ ok: false, code: 'unknown_question' }));
	it.each([undefined, null, '', '   ', [], ['']])('required: %j on a required question', (raw) => {
		expect(validateAnswer(pack, 'name', raw)).toEqual({ ok: false, code: 'required' });
		expect(validateAnswer(pack, 'tags', raw)).toEqual({ ok: false, code: 'required' });
	});
	it('an empty optional answer is "no answer"', () => {
		expect(validateAnswer(pack, 'note', '')).toEqual({ ok: true, value: null });
		expect(validateAnswer(pack, 'ratio', undefined)).toEqual({ ok: true, value: null });
	});
	describe('yes_no', () => {
		it('accepts yes / no (and booleans, and a one-element form array)', () => {
			expect(validateAnswer(pack, 'rf1', 'yes')).toEqual({ ok: true, value: 'yes' });
			expect(validateAnswer(pack, 'rf1', ' no ')).toEqual({ ok: true, value: 'no' });
			expect(validateAnswer(pack, 'rf1', true)).toEqual({ ok: true, value: 'yes' });
			expect(validateAnswer(pack, 'rf1', false)).toEqual({ ok: true, value: 'no' });
			expect(validateAnswer(pack, 'rf1', ['yes'])).toEqual({ ok: true, value: 'yes' });
		});
		it('"unknown" only where allowed', () => {
			expect(validateAnswer(pack, 'rf1', 'unknown')).toEqual({ ok: false, code: 'not_an_option' });
			expect(validateAnswer(pack, 'unsure', 'unknown')).toEqual({ ok: true, value: 'unknown' });
		});
		it.each(['oui', 'YES', 'maybe', 1, ['yes', 'no'], { v: 'yes' }])('not_an_option: %j', (raw) => {
			expect(validateAnswer(pack, 'rf1', raw)).toEqual({ ok: false, code: 'not_an_option' });
		});
	});
	describe('choice', () => {
		it('accepts an option id', () => expect(validateAnswer(pack, 'kind', 'z')).toEqual({ ok: true, value: 'z' }));
		it.each(['w', 'X', ['x', 'y'], 3, { id: 'x' }])('not_an_option: %j', (raw) => {
			expect(validateAnswer(pack, 'kind', raw)).toEqual({ ok: false, code: 'not_an_option' });
		});
	});
	describe('multi_choice', () => {
		it('normalises to pack order without duplicates', () => {
			expect(validateAnswer(pack, 'tags', ['r', 'p', 'r'])).toEqual({ ok: true, value: ['p', 'r'] });
			expect(validateAnswer(pack, 'tags', 'q')).toEqual({ ok: true, value: ['q'] });
		});
		it.each([['p', 'zz'], [1], ['p', { id: 'q' }], 'nope'])('not_an_option: %j', (raw) => {
			expect(validateAnswer(pack, 'tags', raw)).toEqual({ ok: false, code: 'not_an_option' });
		});
	});
	describe('number', () => {
		it('accepts numbers and numeric text (dot or French comma)', () => {
			expect(validateAnswer(pack, 'age', 14)).toEqual({ ok: true, value: 14 });
			expect(validateAnswer(pack, 'age', ' 15 ')).toEqual({ ok: true, value: 15 });
			expect(validateAnswer(pack, 'ratio', '2,5')).toEqual({ ok: true, value: 2.5 });
			expect(validateAnswer(pack, 'ratio', '-0.25')).toEqual({ ok: true, value: -0.25 });
			expect(validateAnswer(pack, 'ratio', '1 500')).toEqual({ ok: true, value: 1500 });
		});
		it.each([4, 21, '100'])('out_of_range: %j', (raw) => {
			expect(validateAnswer(pack, 'age', raw)).toEqual({ ok: false, code: 'out_of_range' });
		});
		it.each(['abc', '1e3', '12abc', Number.NaN, Number.POSITIVE_INFINITY, '14.5', 14.5, ['1', '2'], true])('invalid_number: %j', (raw) => {
			expect(validateAnswer(pack, 'age', raw)).toEqual({ ok: false, code: 'invalid_number' });
		});
	});
	describe('datetime', () => {
		it('reads datetime-local input as Québec time and stores UTC', () => {
			expect(validateAnswer(pack, 'when', '2025-03-04T10:05')).toEqual({ ok: true, value: '2025-03-04T15:05:00.000Z' }); // EST, UTC−5
			expect(validateAnswer(pack, 'when', '2025-07-04T10:05')).toEqual({ ok: true, value: '2025-07-04T14:05:00.000Z' }); // EDT, UTC−4
			expect(validateAnswer(pack, 'when', '2025-11-02 23:30:15')).toEqual({ ok: true, value: '2025-11-03T04:30:15.000Z' });
		});
		it('accepts ISO-8601 with a zone', () => {
			expect(validateAnswer(pack, 'when', '2025-03-04T15:05:00Z')).toEqual({ ok: true, value: '2025-03-04T15:05:00.000Z' });
			expect(validateAnswer(pack, 'when', '2025-03-04T17:05:00.5+02:00')).toEqual({ ok: true, value: '2025-03-04T15:05:00.500Z' });
		});
		it.each(['2025-02-30T10:00', '2025-13-01T10:00', '2025-01-01T24:00', '2025-01-01', 'yesterday', '04/03/2025 10:05', '2025-03-04T10:05+25:00', '2025-03-04T10:05:00Zjunk', '2025-03-04T10:05.5', 1741100700000, ['a', 'b']])(
			'invalid_datetime: %j',
			(raw) => expect(validateAnswer(pack, 'when', raw)).toEqual({ ok: false, code: 'invalid_datetime' })
		);
		it('out_of_range when later than `now` (5 minutes of tolerance)', () => {
			const now = new Date('2025-03-04T15:00:00Z');
			expect(validateAnswer(pack, 'when', '2025-03-04T15:04:00Z', { now }).ok).toBe(true);
			expect(validateAnswer(pack, 'when', '2025-03-04T15:06:00Z', { now })).toEqual({ ok: false, code: 'out_of_range' });
			expect(validateAnswer(pack, 'when', '2025-03-04T15:06:00Z').ok).toBe(true);
		});
		it('parseDateTime handles both sides of a daylight-saving change', () => {
			expect(parseDateTime('2025-03-09T01:30')).toBe('2025-03-09T06:30:00.000Z'); // before the jump (EST)
			expect(parseDateTime('2025-03-09T03:30')).toBe('2025-03-09T07:30:00.000Z'); // after (EDT)
		});
	});
	describe('short_text', () => {
		it('trims, normalises line breaks and Unicode (NFC)', () => {
			expect(validateAnswer(pack, 'name', '  Zoé \r\n ')).toEqual({ ok: true, value: 'Zoé' });
			expect(validateAnswer(pack, 'name', 'Zoe\u0301')).toEqual({ ok: true, value: 'Zoé' });
			expect(validateAnswer(pack, 'note', 'a\r\nb')).toEqual({ ok: true, value: 'a\nb' });
		});
		it('counts characters, not bytes: 10 accented letters fit in maxLength 10', () => {
			expect(validateAnswer(pack, 'name', 'éééééééééé')).toEqual({ ok: true, value: 'éééééééééé' });
			expect(validateAnswer(pack, 'name', 'ééééééééééé')).toEqual({ ok: false, code: 'too_long' });
		});
		it('uses 500 characters when the pack sets no maxLength', () => {
			expect(validateAnswer(pack, 'note', 'a'.repeat(500)).ok).toBe(true);
			expect(validateAnswer(pack, 'note', 'a'.repeat(501))).toEqual({ ok: false, code: 'too_long' });
		});
		it.each(['bad\u0000byte', 'bell\u0007', ['a', 'b'], { t: 'a' }])('invalid_text: %j', (raw) => {
			expect(validateAnswer(pack, 'name', raw)).toEqual({ ok: false, code: 'invalid_text' });
		});
	});
});

describe('validateStep (a whole posted step)', () => {
	it('accepts a valid step and merges it into the previous answers', () => {
		const r = validateStep(pack, 's_intake', { name: 'A', when: '2025-01-01T10:00', kind: 'y' }, { rf1: 'no' });
		expect(r).toEqual({ ok: true, errors: {}, answers: { rf1: 'no', name: 'A', when: '2025-01-01T15:00:00.000Z', kind: 'y' } });
	});
	it('refuses a forged field that is not a question of the step', () => {
		const r = validateStep(pack, 's_flags', { rf1: 'no', kind: 'x', admin: '1' }, {});
		expect(r.ok).toBe(false);
		expect(r.errors).toEqual({ kind: 'unknown_question', admin: 'unknown_question' });
	});
	it('drops a posted answer to a hidden question; requires one revealed in the same post', () => {
		const base = { tags: 'q', age: '14', unsure: 'no' };
		const hidden = validateStep(pack, 's_more', { ...base, detail: 'sneaky', deeper: 'yes' }, { kind: 'y', detail: 'old' });
		expect(hidden.ok).toBe(true);
		expect(hidden.answers).toEqual({ kind: 'y', tags: ['q'], age: 14, unsure: 'no' });
		const revealed = validateStep(pack, 's_more', { ...base, detail: 'seen' }, { kind: 'x' });
		expect(revealed.errors).toEqual({ deeper: 'required' });
	});
	it('reports every bad answer and keeps previous values for them', () => {
		const r = validateStep(pack, 's_more', { tags: ['nope'], age: '99', unsure: 'perhaps' }, { age: 12 });
		expect(r.errors).toEqual({ tags: 'not_an_option', age: 'out_of_range', unsure: 'not_an_option' });
		expect(r.answers.age).toBe(12);
	});
	it('clears an optional answer posted empty', () => {
		const r = validateStep(pack, 's_more', { tags: 'q', age: 14, unsure: 'no', note: '' }, { note: 'old' });
		expect(r.ok).toBe(true);
		expect(r.answers).not.toHaveProperty('note');
	});
});

describe('findWitness', () => {
	it('finds answers that make a condition true, revealing hidden questions on the way', () => {
		const w = findWitness(pack, { q: 'deeper', eq: 'yes' });
		expect(w).toEqual({ deeper: 'yes', detail: 'x', kind: 'x' });
	});
	it('handles not / any / all and numbers', () => {
		const c = { all: [{ not: { q: 'kind', eq: 'x' } }, { any: [{ q: 'age', gte: 18 }, { q: 'unsure', eq: 'unknown' }] }, { q: 'tags', includes: 'r' }] } as const;
		const w = findWitness(pack, c);
		expect(w).not.toBeNull();
		expect(evaluateCondition(c, effectiveAnswers(pack, w ?? {}))).toBe(true);
	});
	it('returns null for a contradiction', () => {
		expect(findWitness(pack, { all: [{ q: 'kind', eq: 'x' }, { q: 'kind', eq: 'y' }] })).toBeNull();
		expect(findWitness(pack, { all: [{ q: 'age', lt: 5 }] })).toBeNull(); // min is 5
	});
});
