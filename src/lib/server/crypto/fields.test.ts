import { describe, expect, it } from 'vitest';
import { createFieldCipher, decodeKey, FieldCipherError, generateKey, normaliseForIndex } from './fields';

const cipher = createFieldCipher(decodeKey(generateKey(), 'k1'), decodeKey(generateKey(), 'k2'));

describe('field encryption', () => {
	it('round-trips text with accents and never shows the plaintext', () => {
		const c = cipher.encrypt('Éloïse Tremblay');
		expect(c).not.toContain('Tremblay');
		expect(c.startsWith('v1.')).toBe(true);
		expect(cipher.decrypt(c)).toBe('Éloïse Tremblay');
	});
	it('uses a fresh IV: the same name encrypts differently each time', () => {
		expect(cipher.encrypt('Jean')).not.toBe(cipher.encrypt('Jean'));
	});
	it('refuses altered ciphertext and a wrong key', () => {
		const c = cipher.encrypt('secret');
		const parts = c.split('.');
		const body = Buffer.from(parts[3]!, 'base64url');
		body[0] = body[0]! ^ 1;
		expect(() => cipher.decrypt([parts[0], parts[1], parts[2], body.toString('base64url')].join('.'))).toThrow(FieldCipherError);
		const other = createFieldCipher(decodeKey(generateKey(), 'a'), decodeKey(generateKey(), 'b'));
		expect(() => other.decrypt(c)).toThrow(FieldCipherError);
	});
	it('optional helpers keep null as null', () => {
		expect(cipher.encryptOptional('')).toBeNull();
		expect(cipher.decryptOptional(null)).toBeNull();
	});
	it('blind index matches the same name however it is typed, and differs per key', () => {
		expect(cipher.blindIndex('  Éloïse   TREMBLAY ')).toBe(cipher.blindIndex('eloise tremblay'));
		expect(cipher.blindIndex('Eloise Tremblay')).not.toBe(cipher.blindIndex('Eloise Tremblai'));
		const other = createFieldCipher(decodeKey(generateKey(), 'a'), decodeKey(generateKey(), 'b'));
		expect(other.blindIndex('eloise tremblay')).not.toBe(cipher.blindIndex('eloise tremblay'));
		expect(normaliseForIndex('À  Ça')).toBe('a ca');
	});
	it('refuses short keys and identical keys', () => {
		expect(() => decodeKey(Buffer.alloc(16).toString('base64'), 'FIELD_ENCRYPTION_KEY')).toThrow(/FIELD_ENCRYPTION_KEY/);
		const k = decodeKey(generateKey(), 'k');
		expect(() => createFieldCipher(k, k)).toThrow(FieldCipherError);
	});
});
