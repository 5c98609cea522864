/**
 * Bitstring Status List (W3C): bit i is bit (7 - i % 8) of byte i / 8 (index 0 = left-most bit);
 * the list is GZIP-compressed then encoded as multibase base64url ("u…"). At least 131,072 bits
 * (16 KB) so a credential's index says little about who holds it.
 */
import { gunzipSync, gzipSync } from 'node:zlib';

export const MIN_STATUS_LIST_BITS = 131_072;

export function encodeStatusList(setIndices: Iterable<number>, size = MIN_STATUS_LIST_BITS): string {
	if (size < MIN_STATUS_LIST_BITS || size % 8 !== 0) throw new Error('status list too small');
	const bytes = new Uint8Array(size / 8);
	for (const i of setIndices) {
		if (!Number.isInteger(i) || i < 0 || i >= size) throw new Error(`status index out of range: ${i}`);
		bytes[i >> 3]! |= 0x80 >> (i & 7);
	}
	return 'u' + gzipSync(bytes).toString('base64url');
}

/** The decoded bits, or null when the value is not a gzip'd multibase base64url list of sane size. */
export function decodeStatusList(encoded: unknown): Uint8Array | null {
	if (typeof encoded !== 'string' || !encoded.startsWith('u') || encoded.length > 2_000_000) return null;
	try {
		const bytes = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'), { maxOutputLength: 16 * 1024 * 1024 });
		return bytes.length * 8 >= MIN_STATUS_LIST_BITS ? new Uint8Array(bytes) : null;
	} catch {
		return null;
	}
}

export function bitAt(bits: Uint8Array, index: number): boolean {
	if (!Number.isInteger(index) || index < 0 || index >= bits.length * 8) throw new RangeError('status index out of range');
	return (bits[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}
