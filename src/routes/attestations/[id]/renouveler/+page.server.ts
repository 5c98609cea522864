/**
 * Renew an expired credential (holder, trainer-evaluator, platform admin): a POST from the proof page; the
 * new credential keeps the original award date. Answers with a redirect to the new credential download.
 */
import { error, redirect } from '@sveltejs/kit';
import type { Actions } from './$types';
import { getAppContext } from '$lib/server/app';
import { guarded, requireSignedIn } from '$lib/server/http';
import { CredentialError, renewCredential } from '$lib/server/credentials';
import { translate } from '$lib/i18n';

const MESSAGES = {
	not_found: 'attestations.credential.not_found',
	pending: 'attestations.credential.pending',
	already_revoked: 'attestations.credential.already_revoked',
	not_expired: 'attestations.credential.not_expired',
	revoked: 'attestations.credential.revoked_cannot_renew'
} as const;

export const load = () => error(405, { message: 'POST only', code: 'error.405' });

export const actions: Actions = {
	default: async (event) => {
		const { actor } = requireSignedIn(event);
		try {
			await guarded(() => renewCredential(getAppContext(), actor, event.params.id, { ip: event.locals.ip }));
		} catch (e) {
			if (e instanceof CredentialError) {
				const code = MESSAGES[e.code];
				error(e.status, { message: translate(event.locals.locale, code), code });
			}
			throw e;
		}
		redirect(303, `/attestations/${event.params.id}/credential.json`);
	}
};
