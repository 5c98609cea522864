/**
 * Builds the unsigned OpenBadgeCredential of an award (VC Data Model 2.0 + Open Badges 3.0.3). Pure: the
 * caller supplies the issuer, the award facts, the status-list entry and the clock. The same input always
 * gives the same document, so a credential can be re-derived and compared.
 */
import { createHash } from 'node:crypto';
import type { AwardLevel } from './badge-classes';
import { BADGE_CLASSES, addMonths } from './badge-classes';

export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_V3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const CREDENTIAL_CONTEXTS = [VC_V2_CONTEXT, OB_V3_CONTEXT] as const;

export interface IssuerInfo {
	/** did:web of the app's ORIGIN */
	did: string;
	/** the app's ORIGIN, no trailing slash */
	origin: string;
	name: string;
	email: string;
}

/** One reflection answer as frozen in the award (Explorateur). */
export interface ReflectionEvidence {
	key: string;
	question: { fr: string; en: string };
	answer: string;
}

export interface CredentialInput {
	credentialId: string;
	awardId: string;
	level: AwardLevel;
	awardedAt: string;
	holder: { name: string; email: string };
	/** the award's frozen evidence (evidence_json parsed) */
	evidence: unknown;
	status: { listUrl: string; index: number };
	validFrom: Date;
}

export function isReflectionEvidence(value: unknown): value is ReflectionEvidence[] {
	return (
		Array.isArray(value) &&
		value.every(
			(e) =>
				e &&
				typeof e === 'object' &&
				typeof (e as ReflectionEvidence).key === 'string' &&
				typeof (e as ReflectionEvidence).answer === 'string' &&
				typeof (e as ReflectionEvidence).question?.fr === 'string' &&
				typeof (e as ReflectionEvidence).question?.en === 'string'
		)
	);
}

export function evidenceKeyFragment(key: string): string {
	return encodeURIComponent(key).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** The OB Evidence items of an award: one per reflection answer (name FR, description EN, narrative = answer). */
export function evidenceItems(origin: string, awardId: string, evidence: unknown): Record<string, unknown>[] {
	const base = `${origin}/attestations/${awardId}`;
	if (isReflectionEvidence(evidence)) {
		return evidence.map((e) => ({
			id: `${base}#evidence-${evidenceKeyFragment(e.key)}`,
			type: ['Evidence'],
			name: e.question.fr,
			description: e.question.en,
			narrative: e.answer
		}));
	}
	// Architecte: the validated runs, kept as they were frozen (canonical JSON text).
	return [{ id: `${base}#evidence`, type: ['Evidence'], name: 'Parcours validés / Validated runs', narrative: JSON.stringify(evidence) }];
}

/** Reads back the frozen evidence from a credential's evidence items (inverse of evidenceItems). */
export function evidenceFromItems(items: unknown): unknown {
	if (!Array.isArray(items)) return null;
	if (items.length === 1 && typeof items[0]?.id === 'string' && items[0].id.endsWith('#evidence')) {
		try {
			return JSON.parse(String(items[0].narrative));
		} catch {
			return null;
		}
	}
	return items.map((item) => {
		const id = typeof item?.id === 'string' ? item.id : '';
		const at = id.indexOf('#evidence-');
		return {
			key: at >= 0 ? decodeURIComponent(id.slice(at + '#evidence-'.length)) : '',
			question: { fr: item?.name, en: item?.description },
			answer: item?.narrative
		};
	});
}

/** OB IdentityHash of an email: sha256 over the lower-cased address followed by the salt. */
export function identityHash(email: string, salt: string): string {
	return 'sha256$' + createHash('sha256').update(email.trim().toLowerCase() + salt).digest('hex');
}

export function achievementId(origin: string, level: AwardLevel, locale: 'fr' | 'en' = 'fr'): string {
	return locale === 'fr' ? `${origin}/badges/${level}` : `${origin}/en/badges/${level}`;
}

export function buildCredential(issuer: IssuerInfo, input: CredentialInput): Record<string, unknown> {
	const badge = BADGE_CLASSES[input.level];
	const origin = issuer.origin;
	const validUntil = badge.validityMonths ? addMonths(input.validFrom, badge.validityMonths) : null;
	const credential: Record<string, unknown> = {
		'@context': [...CREDENTIAL_CONTEXTS],
		id: `urn:uuid:${input.credentialId}`,
		type: ['VerifiableCredential', 'OpenBadgeCredential'],
		name: badge.name.fr,
		description: badge.description.fr,
		issuer: {
			id: issuer.did,
			type: ['Profile'],
			name: issuer.name,
			url: origin,
			email: issuer.email
		},
		validFrom: input.validFrom.toISOString(),
		...(validUntil ? { validUntil: validUntil.toISOString() } : {}),
		// The original award date: a renewed credential keeps it while validFrom moves.
		awardedDate: input.awardedAt,
		credentialSubject: {
			type: ['AchievementSubject'],
			identifier: [
				{
					type: 'IdentityObject',
					hashed: true,
					identityHash: identityHash(input.holder.email, input.awardId),
					identityType: 'emailAddress',
					salt: input.awardId
				},
				{ type: 'IdentityObject', hashed: false, identityHash: input.holder.name, identityType: 'name' }
			],
			achievement: {
				id: achievementId(origin, input.level),
				type: ['Achievement'],
				achievementType: badge.achievementType,
				name: badge.name.fr,
				description: badge.description.fr,
				criteria: { narrative: badge.criteria.fr },
				image: { id: `${origin}${badge.image.png}`, type: 'Image', caption: badge.name.fr },
				inLanguage: 'fr',
				related: [{ id: achievementId(origin, input.level, 'en'), type: ['Related'], inLanguage: 'en' }]
			}
		},
		evidence: evidenceItems(origin, input.awardId, input.evidence),
		credentialStatus: {
			id: `${input.status.listUrl}#${input.status.index}`,
			type: 'BitstringStatusListEntry',
			statusPurpose: 'revocation',
			statusListIndex: String(input.status.index),
			statusListCredential: input.status.listUrl
		}
	};
	return credential;
}

/** did:web of an origin: host (port percent-encoded) and path segments joined with ':'. */
export function didWebOf(origin: string): string {
	const url = new URL(origin);
	const host = url.port ? `${url.hostname}%3A${url.port}` : url.hostname;
	const path = url.pathname.split('/').filter(Boolean).map(encodeURIComponent);
	return ['did:web', host, ...path].join(':');
}


/** An XML Schema dateTimeStamp as used by VC 2.0 (a date, a time and a time zone), that Date can read. */
export function isDateTimeStamp(value: unknown): value is string {
	if (typeof value !== 'string' || value.length > 40 || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(value)) return false;
	let rest = value.slice(19);
	const fraction = /^\.\d{1,9}/.exec(rest);
	if (fraction) rest = rest.slice(fraction[0].length);
	return (rest === 'Z' || /^[+-]\d\d:\d\d$/.test(rest)) && !Number.isNaN(Date.parse(value));
}
