/**
 * Offline JSON-LD document loader: the bundled contexts only (see contexts/SOURCES.md). Any other URL is
 * refused with UnknownContextError — never fetched. Documents are frozen so no caller can alter them.
 */
import credentialsV2 from './contexts/credentials-v2.json';
import obV3 from './contexts/ob-v3p0-3.0.3.json';
import multikeyV1 from './contexts/multikey-v1.json';
import type { RemoteDocument } from 'jsonld';

export const VC_V2_CONTEXT_URL = 'https://www.w3.org/ns/credentials/v2';
export const OB_V3_CONTEXT_URL = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const MULTIKEY_V1_CONTEXT_URL = 'https://w3id.org/security/multikey/v1';

function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object') {
		for (const v of Object.values(value)) deepFreeze(v);
		Object.freeze(value);
	}
	return value;
}

export const BUNDLED_CONTEXTS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
	[VC_V2_CONTEXT_URL, deepFreeze(credentialsV2)],
	[OB_V3_CONTEXT_URL, deepFreeze(obV3)],
	[MULTIKEY_V1_CONTEXT_URL, deepFreeze(multikeyV1)]
]);

export class UnknownContextError extends Error {
	constructor(public readonly url: string) {
		super(`Context not bundled (never fetched): ${url.slice(0, 200)}`);
		this.name = 'UnknownContextError';
	}
}

export async function documentLoader(url: string): Promise<RemoteDocument> {
	const document = BUNDLED_CONTEXTS.get(url);
	if (document === undefined) throw new UnknownContextError(url);
	return { contextUrl: null, documentUrl: url, document };
}

/** Every term name defined anywhere in the bundled contexts (scoped contexts included). */
export function definedTerms(): Set<string> {
	const terms = new Set<string>();
	const walk = (ctx: unknown) => {
		if (Array.isArray(ctx)) return ctx.forEach(walk);
		if (!ctx || typeof ctx !== 'object') return;
		for (const [key, def] of Object.entries(ctx as Record<string, unknown>)) {
			if (!key.startsWith('@')) terms.add(key);
			if (def && typeof def === 'object' && '@context' in def) walk((def as { '@context': unknown })['@context']);
		}
	};
	for (const doc of BUNDLED_CONTEXTS.values()) walk((doc as { '@context': unknown })['@context']);
	return terms;
}
