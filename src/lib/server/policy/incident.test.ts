/**
 * The incident policy as an explicit table a reviewer can read: who × every incident action × the case's
 * state. If a rule changes, this table must change with it (and the review sees exactly which cells moved).
 */
import { describe, expect, it } from 'vitest';
import { can, type Action, type Actor, type Grant, type IncidentAccess, type Place } from './index';

// ---------------------------------------------------------------------------------------------
// The little world (as in policy.test.ts): S1 and S2 are served by police service P1 (territory T1);
// S3 by P2 (territory T2). The case under test was opened at S1 by OPENER and assigned to ASSIGNEE.

const T1 = 'territory-1';
const T2 = 'territory-2';
const P1 = 'police-1';
const P2 = 'police-2';
const S1 = 'school-1';
const S2 = 'school-2';
const S3 = 'school-3';
const OPENER = 'user-opener';
const ASSIGNEE = 'user-assignee';

const g = (role: Grant['role'], scopeType: Grant['scopeType'], scopeId: string | null): Grant => ({ role, scopeType, scopeId });

/** Who asks. Every actor but the first two has a user id unrelated to the case. */
const WHO = {
	'responder who opened': { userId: OPENER, grants: [g('responder', 'school', S1)] },
	'responder assigned': { userId: ASSIGNEE, grants: [g('responder', 'school', S1)] },
	'other responder, same school': { userId: 'user-r2', grants: [g('responder', 'school', S1)] },
	'opener, now responder at S2': { userId: OPENER, grants: [g('responder', 'school', S2)] },
	'opener, now learner only': { userId: OPENER, grants: [g('learner', 'school', S1)] },
	'principal, same school': { userId: 'user-p1', grants: [g('principal', 'school', S1)] },
	'principal, other school (same service)': { userId: 'user-p2', grants: [g('principal', 'school', S2)] },
	'principal, other territory': { userId: 'user-p3', grants: [g('principal', 'school', S3)] },
	'police liaison of the territory': { userId: 'user-pl1', grants: [g('police_liaison', 'police_service', P1)] },
	'police liaison, other territory': { userId: 'user-pl2', grants: [g('police_liaison', 'police_service', P2)] },
	'prosecutor, same territory': { userId: 'user-dp1', grants: [g('dpcp_prosecutor', 'territory', T1)] },
	'prosecutor, other territory': { userId: 'user-dp2', grants: [g('dpcp_prosecutor', 'territory', T2)] },
	'coordinator of the territory': { userId: 'user-co', grants: [g('territory_coordinator', 'police_service', P1)] },
	'platform admin': { userId: 'user-ad', grants: [g('platform_admin', 'platform', null)] },
	'privacy officer': { userId: 'user-rp', grants: [g('privacy_officer', 'platform', null)] },
	'trainer-evaluator': { userId: 'user-tr', grants: [g('trainer_evaluator', 'platform', null)] },
	'learner, same school': { userId: 'user-le', grants: [g('learner', 'school', S1)] }
} satisfies Record<string, Actor>;
type Who = keyof typeof WHO;

// The case in its four states.
const base = { schoolId: S1, policeServiceId: P1, territoryId: T1, openedBy: OPENER, assignedTo: ASSIGNEE };
const STATES = {
	open: { ...base, handedOff: false, closed: false },
	handedOff: { ...base, handedOff: true, closed: false },
	closedAfterHandoff: { ...base, handedOff: true, closed: true },
	closedNeverHandedOff: { ...base, handedOff: false, closed: true }
} satisfies Record<string, IncidentAccess>;
const STATE_ORDER = ['open', 'handedOff', 'closedAfterHandoff', 'closedNeverHandedOff'] as const;

type CaseAction = Extract<Action, 'incident:read' | 'incident:edit' | 'incident:assign' | 'incident:notify_parents' | 'incident:close' | 'incident:decide' | 'incident:police_followup' | 'incident:addendum'>;
type PlaceAction = Extract<Action, 'incident:open' | 'incident:list_school' | 'incident:list_handoffs'>;

// ---------------------------------------------------------------------------------------------
// THE CASE MATRIX. Four characters per cell, one per state of the case:
//   open · handed off · closed after hand-off · closed without hand-off        (Y = allowed, - = refused)

