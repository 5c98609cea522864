/**
 * Field encryption for case data: AES-256-GCM with a random 96-bit IV per value, and an HMAC-SHA-256
 * blind index for exact-match search of names without storing them. Keys come from configuration
 * (FIELD_ENCRYPTION_KEY, BLIND_INDEX_KEY: 32 random bytes, base64). Ciphertext format:
 * "v1.<iv>.<tag>.<ciphertext>" (base64url) — the version prefix leaves room for key rotation.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

export interface FieldCipher {
	encrypt(plaintext: string): string;
	decrypt(ciphertext: string): string;
	encryptOptional(plaintext: string | null | undefined): string | null;
	decryptOptional(ciphertext: string | null | undefined): string | null;
	/** Deterministic index of a normalised value (case, accents and spaces folded). */
	blindIndex(value: string): string;
}

export class FieldCipherError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'FieldCipherError';
	}
}

export function decodeKey(base64: string, name: string): Buffer {
	const key = Buffer.from(base64, 'base64');
	if (key.length !== 32) throw new FieldCipherError(`${name} must be 32 bytes encoded in base64`);
	return key;
}

export function generateKey(): string {
	return randomBytes(32).toString('base64');
}

/** Folds what a person would consider the same name: "  Éloïse  TREMBLAY " = "eloise tremblay". */
export function normaliseForIndex(value: string): string {
	return value
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/\s+/g, ' ')
		.trim();
}

export function createFieldCipher(encryptionKey: Buffer, indexKey: Buffer): FieldCipher {
	if (encryptionKey.equals(indexKey)) throw new FieldCipherError('encryption and blind-index keys must differ');
	const encrypt = (plaintext: string): string => {
		const iv = randomBytes(12);
		const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
		const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
		return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
	};
	const decrypt = (ciphertext: string): string => {
		const [version, iv, tag, body] = ciphertext.split('.');
		if (version !== 'v1' || !iv || !tag || body === undefined) throw new FieldCipherError('unknown ciphertext format');
		const decipher = createDecipheriv('aes-256-gcm', encryptionKey, Buffer.from(iv, 'base64url'));
		decipher.setAuthTag(Buffer.from(tag, 'base64url'));
		try {
			return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
		} catch {
			throw new FieldCipherError('ciphertext failed authentication (wrong key or altered data)');
		}
	};
	return {
		encrypt,
		decrypt,
		encryptOptional: (v) => (v === null || v === undefined || v === '' ? null : encrypt(v)),
		decryptOptional: (v) => (v === null || v === undefined ? null : decrypt(v)),
		blindIndex: (value) => createHmac('sha256', indexKey).update(normaliseForIndex(value)).digest('base64url')
	};
}
