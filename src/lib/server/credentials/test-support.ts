/** Shared by the credential tests and the benchmark: an issuer, a key and a credential generator. */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { buildCredential, didWebOf, type IssuerInfo } from '../../domain/credentials/credential';
import type { AwardLevel } from '../../domain/credentials/badge-classes';

export const TEST_ORIGIN = 'http://localhost:4203';
export const TEST_ISSUER: IssuerInfo = { did: didWebOf(TEST_ORIGIN), origin: TEST_ORIGIN, name: 'Sexto', email: 'badges@sexto.test' };

export function testKey(id = 'key-test-1'): { verificationMethod: string; privateKey: KeyObject; publicKey: KeyObject } {
	const { privateKey, publicKey } = generateKeyPairSync('ed25519');
	return { verificationMethod: `${TEST_ISSUER.did}#${id}`, privateKey, publicKey };
}

/** A deterministic pseudo-random generator (tests must be reproducible). */
export function prng(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let t = s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const PIECES = ['a', 'É', 'ç', ' ', '"', '\\', '\n', '\t', '<', '>', '&', "'", '😀', '中', 'z', '0', '#', '%20', '{', '}', '\u0000', '\u2028', 'ﬁ'];

export function randomText(rand: () => number, max = 40): string {
	const n = Math.floor(rand() * max);
	let s = '';
	for (let i = 0; i < n; i++) s += PIECES[Math.floor(rand() * PIECES.length)];
	return s;
}

export function sampleCredential(i: number, rand: () => number = prng(i), level?: AwardLevel): Record<string, unknown> {
	const count = Math.floor(rand() * 4);
	const evidence = Array.from({ length: count }, (_, k) => ({
		key: `q${k}${randomText(rand, 4)}`,
		question: { fr: randomText(rand), en: randomText(rand) },
		answer: randomText(rand, 200)
	}));
	return buildCredential(TEST_ISSUER, {
		credentialId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
		awardId: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
		level: level ?? (rand() < 0.5 ? 'explorateur' : 'architecte'),
		awardedAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(rand() * 1e10)).toISOString(),
		holder: { name: randomText(rand, 30) || 'X', email: `p${i}@sexto.test` },
		evidence,
		status: { listUrl: `${TEST_ORIGIN}/credentials/status/20000000-0000-4000-8000-000000000000`, index: Math.floor(rand() * 131072) },
		validFrom: new Date(Date.UTC(2026, 2, 2) + Math.floor(rand() * 1e9))
	});
}