type Cells = `${'Y' | '-'}${'Y' | '-'}${'Y' | '-'}${'Y' | '-'}`;

const NOTHING: Record<CaseAction, Cells> = {
	'incident:read': '----',
	'incident:edit': '----',
	'incident:assign': '----',
	'incident:notify_parents': '----',
	'incident:close': '----',
	'incident:decide': '----',
	'incident:police_followup': '----',
	'incident:addendum': '----'
};
const CASE_RESPONDER: Record<CaseAction, Cells> = {
	'incident:read': 'YYYY',
	'incident:edit': 'YY--',
	'incident:assign': '----',
	'incident:notify_parents': '----',
	'incident:close': '----',
	'incident:decide': '----',
	'incident:police_followup': '----',
	'incident:addendum': '--YY'
};
const POLICE_SIDE: Record<CaseAction, Cells> = {
	'incident:read': '-YY-',
	'incident:edit': '----',
	'incident:assign': '----',
	'incident:notify_parents': '----',
	'incident:close': '----',
	'incident:decide': '-Y--',
	'incident:police_followup': '-Y--',
	'incident:addendum': '--Y-'
};

const CASE_EXPECTED: Record<Who, Record<CaseAction, Cells>> = {
	'responder who opened': CASE_RESPONDER,
	'responder assigned': CASE_RESPONDER,
	'other responder, same school': NOTHING,
	'opener, now responder at S2': NOTHING,
	'opener, now learner only': NOTHING,
	'principal, same school': {
		'incident:read': 'YYYY',
		'incident:edit': 'YY--',
		'incident:assign': 'YY--',
		'incident:notify_parents': 'YY--',
		'incident:close': 'YY--',
		'incident:decide': '----',
		'incident:police_followup': '----',
		'incident:addendum': '--YY'
	},
	'principal, other school (same service)': NOTHING,
	'principal, other territory': NOTHING,
	'police liaison of the territory': POLICE_SIDE,
	'police liaison, other territory': NOTHING,
	'prosecutor, same territory': POLICE_SIDE,
	'prosecutor, other territory': NOTHING,
	'coordinator of the territory': NOTHING,
	'platform admin': NOTHING,
	'privacy officer': NOTHING,
	'trainer-evaluator': NOTHING,
	'learner, same school': NOTHING
};

// ---------------------------------------------------------------------------------------------
// THE PLACE MATRIX (opening a case, the school list, the hand-offs list). Three characters per cell:
//   school S1 (the actors' own) · school S2 (same police service) · school S3 (other territory)

type PlaceCells = `${'Y' | '-'}${'Y' | '-'}${'Y' | '-'}`;
const PLACES: Record<'S1' | 'S2' | 'S3', Place> = {
	S1: { schoolId: S1, policeServiceId: P1, territoryId: T1 },
	S2: { schoolId: S2, policeServiceId: P1, territoryId: T1 },
	S3: { schoolId: S3, policeServiceId: P2, territoryId: T2 }
};
const PLACE_ORDER = ['S1', 'S2', 'S3'] as const;

const NO_PLACE: Record<PlaceAction, PlaceCells> = { 'incident:open': '---', 'incident:list_school': '---', 'incident:list_handoffs': '---' };
const PLACE_EXPECTED: Record<Who, Record<PlaceAction, PlaceCells>> = {
	'responder who opened': { 'incident:open': 'Y--', 'incident:list_school': '---', 'incident:list_handoffs': '---' },
	'responder assigned': { 'incident:open': 'Y--', 'incident:list_school': '---', 'incident:list_handoffs': '---' },
	'other responder, same school': { 'incident:open': 'Y--', 'incident:list_school': '---', 'incident:list_handoffs': '---' },
	'opener, now responder at S2': { 'incident:open': '-Y-', 'incident:list_school': '---', 'incident:list_handoffs': '---' },
	'opener, now learner only': NO_PLACE,
	'principal, same school': { 'incident:open': 'Y--', 'incident:list_school': 'Y--', 'incident:list_handoffs': '---' },
	'principal, other school (same service)': { 'incident:open': '-Y-', 'incident:list_school': '-Y-', 'incident:list_handoffs': '---' },
	'principal, other territory': { 'incident:open': '--Y', 'incident:list_school': '--Y', 'incident:list_handoffs': '---' },
	'police liaison of the territory': { 'incident:open': '---', 'incident:list_school': '---', 'incident:list_handoffs': 'YY-' },
	'police liaison, other territory': { 'incident:open': '---', 'incident:list_school': '---', 'incident:list_handoffs': '--Y' },
	'prosecutor, same territory': { 'incident:open': '---', 'incident:list_school': '---', 'incident:list_handoffs': 'YY-' },
	'prosecutor, other territory': { 'incident:open': '---', 'incident:list_school': '---', 'incident:list_handoffs': '--Y' },
	'coordinator of the territory': NO_PLACE,
	'platform admin': NO_PLACE,
	'privacy officer': NO_PLACE,
	'trainer-evaluator': NO_PLACE,
	'learner, same school': NO_PLACE
};

