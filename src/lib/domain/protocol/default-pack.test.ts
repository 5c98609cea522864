/**
 * The default pack (content/protocol-packs/sexto-default/1.0.0.json) run through the engine: every red
 * flag and every grid rule can fire, the hand-written scenarios of PRODUCT.md §3 and the training cases
 * give the expected result, and the "call now" instruction is reached in few answers.
 */
import { describe, expect, it } from 'vitest';
import defaultPackJson from '../../../../content/protocol-packs/sexto-default/1.0.0.json';
import { evaluate, firedRedFlags, nextQuestion, suggestOrientation, validateAnswer, type AnswerValue, type Answers } from './engine';
import { parsePack } from './load';
import { RED_FLAG_ACTIONS, type Condition } from './schema';
import { findWitness } from './witness';

const pack = parsePack(defaultPackJson, 'sexto-default 1.0.0');
const ids = (list: readonly { id: string }[]) => list.map((x) => x.id);
const redFlagQuestions = pack.questions.filter((q) => q.step === 'red_flags');
const noRedFlags: Answers = Object.fromEntries(redFlagQuestions.map((q) => [q.id, 'no']));

const intake: Answers = {
	intake_learned_at: '2025-10-14T14:05:00.000Z',
	intake_reported_by: 'other_student',
	intake_channel: 'in_person',
	intake_content_category: 'nude',
	intake_summary: 'Une élève de 3e secondaire signale qu’une photo intime circule.'
};

/** Every answer must be one the server would accept. */
function expectValid(answers: Answers) {
	for (const [id, value] of Object.entries(answers)) {
		const r = validateAnswer(pack, id, value);
		expect(r, id).toEqual({ ok: true, value });
	}
}

describe('the default pack content', () => {
	it('is labelled as a default pack to be replaced by the official kit', () => {
		expect(pack.status).toBe('default');
		expect(pack.notice).toEqual({
			fr: 'Trousse par défaut — à remplacer par la trousse officielle de votre territoire',
			en: "Default pack — replace with your territory's official kit"
		});
	});
	it('has the steps of the kit, with the red flags asked first', () => {
		expect(ids(pack.steps)).toEqual(['intake', 'red_flags', 'sharing', 'context', 'intent', 'devices']);
		expect(nextQuestion(pack, {})?.step).toBe('red_flags');
	});
	it('asks what the DPCP needs', () => {
		const all = ids(pack.questions);
		for (const id of ['context', 'relationship', 'consent_initial', 'consent_onward', 'age_depicted', 'age_gap', 'share_method', 'platform', 'recipients', 'recipient_count', 'intent', 'threats', 'prior_incidents', 'devices_secured']) {
			expect(all).toContain(id);
		}
		expect(pack.questions.find((q) => q.id === 'recipient_count')?.type).toBe('number');
	});
	it('tells the responder never to ask to see the image', () => {
		const category = pack.questions.find((q) => q.id === 'intake_content_category');
		expect(category?.guidance.fr).toMatch(/^Ne demandez jamais à voir l’image\u00a0: décrivez-la seulement par catégorie/);
		expect(category?.guidance.en).toMatch(/^Never ask to see the image: describe it only by category/);
	});
	it('uses every red-flag action, and covers the red flags of PRODUCT.md §3', () => {
		expect([...new Set(pack.redFlags.map((f) => f.action))].sort()).toEqual([...RED_FLAG_ACTIONS].sort());
		expect(ids(pack.redFlags)).toEqual([
			'immediate_danger',
			'self_harm_risk',
			'adult_involved',
			'coercion_sextortion',
			'child_under_13',
			'violent_or_extreme_content',
			'taken_without_knowledge',
			'doubtful_capacity_to_consent',
			'sexual_abuse_dpj'
		]);
	});
	it('has grid rules pointing each way', () => {
		for (const o of ['likely_impulsive', 'likely_malicious', 'unclear'] as const) expect(pack.gridRules.some((r) => r.points === o)).toBe(true);
	});
	it('French and English texts differ (no untranslated copy), brand names aside', () => {
		const same: string[] = [];
		const visit = (v: unknown, path: string) => {
			if (v && typeof v === 'object' && 'fr' in v && 'en' in v) {
				const { fr, en } = v as { fr: string; en: string };
				if (fr === en && !/^[A-Z][A-Za-z /]+$/.test(fr)) same.push(`${path}: ${fr}`);
			} else if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) visit(c, `${path}.${k}`);
		};
		visit(pack, 'pack');
		expect(same).toEqual([]);
	});
});

