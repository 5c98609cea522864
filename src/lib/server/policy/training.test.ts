/**
 * Training policy as a readable table: who may learn, open the evaluator queue, read, edit and review a
 * submission — for the submission's own learner, another learner, an evaluator, an evaluator who is also
 * the learner, the platform admin and every other role.
 */
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../db/schema';
import { can, type Actor, type Grant } from './index';

const S1 = 'school-1';
const OWNER = 'owner-user';

const grantOf: Record<Role, Grant> = {
	responder: { role: 'responder', scopeType: 'school', scopeId: S1 },
	principal: { role: 'principal', scopeType: 'school', scopeId: S1 },
	learner: { role: 'learner', scopeType: 'school', scopeId: S1 },
	police_liaison: { role: 'police_liaison', scopeType: 'police_service', scopeId: 'p1' },
	territory_coordinator: { role: 'territory_coordinator', scopeType: 'police_service', scopeId: 'p1' },
	dpcp_prosecutor: { role: 'dpcp_prosecutor', scopeType: 'territory', scopeId: 't1' },
	trainer_evaluator: { role: 'trainer_evaluator', scopeType: 'platform', scopeId: null },
	privacy_officer: { role: 'privacy_officer', scopeType: 'platform', scopeId: null },
	platform_admin: { role: 'platform_admin', scopeType: 'platform', scopeId: null }
};

const actor = (userId: string, ...grants: Grant[]): Actor => ({ userId, grants });
const sub = { ownerId: OWNER };

/** learn · queue · read · edit · review (on OWNER's submission); Y = allowed, - = refused */
type Row = `${'Y' | '-'}${'Y' | '-'}${'Y' | '-'}${'Y' | '-'}${'Y' | '-'}`;

function observed(a: Actor | null): Row {
	return [
		can(a, 'training:learn', null),
		can(a, 'training:review_queue', null),
		can(a, 'training:submission_read', sub),
		can(a, 'training:submission_edit', sub),
		can(a, 'training:submission_review', sub)
	]
		.map((x) => (x ? 'Y' : '-'))
		.join('') as Row;
}

const CASES: { who: string; actor: Actor | null; expected: Row }[] = [
	{ who: 'the learner who owns the submission', actor: actor(OWNER, grantOf.learner), expected: 'Y-YY-' },
	{ who: 'the responder who owns it (responders train)', actor: actor(OWNER, grantOf.responder), expected: 'Y-YY-' },
	{ who: 'the principal who owns it (principals train)', actor: actor(OWNER, grantOf.principal), expected: 'Y-YY-' },
	{ who: 'a platform-level learner who owns it', actor: actor(OWNER, { role: 'learner', scopeType: 'platform', scopeId: null }), expected: 'Y-YY-' },
	{ who: 'another learner of the same school', actor: actor('other', grantOf.learner), expected: 'Y----' },
	{ who: 'another principal of the same school', actor: actor('other', grantOf.principal), expected: 'Y----' },
	{ who: 'an evaluator', actor: actor('evaluator', grantOf.trainer_evaluator), expected: '-YY-Y' },
	{ who: 'an evaluator who is also the learner (own submission)', actor: actor(OWNER, grantOf.trainer_evaluator, grantOf.learner), expected: 'YYYY-' },
	{ who: 'an evaluator who also trains, on someone else’s submission', actor: actor('evaluator', grantOf.trainer_evaluator, grantOf.learner), expected: 'YYY-Y' },
	{ who: 'the platform admin', actor: actor('admin', grantOf.platform_admin), expected: '-----' },
	{ who: 'an owner who lost every learning role (cannot edit any more, still reads)', actor: actor(OWNER, grantOf.police_liaison), expected: '--Y--' },
	{ who: 'anonymous', actor: null, expected: '-----' },
	{ who: 'signed in without any role', actor: actor('nobody'), expected: '-----' }
];

describe('training policy: learn · queue · read · edit · review', () => {
	it.each(CASES)('$who → $expected', ({ actor: a, expected }) => {
		expect(observed(a)).toBe(expected);
	});

	it('every other role (police, DPCP, coordinator, privacy officer, admin) neither trains nor evaluates', () => {
		const others = ROLES.filter((r) => !['learner', 'responder', 'principal', 'trainer_evaluator'].includes(r));
		expect(others.sort()).toEqual(['dpcp_prosecutor', 'platform_admin', 'police_liaison', 'privacy_officer', 'territory_coordinator']);
		for (const r of others) expect(observed(actor('x', grantOf[r])), r).toBe('-----');
	});
});
