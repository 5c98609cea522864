/**
 * The credential verifier: a pure-ish function of the credential and an environment (the issuer's DID and
 * published keys, the clock, a status lookup). Never fetches anything: unknown contexts, other issuers and
 * other hosts' status lists are verdicts, not requests. Every outcome is a verdict with reason codes the
 * pages translate (attestations.verify.*); nothing here throws for bad input.
 */
import type { KeyObject } from 'node:crypto';
import { BUNDLED_CONTEXTS, VC_V2_CONTEXT_URL } from './document-loader';
import { CanonicalizationError } from './canonize';
import { verifyDocumentProof } from './proof';
import { isDateTimeStamp } from '../../domain/credentials/credential';

export const VERDICT_STATUSES = [
	'valid',
	'revoked',
	'expired',
	'not_yet_valid',
	'invalid_signature',
	'unknown_issuer',
	'unknown_context',
	'malformed'
] as const;
export type VerdictStatus = (typeof VERDICT_STATUSES)[number];

/** Why: suffixes of attestations.verify.reason.* message keys. */
export type VerdictReason =
	| 'signature_ok'
	| 'signature_bad'
	| 'key_unknown'
	| 'proof_missing'
	| 'proof_unsupported'
	| 'issuer_other'
	| 'context_unknown'
	| 'context_inline'
	| 'json_invalid'
	| 'too_large'
	| 'not_object'
	| 'type_missing'
	| 'dates_invalid'
	| 'not_yet_valid'
	| 'expired'
	| 'status_ok'
	| 'status_revoked'
	| 'status_other_host'
	| 'status_unknown'
	| 'status_missing'
	| 'evidence_matches'
	| 'evidence_differs';

export interface CredentialSummary {
	name: string | null;
	holderName: string | null;
	issuerName: string | null;
	awardedDate: string | null;
	validFrom: string | null;
	validUntil: string | null;
	credentialId: string | null;
}

export interface Verdict {
	status: VerdictStatus;
	reasons: VerdictReason[];
	/** revocation category (suffix of attestations.credential.revocation.*) when revoked */
	revocationCategory?: string | null;
	/** the unknown context URL or verification method, for the message */
	detail?: string;
	summary?: CredentialSummary;
}

export interface StatusAnswer {
	revoked: boolean;
	category: string | null;
	/** evidence check done by the issuer's own records: true = matches the frozen evidence hash */
	evidenceMatches?: boolean | null;
}

export interface VerifyEnv {
	issuerDid: string;
	/** status lists this app serves start with this URL prefix */
	statusListPrefix: string;
	keyFor(verificationMethod: string): KeyObject | null;
	now: Date;
	/** null when the list or the index is not one of ours */
	statusOf(listUrl: string, index: number, credential: Record<string, unknown>): Promise<StatusAnswer | null>;
}

export const MAX_CREDENTIAL_BYTES = 256 * 1024;

function str(v: unknown): string | null {
	return typeof v === 'string' ? v : null;
}

function summaryOf(c: Record<string, unknown>): CredentialSummary {
	const subject = (c.credentialSubject ?? {}) as Record<string, unknown>;
	const achievement = (subject.achievement ?? {}) as Record<string, unknown>;
	const identifiers = Array.isArray(subject.identifier) ? (subject.identifier as Record<string, unknown>[]) : [];
	const issuer = c.issuer && typeof c.issuer === 'object' ? (c.issuer as Record<string, unknown>) : {};
	const nameId = identifiers.find((i) => i && i.identityType === 'name' && i.hashed === false);
	return {
		name: str(achievement.name) ?? str(c.name),
		holderName: nameId ? str(nameId.identityHash) : null,
		issuerName: str(issuer.name),
		awardedDate: str(c.awardedDate),
		validFrom: str(c.validFrom),
		validUntil: str(c.validUntil),
		credentialId: str(c.id)
	};
}

