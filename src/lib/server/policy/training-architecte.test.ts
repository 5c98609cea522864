/**
 * The Architecte policy as a table: who × action × whose attempt. Columns: own attempt · another person's.
 */
import { describe, expect, it } from 'vitest';
import { can, type Action, type Actor, type Grant } from './index';

const g = (role: Grant['role'], scopeType: Grant['scopeType'], scopeId: string | null): Grant => ({ role, scopeType, scopeId });
const S1 = 'school-1';

const WHO = {
	learner: { userId: 'u-learner', grants: [g('learner', 'school', S1)] },
	'other learner': { userId: 'u-other', grants: [g('learner', 'school', S1)] },
	'platform learner': { userId: 'u-platform', grants: [g('learner', 'platform', null)] },
	responder: { userId: 'u-resp', grants: [g('responder', 'school', S1)] },
	principal: { userId: 'u-princ', grants: [g('principal', 'school', S1)] },
	evaluator: { userId: 'u-eval', grants: [g('trainer_evaluator', 'platform', null)] },
	'evaluator who also trains': { userId: 'u-eval2', grants: [g('trainer_evaluator', 'platform', null), g('learner', 'school', S1)] },
	admin: { userId: 'u-admin', grants: [g('platform_admin', 'platform', null)] },
	'privacy officer': { userId: 'u-rp', grants: [g('privacy_officer', 'platform', null)] },
	'police liaison': { userId: 'u-pl', grants: [g('police_liaison', 'police_service', 'p-1')] },
	'no role': { userId: 'u-none', grants: [] }
} satisfies Record<string, Actor>;

type ArchAction = Extract<Action, `architecte:${string}`>;
type Cells = `${'Y' | '-'}${'Y' | '-'}`;

// own attempt (ownerId = the actor) · someone else's attempt. `architecte:review` takes no resource: both cells equal.
const EXPECTED: Record<keyof typeof WHO, Record<ArchAction, Cells>> = {
	learner: { 'architecte:play': 'Y-', 'architecte:read_attempt': 'Y-', 'architecte:review': '--', 'architecte:validate': '--' },
	'other learner': { 'architecte:play': 'Y-', 'architecte:read_attempt': 'Y-', 'architecte:review': '--', 'architecte:validate': '--' },
	'platform learner': { 'architecte:play': 'Y-', 'architecte:read_attempt': 'Y-', 'architecte:review': '--', 'architecte:validate': '--' },
	responder: { 'architecte:play': 'Y-', 'architecte:read_attempt': 'Y-', 'architecte:review': '--', 'architecte:validate': '--' },
	principal: { 'architecte:play': 'Y-', 'architecte:read_attempt': 'Y-', 'architecte:review': '--', 'architecte:validate': '--' },
	evaluator: { 'architecte:play': '--', 'architecte:read_attempt': 'YY', 'architecte:review': 'YY', 'architecte:validate': '-Y' },
	'evaluator who also trains': { 'architecte:play': 'Y-', 'architecte:read_attempt': 'YY', 'architecte:review': 'YY', 'architecte:validate': '-Y' },
	admin: { 'architecte:play': '--', 'architecte:read_attempt': 'Y-', 'architecte:review': '--', 'architecte:validate': '--' },
	'privacy officer': { 'architecte:play': '--', 'architecte:read_attempt': 'Y-', 'architecte:review': '--', 'architecte:validate': '--' },
	'police liaison': { 'architecte:play': '--', 'architecte:read_attempt': 'Y-', 'architecte:review': '--', 'architecte:validate': '--' },
	'no role': { 'architecte:play': '--', 'architecte:read_attempt': 'Y-', 'architecte:review': '--', 'architecte:validate': '--' }
};

const ACTIONS: ArchAction[] = ['architecte:play', 'architecte:read_attempt', 'architecte:review', 'architecte:validate'];

function cells(actor: Actor, action: ArchAction): Cells {
	const yes = (owner: string) => {
		if (action === 'architecte:review') return can(actor, action, null);
		return can(actor, action, { ownerId: owner });
	};
	return `${yes(actor.userId) ? 'Y' : '-'}${yes('u-somebody-else') ? 'Y' : '-'}` as Cells;
}

describe('Architecte policy matrix', () => {
	it('matches the table for every person and action', () => {
		const actual = Object.fromEntries(Object.entries(WHO).map(([who, actor]) => [who, Object.fromEntries(ACTIONS.map((a) => [a, cells(actor, a)]))]));
		expect(actual).toEqual(EXPECTED);
	});

	it('lets a learner read only their own attempt, and the evaluator read anyone’s (never validate their own)', () => {
		const attemptOfLearner = { ownerId: WHO.learner.userId };
		expect(can(WHO.learner, 'architecte:read_attempt', attemptOfLearner)).toBe(true);
		expect(can(WHO['other learner'], 'architecte:read_attempt', attemptOfLearner)).toBe(false);
		expect(can(WHO.evaluator, 'architecte:read_attempt', attemptOfLearner)).toBe(true);
		expect(can(WHO.admin, 'architecte:read_attempt', attemptOfLearner)).toBe(false);
		expect(can(WHO['evaluator who also trains'], 'architecte:validate', { ownerId: WHO['evaluator who also trains'].userId })).toBe(false);
		expect(can(null, 'architecte:read_attempt', attemptOfLearner)).toBe(false);
	});
});
