/**
 * The policy as an explicit table a reviewer can read: every role × every action × four places.
 * If a rule changes, this table must change with it (and the review sees exactly which cells moved).
 */
import { describe, expect, it } from 'vitest';
import { ROLES, type Role, type ScopeType } from '../db/schema';
import { authorize, can, ForbiddenError, ROLE_SCOPES, type Action, type Actor, type Grant, type MembershipTarget, type Place, type Resources } from './index';

// ---------------------------------------------------------------------------------------------
// The little world: two territories, each with its police service; S1 and S2 share service P1.
//
//   territory T1 ── police service P1 ──┬── school S1   (every scoped actor below is anchored here)
//                                       └── school S2
//   territory T2 ── police service P2 ───── school S3

const T1 = 'territory-1';
const T2 = 'territory-2';
const P1 = 'police-1';
const P2 = 'police-2';
const S1 = 'school-1';
const S2 = 'school-2';
const S3 = 'school-3';

const PLACES = {
	/** school S1: inside the actor's own scope (its school, its police service, its territory, or the platform) */
	own: { schoolId: S1, policeServiceId: P1, territoryId: T1 },
	/** school S2: another school served by the same police service, in the same territory */
	sibling: { schoolId: S2, policeServiceId: P1, territoryId: T1 },
	/** school S3: a school of another territory (other police service) */
	far: { schoolId: S3, policeServiceId: P2, territoryId: T2 },
	/** a platform-level record: belongs to no school, service or territory */
	platform: {}
} satisfies Record<string, Place>;
type PlaceName = keyof typeof PLACES;
const PLACE_ORDER: PlaceName[] = ['own', 'sibling', 'far', 'platform'];

/** Each role held once, at its natural scope, anchored at S1 / P1 / T1 / platform. */
const HOME: Record<Role, Grant> = {
	responder: { role: 'responder', scopeType: 'school', scopeId: S1 },
	principal: { role: 'principal', scopeType: 'school', scopeId: S1 },
	learner: { role: 'learner', scopeType: 'school', scopeId: S1 },
	police_liaison: { role: 'police_liaison', scopeType: 'police_service', scopeId: P1 },
	territory_coordinator: { role: 'territory_coordinator', scopeType: 'police_service', scopeId: P1 },
	dpcp_prosecutor: { role: 'dpcp_prosecutor', scopeType: 'territory', scopeId: T1 },
	trainer_evaluator: { role: 'trainer_evaluator', scopeType: 'platform', scopeId: null },
	privacy_officer: { role: 'privacy_officer', scopeType: 'platform', scopeId: null },
	platform_admin: { role: 'platform_admin', scopeType: 'platform', scopeId: null }
};

function actorWith(...grants: Grant[]): Actor {
	return { userId: 'user-under-test', grants };
}

/**
 * The resource each action is asked about at a place. Membership actions use a learner role (valid at
 * school and platform scope) so the four places stay comparable; specific grant cases follow below.
 */
function resourceAt<A extends Action>(action: A, placeName: PlaceName): Resources[A] {
	const place = PLACES[placeName];
	switch (action) {
		case 'school:read':
		case 'school:manage':
		case 'agreement:read':
		case 'member:list':
		case 'pack:manage':
			return place as Resources[A];
		case 'membership:grant':
		case 'membership:revoke': {
			const target: MembershipTarget = { role: 'learner', scopeType: placeName === 'platform' ? 'platform' : 'school', place };
			return target as Resources[A];
		}
		default:
			return null as Resources[A];
	}
}

// ---------------------------------------------------------------------------------------------
// THE MATRIX. Four characters per cell, in the order  own · sibling · far · platform
//   Y = allowed, - = refused
// (`Record<Role, Record<PlaceAction, …>>` makes the compiler demand a row for every role and a cell for
//  every action: adding a role or an action without updating this table fails the type check.)

type Cells = `${'Y' | '-'}${'Y' | '-'}${'Y' | '-'}${'Y' | '-'}`;

/**
 * Incident actions depend on who opened the case and on hand-off, not only on places: see incident.test.ts.
 * Training actions depend on who owns the submission (training.test.ts), Architecte actions on whose attempt
 * it is (training-architecte.test.ts), credential, attestation and profile actions on who holds the award (credentials.test.ts, attestations.test.ts).
 */
type PlaceAction = Exclude<Action, `incident:${string}` | `training:${string}` | `architecte:${string}` | `credential:${string}` | `attestation:${string}` | `profile:${string}`>;

