/**
 * Multibase base58btc ("z…") and Multikey encodings used by Data Integrity proofs and DID documents.
 * Pure: no I/O. Ed25519 public keys are multicodec 0xed 0x01 + 32 bytes.
 */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export function base58btcEncode(bytes: Uint8Array): string {
	let zeros = 0;
	while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
	const digits: number[] = [];
	for (let i = zeros; i < bytes.length; i++) {
		let carry = bytes[i]!;
		for (let j = 0; j < digits.length; j++) {
			carry += digits[j]! << 8;
			digits[j] = carry % 58;
			carry = (carry / 58) | 0;
		}
		while (carry > 0) {
			digits.push(carry % 58);
			carry = (carry / 58) | 0;
		}
	}
	return '1'.repeat(zeros) + digits.reverse().map((d) => ALPHABET[d]).join('');
}

const DIGITS = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGITS[ALPHABET.charCodeAt(i)] = i;

/** Decodes base58btc; null on any character outside the alphabet. */
export function base58btcDecode(text: string): Uint8Array | null {
	let zeros = 0;
	while (zeros < text.length && text.charCodeAt(zeros) === 0x31) zeros++;
	// Big-endian base-256 digits of the rest, in a buffer large enough (log 58 / log 256 < 0.733). The
	// characters are taken three at a time (58³ × 255 + carry stays below 2³¹).
	const size = Math.ceil(((text.length - zeros) * 733) / 1000) + 1;
	const digits = new Uint8Array(size);
	let used = 0;
	for (let i = zeros; i < text.length; ) {
		let chunk = 0;
		let factor = 1;
		for (let end = Math.min(i + 3, text.length); i < end; i++) {
			const code = text.charCodeAt(i);
			const digit = code < 128 ? DIGITS[code]! : -1;
			if (digit < 0) return null;
			chunk = chunk * 58 + digit;
			factor *= 58;
		}
		let carry = chunk;
		let j = 0;
		for (let k = size - 1; k >= 0 && (carry !== 0 || j < used); k--, j++) {
			carry += factor * digits[k]!;
			digits[k] = carry & 0xff;
			carry >>>= 8;
		}
		used = j;
	}
	let start = size - used;
	while (start < size && digits[start] === 0) start++;
	const out = new Uint8Array(zeros + size - start);
	out.set(digits.subarray(start), zeros);
	return out;
}

/** "z" + base58btc: the multibase form of a proofValue or a Multikey. */
export function multibaseEncode(bytes: Uint8Array): string {
	return 'z' + base58btcEncode(bytes);
}

export function multibaseDecode(text: unknown): Uint8Array | null {
	if (typeof text !== 'string' || !text.startsWith('z') || text.length > 200) return null;
	return base58btcDecode(text.slice(1));
}

const ED25519_PUB = [0xed, 0x01];

/** Ed25519 public key (32 raw bytes) → publicKeyMultibase. */
export function ed25519Multikey(raw: Uint8Array): string {
	if (raw.length !== 32) throw new Error('An Ed25519 public key is 32 bytes');
	return multibaseEncode(Uint8Array.from([...ED25519_PUB, ...raw]));
}

/** publicKeyMultibase → the 32 raw bytes of an Ed25519 key, or null when it is anything else. */
export function ed25519FromMultikey(multikey: unknown): Uint8Array | null {
	const bytes = multibaseDecode(multikey);
	if (!bytes || bytes.length !== 34 || bytes[0] !== 0xed || bytes[1] !== 0x01) return null;
	return bytes.slice(2);
}
