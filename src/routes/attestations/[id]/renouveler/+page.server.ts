/**
 * Renew a credential (policy credential:renew: its holder, a trainer-evaluator, a platform admin) once renewal is
 * due — expired, or within RENEWAL_WINDOW_DAYS of its end: a POST from the holder's control on the proof page.
 * The new credential keeps the original award date. Answers with a redirect back to the proof page, in the
 * page's language (`lang` field), which then shows the new status and the "renewed" notice.
 */
import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions } from './$types';
import { getAppContext } from '$lib/server/app';
import { requireSignedIn } from '$lib/server/http';
import { ForbiddenError } from '$lib/server/policy';
import { parseForm } from '$lib/server/forms';
import { CredentialError, renewCredential } from '$lib/server/credentials';
import { RENEWED_PARAM } from '$lib/server/attestations';
import { pathInLocale } from '$lib/i18n/paths';
import { translate } from '$lib/i18n';

const MESSAGES = {
	not_found: 'attestations.credential.not_found',
	pending: 'attestations.credential.pending',
	already_revoked: 'attestations.credential.already_revoked',
	not_expired: 'attestations.credential.not_expired',
	revoked: 'attestations.credential.revoked_cannot_renew'
} as const;

/** Anything but "en" (missing, unknown) is the French page. */
const schema = z.object({ lang: z.string().optional() });

export const load = () => error(405, { message: 'POST only', code: 'error.405' });

export const actions: Actions = {
	default: async (event) => {
		const { actor } = requireSignedIn(event);
		const form = await parseForm(event.request, schema);
		const locale = form.ok && form.data.lang === 'en' ? 'en' : form.ok && form.data.lang === 'fr' ? 'fr' : event.locals.locale;
		try {
			await renewCredential(getAppContext(), actor, event.params.id, { ip: event.locals.ip });
		} catch (e) {
			// Someone who may not renew it learns nothing more than about an unknown id (a private page stays unknown).
			if (e instanceof ForbiddenError) error(404, { message: translate(locale, MESSAGES.not_found), code: MESSAGES.not_found });
			if (e instanceof CredentialError) {
				const code = MESSAGES[e.code];
				error(e.status, { message: translate(locale, code), code });
			}
			throw e;
		}
		// The id was found by renewCredential, so it is an award id (one safe path segment).
		redirect(303, `${pathInLocale(`/attestations/${event.params.id}`, locale)}?${RENEWED_PARAM}=1`);
	}
};
