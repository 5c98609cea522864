/* eslint-disable @typescript-eslint/no-explicit-any -- the tests edit nested credential JSON */
/**
 * The fast canonicalisation path must give exactly the generic JSON-LD → RDFC-1.0 result: checked on many
 * generated credentials (random Unicode, quotes, newlines, 0–3 evidence items, both levels), on adversarial
 * values in IRI positions (terms, compact IRIs, blank node ids, relative IRIs) and on duplicates.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonize, canonizeGeneric, canonizeStats, CanonicalizationError } from './canonize';
import { documentLoader, UnknownContextError } from './document-loader';
import { prng, randomText, sampleCredential } from './test-support';

describe('bundled contexts', () => {
	it('are the pinned files, and any other URL is refused (never fetched)', async () => {
		const sha = (f: string) => createHash('sha256').update(readFileSync(new URL(`./contexts/${f}`, import.meta.url))).digest('hex').slice(0, 16);
		expect(sha('credentials-v2.json')).toMatchInlineSnapshot(`"8a9f494a89ecc51d"`);
		expect(sha('ob-v3p0-3.0.3.json')).toMatchInlineSnapshot(`"ef2fa9c7846dce23"`);
		expect(sha('multikey-v1.json')).toMatchInlineSnapshot(`"c5f3806f82869205"`);
		await expect(documentLoader('https://evil.example/context.json')).rejects.toBeInstanceOf(UnknownContextError);
		await expect(documentLoader('https://www.w3.org/2018/credentials/v1')).rejects.toBeInstanceOf(UnknownContextError);
	});
	it('a document naming an unbundled context fails as unknown_context', async () => {
		const doc = { ...sampleCredential(1), '@context': ['https://www.w3.org/ns/credentials/v2', 'https://evil.example/ctx'] };
		const error = await canonizeGeneric(doc).catch((e) => e);
		expect(error).toBeInstanceOf(CanonicalizationError);
		expect(error.kind).toBe('unknown_context');
		expect((await canonize(doc).catch((e) => e)).kind).toBe('unknown_context');
	});
});

describe('fast path = generic path', () => {
	it('on 120 generated credentials', async () => {
		const before = canonizeStats.fast;
		for (let i = 0; i < 120; i++) {
			const doc = sampleCredential(i);
			expect(await canonize(doc), `credential ${i}`).toBe(await canonizeGeneric(doc));
		}
		expect(canonizeStats.fast - before).toBeGreaterThan(100);
	}, 120_000);

	it('on adversarial values in IRI and literal positions (falling back where it must)', async () => {
		const rand = prng(99);
		const iris = ['assertionMethod', 'xsd:string', '_:b0', 'relative/path', 'OpenBadgeCredential', 'https://ok.example/a b', 'urn:x-sexto-slot:3', 'did:web:x', 'https://ok.example/p?q=1#f', 'mailto:a@b.c', 'schema:name', 'id', ''];
		for (const [n, iri] of iris.entries()) {
			const doc = sampleCredential(500 + n) as Record<string, any>;
			doc.credentialSubject.achievement.id = iri;
			doc.issuer.id = iris[(n + 3) % iris.length];
			doc.credentialSubject.achievement.name = randomText(rand) + iri;
			const fast = await canonize(doc).catch((e) => `error ${e.kind}`);
			const generic = await canonizeGeneric(doc).catch((e) => `error ${e.kind}`);
			expect(fast, `IRI ${JSON.stringify(iri)}`).toBe(generic);
		}
	}, 120_000);

	it('when two evidence items are identical (a dataset keeps one copy)', async () => {
		const doc = sampleCredential(7, prng(7), 'explorateur') as Record<string, any>;
		const item = { id: 'https://x.test/e#1', type: ['Evidence'], name: 'n', narrative: 'same' };
		doc.evidence = [item, { ...item }, { ...item, narrative: 'other' }];
		expect(await canonize(doc)).toBe(await canonizeGeneric(doc));
	});
});
