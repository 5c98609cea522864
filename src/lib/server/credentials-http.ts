/**
 * Route helpers for the credential endpoints: load an award's credential for a visitor (404 for unknown or
 * private, 409 with a localized message for pending coverage), and JSON/ file responses.
 */
import { error } from '@sveltejs/kit';
import type { Locale } from '../i18n';
import { translate } from '../i18n';
import { getAppContext } from './app';
import { credentialFor, type CredentialLookup } from './credentials';
import type { Actor } from './policy';

export type IssuedCredential = Extract<CredentialLookup, { kind: 'ok' }>;

/**
 * The credential of an award as a visitor may get it. Private attestation pages answer 404 to everyone but
 * the holder (no existence leak).
 */
export async function credentialForVisitor(awardId: string, actor: Actor | null, locale: Locale): Promise<IssuedCredential> {
	void actor;
	const found = await credentialFor(getAppContext(), awardId);
	if (found.kind === 'not_found') error(404, { message: translate(locale, 'attestations.credential.not_found'), code: 'attestations.credential.not_found' });
	if (found.kind === 'pending') error(409, { message: translate(locale, 'attestations.credential.pending'), code: 'attestations.credential.pending' });
	// TODO(attestations): when isAttestationPublic(db, awardId) exists (attestations branch), refuse with the same 404
	// as above unless it is public or can(actor, 'credential:download_private', { holderId: found.award.user_id }).
	// Until then every awarded credential is public.
	return found;
}

export function fileName(found: IssuedCredential, ext: string): string {
	return `sexto-${found.award.level}-${found.award.id.slice(0, 8)}.${ext}`;
}

export function downloadHeaders(contentType: string, name: string): Record<string, string> {
	return {
		'content-type': contentType,
		'content-disposition': `attachment; filename="${name}"`,
		// The status of a credential may change (revocation): never cache it in shared caches.
		'cache-control': 'no-store'
	};
}
