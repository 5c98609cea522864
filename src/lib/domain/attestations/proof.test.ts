import { describe, expect, it } from 'vitest';
import {
	addMonths,
	formatEarnedAt,
	linkedInAddUrl,
	montrealYearMonth,
	parseEvidence,
	parseHiddenKeys,
	revocationCategory,
	shownAnswers,
	statusOfAward,
	type AwardStatusFacts
} from './proof';

describe('LinkedIn "add a certification" address', () => {
	const cert = {
		name: 'Sexto 1 – Explorateur',
		organizationName: 'Sexto – formation au protocole SEXTO',
		issuedAt: '2026-03-02T14:00:00.000Z',
		certUrl: 'https://sexto.example/attestations/0b9f5c1e-3d2a-4c4b-9e1f-2a3b4c5d6e7f',
		certId: '0b9f5c1e-3d2a-4c4b-9e1f-2a3b4c5d6e7f'
	};

	it('names every parameter LinkedIn expects, in order, each value percent-encoded', () => {
		const url = linkedInAddUrl(cert);
		expect(url).toBe(
			'https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME' +
				'&name=Sexto%201%20%E2%80%93%20Explorateur' +
				'&organizationName=Sexto%20%E2%80%93%20formation%20au%20protocole%20SEXTO' +
				'&issueYear=2026&issueMonth=3' +
				'&certUrl=https%3A%2F%2Fsexto.example%2Fattestations%2F0b9f5c1e-3d2a-4c4b-9e1f-2a3b4c5d6e7f' +
				'&certId=0b9f5c1e-3d2a-4c4b-9e1f-2a3b4c5d6e7f'
		);
	});

	it('round-trips through URLSearchParams: the values come back exactly', () => {
		const tricky = { ...cert, name: 'A & B = C #1 ? é', organizationName: "L'École + 50 %" };
		const params = new URL(linkedInAddUrl(tricky)).searchParams;
		expect(params.get('startTask')).toBe('CERTIFICATION_NAME');
		expect(params.get('name')).toBe(tricky.name);
		expect(params.get('organizationName')).toBe(tricky.organizationName);
		expect(params.get('certUrl')).toBe(cert.certUrl);
		expect(params.get('certId')).toBe(cert.certId);
		expect([...params.keys()]).toEqual(['startTask', 'name', 'organizationName', 'issueYear', 'issueMonth', 'certUrl', 'certId']);
		expect(linkedInAddUrl(tricky)).not.toMatch(/[ #]/);
	});

	it('takes the issue year and month in Montréal time, not UTC', () => {
		// 2027-01-01 03:00 UTC is still 31 December 2026 in Montréal (UTC−5)
		expect(montrealYearMonth('2027-01-01T03:00:00.000Z')).toEqual({ year: 2026, month: 12 });
		const params = new URL(linkedInAddUrl({ ...cert, issuedAt: '2027-01-01T03:00:00.000Z' })).searchParams;
		expect([params.get('issueYear'), params.get('issueMonth')]).toEqual(['2026', '12']);
	});
});

describe('evidence and hidden answers', () => {
	const json = JSON.stringify([
		{ key: 'q1', question: { fr: 'Q1 ?', en: 'Q1?' }, answer: 'A1' },
		{ key: 'q2', question: { fr: 'Q2 ?', en: 'Q2?' }, answer: 'A2' },
		{ key: 'q3', question: { fr: 'Q3 ?', en: 'Q3?' }, answer: 'A3' }
	]);

	it('reads the frozen evidence in order and drops hidden answers only', () => {
		const items = parseEvidence(json);
		expect(items.map((i) => i.key)).toEqual(['q1', 'q2', 'q3']);
		expect(shownAnswers(items, ['q2']).map((i) => i.answer)).toEqual(['A1', 'A3']);
		expect(shownAnswers(items, []).length).toBe(3);
		expect(shownAnswers(items, ['q1', 'q2', 'q3'])).toEqual([]);
	});

	it('gives no questions for malformed or non-Explorateur evidence instead of failing', () => {
		expect(parseEvidence('not json')).toEqual([]);
		expect(parseEvidence('{"attempts":[1,2,3]}')).toEqual([]);
		expect(parseEvidence('[{"key":"q1","answer":"x"}, {"key":"q2","question":{"fr":"a","en":"b"},"answer":"ok"}]')).toEqual([
			{ key: 'q2', question: { fr: 'a', en: 'b' }, answer: 'ok' }
		]);
	});

	it('reads the hidden keys defensively', () => {
		expect(parseHiddenKeys('["q1", 2, "q3"]')).toEqual(['q1', 'q3']);
		expect(parseHiddenKeys('{')).toEqual([]);
		expect(parseHiddenKeys(null)).toEqual([]);
	});
});

describe('verification status', () => {
	const base: AwardStatusFacts = { status: 'awarded', pending_reason: null, awarded_at: '2026-01-31T15:00:00.000Z', revoked_at: null, revocation_reason: null };
	const now = new Date('2026-06-01T00:00:00.000Z');

	it('valid, with or without a validity period', () => {
		expect(statusOfAward(base, null, now)).toEqual({ kind: 'valid', validUntil: null });
		expect(statusOfAward(base, 12, now)).toEqual({ kind: 'valid', validUntil: '2027-01-31T15:00:00.000Z' });
	});

	it('expired once the validity period has passed', () => {
		expect(statusOfAward(base, 3, now)).toEqual({ kind: 'expired', validUntil: '2026-04-30T15:00:00.000Z' });
	});

	it('pending coverage, with its reason', () => {
		expect(statusOfAward({ ...base, status: 'pending_coverage', pending_reason: 'school_not_covered' }, null, now)).toEqual({ kind: 'pending', reason: 'school_not_covered' });
	});

	it('revoked wins over expiry and pending, with a reason category (never the free text)', () => {
		const revoked = { ...base, status: 'revoked' as const, revoked_at: '2026-05-01T12:00:00.000Z', revocation_reason: 'issued_in_error: wrong person' };
		expect(statusOfAward(revoked, 1, now)).toEqual({ kind: 'revoked', category: 'issued_in_error', at: '2026-05-01T12:00:00.000Z' });
		expect(revocationCategory('plagiarism found by the evaluator')).toBe('other');
		expect(revocationCategory(null)).toBe('other');
		expect(revocationCategory('holder_request')).toBe('holder_request');
	});

	it('adds calendar months, clamping to the end of shorter months', () => {
		expect(addMonths('2026-01-31T10:00:00.000Z', 1)).toBe('2026-02-28T10:00:00.000Z');
		expect(addMonths('2026-11-15T10:00:00.000Z', 3)).toBe('2027-02-15T10:00:00.000Z');
	});
});

describe('date earned', () => {
	it('is shown with its time, in Montréal time', () => {
		expect(formatEarnedAt('2026-03-02T14:05:00.000Z', 'fr')).toBe('2 mars 2026 à 09 h 05');
		expect(formatEarnedAt('2026-03-02T14:05:00.000Z', 'en')).toBe('March 2, 2026 at 9:05 a.m.');
	});
});
