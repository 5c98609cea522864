/**
 * The one answer to "may this person do this to this record". Every service asks here; no route
 * checks a role by itself. Actions are a closed union so a typo fails to compile, and each action
 * declares the resource shape it needs.
 */
import type { Role, ScopeType } from '../db/schema';
import type { Actor, Place } from './actor';
import { hasRole, hasRoleAt } from './predicates';
import { incidentRules, type IncidentAccess } from './incident';
import { trainingRules, type SubmissionAccess } from './training';
import { trainingArchitecteRules, type TraineeOf } from './training-architecte';
import { credentialRules, type CredentialAccess } from './credentials';
import { attestationRules, type AttestationAccess } from './attestations';

export type { Actor, Grant, Place } from './actor';
export type { IncidentAccess } from './incident';
export type { SubmissionAccess } from './training';
export type { TraineeOf } from './training-architecte';
export type { CredentialAccess } from './credentials';
export type { AttestationAccess } from './attestations';

/** A role to be granted (invitation or direct grant) at a scope. */
export interface MembershipTarget {
	role: Role;
	scopeType: ScopeType;
	place: Place;
}

export interface Resources {
	'dashboard:view': null;
	'team:view': null;
	'school:read': Place;
	'school:manage': Place;
	'registry:manage': null;
	'agreement:read': Place;
	'schools:view': null;
	'member:list': Place;
	'membership:grant': MembershipTarget;
	'membership:revoke': MembershipTarget;
	'audit:read': null;
	/** the kit's case lists (/incidents): school staff who run the kit, police side who receive hand-offs */
	'incidents:view': null;
	'incident:open': Place;
	'incident:read': IncidentAccess;
	'incident:edit': IncidentAccess;
	'incident:assign': IncidentAccess;
	'incident:notify_parents': IncidentAccess;
	'incident:close': IncidentAccess;
	'incident:decide': IncidentAccess;
	'incident:police_followup': IncidentAccess;
	'incident:addendum': IncidentAccess;
	'incident:list_school': Place;
	'incident:list_handoffs': Place;
	/** kit packs: see and choose the protocol pack version a police service's schools run new cases with */
	'pack:manage': Place;
	/** the kit packs screen (somewhere to choose for): territory coordinators and the platform admin */
	'packs:view': null;
	// Training (policy/training.ts)
	'training:learn': null;
	'training:review_queue': null;
	'training:submission_read': SubmissionAccess;
	'training:submission_edit': SubmissionAccess;
	'training:submission_review': SubmissionAccess;
	// --- Architecte training (rules in training-architecte.ts) ---
	'architecte:play': TraineeOf;
	'architecte:read_attempt': TraineeOf;
	'architecte:review': null;
	'architecte:validate': TraineeOf;
	// Badge credentials (server/credentials): revoke an award, renew an expired credential, holder-only download.
	'credential:revoke': CredentialAccess;
	'credential:renew': CredentialAccess;
	'credential:download_private': CredentialAccess;
	// Attestations (policy/attestations.ts): proof-page settings and member profiles.
	'attestation:read_private': AttestationAccess;
	'attestation:manage': AttestationAccess;
	'profile:manage': null;
}
export type Action = keyof Resources;

const SCHOOL_STAFF: readonly Role[] = ['responder', 'principal', 'learner'];

/** Which roles a role may hand out, and at which kind of scope. Platform admins may hand out any role. */
const GRANTABLE: Partial<Record<Role, { roles: readonly Role[]; scopeTypes: readonly ScopeType[] }>> = {
	territory_coordinator: {
		roles: ['principal', 'responder', 'learner', 'police_liaison', 'territory_coordinator'],
		scopeTypes: ['school', 'police_service']
	},
	principal: { roles: ['responder', 'learner'], scopeTypes: ['school'] }
};

