import type { PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { badgeClassOf, getProofPage, RENEWED_PARAM, type ProofView } from '$lib/server/attestations';
import { notFound } from '$lib/server/kit-http';
import { formatEarnedAt, formatEarnedDay, linkedInAddUrl } from '$lib/domain/attestations/proof';
import { translate, type Locale } from '$lib/i18n';
import type { Config } from '$lib/server/config';

/**
 * Visitors of a public page share one view object while this server keeps its copy (10 s, see
 * server/attestations/proof.ts): what the page shows is computed once per view and language, not per request.
 */
const computed = new WeakMap<ProofView, Partial<Record<Locale, ReturnType<typeof pageData>>>>();

/**
 * Public proof page. Unknown id, malformed id and a private page seen by anyone but its holder all answer the
 * same 404 (ADR 013). Everything the page shows is computed here in the page's language; no client JS.
 */
export const load: PageServerLoad = async ({ params, locals, setHeaders, url }) => {
	const ctx = getAppContext();
	const view = await getProofPage(ctx, locals.actor, params.id);
	if (!view) notFound();
	// Public pages are the same for everyone but may turn private at any moment: no shared caching.
	if (!locals.user) setHeaders({ 'cache-control': 'no-cache' });
	let byLocale = computed.get(view);
	if (!byLocale) computed.set(view, (byLocale = {}));
	const data = (byLocale[locals.locale] ??= pageData(view, locals.locale, ctx.config));
	// After a renewal (renouveler/ redirects here): the holder is told it worked.
	return { ...data, renewed: view.isHolder && url.searchParams.has(RENEWED_PARAM) };
};

function pageData(view: ProofView, locale: Locale, config: Config) {
	const badge = badgeClassOf(view.level);
	const origin = config.ORIGIN.replace(/\/$/, '');
	const frPath = `/attestations/${view.id}`;
	const enPath = `/en/attestations/${view.id}`;
	const pageUrl = origin + (locale === 'en' ? enPath : frPath);
	const name = badge.name[locale];
	const issuer = badge.issuer.name[locale];
	const status = view.status;
	let statusText: string;
	switch (status.kind) {
		case 'valid':
			statusText = translate(locale, 'attestations.status.valid_body', { issuer }) + (status.validUntil ? ' ' + translate(locale, 'attestations.status.valid_until', { date: formatEarnedDay(status.validUntil, locale) }) : '');
			break;
		case 'revoked':
			statusText = translate(locale, 'attestations.status.revoked_body', { date: formatEarnedDay(status.at, locale), reason: translate(locale, `attestations.revocation.${status.category}`) });
			break;
		case 'expired':
			statusText = translate(locale, 'attestations.status.expired_body', { date: formatEarnedDay(status.validUntil, locale) });
			break;
		case 'pending':
			statusText =
				translate(locale, 'attestations.status.pending_body') +
				(status.reason === 'school_not_covered' || status.reason === 'no_school' ? ' ' + translate(locale, `attestations.pending.${status.reason}`) : '');
			break;
	}
	return {
		id: view.id,
		level: view.level,
		badge: {
			name,
			levelName: badge.levelName[locale],
			description: badge.description[locale],
			criteria: badge.criteria[locale],
			image: { svg: badge.image.svg, png: badge.image.png, alt: badge.image.alt[locale] },
			issuer: { name: issuer, description: badge.issuer.description[locale], email: badge.issuer.email },
			partners: badge.partners.map((p) => ({ name: p.name[locale], role: p.role, relation: p.relation[locale] }))
		},
		holder: view.holder,
		awardedAt: view.awardedAt,
		earnedAt: formatEarnedAt(view.awardedAt, locale),
		earnedDay: formatEarnedDay(view.awardedAt, locale),
		answers: view.answers.map((a) => ({ key: a.key, question: a.question[locale], answer: a.answer })),
		hiddenCount: view.hiddenCount,
		hasReflection: view.level === 'explorateur',
		status: { kind: status.kind, text: statusText },
		/** "Valide jusqu'au …": the current (possibly renewed) credential's end, while valid */
		validUntil: status.kind === 'valid' && status.validUntil ? { iso: status.validUntil, day: formatEarnedDay(status.validUntil, locale) } : null,
		isPublic: view.isPublic,
		isHolder: view.isHolder,
		/** the holder's renewal control (policy credential:renew, renewal due), posted to renouveler/ */
		renewal: view.canRenew
			? {
					action: `${frPath}/renouveler`,
					lang: locale,
					text:
						status.kind === 'valid' && status.validUntil
							? translate(locale, 'attestations.holder.renew_soon', { date: formatEarnedDay(status.validUntil, locale) })
							: translate(locale, 'attestations.holder.renew_expired')
				}
			: null,
		urls: {
			page: pageUrl,
			fr: origin + frPath,
			en: origin + enPath,
			ogImage: origin + badge.image.png,
			profile: view.holder.profileId ? (locale === 'en' ? `/en/members/${view.holder.profileId}` : `/membres/${view.holder.profileId}`) : null,
			credential: `${frPath}/credential.json`,
			png: `${frPath}/badge.png`,
			svg: `${frPath}/badge.svg`,
			settings: `${frPath}/parametres`,
			verify: locale === 'en' ? '/en/verify' : '/verifier',
			linkedIn: linkedInAddUrl({ name, organizationName: issuer, issuedAt: view.awardedAt, certUrl: pageUrl, certId: view.id })
		}
	};
}
