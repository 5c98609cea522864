/**
 * Who may do what with an attestation (a training award's proof page) and a member profile. Rules in words:
 * - A proof page is the holder's: only the holder changes its settings (public or private, answers shown or
 *   hidden) and only the holder sees it while it is private. Nobody else does — not the evaluator who approved
 *   it, not the platform admin, not the privacy officer: a private page answers 404 to everyone but its holder.
 * - A public page needs no permission: anyone with the address (signed in or not) reads it; that decision is
 *   the holder's setting, checked by the attestation service, not a role.
 * - Every signed-in person manages their own member profile (opt-in public, name shown, school shown or not).
 */
import type { Actor } from './actor';

/** The one fact the rules need about an award: whose it is. */
export interface AttestationAccess {
	holderId: string;
}

const isHolder = (actor: Actor, a: AttestationAccess) => actor.userId === a.holderId;

export const attestationRules = {
	/** See one's own proof page while it is private (with the holder's banner and controls). */
	'attestation:read_private': (actor: Actor, a: AttestationAccess) => isHolder(actor, a),
	/** Change the page's settings: public or private, each answer shown or hidden. */
	'attestation:manage': (actor: Actor, a: AttestationAccess) => isHolder(actor, a),
	/** Edit one's own member profile (the service only ever loads the actor's own). */
	'profile:manage': (actor: Actor, _resource: null) => actor.userId.length > 0
} as const;
