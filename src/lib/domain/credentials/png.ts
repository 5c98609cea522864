/**
 * A small PNG chunk reader/writer, enough to bake an Open Badges credential into an image and read it
 * back (iTXt chunk keyed "openbadgecredential"). Defensive: the signature, every chunk length and CRC
 * are checked; a truncated or oversized file is refused with a reason, never an exception escaping.
 */
const SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
export const OB_KEYWORD = 'openbadgecredential';

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
	let c = 0xffffffff;
	for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

export interface PngChunk {
	type: string;
	data: Uint8Array;
}

export type PngProblem = 'not_png' | 'truncated' | 'bad_crc' | 'bad_chunk' | 'no_iend';

export class PngError extends Error {
	constructor(public readonly problem: PngProblem) {
		super(`PNG: ${problem}`);
		this.name = 'PngError';
	}
}

export function isPng(bytes: Uint8Array): boolean {
	return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Every chunk of a PNG, in order. Throws PngError (with a reason code) on anything malformed. */
export function readChunks(bytes: Uint8Array): PngChunk[] {
	if (!isPng(bytes)) throw new PngError('not_png');
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const chunks: PngChunk[] = [];
	let offset = 8;
	while (offset < bytes.length) {
		if (offset + 12 > bytes.length) throw new PngError('truncated');
		const length = view.getUint32(offset);
		// A chunk may not exceed 2^31-1 bytes (PNG spec) nor what is left of the file.
		if (length > 0x7fffffff || offset + 12 + length > bytes.length) throw new PngError('truncated');
		const typeBytes = bytes.subarray(offset + 4, offset + 8);
		if (![...typeBytes].every((b) => (b >= 65 && b <= 90) || (b >= 97 && b <= 122))) throw new PngError('bad_chunk');
		const type = String.fromCharCode(...typeBytes);
		const crc = view.getUint32(offset + 8 + length);
		if (crc32(bytes, offset + 4, offset + 8 + length) !== crc) throw new PngError('bad_crc');
		chunks.push({ type, data: bytes.slice(offset + 8, offset + 8 + length) });
		offset += 12 + length;
		if (type === 'IEND') return chunks;
	}
	throw new PngError('no_iend');
}

export function writeChunks(chunks: PngChunk[]): Uint8Array {
	const size = 8 + chunks.reduce((n, c) => n + 12 + c.data.length, 0);
	const out = new Uint8Array(size);
	const view = new DataView(out.buffer);
	out.set(SIGNATURE, 0);
	let offset = 8;
	for (const chunk of chunks) {
		view.setUint32(offset, chunk.data.length);
		for (let i = 0; i < 4; i++) out[offset + 4 + i] = chunk.type.charCodeAt(i);
		out.set(chunk.data, offset + 8);
		view.setUint32(offset + 8 + chunk.data.length, crc32(out, offset + 4, offset + 8 + chunk.data.length));
		offset += 12 + chunk.data.length;
	}
	return out;
}

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** iTXt: keyword NUL, compression flag 0, method 0, language tag NUL, translated keyword NUL, UTF-8 text. */
export function itxtChunk(keyword: string, text: string): PngChunk {
	const k = encoder.encode(keyword);
	const t = encoder.encode(text);
	const data = new Uint8Array(k.length + 5 + t.length);
	data.set(k, 0);
	// bytes after the keyword: NUL, flag 0, method 0, empty language NUL, empty translated keyword NUL
	data.set(t, k.length + 5);
	return { type: 'iTXt', data };
}

/** The text of an uncompressed iTXt chunk with this keyword, or null. */
export function readItxt(chunk: PngChunk, keyword: string): string | null {
	if (chunk.type !== 'iTXt') return null;
	const d = chunk.data;
	const nul = d.indexOf(0);
	if (nul <= 0 || nul > 79) return null;
	if (String.fromCharCode(...d.subarray(0, nul)) !== keyword) return null;
	if (d[nul + 1] !== 0) return null; // compressed: never written by us, refused
	const langEnd = d.indexOf(0, nul + 3);
	if (langEnd < 0) return null;
	const transEnd = d.indexOf(0, langEnd + 1);
	if (transEnd < 0) return null;
	try {
		return strictDecoder.decode(d.subarray(transEnd + 1));
	} catch {
		return null;
	}
}

/** Bakes a credential: any previous "openbadgecredential" chunk is replaced; the new one goes before IEND. */
export function bakePng(image: Uint8Array, credentialJson: string): Uint8Array {
	const chunks = readChunks(image).filter((c) => readItxt(c, OB_KEYWORD) === null);
	const iend = chunks.findIndex((c) => c.type === 'IEND');
	chunks.splice(iend, 0, itxtChunk(OB_KEYWORD, credentialJson));
	return writeChunks(chunks);
}

/** The baked credential text, or null when the PNG is valid but carries none. Throws PngError when malformed. */
export function extractFromPng(image: Uint8Array): string | null {
	for (const chunk of readChunks(image)) {
		const text = readItxt(chunk, OB_KEYWORD);
		if (text !== null) return text;
	}
	return null;
}
