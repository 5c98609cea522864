import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id (a const enum, which isolated modules cannot import).
const ARGON2ID = 2;

/** argon2id with the OWASP 2024 baseline (19 MiB, t=2, p=1). See docs/decisions/0004-password-hashing.md. */
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
	return hash(password, OPTIONS);
}

// Verified against when the email is unknown, so both paths cost the same time (no account enumeration).
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
	if (!passwordHash) {
		dummyHash ??= hash('not-a-real-password-' + Math.random(), OPTIONS);
		await verify(await dummyHash, password).catch(() => false);
		return false;
	}
	return verify(passwordHash, password).catch(() => false);
}
