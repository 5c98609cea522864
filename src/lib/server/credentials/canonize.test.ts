/* eslint-disable @typescript-eslint/no-explicit-any -- the tests edit nested credential JSON */
/**
 * The fast canonicalisation path must give exactly the generic JSON-LD → RDFC-1.0 result: checked on many
 * generated credentials (random Unicode, quotes, newlines, 0–3 evidence items, both levels), on adversarial
 * values in IRI positions (terms, compact IRIs, blank node ids, relative IRIs) and on duplicates. The direct
 * RDFC-1.0 of a template is checked on escapes, subject and label ordering, repeated first-degree hashes
 * and tampered shapes, each time against the generic path.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonize, canonizeGeneric, canonizeStats, CanonicalizationError } from './canonize';
import { signDocument } from './proof';
import { documentLoader, UnknownContextError } from './document-loader';
import { prng, randomText, sampleCredential, testKey } from './test-support';

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

/** canonize() and the generic path agree; returns which fast path answered. */
async function same(doc: unknown, label: string): Promise<'direct' | 'rdf-canonize' | 'generic'> {
	const before = { ...canonizeStats };
	const fast = await canonize(doc).catch((e) => `error ${e.kind}`);
	const after = { ...canonizeStats };
	expect(fast, label).toBe(await canonizeGeneric(doc).catch((e) => `error ${e.kind}`));
	return after.direct > before.direct ? 'direct' : after.fast > before.fast ? 'rdf-canonize' : 'generic';
}

describe('direct RDFC-1.0 = generic path', () => {
	it('answers for the product credentials and their proof configurations', async () => {
		const key = testKey();
		for (let i = 0; i < 30; i++) {
			const signed = await signDocument(sampleCredential(900 + i), key, new Date(Date.UTC(2026, 2, 2, 14, 0, i)));
			const { proof, ...unsecured } = signed as Record<string, any>;
			const { proofValue, ...options } = proof[0];
			void proofValue;
			await canonize(unsecured);
			expect(await same(unsecured, `credential ${i}`)).toBe('direct');
			await canonize({ '@context': unsecured['@context'], ...options });
			expect(await same({ '@context': unsecured['@context'], ...options }, `proof config ${i}`)).toBe('direct');
		}
	}, 60_000);

	it('escapes every control character, quotes, backslashes and lone surrogates as rdf-canonize does', async () => {
		const all = Array.from({ length: 0x20 }, (_, c) => String.fromCharCode(c)).join('') + '\u007f"\\\u2028\ud800x\udfff😀\uffff\ue000';
		for (const [n, text] of [all, all.split('').reverse().join(''), '\r\n\b\f', '"', '\\', 'plain'].entries()) {
			const doc = sampleCredential(40, prng(40), 'explorateur') as Record<string, any>;
			await canonize(doc);
			doc.credentialSubject.identifier[1].identityHash = text;
			doc.credentialSubject.achievement.criteria.narrative = text + n;
			doc.name = `${n}${text}`;
			expect(await same(doc, `text ${n}`)).toBe('direct');
		}
	});

	it('orders subjects, code points above the BMP and canonical labels past c14n9 as rdf-canonize does', async () => {
		const base = sampleCredential(41, prng(41), 'explorateur') as Record<string, any>;
		await canonize(base);
		// Same shape, values chosen to sort differently: astral vs. high-BMP characters, equal subject IRIs.
		for (const [n, name] of ['\uffff', '😀', '\ue000a', '😀😀', ''].entries()) {
			const doc = structuredClone(base);
			doc.name = name;
			doc.credentialSubject.identifier[1].identityHash = ['😀', '\uffff', 'a'][n % 3];
			if (n === 1) doc.credentialSubject.achievement.image.id = doc.credentialSubject.achievement.id;
			if (n === 2) doc.credentialSubject.achievement.id = doc.id;
			if (n === 3) doc.credentialStatus.id = doc.issuer.id;
			expect(await same(doc, `ordering ${n}`)).not.toBe('generic');
		}
		// Fourteen blank nodes: labels c14n1 and c14n10 must sort as whole lines do.
		const many = structuredClone(base);
		many.credentialSubject.identifier = Array.from({ length: 12 }, (_, k) => ({ type: 'IdentityObject', hashed: false, identityHash: `person ${k}`, identityType: 'name' }));
		await canonize(many);
		expect(await same(many, 'many blank nodes')).toBe('direct');
	});

	it('leaves repeated first-degree hashes and repeated quads to rdf-canonize', async () => {
		const doc = sampleCredential(42, prng(42), 'explorateur') as Record<string, any>;
		// Two blank nodes with the same quads: the same first-degree hash (Hash N-Degree Quads decides).
		doc.credentialSubject.identifier = [
			{ type: 'IdentityObject', hashed: false, identityType: 'name' },
			{ type: 'IdentityObject', hashed: false, identityType: 'name' }
		];
		await canonize(doc);
		expect(await same(doc, 'twin blank nodes')).toBe('rdf-canonize');
		// Two evidence items with the same content: one copy in the dataset.
		const twice = sampleCredential(43, prng(43), 'explorateur') as Record<string, any>;
		const item = { id: 'https://x.test/e#1', type: ['Evidence'], name: 'n', narrative: 'same' };
		twice.evidence = [item, { ...item, narrative: 'other' }];
		await canonize(twice);
		twice.evidence = [item, { ...item }];
		expect(await same(twice, 'repeated evidence')).toBe('rdf-canonize');
	});

	it('falls back to the generic path on tampered shapes and values', async () => {
		const rand = prng(44);
		const tampered: [string, (d: Record<string, any>) => void][] = [
			['long key', (d) => (d.credentialSubject['x'.repeat(300)] = 'v')],
			['long type', (d) => (d.type = ['VerifiableCredential', 'OpenBadgeCredential', 'T'.repeat(300)])],
			['inline context', (d) => (d['@context'] = [...d['@context'], { name: 'https://evil.example/name' }])],
			['unknown context', (d) => (d['@context'] = [...d['@context'], 'https://evil.example/ctx'])],
			['relative id', (d) => (d.credentialSubject.achievement.id = 'badges/explorateur')],
			['blank node id', (d) => (d.credentialSubject.achievement.id = '_:c14n0')],
			['space in IRI', (d) => (d.issuer.id = 'did:web:a b')],
			['number for a string', (d) => (d.name = 42)],
			['nested @graph', (d) => (d.evidence = { '@graph': [{ id: 'https://x.test/g', name: 'g' }] })],
			['@language', (d) => (d.credentialSubject.achievement.name = { '@value': 'nom', '@language': 'fr' })],
			['sentinel-like value', (d) => (d.name = 'urn:x-sexto-slot:0')]
		];
		for (const [label, tamper] of tampered) {
			const doc = sampleCredential(45, rand, 'explorateur') as Record<string, any>;
			tamper(doc);
			await canonize(doc).catch(() => null); // the first use of a shape builds its template
			await same(doc, label);
		}
	});
});