const EXPECTED: Record<Role, Record<PlaceAction, Cells>> = {
	responder: {
		'dashboard:view': 'YYYY',
		'team:view': '----',
		'school:read': 'Y---',
		'school:manage': '----',
		'registry:manage': '----',
		'agreement:read': '----',
		'schools:view': '----',
		'member:list': '----',
		'membership:grant': '----',
		'membership:revoke': '----',
		'audit:read': '----',
		'incidents:view': 'YYYY',
		'pack:manage': '----',
		'packs:view': '----'
	},
	principal: {
		'dashboard:view': 'YYYY',
		'team:view': 'YYYY',
		'school:read': 'Y---',
		'school:manage': '----',
		'registry:manage': '----',
		'agreement:read': '----',
		'schools:view': '----',
		'member:list': 'Y---',
		'membership:grant': 'Y---',
		'membership:revoke': 'Y---',
		'audit:read': '----',
		'incidents:view': 'YYYY',
		'pack:manage': '----',
		'packs:view': '----'
	},
	learner: {
		'dashboard:view': 'YYYY',
		'team:view': '----',
		'school:read': 'Y---',
		'school:manage': '----',
		'registry:manage': '----',
		'agreement:read': '----',
		'schools:view': '----',
		'member:list': '----',
		'membership:grant': '----',
		'membership:revoke': '----',
		'audit:read': '----',
		'incidents:view': '----',
		'pack:manage': '----',
		'packs:view': '----'
	},
	police_liaison: {
		'dashboard:view': 'YYYY',
		'team:view': '----',
		'school:read': 'YY--',
		'school:manage': '----',
		'registry:manage': '----',
		'agreement:read': 'YY--',
		'schools:view': 'YYYY',
		'member:list': '----',
		'membership:grant': '----',
		'membership:revoke': '----',
		'audit:read': '----',
		'incidents:view': 'YYYY',
		'pack:manage': '----',
		'packs:view': '----'
	},
	territory_coordinator: {
		'dashboard:view': 'YYYY',
		'team:view': 'YYYY',
		'school:read': 'YY--',
		'school:manage': 'YY--',
		'registry:manage': '----',
		'agreement:read': 'YY--',
		'schools:view': 'YYYY',
		'member:list': 'YY--',
		'membership:grant': 'YY--',
		'membership:revoke': 'YY--',
		'audit:read': '----',
		'incidents:view': '----',
		'pack:manage': 'YY--',
		'packs:view': 'YYYY'
	},
	dpcp_prosecutor: {
		'dashboard:view': 'YYYY',
		'team:view': '----',
		'school:read': 'YY--',
		'school:manage': '----',
		'registry:manage': '----',
		'agreement:read': '----',
		'schools:view': 'YYYY',
		'member:list': '----',
		'membership:grant': '----',
		'membership:revoke': '----',
		'audit:read': '----',
		'incidents:view': 'YYYY',
		'pack:manage': '----',
		'packs:view': '----'
	},
	trainer_evaluator: {
		'dashboard:view': 'YYYY',
		'team:view': '----',
		'school:read': '----',
		'school:manage': '----',
		'registry:manage': '----',
		'agreement:read': '----',
		'schools:view': '----',
		'member:list': '----',
		'membership:grant': '----',
		'membership:revoke': '----',
		'audit:read': '----',
		'incidents:view': '----',
		'pack:manage': '----',
		'packs:view': '----'
	},
	privacy_officer: {
		'dashboard:view': 'YYYY',
		'team:view': '----',
		'school:read': '----',
		'school:manage': '----',
		'registry:manage': '----',
		'agreement:read': '----',
		'schools:view': '----',
		'member:list': '----',
		'membership:grant': '----',
		'membership:revoke': '----',
		'audit:read': 'YYYY',
		'incidents:view': '----',
		'pack:manage': '----',
		'packs:view': '----'
	},
	platform_admin: {
		'dashboard:view': 'YYYY',
		'team:view': 'YYYY',
		'school:read': 'YYYY',
		'school:manage': 'YYYY',
		'registry:manage': 'YYYY',
		'agreement:read': 'YYYY',
		'schools:view': 'YYYY',
		'member:list': 'YYYY',
		'membership:grant': 'YYYY',
		'membership:revoke': 'YYYY',
		'audit:read': 'YYYY',
		'incidents:view': '----',
		'pack:manage': 'YYYY',
		'packs:view': 'YYYY'
	}
};

/** Extra rows for roles that may also be held at a second kind of scope. */
const EXTRA_ROWS: { label: string; grant: Grant; expected: Record<PlaceAction, Cells> }[] = [
	{
		// A learner enrolled at platform level (training without a school) reads no school's records.
		label: 'learner (platform scope)',
		grant: { role: 'learner', scopeType: 'platform', scopeId: null },
		expected: {
			'dashboard:view': 'YYYY',
			'team:view': '----',
			'school:read': '----',
			'school:manage': '----',
			'registry:manage': '----',
			'agreement:read': '----',
			'schools:view': '----',
			'member:list': '----',
			'membership:grant': '----',
			'membership:revoke': '----',
			'audit:read': '----',
			'incidents:view': '----',
			'pack:manage': '----',
			'packs:view': '----'
		}
	}
];

