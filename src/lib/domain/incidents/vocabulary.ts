/**
 * Closed vocabularies of the case file that are not database enums (those live in server/db/schema.ts:
 * STUDENT_ROLES, CUSTODY_EVENTS, DEVICE_STATES, DECISIONS, FOLLOWUP_KINDS…). Pure data, shared by the
 * services (validation) and the screens (select options, labels `kit.*` in the catalogs).
 */
/**
 * Why a case was closed. A code, not free text: `incidents.closure_reason` is not encrypted, so it must never
 * hold words about people. Corrections and explanations after closure are (encrypted) addenda.
 */
export const CLOSURE_REASONS = [
	/** impulsive path: the extrajudicial measures were completed */
	'extrajudicial_completed',
	/** malicious path: the police investigation carries on outside the school */
	'police_investigation',
	/** after the checks, not an intimate-image situation covered by SEXTO */
	'not_sexto',
	/** the report turned out to be unfounded */
	'unfounded',
	'other'
] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];

/** The impulsive path's checklist (dates and who, never documents). */
export const CHECKLIST_KINDS = ['meeting_youth_parents', 'victim_met', 'deletion_confirmed', 'commitment_signed'] as const;
/** Victim support and takedown tracking (metadata only). */
export const SUPPORT_KINDS = ['support_cavac', 'support_cybertip', 'support_needhelpnow', 'support_take_it_down', 'support_court_order'] as const;

const CHECKLIST_STATUSES = ['planned', 'done', 'not_applicable'] as const;
const SUPPORT_STATUSES = ['referred', 'requested', 'in_progress', 'completed', 'refused', 'declined'] as const;
const INVESTIGATION_STATUSES = ['opened', 'in_progress', 'completed', 'suspended'] as const;

/**
 * The statuses each follow-up kind may take. Keyed by every FOLLOWUP_KINDS value of server/db/schema.ts
 * (the incident services assign this to `Record<FollowupKind, …>`, so a missing kind fails to compile).
 */
export const FOLLOWUP_STATUSES = {
	meeting_youth_parents: CHECKLIST_STATUSES,
	victim_met: CHECKLIST_STATUSES,
	deletion_confirmed: CHECKLIST_STATUSES,
	commitment_signed: CHECKLIST_STATUSES,
	investigation_status: INVESTIGATION_STATUSES,
	support_cavac: SUPPORT_STATUSES,
	support_cybertip: SUPPORT_STATUSES,
	support_needhelpnow: SUPPORT_STATUSES,
	support_take_it_down: SUPPORT_STATUSES,
	support_court_order: SUPPORT_STATUSES
} as const;

/** Every status of any kind (for the catalog check: each needs a `kit.followup_status.*` label). */
export const ALL_FOLLOWUP_STATUSES = [...new Set([...CHECKLIST_STATUSES, ...SUPPORT_STATUSES, ...INVESTIGATION_STATUSES])];

/** Statuses that say "it happened": they need the day it happened. */
export const FOLLOWUP_DONE_STATUSES: readonly string[] = ['done', 'completed'];

export function isChecklistKind(kind: string): boolean {
	return (CHECKLIST_KINDS as readonly string[]).includes(kind);
}

/** Parent notification (Education Act): told, or not told with a documented reason. */
export const PARENT_OUTCOMES = ['notified', 'not_notified'] as const;
export type ParentOutcome = (typeof PARENT_OUTCOMES)[number];

/** From this age a student is consulted before the parents are told (PRODUCT.md §3.8, PROTOCOL.md). */
export const CONSULTATION_AGE = 14;

/** No DPCP decision this long after the hand-off: the case shows an overdue alert. */
export const DECISION_OVERDUE_MS = 24 * 60 * 60 * 1000;
