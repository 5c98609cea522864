import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign, verify } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../config';
import { keyRingOf, rotateKeys } from './keys';

const dir = mkdtempSync(join(tmpdir(), 'sexto-keys-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('credential keys', () => {
	it('the embedded demo creates its key file on first use (mode 0600); PostgreSQL must be given one', () => {
		const path = join(dir, 'demo.json');
		const ring = keyRingOf({ CREDENTIAL_KEYS_FILE: path, dialect: 'sqlite' });
		expect(ring.all).toHaveLength(1);
		expect(ring.active.publicKeyMultibase.startsWith('z6Mk')).toBe(true);
		expect(statSync(path).mode & 0o777).toBe(0o600);
		const data = Buffer.from('hashData');
		expect(verify(null, data, ring.all[0]!.publicKey, sign(null, data, ring.active.privateKey))).toBe(true);
		expect(() => keyRingOf({ CREDENTIAL_KEYS_FILE: join(dir, 'missing.json'), dialect: 'postgres' })).toThrow(ConfigError);
	});

	it('rotation appends a key that signs from then on; older keys stay published', () => {
		const path = join(dir, 'rotate.json');
		const first = rotateKeys(path, new Date('2026-01-01T00:00:00Z'));
		const second = rotateKeys(path, new Date('2026-06-01T00:00:00Z'));
		const ring = keyRingOf({ CREDENTIAL_KEYS_FILE: path, dialect: 'postgres' });
		expect(ring.all.map((k) => k.id)).toEqual([first, second]);
		expect(ring.active.id).toBe(second);
	});

	it('refuses a file whose public key does not match its secret, or that is not a key file', () => {
		const path = join(dir, 'bad.json');
		rotateKeys(path, new Date());
		const file = JSON.parse(readFileSync(path, 'utf8'));
		const other = JSON.parse(readFileSync(join(dir, 'rotate.json'), 'utf8'));
		file.keys[0].publicKeyMultibase = other.keys[0].publicKeyMultibase;
		writeFileSync(path, JSON.stringify(file));
		expect(() => keyRingOf({ CREDENTIAL_KEYS_FILE: path, dialect: 'postgres' })).toThrow(/does not match/);
		writeFileSync(path, '{"keys": "nope"}');
		expect(() => keyRingOf({ CREDENTIAL_KEYS_FILE: path, dialect: 'postgres' })).toThrow(ConfigError);
	});
});
