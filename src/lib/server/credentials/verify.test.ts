/* eslint-disable @typescript-eslint/no-explicit-any -- the tests edit nested credential JSON */
/**
 * Issue → verify → tamper, wrong key, unknown context, malformed JSON, another issuer, dates, status;
 * and the emitted credential against the vendored 1EdTech OB 3.0 JSON Schema.
 */
import { BADGE_CLASSES } from '../../domain/credentials/badge-classes';
import { readFileSync } from 'node:fs';
import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { signDocument } from './proof';
import { canonizeGeneric } from './canonize';
import { multibaseDecode } from '../../domain/credentials/multibase';
import { verifyCredential, type StatusAnswer, type VerifyEnv } from './verify';
import { sampleCredential, TEST_ISSUER, TEST_ORIGIN, testKey } from './test-support';

const key = testKey();
const NOW = new Date('2026-06-01T12:00:00Z');

function env(overrides: Partial<VerifyEnv> = {}, status: StatusAnswer | null = { revoked: false, category: null }): VerifyEnv {
	return {
		issuerDid: TEST_ISSUER.did,
		statusListPrefix: `${TEST_ORIGIN}/credentials/status/`,
		keyFor: (vm) => (vm === key.verificationMethod ? key.publicKey : null),
		now: NOW,
		statusOf: async () => status,
		...overrides
	};
}

async function issued(i = 1, level: 'explorateur' | 'architecte' = 'explorateur') {
	const doc = sampleCredential(i, undefined, level);
	doc.validFrom = '2026-03-02T14:00:00.000Z';
	if (doc.validUntil) doc.validUntil = '2029-03-02T14:00:00.000Z';
	return signDocument(doc, key, new Date('2026-03-02T14:00:00Z'));
}

