import { describe, expect, it } from 'vitest';
import { agreementInForce, checkAgreement, isCalendarDay, isCovered, periodsOverlap, quebecDay, type AgreementPeriod } from './coverage';

const active = (from: string, to: string | null, id = 'a1'): AgreementPeriod => ({ id, status: 'active', effectiveFrom: from, effectiveTo: to });

describe('isCovered on boundary dates', () => {
	const agreements = [active('2024-09-01', '2025-09-01')];
	it('covers the first day (inclusive)', () => expect(isCovered(agreements, '2024-09-01')).toBe(true));
	it('does not cover the day before', () => expect(isCovered(agreements, '2024-08-31')).toBe(false));
	it('covers the last day before the end', () => expect(isCovered(agreements, '2025-08-31')).toBe(true));
	it('does not cover the end day (exclusive)', () => expect(isCovered(agreements, '2025-09-01')).toBe(false));
	it('open-ended agreements cover any later day', () => expect(isCovered([active('2016-11-01', null)], '2099-01-01')).toBe(true));
	it('no agreement, no coverage', () => expect(isCovered([], '2025-01-01')).toBe(false));
	it.each(['draft', 'suspended', 'ended'] as const)('a %s agreement never covers', (status) => {
		expect(isCovered([{ ...active('2020-01-01', null), status }], '2025-01-01')).toBe(false);
	});
	it('finds the agreement in force among several', () => {
		const list = [{ ...active('2020-01-01', '2022-01-01', 'old'), status: 'ended' as const }, active('2022-01-01', null, 'new')];
		expect(agreementInForce(list, '2023-05-05')?.id).toBe('new');
		expect(agreementInForce(list, '2021-05-05')).toBeNull();
	});
});

describe('quebecDay', () => {
	it('uses Québec time, not UTC', () => {
		// 03:30 UTC on 1 Sept is still 31 August in Montréal (UTC−4 in summer).
		expect(quebecDay(new Date('2025-09-01T03:30:00Z'))).toBe('2025-08-31');
		expect(quebecDay(new Date('2025-09-01T04:30:00Z'))).toBe('2025-09-01');
	});
});

describe('agreement validation', () => {
	it('accepts real calendar days only', () => {
		expect(isCalendarDay('2025-02-28')).toBe(true);
		expect(isCalendarDay('2025-02-30')).toBe(false);
		expect(isCalendarDay('25-02-01')).toBe(false);
	});
	it('refuses an end before (or equal to) the start', () => {
		expect(checkAgreement({ ...active('2025-09-01', '2025-08-01'), signedOn: null }, [])).toEqual([{ field: 'effectiveTo', code: 'ends_before_start' }]);
		expect(checkAgreement({ ...active('2025-09-01', '2025-09-01'), signedOn: null }, [])).toEqual([{ field: 'effectiveTo', code: 'ends_before_start' }]);
	});
	it('refuses two overlapping active agreements for one police service', () => {
		const existing = [active('2020-01-01', null, 'existing')];
		expect(checkAgreement({ ...active('2024-01-01', '2025-01-01', 'new'), signedOn: null }, existing)).toEqual([
			{ field: 'status', code: 'overlaps_active', otherId: 'existing' }
		]);
	});
	it('allows back-to-back active agreements and overlapping drafts', () => {
		const existing = [active('2020-01-01', '2024-01-01', 'existing')];
		expect(checkAgreement({ ...active('2024-01-01', null, 'next'), signedOn: '2023-12-01' }, existing)).toEqual([]);
		expect(checkAgreement({ ...active('2022-01-01', null, 'draft'), status: 'draft', signedOn: null }, existing)).toEqual([]);
	});
	it('periodsOverlap is symmetric and end-exclusive', () => {
		const a = { effectiveFrom: '2020-01-01', effectiveTo: '2021-01-01' };
		const b = { effectiveFrom: '2021-01-01', effectiveTo: null };
		expect(periodsOverlap(a, b)).toBe(false);
		expect(periodsOverlap(b, a)).toBe(false);
		expect(periodsOverlap({ effectiveFrom: '2020-06-01', effectiveTo: null }, a)).toBe(true);
	});
});
