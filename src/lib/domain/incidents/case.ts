/**
 * Small pure rules of a case file: its human reference, ages, clocks and the overdue alert. No I/O, no
 * clock of its own (callers pass `now`).
 */
import { quebecDay } from '../coverage/coverage';
import { DECISION_OVERDUE_MS } from './vocabulary';

/** Short reference shown on every screen and page of the packet, e.g. "SX-2026-7F3A" (display only, not a key). */
export function caseReference(id: string, createdAt: string): string {
	return `SX-${createdAt.slice(0, 4)}-${id.replace(/-/g, '').slice(0, 4).toUpperCase()}`;
}

/** Age in whole years on the Québec calendar day of `at`, for a date of birth "YYYY-MM-DD". Null when unreadable. */
export function ageOn(dateOfBirth: string, at: Date): number | null {
	const birth = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth);
	const today = /^(\d{4})-(\d{2})-(\d{2})$/.exec(quebecDay(at));
	if (!birth || !today) return null;
	const [by, bm, bd] = birth.slice(1).map(Number) as [number, number, number];
	const [ty, tm, td] = today.slice(1).map(Number) as [number, number, number];
	const age = ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
	return age >= 0 ? age : null;
}

export interface ClockInput {
	t0: string;
	policeCalledAt: string | null;
	handedOffAt: string | null;
	/** when the first DPCP decision was entered (corrections do not restart the clock) */
	firstDecisionAt: string | null;
	closedAt: string | null;
}

export interface CaseClocks {
	/** when the school learned → first police call, in ms (null until the call) */
	t0ToPoliceCall: number | null;
	/** hand-off → first decision entered, in ms */
	handoffToDecision: number | null;
	/** when the school learned → closure, in ms */
	t0ToClosure: number | null;
}

const span = (from: string | null, to: string | null): number | null => (from && to ? Math.max(0, Date.parse(to) - Date.parse(from)) : null);

/** The three clocks shown on a case (PRODUCT.md §3.9). */
export function caseClocks(c: ClockInput): CaseClocks {
	return {
		t0ToPoliceCall: span(c.t0, c.policeCalledAt),
		handoffToDecision: span(c.handedOffAt, c.firstDecisionAt),
		t0ToClosure: span(c.t0, c.closedAt)
	};
}

/** Handed off more than 24 h ago, still open and without a decision: police and principal see an alert. */
export function isDecisionOverdue(c: { handedOffAt: string | null; decision: string | null; closedAt: string | null }, now: Date): boolean {
	return !!c.handedOffAt && !c.decision && !c.closedAt && now.getTime() - Date.parse(c.handedOffAt) > DECISION_OVERDUE_MS;
}
