import { describe, expect, it } from 'vitest';
import type { Role } from '../db/schema';
import { can } from './index';

const HOLDER = 'holder-1';
const award = { holderId: HOLDER };
const actorWith = (role: Role, userId = 'someone-else') => ({
	userId,
	grants: [{ role, scopeType: role === 'platform_admin' || role === 'trainer_evaluator' || role === 'privacy_officer' ? ('platform' as const) : ('school' as const), scopeId: 'x' }]
});

// Each row: revoke, renew, download a private credential — for someone who is NOT the holder.
const MATRIX: Record<Role, [boolean, boolean, boolean]> = {
	responder: [false, false, false],
	principal: [false, false, false],
	learner: [false, false, false],
	police_liaison: [false, false, false],
	territory_coordinator: [false, false, false],
	dpcp_prosecutor: [false, false, false],
	trainer_evaluator: [true, true, false],
	privacy_officer: [false, false, false],
	platform_admin: [true, true, false]
};

describe('credential policy', () => {
	for (const [role, [revoke, renew, download]] of Object.entries(MATRIX) as [Role, [boolean, boolean, boolean]][]) {
		it(`${role} (not the holder): revoke ${revoke}, renew ${renew}, private download ${download}`, () => {
			const actor = actorWith(role);
			expect(can(actor, 'credential:revoke', award)).toBe(revoke);
			expect(can(actor, 'credential:renew', award)).toBe(renew);
			expect(can(actor, 'credential:download_private', award)).toBe(download);
		});
	}
	it('the holder renews and downloads their own credential but cannot revoke it', () => {
		const holder = actorWith('learner', HOLDER);
		expect(can(holder, 'credential:renew', award)).toBe(true);
		expect(can(holder, 'credential:download_private', award)).toBe(true);
		expect(can(holder, 'credential:revoke', award)).toBe(false);
	});
	it('nobody signed out may do anything', () => {
		expect(can(null, 'credential:revoke', award)).toBe(false);
		expect(can(null, 'credential:download_private', award)).toBe(false);
	});
});