/** Scope types that make sense for each role (a responder belongs to a school, not to a territory). */
export const ROLE_SCOPES: Record<Role, readonly ScopeType[]> = {
	responder: ['school'],
	principal: ['school'],
	learner: ['school', 'platform'],
	police_liaison: ['police_service'],
	territory_coordinator: ['police_service'],
	dpcp_prosecutor: ['territory'],
	trainer_evaluator: ['platform'],
	privacy_officer: ['platform'],
	platform_admin: ['platform']
};

function mayGrant(actor: Actor, target: MembershipTarget): boolean {
	if (!ROLE_SCOPES[target.role].includes(target.scopeType)) return false;
	if (hasRole(actor, 'platform_admin')) return true;
	return actor.grants.some((grant) => {
		const rule = GRANTABLE[grant.role];
		if (!rule || !rule.roles.includes(target.role) || !rule.scopeTypes.includes(target.scopeType)) return false;
		return hasRoleAt({ userId: actor.userId, grants: [grant] }, [grant.role], target.place);
	});
}

const rules: { [A in Action]: (actor: Actor, resource: Resources[A]) => boolean } = {
	'dashboard:view': (actor) => actor.grants.length > 0,
	'team:view': (actor) => ['platform_admin', 'territory_coordinator', 'principal'].some((r) => hasRole(actor, r as Role)),
	'school:read': (actor, place) =>
		hasRole(actor, 'platform_admin') ||
		// A learner enrolled at platform level (training only) belongs to no school: only scoped grants read one.
		hasRoleAt(
			{ userId: actor.userId, grants: actor.grants.filter((g) => g.scopeType !== 'platform') },
			[...SCHOOL_STAFF, 'police_liaison', 'territory_coordinator', 'dpcp_prosecutor'],
			place
		),
	'school:manage': (actor, place) =>
		hasRole(actor, 'platform_admin') || hasRoleAt(actor, ['territory_coordinator'], place),
	'registry:manage': (actor) => hasRole(actor, 'platform_admin'),
	'schools:view': (actor) =>
		(['platform_admin', 'territory_coordinator', 'police_liaison', 'dpcp_prosecutor'] as const).some((r) => hasRole(actor, r)),
	'agreement:read': (actor, place) =>
		hasRole(actor, 'platform_admin') || hasRoleAt(actor, ['territory_coordinator', 'police_liaison'], place),
	'member:list': (actor, place) =>
		hasRole(actor, 'platform_admin') || hasRoleAt(actor, ['territory_coordinator', 'principal'], place),
	'membership:grant': mayGrant,
	'membership:revoke': mayGrant,
	'audit:read': (actor) => hasRole(actor, 'privacy_officer') || hasRole(actor, 'platform_admin'),
	// Not the coordinator, the admin or the privacy officer: they never read case content.
	'incidents:view': (actor) => (['responder', 'principal', 'police_liaison', 'dpcp_prosecutor'] as const).some((r) => hasRole(actor, r)),
	...incidentRules,
	// Kit packs (ADR 015): the territory coordinator of that police service (and the platform admin, who runs the
	// registry). Neither reads case content; activating a pack changes what new cases ask, never old ones.
	'packs:view': (actor) => hasRole(actor, 'platform_admin') || hasRole(actor, 'territory_coordinator'),
	'pack:manage': (actor, place) => hasRole(actor, 'platform_admin') || hasRoleAt(actor, ['territory_coordinator'], place),
	...trainingRules,
	...trainingArchitecteRules,
	...credentialRules,
	...attestationRules
};

export function can<A extends Action>(actor: Actor | null, action: A, resource: Resources[A]): boolean {
	if (!actor) return false;
	return rules[action](actor, resource);
}

export class ForbiddenError extends Error {
	constructor(public readonly action: Action) {
		super(`Forbidden: ${action}`);
		this.name = 'ForbiddenError';
	}
}

/** Throws ForbiddenError; services catch nothing, the route maps it to 403 (or 404 when existence must not leak). */
export function authorize<A extends Action>(actor: Actor | null, action: A, resource: Resources[A]): asserts actor is Actor {
	if (!can(actor, action, resource)) throw new ForbiddenError(action);
}