/** Parses text (JSON) or takes an already parsed value; returns a verdict for anything that is not a credential. */
export async function verifyCredential(input: unknown, env: VerifyEnv): Promise<Verdict> {
	let value = input;
	if (typeof input === 'string') {
		// UTF-8 takes 1 to 3 bytes per UTF-16 code unit: count the bytes only when the length cannot decide.
		if (input.length > MAX_CREDENTIAL_BYTES || (input.length * 3 > MAX_CREDENTIAL_BYTES && Buffer.byteLength(input, 'utf8') > MAX_CREDENTIAL_BYTES)) {
			return { status: 'malformed', reasons: ['too_large'] };
		}
		try {
			value = JSON.parse(input);
		} catch {
			return { status: 'malformed', reasons: ['json_invalid'] };
		}
	}
	if (!value || typeof value !== 'object' || Array.isArray(value)) return { status: 'malformed', reasons: ['not_object'] };
	const c = value as Record<string, unknown>;
	const summary = summaryOf(c);

	// Contexts: the VC 2.0 context first, then only bundled URLs. An inline context could redefine terms.
	const contexts = Array.isArray(c['@context']) ? (c['@context'] as unknown[]) : [c['@context']];
	if (contexts[0] !== VC_V2_CONTEXT_URL) return { status: 'unknown_context', reasons: ['context_unknown'], detail: String(str(contexts[0]) ?? '').slice(0, 200), summary };
	for (const ctx of contexts) {
		if (typeof ctx !== 'string') return { status: 'unknown_context', reasons: ['context_inline'], summary };
		if (!BUNDLED_CONTEXTS.has(ctx)) return { status: 'unknown_context', reasons: ['context_unknown'], detail: ctx.slice(0, 200), summary };
	}
	const types = Array.isArray(c.type) ? c.type : [c.type];
	if (!types.includes('VerifiableCredential') || !(types.includes('OpenBadgeCredential') || types.includes('AchievementCredential'))) {
		return { status: 'malformed', reasons: ['type_missing'], summary };
	}

	const issuerId = typeof c.issuer === 'string' ? c.issuer : str((c.issuer as Record<string, unknown> | null)?.id);
	if (issuerId !== env.issuerDid) return { status: 'unknown_issuer', reasons: ['issuer_other'], detail: String(issuerId ?? '').slice(0, 200), summary };

	let proof;
	try {
		proof = await verifyDocumentProof(c, (vm) => (vm.startsWith(env.issuerDid + '#') ? env.keyFor(vm) : null));
	} catch (e) {
		if (e instanceof CanonicalizationError) {
			return e.kind === 'unknown_context'
				? { status: 'unknown_context', reasons: ['context_unknown'], summary }
				: { status: 'malformed', reasons: ['json_invalid'], summary };
		}
		throw e;
	}
	if (!proof.ok) {
		const reason: VerdictReason =
			proof.problem === 'no_proof' ? 'proof_missing' : proof.problem === 'unsupported_proof' ? 'proof_unsupported' : proof.problem === 'unknown_key' ? 'key_unknown' : 'signature_bad';
		return { status: 'invalid_signature', reasons: [reason], detail: proof.verificationMethod?.slice(0, 200), summary };
	}
	const reasons: VerdictReason[] = ['signature_ok'];

	// Status (revocation): only this app's lists are consulted.
	const status = c.credentialStatus as Record<string, unknown> | undefined;
	let revoked: StatusAnswer | null = null;
	if (!status) reasons.push('status_missing');
	else {
		const listUrl = str(status.statusListCredential);
		const index = Number(str(status.statusListIndex));
		if (status.type !== 'BitstringStatusListEntry' || status.statusPurpose !== 'revocation' || !listUrl || !Number.isInteger(index) || index < 0) {
			return { status: 'malformed', reasons: ['status_unknown'], summary };
		}
		if (!listUrl.startsWith(env.statusListPrefix)) reasons.push('status_other_host');
		else {
			revoked = await env.statusOf(listUrl, index, c);
			if (!revoked) reasons.push('status_unknown');
			else {
				reasons.push(revoked.revoked ? 'status_revoked' : 'status_ok');
				if (revoked.evidenceMatches === true) reasons.push('evidence_matches');
				if (revoked.evidenceMatches === false) reasons.push('evidence_differs');
			}
		}
	}

	const validFrom = str(c.validFrom);
	const validUntil = c.validUntil === undefined ? null : str(c.validUntil);
	if (!validFrom || !isDateTimeStamp(validFrom) || (c.validUntil !== undefined && (!validUntil || !isDateTimeStamp(validUntil)))) {
		return { status: 'malformed', reasons: [...reasons, 'dates_invalid'], summary };
	}
	if (revoked?.revoked) return { status: 'revoked', reasons, revocationCategory: revoked.category, summary };
	if (validUntil && Date.parse(validUntil) < env.now.getTime()) return { status: 'expired', reasons: [...reasons, 'expired'], summary };
	if (Date.parse(validFrom) > env.now.getTime()) return { status: 'not_yet_valid', reasons: [...reasons, 'not_yet_valid'], summary };
	if (revoked === null && reasons.includes('status_unknown')) return { status: 'malformed', reasons, summary };
	return { status: 'valid', reasons, summary };
}
