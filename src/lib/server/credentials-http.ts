/**
 * Route helpers for the credential endpoints: load an award's credential for a visitor (404 for unknown or
 * private, 409 with a localized message for pending coverage), and JSON/ file responses.
 */
import { error } from '@sveltejs/kit';
import type { Locale } from '../i18n';
import { translate } from '../i18n';
import { getAppContext } from './app';
import { credentialFor, type CredentialLookup } from './credentials';
import { can, type Actor } from './policy';
import { attestationVisibility } from './attestations/settings';

export type IssuedCredential = Extract<CredentialLookup, { kind: 'ok' }>;

/**
 * The credential of an award as a visitor may get it. Private attestation pages answer 404 to everyone but
 * the holder (no existence leak).
 */
export async function credentialForVisitor(awardId: string, actor: Actor | null, locale: Locale): Promise<IssuedCredential> {
	const ctx = getAppContext();
	const notFound = () => error(404, { message: translate(locale, 'attestations.credential.not_found'), code: 'attestations.credential.not_found' });
	// Visibility first: a private attestation answers like an unknown one (and is not issued on a stranger's request).
	const visibility = await attestationVisibility(ctx.db, awardId);
	if (!visibility) notFound();
	if (!visibility!.isPublic && !can(actor, 'credential:download_private', { holderId: visibility!.holderId })) notFound();
	const found = await credentialFor(ctx, awardId);
	if (found.kind === 'not_found') notFound();
	if (found.kind === 'pending') error(409, { message: translate(locale, 'attestations.credential.pending'), code: 'attestations.credential.pending' });
	return found as IssuedCredential;
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
