import { describe, expect, it } from 'vitest';
import { formatEarnedAt, linkedInAddUrl, montrealYearMonth, parseEvidence, parseHiddenKeys, shownAnswers } from './proof';

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

describe('date earned', () => {
	it('is shown with its time, in Montréal time', () => {
		expect(formatEarnedAt('2026-03-02T14:05:00.000Z', 'fr')).toBe('2 mars 2026 à 09 h 05');
		expect(formatEarnedAt('2026-03-02T14:05:00.000Z', 'en')).toBe('March 2, 2026 at 9:05 a.m.');
	});
});
