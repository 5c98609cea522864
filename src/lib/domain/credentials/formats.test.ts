import { describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import { base58btcDecode, base58btcEncode, ed25519FromMultikey, ed25519Multikey } from './multibase';
import { bakePng, crc32, extractFromPng, PngError, readChunks, writeChunks } from './png';
import { bakeSvg, extractFromSvg, OB_SVG_NS } from './svg';
import { bitAt, decodeStatusList, encodeStatusList, MIN_STATUS_LIST_BITS } from './bitstring';
import { addMonths } from './badge-classes';
import { didWebOf, evidenceFromItems, evidenceItems } from './credential';

function tinyPng(): Uint8Array {
	const ihdr = new Uint8Array(13);
	new DataView(ihdr.buffer).setUint32(0, 1);
	new DataView(ihdr.buffer).setUint32(4, 1);
	ihdr[8] = 8;
	ihdr[9] = 6;
	return writeChunks([
		{ type: 'IHDR', data: ihdr },
		{ type: 'IDAT', data: deflateSync(Buffer.from([0, 0, 0, 0, 0])) },
		{ type: 'IEND', data: new Uint8Array() }
	]);
}

describe('multibase', () => {
	it('round-trips base58btc, leading zeros included, and knows the alphabet', () => {
		for (const bytes of [[], [0], [0, 0, 1], [255, 254, 0, 7], Array.from({ length: 64 }, (_, i) => (i * 37) % 256)]) {
			const u = Uint8Array.from(bytes);
			expect(base58btcDecode(base58btcEncode(u))).toEqual(u);
		}
		expect(base58btcEncode(new TextEncoder().encode('Hello World!'))).toBe('2NEpo7TZRRrLZSi2U');
		expect(base58btcDecode('0OIl')).toBeNull();
		expect(base58btcDecode('2NEpo7TZRRrLZSi2U\u00e9')).toBeNull();
	});
	it('decodes any base58btc text as the big-number definition does (leading "1"s are zero bytes)', () => {
		const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
		const reference = (text: string) => {
			const zeros = /^1*/.exec(text)![0].length;
			let n = 0n;
			for (const c of text.slice(zeros)) n = n * 58n + BigInt(alphabet.indexOf(c));
			const hex = n === 0n ? '' : n.toString(16).padStart(Math.ceil(n.toString(16).length / 2) * 2, '0');
			return Uint8Array.from([...Array(zeros).fill(0), ...(hex.match(/../g) ?? []).map((h) => parseInt(h, 16))]);
		};
		let seed = 7;
		const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
		for (let i = 0; i < 300; i++) {
			const text = Array.from({ length: next() % 100 }, () => alphabet[next() % (i % 3 === 0 ? 3 : 58)]).join('');
			expect(base58btcDecode(text), text).toEqual(reference(text));
		}
	});
	it('encodes an Ed25519 Multikey with the 0xed01 prefix (z6Mk…)', () => {
		const raw = Uint8Array.from({ length: 32 }, (_, i) => i);
		const mk = ed25519Multikey(raw);
		expect(mk.startsWith('z6Mk')).toBe(true);
		expect(ed25519FromMultikey(mk)).toEqual(raw);
		expect(ed25519FromMultikey('z' + base58btcEncode(Uint8Array.from([0xe7, 0x01, ...raw])))).toBeNull();
	});
});

describe('PNG chunks', () => {
	it('computes the standard CRC-32', () => {
		expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
	});
	it('bakes a credential in an iTXt chunk before IEND and reads it back, replacing an older one', () => {
		const json = JSON.stringify({ hello: 'crédential ✓', n: 1 });
		const baked = bakePng(tinyPng(), json);
		expect(readChunks(baked).map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'iTXt', 'IEND']);
		expect(extractFromPng(baked)).toBe(json);
		const rebaked = bakePng(baked, '{"second":true}');
		expect(readChunks(rebaked).filter((c) => c.type === 'iTXt')).toHaveLength(1);
		expect(extractFromPng(rebaked)).toBe('{"second":true}');
	});
	it('returns null for a PNG without credential and refuses malformed files with a reason', () => {
		expect(extractFromPng(tinyPng())).toBeNull();
		const baked = bakePng(tinyPng(), '{}');
		const problem = (bytes: Uint8Array) => {
			try {
				readChunks(bytes);
				return 'ok';
			} catch (e) {
				return (e as PngError).problem;
			}
		};
		expect(problem(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('not_png');
		expect(problem(baked.slice(0, baked.length - 5))).toBe('truncated');
		const flipped = baked.slice();
		flipped[20] = flipped[20]! ^ 0xff;
		expect(problem(flipped)).toBe('bad_crc');
		// a chunk length pointing far past the end of the file
		const huge = baked.slice();
		new DataView(huge.buffer).setUint32(8, 0x7ffffff0);
		expect(problem(huge)).toBe('truncated');
		expect(problem(baked.slice(0, 33))).toBe('no_iend');
	});
});

describe('SVG baking', () => {
	const base = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle r="4"/></svg>';
	it('embeds the credential in the OB namespace and extracts the same text, even with "]]>" inside', () => {
		const json = JSON.stringify({ a: 'x ]]> y', b: '<tag>&amp;' });
		const baked = bakeSvg(base, json);
		expect(baked).toContain(`xmlns:openbadges="${OB_SVG_NS}"`);
		expect(extractFromSvg(baked)).toEqual({ ok: true, json });
		expect(extractFromSvg(bakeSvg(baked, '{"n":2}'))).toEqual({ ok: true, json: '{"n":2}' });
	});
	it('reports an SVG without credential, or with the prefix bound to another namespace', () => {
		expect(extractFromSvg(base)).toEqual({ ok: false, problem: 'no_credential' });
		expect(extractFromSvg('<svg xmlns:openbadges="http://evil.example"><openbadges:credential>{}</openbadges:credential></svg>')).toEqual({ ok: false, problem: 'wrong_namespace' });
		expect(extractFromSvg('hello')).toEqual({ ok: false, problem: 'not_svg' });
	});
});

describe('Bitstring status list', () => {
	it('sets the left-most bit for index 0 and round-trips through gzip + multibase base64url', () => {
		const encoded = encodeStatusList([0, 9, MIN_STATUS_LIST_BITS - 1]);
		expect(encoded.startsWith('u')).toBe(true);
		const bits = decodeStatusList(encoded)!;
		expect(bits.length * 8).toBe(MIN_STATUS_LIST_BITS);
		expect(bits[0]).toBe(0x80);
		expect(bits[1]).toBe(0x40);
		expect([0, 1, 9, 10, MIN_STATUS_LIST_BITS - 1].map((i) => bitAt(bits, i))).toEqual([true, false, true, false, true]);
	});
	it('refuses lists that are too small, not gzip or not multibase', () => {
		expect(() => encodeStatusList([], 8)).toThrow();
		expect(decodeStatusList('zabc')).toBeNull();
		expect(decodeStatusList('u' + Buffer.from('not gzip').toString('base64url'))).toBeNull();
	});
});

describe('credential pieces', () => {
	it('adds months, clamping to the end of shorter months', () => {
		expect(addMonths(new Date('2026-01-31T10:00:00Z'), 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
		expect(addMonths(new Date('2026-03-02T14:00:00Z'), 36).toISOString()).toBe('2029-03-02T14:00:00.000Z');
	});
	it('makes did:web identifiers with the port percent-encoded', () => {
		expect(didWebOf('http://localhost:3000')).toBe('did:web:localhost%3A3000');
		expect(didWebOf('https://sexto.example.ca')).toBe('did:web:sexto.example.ca');
	});
	it('maps frozen reflection answers to Evidence items and back (so the stored hash can be checked)', () => {
		const evidence = [
			{ key: 'q1', question: { fr: 'Pourquoi ?', en: 'Why?' }, answer: 'Parce que.' },
			{ key: 'q 2/é', question: { fr: 'Q2', en: 'Q2' }, answer: 'Deux\nlignes' }
		];
		const items = evidenceItems('https://x.test', 'a1', evidence);
		expect(items[0]).toMatchObject({ type: ['Evidence'], name: 'Pourquoi ?', description: 'Why?', narrative: 'Parce que.' });
		expect(evidenceFromItems(items)).toEqual(evidence);
		const runs = { cases: [{ id: 'c1', score: 90 }] };
		expect(evidenceFromItems(evidenceItems('https://x.test', 'a1', runs))).toEqual(runs);
	});
});
