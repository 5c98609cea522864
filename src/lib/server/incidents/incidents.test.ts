/**
 * The pure parts of the incident services (no database): vocabulary ↔ catalogs, the intake contract of
 * packs, case rules (reference, ages, clocks, overdue), input checks and small helpers.
 */
import { describe, expect, it } from 'vitest';
import { catalogs, isMessageKey } from '../../i18n';
import { CUSTODY_EVENTS, DECISIONS, DEVICE_STATES, FOLLOWUP_KINDS, INCIDENT_STATUSES, STUDENT_ROLES } from '../db/schema';
import { ORIENTATIONS, type ProtocolPack } from '../../domain/protocol/schema';
import { ALL_FOLLOWUP_STATUSES, CLOSURE_REASONS, FOLLOWUP_STATUSES, PARENT_OUTCOMES } from '../../domain/incidents/vocabulary';
import { ageOn, caseClocks, caseReference, isDecisionOverdue } from '../../domain/incidents/case';
import { findQuestion, type AnswerErrorCode } from '../../domain/protocol/engine';
import { packRegistry } from '../protocol/packs';
import { intakeColumns, intakeStepOf, IntakeShapeError, INTAKE_QUESTIONS } from './intake';
import { mentionsAny, nextDeviceRef } from './custody';
import { handoffEmail } from './handoff';
import { displayValue } from './handoff-packet';
import { answerErrors } from './answers';
import { Check } from './validate';

const ANSWER_ERRORS: AnswerErrorCode[] = ['unknown_question', 'required', 'not_an_option', 'out_of_range', 'too_long', 'invalid_datetime', 'invalid_number', 'invalid_text'];

describe('every code the services return or store has a label in both catalogs', () => {
	const vocabularies: [string, readonly string[]][] = [
		['kit.student_role', STUDENT_ROLES],
		['kit.custody_event', CUSTODY_EVENTS],
		['kit.device_state', DEVICE_STATES],
		['kit.decision', DECISIONS],
		['kit.followup', FOLLOWUP_KINDS],
		['kit.followup_status', ALL_FOLLOWUP_STATUSES],
		['kit.closure_reason', CLOSURE_REASONS],
		['kit.status', INCIDENT_STATUSES],
		['kit.orientation', ORIENTATIONS],
		['kit.parent_outcome', PARENT_OUTCOMES],
		['kit.answer_error', ANSWER_ERRORS],
		['kit.error', ['not_found', 'closed', 'conflict', 'invalid', 'not_covered']]
	];
	it.each(vocabularies)('%s.*', (prefix, values) => {
		const missing = values.map((v) => `${prefix}.${v}`).filter((k) => !isMessageKey(k) || !(catalogs.en as Record<string, string>)[k]);
		expect(missing).toEqual([]);
	});

	it('follow-up statuses are defined for exactly the follow-up kinds of the schema', () => {
		expect(Object.keys(FOLLOWUP_STATUSES).sort()).toEqual([...FOLLOWUP_KINDS].sort());
	});

	it('answer errors map to their message keys', () => {
		expect(answerErrors({ q1: 'required', q2: 'not_an_option' })).toEqual({ q1: { key: 'kit.answer_error.required' }, q2: { key: 'kit.answer_error.not_an_option' } });
	});
});

