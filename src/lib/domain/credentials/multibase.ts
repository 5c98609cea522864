/**
 * Multibase base58btc ("z…") and Multikey encodings used by Data Integrity proofs and DID documents.
 * Pure: no I/O. Ed25519 public keys are multicodec 0xed 0x01 + 32 bytes.
 */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const INDEX = new Map([...ALPHABET].map((c, i) => [c, i]));

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

/** Decodes base58btc; null on any character outside the alphabet. */
export function base58btcDecode(text: string): Uint8Array | null {
	let zeros = 0;
	while (zeros < text.length && text[zeros] === '1') zeros++;
	const bytes: number[] = [];
	for (let i = zeros; i < text.length; i++) {
		const value = INDEX.get(text[i]!);
		if (value === undefined) return null;
		let carry = value;
		for (let j = 0; j < bytes.length; j++) {
			carry += bytes[j]! * 58;
			bytes[j] = carry & 0xff;
			carry >>= 8;
		}
		while (carry > 0) {
			bytes.push(carry & 0xff);
			carry >>= 8;
		}
	}
	const out = new Uint8Array(zeros + bytes.length);
	bytes.reverse().forEach((b, i) => (out[zeros + i] = b));
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
