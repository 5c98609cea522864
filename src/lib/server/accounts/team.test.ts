import { describe, expect, it } from 'vitest';
import { decodeScope, encodeScope } from './team';
import { SCOPE_TYPES } from '../db/schema';

const ID = '7b0b1a52-0000-4000-8000-000000000021';

describe('encodeScope / decodeScope (the scope <select> value)', () => {
	it('round-trips every scope type', () => {
		for (const scopeType of SCOPE_TYPES) {
			const scopeId = scopeType === 'platform' ? null : ID;
			expect(decodeScope(encodeScope(scopeType, scopeId))).toEqual({ scopeType, scopeId });
		}
	});

	it('encodes as type:id, and the platform as a bare word', () => {
		expect(encodeScope('school', ID)).toBe(`school:${ID}`);
		expect(encodeScope('platform', null)).toBe('platform');
	});

	it.each(['', 'platform:', `platform:${ID}`, 'school', 'school:', 'police_service', 'territory:', `galaxy:${ID}`, `School:${ID}`, ':'])(
		'refuses %j',
		(value) => {
			expect(decodeScope(value)).toBeNull();
		}
	);
});
