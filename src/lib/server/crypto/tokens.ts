import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** 256-bit random token for cookies and emailed links; only its SHA-256 is stored. */
export function newToken(): string {
	return randomBytes(32).toString('base64url');
}

export function sha256Hex(value: string): string {
	return createHash('sha256').update(value).digest('hex');
}

export function newId(): string {
	return randomUUID();
}
