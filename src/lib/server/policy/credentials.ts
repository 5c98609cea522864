/**
 * Who may act on a badge credential. Rules in words:
 * - Revoke an award (and so its credential): a trainer-evaluator or a platform admin — the people who award.
 * - Renew an expired credential: its holder, a trainer-evaluator or a platform admin.
 * - Download the credential of a private attestation: its holder only (strangers get 404).
 */
import type { Actor } from './actor';
import { hasRole } from './predicates';

export interface CredentialAccess {
	holderId: string;
}

const awarder = (actor: Actor) => hasRole(actor, 'trainer_evaluator') || hasRole(actor, 'platform_admin');

export const credentialRules = {
	'credential:revoke': (actor: Actor, _award: CredentialAccess) => awarder(actor),
	'credential:renew': (actor: Actor, award: CredentialAccess) => award.holderId === actor.userId || awarder(actor),
	'credential:download_private': (actor: Actor, award: CredentialAccess) => award.holderId === actor.userId
};
