/**
 * Coverage rules (PRODUCT.md §2): a school is covered on a date when the police service serving it has
 * an agreement with the DPCP whose status is "active" and whose period [effective_from, effective_to)
 * contains that date. Pure: dates are calendar days "YYYY-MM-DD" in Québec time; no I/O.
 */

export type AgreementStatus = 'draft' | 'active' | 'suspended' | 'ended';

export interface AgreementPeriod {
	id: string;
	status: AgreementStatus;
	/** first covered day, inclusive */
	effectiveFrom: string;
	/** first day no longer covered (exclusive); null = open-ended */
	effectiveTo: string | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isCalendarDay(value: string): boolean {
	if (!DAY.test(value)) return false;
	const d = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

// Built once: constructing a DateTimeFormat with a time zone costs ~0.1–0.3 ms, formatting a few µs (docs/BENCHMARKS.md).
let quebecDayFormat: Intl.DateTimeFormat | undefined;

/** Today's calendar day in Québec, whatever the server's time zone. */
export function quebecDay(at: Date): string {
	// en-CA formats as YYYY-MM-DD.
	quebecDayFormat ??= new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Montreal', year: 'numeric', month: '2-digit', day: '2-digit' });
	return quebecDayFormat.format(at);
}

export function periodContains(a: Pick<AgreementPeriod, 'effectiveFrom' | 'effectiveTo'>, day: string): boolean {
	return a.effectiveFrom <= day && (a.effectiveTo === null || day < a.effectiveTo);
}

/** The active agreement in force on `day`, if any (at most one: overlaps are refused on save). */
export function agreementInForce<A extends AgreementPeriod>(agreements: readonly A[], day: string): A | null {
	return agreements.find((a) => a.status === 'active' && periodContains(a, day)) ?? null;
}

export function isCovered(agreements: readonly AgreementPeriod[], day: string): boolean {
	return agreementInForce(agreements, day) !== null;
}

/** Two periods overlap when each starts before the other ends (end exclusive; null = forever). */
export function periodsOverlap(
	a: Pick<AgreementPeriod, 'effectiveFrom' | 'effectiveTo'>,
	b: Pick<AgreementPeriod, 'effectiveFrom' | 'effectiveTo'>
): boolean {
	const aEndsAfterBStarts = a.effectiveTo === null || b.effectiveFrom < a.effectiveTo;
	const bEndsAfterAStarts = b.effectiveTo === null || a.effectiveFrom < b.effectiveTo;
	return aEndsAfterBStarts && bEndsAfterAStarts;
}

export type AgreementProblem =
	| { field: 'effectiveFrom' | 'effectiveTo' | 'signedOn'; code: 'invalid_date' }
	| { field: 'effectiveTo'; code: 'ends_before_start' }
	| { field: 'status'; code: 'overlaps_active'; otherId: string };

/**
 * Checks one agreement against the others of the same police service. Only active agreements may not
 * overlap (a draft may be prepared for a period an active one still covers).
 */
export function checkAgreement(
	candidate: AgreementPeriod & { signedOn: string | null },
	others: readonly AgreementPeriod[]
): AgreementProblem[] {
	const problems: AgreementProblem[] = [];
	if (!isCalendarDay(candidate.effectiveFrom)) problems.push({ field: 'effectiveFrom', code: 'invalid_date' });
	if (candidate.effectiveTo !== null && !isCalendarDay(candidate.effectiveTo)) problems.push({ field: 'effectiveTo', code: 'invalid_date' });
	if (candidate.signedOn !== null && !isCalendarDay(candidate.signedOn)) problems.push({ field: 'signedOn', code: 'invalid_date' });
	if (problems.length) return problems;
	if (candidate.effectiveTo !== null && candidate.effectiveTo <= candidate.effectiveFrom) {
		problems.push({ field: 'effectiveTo', code: 'ends_before_start' });
		return problems;
	}
	if (candidate.status === 'active') {
		const clash = others.find((o) => o.id !== candidate.id && o.status === 'active' && periodsOverlap(o, candidate));
		if (clash) problems.push({ field: 'status', code: 'overlaps_active', otherId: clash.id });
	}
	return problems;
}