describe('every red flag and grid rule of the default pack can fire', () => {
	const malicious = pack.gridRules.filter((r) => r.points === 'likely_malicious');
	const unclear = pack.gridRules.filter((r) => r.points === 'unclear');
	const none = (rules: readonly { when: Condition }[]): Condition[] => (rules.length ? [{ not: { any: rules.map((r) => r.when) } }] : []);

	it.each(pack.redFlags.map((f) => [f.id, f] as const))('red flag %s', (_id, flag) => {
		const answers = findWitness(pack, flag.when);
		expect(answers, 'no answers make it fire').not.toBeNull();
		expectValid(answers ?? {});
		const e = evaluate(pack, answers ?? {});
		expect(ids(e.redFlags)).toContain(flag.id);
		expect(e.callNow).toBe(true);
		expect(e.actions).toContain(flag.action);
		expect(e.suggestion.stopInterviewing).toBe(true);
	});

	it.each(redFlagQuestions.map((q) => [q.id] as const))('answering "yes" to %s alone fires a red flag', (id) => {
		expect(firedRedFlags(pack, { ...noRedFlags, [id]: 'yes' })).toHaveLength(1);
	});

	it.each(malicious.map((r) => [r.id, r] as const))('malicious rule %s → likely malicious, stop interviewing', (_id, rule) => {
		const answers = findWitness(pack, rule.when);
		expect(answers).not.toBeNull();
		expectValid(answers ?? {});
		const s = suggestOrientation(pack, answers ?? {});
		expect(s.reasons.map((r) => r.ruleId)).toContain(rule.id);
		expect(s.orientation).toBe('likely_malicious');
		expect(s.stopInterviewing).toBe(true);
		expect(s.stopReasons).toContain('malicious_indicators');
	});

	it.each(unclear.map((r) => [r.id, r] as const))('unclear rule %s → unclear when no malicious sign', (_id, rule) => {
		const answers = findWitness(pack, { all: [rule.when, ...none(malicious)] });
		expect(answers).not.toBeNull();
		expectValid(answers ?? {});
		const s = suggestOrientation(pack, answers ?? {});
		expect(s.reasons.map((r) => r.ruleId)).toContain(rule.id);
		expect(s.orientation).toBe('unclear');
	});

	it.each(pack.gridRules.filter((r) => r.points === 'likely_impulsive').map((r) => [r.id, r] as const))(
		'impulsive rule %s → likely impulsive when no malicious or unclear sign',
		(_id, rule) => {
			const answers = findWitness(pack, { all: [rule.when, ...none(malicious), ...none(unclear)] });
			expect(answers).not.toBeNull();
			expectValid(answers ?? {});
			const s = suggestOrientation(pack, answers ?? {});
			expect(s.reasons.map((r) => r.ruleId)).toContain(rule.id);
			expect(s.orientation).toBe('likely_impulsive');
			expect(s.stopInterviewing).toBe(false);
		}
	);
});

describe('scenarios', () => {
	it('two 15-year-olds in a couple, consensual, not shared further → likely impulsive', () => {
		const answers: Answers = {
			...noRedFlags,
			...intake,
			shared_beyond: 'no',
			share_method: ['private_message'],
			platform: ['snapchat'],
			origin: 'self',
			context: 'relationship',
			relationship: 'couple',
			age_depicted: 15,
			age_gap: 'similar',
			consent_initial: 'yes',
			threats: 'no',
			prior_incidents: 'no',
			devices_secured: 'yes'
		};
		expectValid(answers);
		const e = evaluate(pack, answers);
		expect(e.progress.complete).toBe(true);
		expect(e.redFlags).toEqual([]);
		expect(e.suggestion).toMatchObject({ orientation: 'likely_impulsive', stopInterviewing: false, provisional: false });
		expect(e.suggestion.reasons.map((r) => r.ruleId)).toEqual(['consensual_couple_not_shared', 'self_sent_not_shared']);
	});

	it('malicious redistribution in a class group chat → likely malicious, stop interviewing (no red flag needed)', () => {
		const answers: Answers = {
			...noRedFlags,
			...intake,
			shared_beyond: 'yes',
			consent_onward: 'no',
			recipients: ['class_group'],
			recipient_count: 28,
			share_method: ['private_message', 'group_chat'],
			platform: ['snapchat'],
			origin: 'self',
			context: 'relationship',
			relationship: 'ex_partners',
			age_depicted: 15,
			age_gap: 'similar',
			consent_initial: 'yes',
			intent: ['humiliate_or_harm', 'revenge'],
			threats: 'no',
			prior_incidents: 'no',
			devices_secured: 'yes'
		};
		expectValid(answers);
		const e = evaluate(pack, answers);
		expect(e.redFlags).toEqual([]);
		expect(e.suggestion).toMatchObject({ orientation: 'likely_malicious', stopInterviewing: true, stopReasons: ['malicious_indicators'] });
		expect(e.suggestion.reasons.map((r) => r.ruleId)).toEqual(['onward_without_consent', 'intent_to_harm', 'conflict_driven', 'wide_redistribution']);
	});

	it('an adult involved → red flag, call now, from the red-flags step', () => {
		const e = evaluate(pack, { rf_immediate_danger: 'no', rf_self_harm: 'no', rf_adult: 'yes' });
		expect(ids(e.redFlags)).toEqual(['adult_involved']);
		expect(e.callNow).toBe(true);
		expect(e.actions).toEqual(['call_police_liaison']);
		expect(e.suggestion.stopInterviewing).toBe(true);
		expect(e.redFlags[0]?.meanwhile.length).toBeGreaterThanOrEqual(3);
		// "I don't know" is enough too
		expect(ids(firedRedFlags(pack, { rf_adult: 'unknown' }))).toEqual(['adult_involved']);
	});

	it('sextortion by an adult posing as a teen → adult and sextortion flags', () => {
		const e = evaluate(pack, { ...noRedFlags, rf_adult: 'unknown', rf_coercion: 'yes', ...intake, shared_beyond: 'no' });
		expect(ids(e.redFlags)).toEqual(['adult_involved', 'coercion_sextortion']);
	});

	it('red flags also fire from later answers (threats, age, who took the image, adult recipients)', () => {
		expect(ids(firedRedFlags(pack, { ...noRedFlags, threats: 'yes' }))).toEqual(['coercion_sextortion']);
		expect(ids(firedRedFlags(pack, { ...noRedFlags, shared_beyond: 'yes', intent: ['obtain_something'] }))).toEqual(['coercion_sextortion']);
		expect(ids(firedRedFlags(pack, { ...noRedFlags, age_depicted: 12 }))).toEqual(['child_under_13']);
		expect(ids(firedRedFlags(pack, { ...noRedFlags, age_depicted: 13 }))).toEqual([]);
		expect(ids(firedRedFlags(pack, { ...noRedFlags, origin: 'taken_without_consent' }))).toEqual(['taken_without_knowledge']);
		expect(ids(firedRedFlags(pack, { ...noRedFlags, shared_beyond: 'yes', recipients: ['friends', 'adults'] }))).toEqual(['adult_involved']);
		// recipients is hidden when the image was not shared further: a stale answer does not count
		expect(ids(firedRedFlags(pack, { ...noRedFlags, shared_beyond: 'no', recipients: ['adults'] }))).toEqual([]);
	});

	it('self-harm risk and a DPJ situation: 911 comes before the DPJ report', () => {
		const e = evaluate(pack, { ...noRedFlags, rf_sexual_abuse: 'yes', rf_self_harm: 'yes' });
		expect(ids(e.redFlags)).toEqual(['self_harm_risk', 'sexual_abuse_dpj']);
		expect(e.actions).toEqual(['call_911', 'report_dpj']);
	});

	it('impulsive signs with an age gap or unknown consent → unclear', () => {
		const base: Answers = { shared_beyond: 'no', origin: 'self', context: 'relationship', relationship: 'couple', consent_initial: 'yes' };
		expect(suggestOrientation(pack, { ...base, age_gap: 'similar' }).orientation).toBe('likely_impulsive');
		expect(suggestOrientation(pack, { ...base, age_gap: 'notable' }).orientation).toBe('unclear');
		expect(suggestOrientation(pack, { ...base, age_gap: 'similar', consent_initial: 'unknown' }).orientation).toBe('unclear');
	});
});

