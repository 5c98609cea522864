/**
 * The one rule for the verification status of an award — what the proof page, the member profile, the holder's
 * list, the revocation form and the renewal service all show or check. Pure and unit-tested (status.test.ts).
 *
 *   revoked (with its reason category)  >  pending coverage  >  expired  >  valid
 *
 * Expiry follows the award's **current** credential (the latest, after renewals): its validUntil. Before a first
 * credential is issued (issuance is lazy), the validity period runs from the award date — exactly the validUntil
 * that first credential will carry (service.ts issues it with validFrom = the award date), so issuing it never
 * changes the verdict. A renewal issues a new credential whose period starts at the renewal.
 * The badge classes' periods are applied by server/attestations/badge-classes.ts#awardStatus (no JSON import
 * here: this module is also loaded by the e2e tooling).
 */

/** `from` + months, clamped to the last day of a shorter month (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(from: Date, months: number): Date {
	const d = new Date(from.getTime());
	const day = d.getUTCDate();
	d.setUTCDate(1);
	d.setUTCMonth(d.getUTCMonth() + months);
	const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
	d.setUTCDate(Math.min(day, last));
	return d;
}

/** Revocation reason categories (stored in training_awards.revocation_reason). The evaluator's free-text note is
 * stored apart (revocation_note) and never shown publicly; only the category is. */
export const REVOCATION_CATEGORIES = ['issued_in_error', 'evidence_invalid', 'conduct', 'holder_request', 'other'] as const;
export type RevocationCategory = (typeof REVOCATION_CATEGORIES)[number];

/** How long before its end a valid credential may be renewed by its holder (and the proof page offers it). */
export const RENEWAL_WINDOW_DAYS = 60;
const DAY_MS = 86_400_000;

export type VerificationStatus =
	| { kind: 'valid'; validUntil: string | null }
	| { kind: 'revoked'; category: RevocationCategory; at: string }
	| { kind: 'expired'; validUntil: string }
	| { kind: 'pending'; reason: string | null };

/** The award's facts the rule reads (columns of training_awards and of its current credentials row). */
export interface StatusFacts {
	status: 'awarded' | 'pending_coverage' | 'revoked';
	pending_reason: string | null;
	awarded_at: string;
	revoked_at: string | null;
	revocation_reason: string | null;
	/** the current (not superseded) credential, or null when none has been issued yet */
	credential: { validUntil: string | null } | null;
}

/**
 * A stored revocation reason as a category: a known category code, else "other". Older rows may carry
 * "code: free text"; only the code is kept, so no free text can reach a page.
 */
export function revocationCategory(reason: string | null | undefined): RevocationCategory {
	const code = (reason ?? '').split(':', 1)[0]!.trim();
	return (REVOCATION_CATEGORIES as readonly string[]).includes(code) ? (code as RevocationCategory) : 'other';
}

/** End of the validity period a credential starting at `from` gets (null: the badge class never expires). */
export function validUntilFrom(from: string | Date, validityMonths: number | null): string | null {
	return validityMonths ? addMonths(new Date(from), validityMonths).toISOString() : null;
}

export function verificationStatus(facts: StatusFacts, validityMonths: number | null, now: Date): VerificationStatus {
	if (facts.revoked_at || facts.status === 'revoked') {
		return { kind: 'revoked', category: revocationCategory(facts.revocation_reason), at: facts.revoked_at ?? facts.awarded_at };
	}
	if (facts.status === 'pending_coverage') return { kind: 'pending', reason: facts.pending_reason };
	const validUntil = facts.credential ? facts.credential.validUntil : validUntilFrom(facts.awarded_at, validityMonths);
	if (validUntil && now.getTime() >= Date.parse(validUntil)) return { kind: 'expired', validUntil };
	return { kind: 'valid', validUntil };
}

/** Renewal is due once expired, or while valid within RENEWAL_WINDOW_DAYS of its end. Never revoked or pending. */
export function renewalDue(status: VerificationStatus, now: Date): boolean {
	if (status.kind === 'expired') return true;
	if (status.kind !== 'valid' || !status.validUntil) return false;
	return Date.parse(status.validUntil) - now.getTime() <= RENEWAL_WINDOW_DAYS * DAY_MS;
}
