/**
 * Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (W3C vc-di-eddsa):
 *   hashData = SHA-256(RDFC-1.0(proof config)) ‖ SHA-256(RDFC-1.0(document without proof))
 *   proofValue = multibase base58btc of the Ed25519 signature of hashData.
 * The proof config is the proof without proofValue, with the document's @context.
 */
import { hash, sign, verify, type KeyObject } from 'node:crypto';
import { multibaseDecode, multibaseEncode } from '../../domain/credentials/multibase';
import { canonize } from './canonize';
import { isDateTimeStamp } from '../../domain/credentials/credential';

export const CRYPTOSUITE = 'eddsa-rdfc-2022';

export interface SigningKey {
	/** verification method id: did#key-… */
	verificationMethod: string;
	privateKey: KeyObject;
}

type Doc = Record<string, unknown>;

// SHA-256 of the UTF-8 text (lone surrogates as U+FFFD, as in node's own string hashing), encoded into a kept
// buffer (TextEncoder.encodeInto is the cheaper encoder for two-byte strings), hashed in one shot.
const encoder = new TextEncoder();
const SCRATCH_CHARS = 64 * 1024;
const scratch = new Uint8Array(SCRATCH_CHARS * 3);
function sha256(text: string): Buffer {
	const target = text.length <= SCRATCH_CHARS ? scratch : new Uint8Array(text.length * 3);
	const { written } = encoder.encodeInto(text, target);
	return hash('sha256', target.subarray(0, written), 'buffer');
}

async function hashData(unsecured: Doc, proofConfig: Doc): Promise<Buffer> {
	const data = Buffer.allocUnsafe(64);
	data.set(sha256(await canonize(proofConfig)), 0);
	data.set(sha256(await canonize(unsecured)), 32);
	return data;
}

/** ISO date-time without milliseconds (xsd:dateTimeStamp as usually written in proofs). */
export function proofTime(at: Date): string {
	return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function signDocument(doc: Doc, key: SigningKey, created: Date): Promise<Doc> {
	const { proof: _ignored, ...unsecured } = doc;
	void _ignored;
	const options = {
		type: 'DataIntegrityProof',
		cryptosuite: CRYPTOSUITE,
		created: proofTime(created),
		verificationMethod: key.verificationMethod,
		proofPurpose: 'assertionMethod'
	};
	const data = await hashData(unsecured, { '@context': unsecured['@context'], ...options });
	const proofValue = multibaseEncode(sign(null, data, key.privateKey));
	// An array: the strict 1EdTech schema wants one, and it is valid JSON-LD for a single proof.
	return { ...unsecured, proof: [{ ...options, proofValue }] };
}

export type ProofProblem = 'no_proof' | 'unsupported_proof' | 'unknown_key' | 'bad_signature';
export type ProofCheck = { ok: true; verificationMethod: string; created: string } | { ok: false; problem: ProofProblem; verificationMethod?: string };


/** Checks the one eddsa-rdfc-2022 proof of a document. Canonicalisation errors are thrown (CanonicalizationError). */
export async function verifyDocumentProof(doc: Doc, keyFor: (verificationMethod: string) => KeyObject | null): Promise<ProofCheck> {
	const { proof, ...unsecured } = doc;
	const proofs = Array.isArray(proof) ? proof : proof === undefined ? [] : [proof];
	if (proofs.length === 0) return { ok: false, problem: 'no_proof' };
	if (proofs.length !== 1) return { ok: false, problem: 'unsupported_proof' };
	const p = proofs[0] as Doc | null;
	if (!p || typeof p !== 'object' || Array.isArray(p)) return { ok: false, problem: 'unsupported_proof' };
	const { proofValue, ...options } = p;
	if (
		options.type !== 'DataIntegrityProof' ||
		options.cryptosuite !== CRYPTOSUITE ||
		options.proofPurpose !== 'assertionMethod' ||
		typeof options.verificationMethod !== 'string' ||
		(options.created !== undefined && (typeof options.created !== 'string' || !isDateTimeStamp(options.created)))
	) {
		return { ok: false, problem: 'unsupported_proof' };
	}
	if ('@context' in options) return { ok: false, problem: 'unsupported_proof' };
	const verificationMethod = options.verificationMethod;
	const signature = multibaseDecode(proofValue);
	if (!signature || signature.length !== 64) return { ok: false, problem: 'bad_signature', verificationMethod };
	const key = keyFor(verificationMethod);
	if (!key) return { ok: false, problem: 'unknown_key', verificationMethod };
	const data = await hashData(unsecured, { '@context': unsecured['@context'], ...options });
	return verify(null, data, key, signature)
		? { ok: true, verificationMethod, created: String(options.created ?? '') }
		: { ok: false, problem: 'bad_signature', verificationMethod };
}