/** Answers questions in the engine's order from `answers`, with `script` answers (others: "no"). */
function answerUntil(script: Answers, start: Answers, done: (a: Answers) => boolean): { count: number; asked: string[] } {
	const answers: Record<string, AnswerValue> = { ...start };
	const asked: string[] = [];
	while (!done(answers)) {
		const q = nextQuestion(pack, answers);
		if (!q) throw new Error(`never reached; asked ${asked.join(', ')}`);
		asked.push(q.id);
		const value = script[q.id] ?? (q.type === 'yes_no' ? 'no' : undefined);
		if (value === undefined) throw new Error(`no scripted answer for ${q.id}`);
		answers[q.id] = value;
	}
	return { count: asked.length, asked };
}

describe('interactions to the call instruction (engine order, counted in answers)', () => {
	it('an adult involved: red flag fired after ≤ 5 answers from the start of the red-flags step', () => {
		const { count, asked } = answerUntil({ rf_adult: 'yes' }, {}, (a) => firedRedFlags(pack, a).length > 0);
		expect(asked[0]).toBe('rf_immediate_danger');
		expect(count).toBeLessThanOrEqual(5);
		expect(count).toBe(3);
	});
	it('sextortion: red flag fired after ≤ 5 answers', () => {
		expect(answerUntil({ rf_coercion: 'yes' }, {}, (a) => firedRedFlags(pack, a).length > 0).count).toBe(4);
	});
	it('every red-flag question: its flag fires as soon as it is answered (count = its position)', () => {
		redFlagQuestions.forEach((q, i) => {
			expect(answerUntil({ [q.id]: 'yes' }, {}, (a) => firedRedFlags(pack, a).length > 0).count).toBe(i + 1);
		});
		expect(redFlagQuestions).toHaveLength(9);
	});
	it('malicious group chat: "stop, call the police" after 2 answers of the first questionnaire step', () => {
		const start = { ...noRedFlags, ...intake };
		const script: Answers = { shared_beyond: 'yes', consent_onward: 'no', recipients: ['class_group'], recipient_count: 28 };
		const { count, asked } = answerUntil(script, start, (a) => suggestOrientation(pack, a).stopInterviewing);
		expect(asked).toEqual(['shared_beyond', 'consent_onward']);
		expect(count).toBe(2);
		expect(nextQuestion(pack, start)?.step).toBe('sharing');
	});
});
