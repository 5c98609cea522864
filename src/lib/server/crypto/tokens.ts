import { hash, randomBytes, randomUUID } from 'node:crypto';

/** 256-bit random token for cookies and emailed links; only its SHA-256 is stored. */
export function newToken(): string {
	return randomBytes(32).toString('base64url');
}

/** One-shot hash (no Hash object): every signed-in request hashes its session token. */
export function sha256Hex(value: string): string {
	return hash('sha256', value, 'hex');
}

export function newId(): string {
	return randomUUID();
}
