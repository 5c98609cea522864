import { describe, expect, it } from 'vitest';
import { addMonths, RENEWAL_WINDOW_DAYS, renewalDue, revocationCategory, validUntilFrom, verificationStatus, type StatusFacts } from './status';

const DAY = 86_400_000;
const base: StatusFacts = { status: 'awarded', pending_reason: null, awarded_at: '2026-01-31T15:00:00.000Z', revoked_at: null, revocation_reason: null, credential: null };
const now = new Date('2026-06-01T00:00:00.000Z');

describe('verification status: one rule for the proof page and the credential service', () => {
	it('valid, with or without a validity period, before any credential is issued (period from the award date)', () => {
		expect(verificationStatus(base, null, now)).toEqual({ kind: 'valid', validUntil: null });
		expect(verificationStatus(base, 12, now)).toEqual({ kind: 'valid', validUntil: '2027-01-31T15:00:00.000Z' });
	});

	it('expired once the period has passed, at the very instant it ends', () => {
		expect(verificationStatus(base, 3, now)).toEqual({ kind: 'expired', validUntil: '2026-04-30T15:00:00.000Z' });
		const end = new Date('2026-04-30T15:00:00.000Z');
		expect(verificationStatus(base, 3, new Date(end.getTime() - 1)).kind).toBe('valid');
		expect(verificationStatus(base, 3, end).kind).toBe('expired');
	});

	it('follows the current credential once there is one: a renewed credential is not expired', () => {
		// Award date + 3 months is long past, but the credential renewed in May runs until next May.
		const renewed = { ...base, credential: { validUntil: '2027-05-15T12:00:00.000Z' } };
		expect(verificationStatus(renewed, 3, now)).toEqual({ kind: 'valid', validUntil: '2027-05-15T12:00:00.000Z' });
		// and an expired current credential is expired whatever the award date says
		const lapsed = { ...base, awarded_at: '2026-05-01T00:00:00.000Z', credential: { validUntil: '2026-05-20T00:00:00.000Z' } };
		expect(verificationStatus(lapsed, 36, now)).toEqual({ kind: 'expired', validUntil: '2026-05-20T00:00:00.000Z' });
		// a credential without validUntil never expires
		expect(verificationStatus({ ...base, credential: { validUntil: null } }, 3, now)).toEqual({ kind: 'valid', validUntil: null });
	});

	it('pending coverage, with its reason (over expiry)', () => {
		expect(verificationStatus({ ...base, status: 'pending_coverage', pending_reason: 'school_not_covered' }, 1, now)).toEqual({ kind: 'pending', reason: 'school_not_covered' });
	});

	it('revoked wins over expiry and pending, with a reason category (never free text)', () => {
		const revoked: StatusFacts = { ...base, status: 'revoked', revoked_at: '2026-05-01T12:00:00.000Z', revocation_reason: 'conduct', credential: { validUntil: '2026-02-01T00:00:00.000Z' } };
		expect(verificationStatus(revoked, 1, now)).toEqual({ kind: 'revoked', category: 'conduct', at: '2026-05-01T12:00:00.000Z' });
		// revoked_at alone is enough, even on a pending award
		expect(verificationStatus({ ...base, status: 'pending_coverage', revoked_at: '2026-05-02T00:00:00.000Z', revocation_reason: 'evidence_invalid' }, null, now)).toMatchObject({ kind: 'revoked', category: 'evidence_invalid' });
		expect(revocationCategory('issued_in_error: wrong person')).toBe('issued_in_error');
		expect(revocationCategory('plagiarism found by the evaluator')).toBe('other');
		expect(revocationCategory(null)).toBe('other');
		expect(revocationCategory('holder_request')).toBe('holder_request');
	});

	it('validity periods add calendar months, clamping to the end of shorter months', () => {
		expect(validUntilFrom('2026-01-31T10:00:00.000Z', 1)).toBe('2026-02-28T10:00:00.000Z');
		expect(validUntilFrom('2026-11-15T10:00:00.000Z', 3)).toBe('2027-02-15T10:00:00.000Z');
		expect(validUntilFrom('2026-11-15T10:00:00.000Z', null)).toBeNull();
		expect(addMonths(new Date('2028-01-31T00:00:00.000Z'), 1).toISOString()).toBe('2028-02-29T00:00:00.000Z');
	});
});

describe('renewal is due', () => {
	const valid = (daysLeft: number) => ({ kind: 'valid' as const, validUntil: new Date(now.getTime() + daysLeft * DAY).toISOString() });

	it('once expired, and within the window before the end; not earlier', () => {
		expect(renewalDue({ kind: 'expired', validUntil: '2026-05-01T00:00:00.000Z' }, now)).toBe(true);
		expect(renewalDue(valid(RENEWAL_WINDOW_DAYS), now)).toBe(true);
		expect(renewalDue(valid(1), now)).toBe(true);
		expect(renewalDue(valid(RENEWAL_WINDOW_DAYS + 1), now)).toBe(false);
	});

	it('never for a badge that does not expire, a revoked one or one pending coverage', () => {
		expect(renewalDue({ kind: 'valid', validUntil: null }, now)).toBe(false);
		expect(renewalDue({ kind: 'revoked', category: 'other', at: '2026-05-01T00:00:00.000Z' }, now)).toBe(false);
		expect(renewalDue({ kind: 'pending', reason: null }, now)).toBe(false);
	});
});