const CASE_ACTIONS = Object.keys(NOTHING) as CaseAction[];
const PLACE_ACTIONS = Object.keys(NO_PLACE) as PlaceAction[];

function observedCase(actor: Actor | null, action: CaseAction): Cells {
	return STATE_ORDER.map((s) => (can(actor, action, STATES[s]) ? 'Y' : '-')).join('') as Cells;
}
function observedPlace(actor: Actor | null, action: PlaceAction): PlaceCells {
	return PLACE_ORDER.map((p) => (can(actor, action, PLACES[p]) ? 'Y' : '-')).join('') as PlaceCells;
}

describe('incident policy: who × action × state of the case', () => {
	it('the table covers every incident action of the policy', () => {
		const incidentActions = (
			['incident:open', 'incident:read', 'incident:edit', 'incident:assign', 'incident:notify_parents', 'incident:close', 'incident:decide', 'incident:police_followup', 'incident:addendum', 'incident:list_school', 'incident:list_handoffs'] satisfies Action[]
		).sort();
		expect([...CASE_ACTIONS, ...PLACE_ACTIONS].sort()).toEqual(incidentActions);
	});

	for (const who of Object.keys(WHO) as Who[]) {
		describe(who, () => {
			it.each(CASE_ACTIONS)('%s', (action) => {
				expect(observedCase(WHO[who], action)).toBe(CASE_EXPECTED[who][action]);
			});
			it.each(PLACE_ACTIONS)('%s', (action) => {
				expect(observedPlace(WHO[who], action)).toBe(PLACE_EXPECTED[who][action]);
			});
		});
	}

	it('an anonymous visitor and a person without roles are refused everything', () => {
		for (const actor of [null, { userId: OPENER, grants: [] }]) {
			for (const action of CASE_ACTIONS) expect(observedCase(actor, action)).toBe('----');
			for (const action of PLACE_ACTIONS) expect(observedPlace(actor, action)).toBe('---');
		}
	});
});

describe('incident policy: details', () => {
	it('roles held elsewhere do not add up: principal of S2 who is also the opener of a case at S1 but lost S1', () => {
		const mixed: Actor = { userId: OPENER, grants: [g('principal', 'school', S2), g('learner', 'school', S1)] };
		expect(observedCase(mixed, 'incident:read')).toBe('----');
	});

	it('a principal who is also the police liaison sees both sides, each by its own rule', () => {
		const both: Actor = { userId: 'user-x', grants: [g('principal', 'school', S1), g('police_liaison', 'police_service', P1)] };
		expect(observedCase(both, 'incident:decide')).toBe('-Y--');
		expect(observedCase(both, 'incident:close')).toBe('YY--');
	});

	it('a case whose place lost its police service or territory is never the police side’s', () => {
		const orphan: IncidentAccess = { ...STATES.handedOff, policeServiceId: '', territoryId: '' };
		expect(can(WHO['police liaison of the territory'], 'incident:read', orphan)).toBe(false);
		expect(can(WHO['prosecutor, same territory'], 'incident:read', orphan)).toBe(false);
		expect(can(WHO['principal, same school'], 'incident:read', orphan)).toBe(true);
	});

	it('unassigning moves access: the former assignee no longer reads the case', () => {
		const unassigned: IncidentAccess = { ...STATES.open, assignedTo: null };
		expect(can(WHO['responder assigned'], 'incident:read', unassigned)).toBe(false);
		expect(can(WHO['responder who opened'], 'incident:read', unassigned)).toBe(true);
	});
});
