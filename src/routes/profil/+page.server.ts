import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { badgeClassOf, myProfile, saveProfile, DISPLAY_NAME_MAX } from '$lib/server/attestations';
import { echoFields, fieldText, readFields } from '$lib/server/forms';
import { guarded, requireSignedIn } from '$lib/server/http';
import { requestMeta } from '$lib/server/kit-http';
import { formatEarnedDay } from '$lib/domain/attestations/proof';

/** The signed-in person's member profile (opt-in public) and the list of their attestations. */
export const load: PageServerLoad = async (event) => {
	const { actor } = requireSignedIn(event);
	const ctx = getAppContext();
	const p = await guarded(() => myProfile(ctx, actor));
	const locale = event.locals.locale;
	return {
		profile: {
			isPublic: p.isPublic,
			showSchool: p.showSchool,
			displayName: p.displayName ?? '',
			accountName: p.accountName,
			schoolName: p.schoolName,
			address: p.publicId && p.isPublic ? `${ctx.config.ORIGIN.replace(/\/$/, '')}${locale === 'en' ? '/en/members/' : '/membres/'}${p.publicId}` : null
		},
		displayNameMax: DISPLAY_NAME_MAX,
		attestations: p.attestations.map((a) => ({
			id: a.id,
			name: badgeClassOf(a.level).name[locale],
			day: formatEarnedDay(a.awardedAt, locale),
			awardedAt: a.awardedAt,
			status: a.status.kind,
			isPublic: a.isPublic
		}))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { actor } = requireSignedIn(event);
		const fields = await readFields(event.request);
		const r = await guarded(() =>
			saveProfile(
				getAppContext(),
				actor,
				{ isPublic: fieldText(fields, 'public') === 'yes', showSchool: fieldText(fields, 'school') === 'yes', displayName: fieldText(fields, 'displayName') },
				requestMeta(event)
			)
		);
		if (!r.ok) return fail(400, { errors: r.errors, values: echoFields(fields) });
		return { saved: true };
	}
};