const ACTIONS = Object.keys(EXPECTED.responder) as PlaceAction[];

function observed(actor: Actor | null, action: Action): Cells {
	return PLACE_ORDER.map((p) => (can(actor, action, resourceAt(action, p)) ? 'Y' : '-')).join('') as Cells;
}

describe('policy matrix: role × action × place', () => {
	it('covers every role and every action', () => {
		expect(Object.keys(EXPECTED).sort()).toEqual([...ROLES].sort());
		for (const role of ROLES) expect(Object.keys(EXPECTED[role]).sort()).toEqual([...ACTIONS].sort());
		// every home grant is itself a legal role/scope pairing
		for (const role of ROLES) expect(ROLE_SCOPES[role]).toContain(HOME[role].scopeType);
	});

	for (const role of ROLES) {
		describe(`${role} (${HOME[role].scopeType} scope)`, () => {
			it.each(ACTIONS)('%s', (action) => {
				expect(observed(actorWith(HOME[role]), action)).toBe(EXPECTED[role][action]);
			});
		});
	}

	for (const row of EXTRA_ROWS) {
		describe(row.label, () => {
			it.each(ACTIONS)('%s', (action) => {
				expect(observed(actorWith(row.grant), action)).toBe(row.expected[action]);
			});
		});
	}

	it('an anonymous visitor (null actor) is refused every action at every place', () => {
		for (const action of ACTIONS) expect(observed(null, action)).toBe('----');
	});

	it('a signed-in person without any role is refused everything, even the dashboard', () => {
		for (const action of ACTIONS) expect(observed(actorWith(), action)).toBe('----');
	});
});

// ---------------------------------------------------------------------------------------------
// membership:grant in detail: who may hand out which role, where.

interface GrantCase {
	who: string;
	actor: Actor;
	role: Role;
	scopeType: ScopeType;
	place: Place;
	allowed: boolean;
}

const principalS1 = actorWith(HOME.principal);
const coordinatorP1 = actorWith(HOME.territory_coordinator);
const admin = actorWith(HOME.platform_admin);
const P1_PLACE: Place = { policeServiceId: P1, territoryId: T1 };
const P2_PLACE: Place = { policeServiceId: P2, territoryId: T2 };
const T1_PLACE: Place = { territoryId: T1 };

const GRANT_CASES: GrantCase[] = [
	// A principal invites responders and learners to their own school, nowhere else, and nothing higher.
	{ who: 'principal S1', actor: principalS1, role: 'responder', scopeType: 'school', place: PLACES.own, allowed: true },
	{ who: 'principal S1', actor: principalS1, role: 'learner', scopeType: 'school', place: PLACES.own, allowed: true },
	{ who: 'principal S1', actor: principalS1, role: 'responder', scopeType: 'school', place: PLACES.sibling, allowed: false },
	{ who: 'principal S1', actor: principalS1, role: 'learner', scopeType: 'school', place: PLACES.far, allowed: false },
	{ who: 'principal S1', actor: principalS1, role: 'principal', scopeType: 'school', place: PLACES.own, allowed: false },
	{ who: 'principal S1', actor: principalS1, role: 'police_liaison', scopeType: 'police_service', place: P1_PLACE, allowed: false },
	{ who: 'principal S1', actor: principalS1, role: 'learner', scopeType: 'platform', place: {}, allowed: false },
	// A coordinator of police service P1 staffs the schools P1 serves and P1 itself, not P2's.
	{ who: 'coordinator P1', actor: coordinatorP1, role: 'principal', scopeType: 'school', place: PLACES.own, allowed: true },
	{ who: 'coordinator P1', actor: coordinatorP1, role: 'principal', scopeType: 'school', place: PLACES.sibling, allowed: true },
	{ who: 'coordinator P1', actor: coordinatorP1, role: 'principal', scopeType: 'school', place: PLACES.far, allowed: false },
	{ who: 'coordinator P1', actor: coordinatorP1, role: 'responder', scopeType: 'school', place: PLACES.far, allowed: false },
	{ who: 'coordinator P1', actor: coordinatorP1, role: 'police_liaison', scopeType: 'police_service', place: P1_PLACE, allowed: true },
	{ who: 'coordinator P1', actor: coordinatorP1, role: 'police_liaison', scopeType: 'police_service', place: P2_PLACE, allowed: false },
	{ who: 'coordinator P1', actor: coordinatorP1, role: 'territory_coordinator', scopeType: 'police_service', place: P1_PLACE, allowed: true },
	{ who: 'coordinator P1', actor: coordinatorP1, role: 'dpcp_prosecutor', scopeType: 'territory', place: T1_PLACE, allowed: false },
	{ who: 'coordinator P1', actor: coordinatorP1, role: 'privacy_officer', scopeType: 'platform', place: {}, allowed: false },
	// Platform admins hand out any role at a scope that fits it.
	{ who: 'platform admin', actor: admin, role: 'dpcp_prosecutor', scopeType: 'territory', place: T1_PLACE, allowed: true },
	{ who: 'platform admin', actor: admin, role: 'principal', scopeType: 'school', place: PLACES.far, allowed: true },
	{ who: 'platform admin', actor: admin, role: 'platform_admin', scopeType: 'platform', place: {}, allowed: true },
	// Role / scope-type mismatches are refused to everyone, platform admins included.
	{ who: 'platform admin', actor: admin, role: 'responder', scopeType: 'police_service', place: P1_PLACE, allowed: false },
	{ who: 'platform admin', actor: admin, role: 'principal', scopeType: 'territory', place: T1_PLACE, allowed: false },
	{ who: 'platform admin', actor: admin, role: 'platform_admin', scopeType: 'school', place: PLACES.own, allowed: false },
	{ who: 'platform admin', actor: admin, role: 'dpcp_prosecutor', scopeType: 'school', place: PLACES.own, allowed: false },
	{ who: 'platform admin', actor: admin, role: 'police_liaison', scopeType: 'territory', place: T1_PLACE, allowed: false },
	{ who: 'platform admin', actor: admin, role: 'learner', scopeType: 'police_service', place: P1_PLACE, allowed: false },
	{ who: 'coordinator P1', actor: coordinatorP1, role: 'responder', scopeType: 'police_service', place: P1_PLACE, allowed: false },
	{ who: 'coordinator P1', actor: coordinatorP1, role: 'police_liaison', scopeType: 'school', place: PLACES.own, allowed: false }
];

