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
	// Kit packs (server/protocol/activation.ts). Target: the police service. Details: pack id, versions, activation number.
	'protocol_pack.activated',
	// Training (server/training). Target: the submission, attempt or award. Details: ids, levels, statuses, hashes.
	'training.award_created',
	// Explorateur (server/training/explorateur). Target: the submission (module id / attempt id for those).
	// Details: ids, versions, statuses, scores and decisions — never the answers or the evaluator's comment.
	'training.module_read',
	'training.quiz_attempted',
	'training.reflections_saved',
	'training.reflections_submitted',
	'training.submission_read',
	'training.submission_reviewed',
	'training.review_refused',
	// Architecte training (server/training/architecte). Target: the attempt (the award for a validation; none
	// for the evaluator's list). Details: case id and version, scene and choice ids, points, scores, critical
	// error ids, refusal codes — never free text. Refusals are recorded under the same action, outcome `denied`.
	'training.architecte_attempt_started',
	'training.architecte_choice_recorded',
	'training.architecte_attempt_finished',
	'training.architecte_attempt_read',
	'training.architecte_attempts_listed',
	'training.architecte_level_validated',
	// Badge credentials (server/credentials). Target: the award (training_award). Details: credential id,
	// status-list id and index, key id, revocation category — never the holder's name or the note's text.
	'credential.issued',
	'credential.renewed',
	'credential.award_revoked',
	'credential.revoke_refused',
	'credential.keys_rotated',
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