describe('intake contract of packs', () => {
	const pack = packRegistry().defaultPack();

	it('the default pack holds the four intake questions the case copies', () => {
		expect(intakeStepOf(pack).id).toBe('intake');
		for (const { id, type } of Object.values(INTAKE_QUESTIONS)) expect(findQuestion(pack, id)?.type).toBe(type);
	});

	it('a pack without them cannot open cases, and says why', () => {
		const without = { ...pack, questions: pack.questions.filter((q) => q.id !== 'intake_channel') } as ProtocolPack;
		expect(() => intakeStepOf(without)).toThrow(IntakeShapeError);
		expect(() => intakeStepOf(without)).toThrow(/intake_channel/);
		const wrongType = { ...pack, questions: pack.questions.map((q) => (q.id === 'intake_summary' ? { ...q, type: 'number' } : q)) } as ProtocolPack;
		expect(() => intakeStepOf(wrongType)).toThrow(/must be of type short_text/);
		const noStep = { ...pack, steps: pack.steps.filter((s) => s.kind !== 'intake') } as ProtocolPack;
		expect(() => intakeStepOf(noStep)).toThrow(/no step of kind "intake"/);
	});

	it('copies the validated answers', () => {
		expect(intakeColumns({ intake_learned_at: '2026-03-02T13:05:00.000Z', intake_reported_by: 'parent', intake_channel: 'phone', intake_summary: 'Résumé', other: 'x' })).toEqual({
			t0: '2026-03-02T13:05:00.000Z',
			reporter_kind: 'parent',
			report_channel: 'phone',
			summary: 'Résumé'
		});
		expect(() => intakeColumns({})).toThrow();
	});
});

describe('case rules', () => {
	it('reference: year of opening and the first hex digits of the id', () => {
		expect(caseReference('7f3a9c12-0000-4000-8000-000000000000', '2026-03-02T14:00:00.000Z')).toBe('SX-2026-7F3A');
	});

	it('age on the Québec calendar day, birthdays included', () => {
		expect(ageOn('2010-09-15', new Date('2026-09-15T12:00:00Z'))).toBe(16);
		expect(ageOn('2010-09-15', new Date('2026-09-14T12:00:00Z'))).toBe(15);
		// 02:00 UTC on the 15th is still the 14th in Québec
		expect(ageOn('2010-09-15', new Date('2026-09-15T02:00:00Z'))).toBe(15);
		expect(ageOn('2010-02-30', new Date('2026-09-15T02:00:00Z'))).toBe(16);
		expect(ageOn('not a date', new Date())).toBeNull();
		expect(ageOn('2030-01-01', new Date('2026-01-01T12:00:00Z'))).toBeNull();
	});

	it('clocks: T0 → police call, hand-off → first decision, T0 → closure (null until reached)', () => {
		expect(caseClocks({ t0: '2026-03-02T13:00:00Z', policeCalledAt: '2026-03-02T13:25:00Z', handedOffAt: '2026-03-02T13:30:00Z', firstDecisionAt: null, closedAt: null })).toEqual({
			t0ToPoliceCall: 25 * 60_000,
			handoffToDecision: null,
			t0ToClosure: null
		});
		expect(caseClocks({ t0: '2026-03-02T13:00:00Z', policeCalledAt: null, handedOffAt: null, firstDecisionAt: null, closedAt: '2026-03-03T13:00:00Z' }).t0ToClosure).toBe(86_400_000);
	});

	it('overdue: handed off more than 24 h ago, no decision, not closed', () => {
		const handedOffAt = '2026-03-02T13:00:00.000Z';
		const later = (h: number) => new Date(Date.parse(handedOffAt) + h * 3_600_000);
		expect(isDecisionOverdue({ handedOffAt, decision: null, closedAt: null }, later(24))).toBe(false);
		expect(isDecisionOverdue({ handedOffAt, decision: null, closedAt: null }, later(24.1))).toBe(true);
		expect(isDecisionOverdue({ handedOffAt, decision: 'impulsive', closedAt: null }, later(48))).toBe(false);
		expect(isDecisionOverdue({ handedOffAt, decision: null, closedAt: later(30).toISOString() }, later(48))).toBe(false);
		expect(isDecisionOverdue({ handedOffAt: null, decision: null, closedAt: null }, later(48))).toBe(false);
	});
});