describe('membership:grant cases', () => {
	it.each(GRANT_CASES)('$who grants $role at $scopeType → $allowed', ({ actor, role, scopeType, place, allowed }) => {
		expect(can(actor, 'membership:grant', { role, scopeType, place })).toBe(allowed);
		// revoking follows the same rule as granting
		expect(can(actor, 'membership:revoke', { role, scopeType, place })).toBe(allowed);
	});

	it('nobody but a platform admin grants platform_admin', () => {
		for (const role of ROLES) {
			const allowed = can(actorWith(HOME[role]), 'membership:grant', { role: 'platform_admin', scopeType: 'platform', place: {} });
			expect({ role, allowed }).toEqual({ role, allowed: role === 'platform_admin' });
		}
		// not even someone holding every other role at once
		const everythingButAdmin = actorWith(...ROLES.filter((r) => r !== 'platform_admin').map((r) => HOME[r]));
		expect(can(everythingButAdmin, 'membership:grant', { role: 'platform_admin', scopeType: 'platform', place: {} })).toBe(false);
	});

	it('a grant is judged by the grant that carries the power, not by a role held elsewhere', () => {
		// principal of S3 and responder at S1: the principal power does not travel to S1
		const mixed = actorWith({ role: 'principal', scopeType: 'school', scopeId: S3 }, { role: 'responder', scopeType: 'school', scopeId: S1 });
		expect(can(mixed, 'membership:grant', { role: 'responder', scopeType: 'school', place: PLACES.own })).toBe(false);
		expect(can(mixed, 'membership:grant', { role: 'responder', scopeType: 'school', place: PLACES.far })).toBe(true);
	});

	it('a place missing the ids a grant needs is never covered', () => {
		// a school record that lost its police service link is not "in" P1
		expect(can(coordinatorP1, 'membership:grant', { role: 'principal', scopeType: 'school', place: { schoolId: S1 } })).toBe(false);
		expect(can(principalS1, 'member:list', { policeServiceId: P1, territoryId: T1 })).toBe(false);
	});
});

describe('authorize', () => {
	it('throws ForbiddenError naming the action when refused', () => {
		const responder = actorWith(HOME.responder);
		let caught: unknown;
		try {
			authorize(responder, 'audit:read', null);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(ForbiddenError);
		expect((caught as ForbiddenError).action).toBe('audit:read');
		expect((caught as ForbiddenError).message).toBe('Forbidden: audit:read');
	});

	it('throws for an anonymous visitor', () => {
		expect(() => authorize(null, 'dashboard:view', null)).toThrow(ForbiddenError);
	});

	it('returns quietly when allowed', () => {
		expect(() => authorize(actorWith(HOME.privacy_officer), 'audit:read', null)).not.toThrow();
		expect(() => authorize(principalS1, 'membership:grant', { role: 'responder', scopeType: 'school', place: PLACES.own })).not.toThrow();
	});

	it('can(null, …) is false for every action', () => {
		for (const action of ACTIONS) {
			for (const p of PLACE_ORDER) expect(can(null, action, resourceAt(action, p))).toBe(false);
		}
	});
});
