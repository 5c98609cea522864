import type { PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { badgeClassOf, publicProfile } from '$lib/server/attestations';
import { notFound } from '$lib/server/kit-http';
import { formatEarnedDay } from '$lib/domain/attestations/proof';

/** Public member profile: 404 unless the member opted in (same answer as an unknown id). */
export const load: PageServerLoad = async ({ params, locals, setHeaders }) => {
	const ctx = getAppContext();
	const p = await publicProfile(ctx, params.id);
	if (!p) notFound();
	const locale = locals.locale;
	const origin = ctx.config.ORIGIN.replace(/\/$/, '');
	if (!locals.user) setHeaders({ 'cache-control': 'no-cache' });
	return {
		name: p.name,
		schoolName: p.schoolName,
		urls: { fr: `${origin}/membres/${p.publicId}`, en: `${origin}/en/members/${p.publicId}`, page: `${origin}${locale === 'en' ? '/en/members/' : '/membres/'}${p.publicId}` },
		badges: p.badges.map((b) => {
			const badge = badgeClassOf(b.level);
			return {
				id: b.id,
				href: locale === 'en' ? `/en/attestations/${b.id}` : `/attestations/${b.id}`,
				name: badge.name[locale],
				image: badge.image.svg,
				alt: badge.image.alt[locale],
				day: formatEarnedDay(b.awardedAt, locale),
				awardedAt: b.awardedAt,
				status: b.status.kind
			};
		})
	};
};