describe('input checks', () => {
	const now = new Date('2026-03-02T14:00:00.000Z');

	it('instants: ISO or Québec wall-clock, never in the future (5 min of clock skew allowed), not before a bound', () => {
		const c = new Check(now);
		expect(c.instant('a', '2026-03-02T09:00')).toBe('2026-03-02T14:00:00.000Z');
		expect(c.instant('b', '2026-03-02T14:04:00Z')).toBe('2026-03-02T14:04:00.000Z');
		expect(c.instant('c', '2026-03-02T14:06:00Z')).toBeNull();
		expect(c.instant('d', '2026-03-02T12:00:00Z', { notBefore: '2026-03-02T13:00:00Z' })).toBeNull();
		expect(c.instant('e', 'hier')).toBeNull();
		expect(c.errors).toEqual({ c: { key: 'kit.error.future' }, d: { key: 'kit.error.before_t0' }, e: { key: 'kit.error.invalid_datetime' } });
	});

	it('days, integers, texts and booleans', () => {
		const c = new Check(now);
		expect(c.day('a', '2026-03-02')).toBe('2026-03-02');
		expect(c.day('b', '2026-03-03')).toBeNull();
		expect(c.day('c', '2026-02-30')).toBeNull();
		expect(c.integer('d', ' 12 ', { min: 0, max: 20 })).toBe(12);
		expect(c.integer('e', '1.5', { min: 0, max: 20 })).toBeNull();
		expect(c.text('f', '  a\r\nb ', { max: 5 })).toBe('a\nb');
		expect(c.text('g', 'a\u0000b', { max: 5 })).toBeNull();
		expect(c.text('h', 'ééééé é', { max: 5 })).toBeNull();
		expect(c.boolean('i', 'yes')).toBe(true);
		expect(c.boolean('j', 'peut-être')).toBeNull();
		expect(c.text('k', '', { max: 5, required: true })).toBeNull();
		expect(c.errors).toEqual({
			b: { key: 'kit.error.future' },
			c: { key: 'kit.error.invalid_date' },
			e: { key: 'kit.error.invalid_number' },
			g: { key: 'kit.error.invalid_text' },
			h: { key: 'form.error.too_long', params: { max: 5 } },
			j: { key: 'form.error.invalid' },
			k: { key: 'form.error.required' }
		});
	});
});

describe('helpers', () => {
	it('device references: D1, D2… after the highest', () => {
		expect(nextDeviceRef([])).toBe('D1');
		expect(nextDeviceRef(['D1', 'D3', 'X7'])).toBe('D4');
	});

	it('spots a student’s full name in a free-text field (case, accents, punctuation folded), as whole words', () => {
		const names = ['Léa Bouchard', 'Jean-Éric Côté'];
		expect(mentionsAny('téléphone de LEA   bouchard', names)).toBe(true);
		expect(mentionsAny('cell. de jean eric cote (sec. 3)', names)).toBe(true);
		expect(mentionsAny('Bouchardière', names)).toBe(false);
		expect(mentionsAny('Léa', names)).toBe(false);
		expect(mentionsAny('anything', [])).toBe(false);
	});

	it('the hand-off email is a link and nothing about the case', () => {
		const fr = handoffEmail('fr', 'https://sexto.example/incidents/abc');
		expect(fr.subject).toBe('Sexto — un dossier a été remis à votre service');
		expect(fr.text).toContain('https://sexto.example/incidents/abc');
		expect(handoffEmail('en', 'L').text).toContain('contains no information about the case');
	});

	it('answers in words, in both languages', () => {
		const pack = packRegistry().defaultPack();
		const q = (id: string) => findQuestion(pack, id)!;
		expect(displayValue(q('rf_adult'), 'unknown')).toEqual({ fr: catalogs.fr['kit.answer.unknown'], en: catalogs.en['kit.answer.unknown'] });
		expect(displayValue(q('platform'), ['snapchat', 'discord']).fr).toMatch(/Snapchat, Discord/);
		const count = displayValue(q('recipient_count'), 1250);
		expect(count.fr).toMatch(/^1\s250$/u); // French groups with a (narrow) no-break space
		expect(count.en).toBe('1,250');
		expect(displayValue(q('intake_learned_at'), '2026-03-02T13:05:00.000Z').fr).toMatch(/8 h 05|08 h 05/);
	});
});