describe('eddsa-rdfc-2022 round trip', () => {
	it('a freshly issued credential is valid, with its summary', async () => {
		const credential = await issued();
		const verdict = await verifyCredential(JSON.stringify(credential), env());
		expect(verdict.status).toBe('valid');
		expect(verdict.reasons).toContain('signature_ok');
		expect(verdict.summary?.name).toBe(BADGE_CLASSES.explorateur.name.fr);
		const proof = (credential.proof as Record<string, unknown>[])[0]!;
		expect(proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', proofPurpose: 'assertionMethod', verificationMethod: key.verificationMethod });
		expect(String(proof.proofValue)).toMatch(/^z[1-9A-HJ-NP-Za-km-z]{80,90}$/);
	});

	it('the proof signs the generic canonical N-Quads hashed as UTF-8 (lone surrogates as U+FFFD)', async () => {
		const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest();
		for (const [n, name] of ['\ud800 seul', 'x\udfff', '😀 é–’ ok', 'plain'].entries()) {
			const doc = sampleCredential(70 + n, undefined, 'explorateur') as Record<string, any>;
			doc.validFrom = '2026-03-02T14:00:00.000Z';
			doc.credentialSubject.identifier[1].identityHash = name;
			const signed = await signDocument(doc, key, new Date('2026-03-02T14:00:00Z'));
			const { proof, ...unsecured } = signed as Record<string, any>;
			const { proofValue, ...options } = proof[0];
			const data = Buffer.concat([sha(await canonizeGeneric({ '@context': unsecured['@context'], ...options })), sha(await canonizeGeneric(unsecured))]);
			expect(verify(null, data, key.publicKey, multibaseDecode(proofValue)!), JSON.stringify(name)).toBe(true);
			expect((await verifyCredential(JSON.stringify(signed), env())).status).toBe('valid');
		}
	});

	it('changing one character anywhere signed breaks the signature', async () => {
		const text = JSON.stringify(await issued(2));
		for (const [from, to] of [
			[BADGE_CLASSES.explorateur.name.fr, `${BADGE_CLASSES.explorateur.name.fr.slice(0, -1)}s`],
			['"validFrom":"2026-03-02T14', '"validFrom":"2026-03-03T14'],
			['"statusListIndex":"', '"statusListIndex":"1']
		] as const) {
			const tampered = text.replace(from, to);
			expect(tampered).not.toBe(text);
			expect((await verifyCredential(tampered, env())).status, from).toBe('invalid_signature');
		}
		// one character of an evidence answer
		const c = JSON.parse(text);
		c.credentialSubject.identifier[1].identityHash += 'x';
		expect((await verifyCredential(c, env())).status).toBe('invalid_signature');
		// and one character of the proof value itself
		const p = JSON.parse(text);
		const v: string = p.proof[0].proofValue;
		p.proof[0].proofValue = v.slice(0, 10) + (v[10] === 'A' ? 'B' : 'A') + v.slice(11);
		expect((await verifyCredential(p, env())).reasons).toContain('signature_bad');
	});

	it('a credential signed by another key (same issuer id) is refused', async () => {
		const other = generateKeyPairSync('ed25519');
		const forged = await signDocument(sampleCredential(3), { verificationMethod: key.verificationMethod, privateKey: other.privateKey }, NOW);
		expect((await verifyCredential(forged, env())).status).toBe('invalid_signature');
		const unknownKey = await signDocument(sampleCredential(3), { verificationMethod: `${TEST_ISSUER.did}#key-nope`, privateKey: other.privateKey }, NOW);
		expect(await verifyCredential(unknownKey, env())).toMatchObject({ status: 'invalid_signature', reasons: ['key_unknown'] });
	});

	it('another issuer is unknown, never fetched', async () => {
		const doc = sampleCredential(4) as Record<string, any>;
		doc.issuer.id = 'did:web:elsewhere.example';
		const signed = await signDocument(doc, { verificationMethod: 'did:web:elsewhere.example#k', privateKey: key.privateKey }, NOW);
		expect((await verifyCredential(signed, env())).status).toBe('unknown_issuer');
	});

	it('unknown or inline contexts, malformed JSON, wrong types, no proof', async () => {
		const credential = await issued(5);
		expect((await verifyCredential({ ...credential, '@context': ['https://www.w3.org/ns/credentials/v2', 'https://evil.example/ctx.json'] }, env())).status).toBe('unknown_context');
		expect((await verifyCredential({ ...credential, '@context': ['https://www.w3.org/2018/credentials/v1'] }, env())).status).toBe('unknown_context');
		expect((await verifyCredential({ ...credential, '@context': ['https://www.w3.org/ns/credentials/v2', { name: 'http://x/y' }] }, env())).reasons).toEqual(['context_inline']);
		expect(await verifyCredential('{"not json', env())).toEqual({ status: 'malformed', reasons: ['json_invalid'] });
		expect((await verifyCredential('[1,2]', env())).status).toBe('malformed');
		expect((await verifyCredential('x'.repeat(300 * 1024), env())).reasons).toEqual(['too_large']);
		// The limit is on UTF-8 bytes: 100 Ki characters of 3 bytes are too large, 80 Ki of them are not.
		expect((await verifyCredential(`"${'€'.repeat(100 * 1024)}"`, env())).reasons).toEqual(['too_large']);
		expect((await verifyCredential(`"${'€'.repeat(80 * 1024)}"`, env())).reasons).toEqual(['not_object']);
		expect((await verifyCredential({ ...credential, type: ['VerifiableCredential'] }, env())).status).toBe('malformed');
		const { proof: _p, ...bare } = credential;
		void _p;
		expect((await verifyCredential(bare, env())).reasons).toEqual(['proof_missing']);
	});

	it('dates: expired after validUntil, not yet valid before validFrom', async () => {
		const architecte = await issued(6, 'architecte');
		expect((await verifyCredential(architecte, env())).status).toBe('valid');
		expect((await verifyCredential(architecte, env({ now: new Date('2029-03-03T00:00:00Z') }))).status).toBe('expired');
		expect((await verifyCredential(architecte, env({ now: new Date('2026-03-01T00:00:00Z') }))).status).toBe('not_yet_valid');
	});

	it('revocation comes from the status lookup, with the category; other hosts are never consulted', async () => {
		const credential = await issued(7);
		expect(await verifyCredential(credential, env({}, { revoked: true, category: 'issued_in_error' }))).toMatchObject({ status: 'revoked', revocationCategory: 'issued_in_error' });
		let asked = false;
		const otherHost = env({ statusListPrefix: 'https://elsewhere.example/', statusOf: async () => ((asked = true), null) });
		expect((await verifyCredential(credential, otherHost)).reasons).toContain('status_other_host');
		expect(asked).toBe(false);
	});
});

describe('1EdTech Open Badges 3.0 JSON Schema', () => {
	it('accepts the emitted credentials (both levels, with and without evidence)', async () => {
		const schema = JSON.parse(readFileSync(new URL('../../../../vendor/1edtech-ob-v3p0/ob_v3p0_achievementcredential_schema.json', import.meta.url), 'utf8'));
		const ajv = new Ajv2019({ strict: false, allErrors: true });
		addFormats(ajv);
		const validate = ajv.compile(schema);
		for (const [i, level] of [[1, 'explorateur'], [2, 'architecte'], [3, 'explorateur']] as const) {
			const credential = await issued(i, level);
			const ok = validate(credential);
			expect(validate.errors ?? [], `${level} ${i}`).toEqual([]);
			expect(ok).toBe(true);
		}
		// and it is a real check: a credential without validFrom or with a bad IdentityObject fails
		const broken = await issued(4);
		delete broken.validFrom;
		expect(validate(broken)).toBe(false);
	});
});
