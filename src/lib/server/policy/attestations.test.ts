/**
 * Attestation and profile rules as a readable table: every role, as the holder of the award or as someone
 * else, × every attestation action. Only the holder ever reads a private page or changes its settings.
 */
import { describe, expect, it } from 'vitest';
import { ROLES, type Role, type ScopeType } from '../db/schema';
import { authorize, can, ForbiddenError, type Actor } from './index';

const HOLDER = 'holder-user';
const scopeOf: Record<Role, ScopeType> = {
	responder: 'school',
	principal: 'school',
	learner: 'school',
	police_liaison: 'police_service',
	territory_coordinator: 'police_service',
	dpcp_prosecutor: 'territory',
	trainer_evaluator: 'platform',
	privacy_officer: 'platform',
	platform_admin: 'platform'
};
const actor = (userId: string, role: Role): Actor => ({ userId, grants: [{ role, scopeType: scopeOf[role], scopeId: scopeOf[role] === 'platform' ? null : 'scope-1' }] });

type AttestationAction = 'attestation:read_private' | 'attestation:manage';
const ACTIONS: AttestationAction[] = ['attestation:read_private', 'attestation:manage'];

// Two characters per action, in the order   holder · someone else   (Y = allowed, - = refused).
const EXPECTED: Record<Role, Record<AttestationAction, string>> = {
	responder: { 'attestation:read_private': 'Y-', 'attestation:manage': 'Y-' },
	principal: { 'attestation:read_private': 'Y-', 'attestation:manage': 'Y-' },
	learner: { 'attestation:read_private': 'Y-', 'attestation:manage': 'Y-' },
	police_liaison: { 'attestation:read_private': 'Y-', 'attestation:manage': 'Y-' },
	territory_coordinator: { 'attestation:read_private': 'Y-', 'attestation:manage': 'Y-' },
	dpcp_prosecutor: { 'attestation:read_private': 'Y-', 'attestation:manage': 'Y-' },
	// the evaluator who approved the answers does not see the private page either
	trainer_evaluator: { 'attestation:read_private': 'Y-', 'attestation:manage': 'Y-' },
	privacy_officer: { 'attestation:read_private': 'Y-', 'attestation:manage': 'Y-' },
	// nor does the platform admin
	platform_admin: { 'attestation:read_private': 'Y-', 'attestation:manage': 'Y-' }
};

describe('attestation policy matrix (holder · someone else)', () => {
	for (const role of ROLES) {
		it(role, () => {
			const observed = Object.fromEntries(
				ACTIONS.map((action) => [
					action,
					(can(actor(HOLDER, role), action, { holderId: HOLDER }) ? 'Y' : '-') + (can(actor('someone-else', role), action, { holderId: HOLDER }) ? 'Y' : '-')
				])
			);
			expect(observed).toEqual(EXPECTED[role]);
		});
	}

	it('refuses anonymous visitors everything (a public page is read without any permission)', () => {
		for (const action of ACTIONS) expect(can(null, action, { holderId: HOLDER })).toBe(false);
		expect(can(null, 'profile:manage', null)).toBe(false);
	});

	it('lets any signed-in person, even without a role, manage their own profile', () => {
		expect(can({ userId: 'u', grants: [] }, 'profile:manage', null)).toBe(true);
		for (const role of ROLES) expect(can(actor('u', role), 'profile:manage', null)).toBe(true);
	});

	it('authorize throws ForbiddenError for someone else', () => {
		expect(() => authorize(actor('intruder', 'platform_admin'), 'attestation:manage', { holderId: HOLDER })).toThrow(ForbiddenError);
		expect(() => authorize(actor(HOLDER, 'learner'), 'attestation:manage', { holderId: HOLDER })).not.toThrow();
	});
});
