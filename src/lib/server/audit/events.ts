/**
 * The closed list of audited actions. A typo fails to compile. Details hold ids and codes only:
 * never names, email bodies, free text about a case or anything describing images.
 */
export const AUDIT_ACTIONS = [
	'auth.login',
	'auth.login_failed',
	'auth.login_throttled',
	'auth.logout',
	'auth.password_reset_requested',
	'auth.password_reset_completed',
	'auth.password_reset_rejected',
	'invitation.created',
	'invitation.accepted',
	'invitation.rejected',
	'membership.granted',
	'membership.revoked',
	'registry.created',
	'registry.updated',
	'schools.imported',
	'access.denied',
	// written by the job worker (actor null): the in-app overdue-decision alerts were created
	'incident.decision_overdue',
	// The kit (server/incidents). Target: the incident (the school for searches and school lists).
	// Details: ids, codes and counts only — never names, free text or anything about images.
	'incident.opened',
	'incident.read',
	'incident.list_read',
	'incident.packet_viewed',
	'incident.step_saved',
	'incident.edit_conflict',
	'incident.student_added',
	'incident.student_updated',
	'incident.student_search',
	'incident.custody_recorded',
	'incident.police_call_logged',
	'incident.decision_recorded',
	'incident.followup_recorded',
	'incident.parent_notification_recorded',
	'incident.assigned',
	'incident.closed',
	'incident.addendum_added',
	// Training (server/training). Target: the submission, attempt or award. Details: ids, levels, statuses, hashes.
	'training.award_created',
	// Attestations (server/attestations): the holder's choices. Target: the award (settings) or the user (profile).
	// Details: flags and counts only — never the answers, the name shown or the school. Public page views are not
	// audited (public by the holder's choice); the holder reading their own private page is not either (ADR 013).
	'attestation.settings_changed',
	'attestation.settings_denied',
	'attestation.profile_changed'
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditEvent {
	actorId: string | null;
	action: AuditAction;
	targetType?: string | null;
	targetId?: string | null;
	outcome: AuditOutcome;
	ip?: string | null;
	details?: Record<string, string | number | boolean | null>;
}
