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
	'access.denied'
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
