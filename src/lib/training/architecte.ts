/**
 * Shapes of the Architecte progress shared by the server (server/training/architecte/views.ts builds them)
 * and the UI (components/training/ArchitecteProgress.svelte renders them). Types only: no data access.
 */
export type Localized = { fr: string; en: string };

export type CaseProgressStatus = 'not_started' | 'in_progress' | 'failed' | 'passed';

export interface CaseProgress {
	id: string;
	version: string;
	order: number;
	title: Localized;
	summary: Localized;
	status: CaseProgressStatus;
	attempts: number;
	/** best score of a finished attempt, or null */
	bestScore: number | null;
	maxScore: number;
	passScore: number;
	/** best score as a percentage of the maximum (0 when none) */
	percent: number;
}

export interface ArchitecteProgress {
	explorateur: 'awarded' | 'pending_coverage' | 'missing';
	/** may play: a live Explorateur award (awarded or pending coverage) */
	eligible: boolean;
	cases: CaseProgress[];
	passed: number;
	total: number;
	/** share of the cases passed, 0–100 */
	percent: number;
	award: { id: string; status: 'awarded' | 'pending_coverage' | 'revoked'; pendingReason: string | null; awardedAt: string; validatedAt: string | null } | null;
}

/** Where a case is played. */
export function casePath(caseId: string): string {
	return `/formation/architecte/${encodeURIComponent(caseId)}`;
}
