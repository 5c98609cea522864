import type { AppContext } from '../context';
import type { Role, ScopeType } from '../db/schema';
import type { Actor } from '../policy';
import { schoolCoverage } from '../territories/coverage';
import { registryCached } from '../cache/registry-cache';
import { translate } from '../../i18n';

export interface RoleCard {
	role: Role;
	scopeType: ScopeType;
	scopeLabel: string;
}

export interface SchoolCoverageCard {
	schoolId: string;
	schoolName: string;
	covered: boolean;
	since: string | null;
	policeServiceName: string;
}

/**
 * What the dashboard shows: each role with its place, and whether each of the person's schools is covered today.
 * Names and coverage come from this server's registry copies (at most REGISTRY_CACHE_TTL_MS old, cleared by a
 * registry write here): with warm copies the page needs no query beyond the session's. The grants themselves
 * come from the session query of this request, never from a copy.
 */
export async function dashboardFor(ctx: AppContext, actor: Actor, locale: 'fr' | 'en'): Promise<{ roles: RoleCard[]; coverage: SchoolCoverageCard[] }> {
	const roles = await Promise.all(
		actor.grants.map(async (g) => ({
			role: g.role,
			scopeType: g.scopeType,
			scopeLabel: await scopeLabelCached(ctx, g.scopeType, g.scopeId, locale)
		}))
	);
	const schoolIds = [...new Set(actor.grants.filter((g) => g.scopeType === 'school' && g.scopeId).map((g) => g.scopeId!))];
	const coverage: SchoolCoverageCard[] = [];
	for (const id of schoolIds) {
		const c = await registryCached(ctx, `school-coverage:${id}`, () => schoolCoverage(ctx.db, id, ctx.now()));
		if (!c) continue;
		coverage.push({
			schoolId: id,
			schoolName: await scopeLabelCached(ctx, 'school', id, locale),
			covered: c.covered,
			since: c.since,
			policeServiceName: locale === 'fr' ? c.policeServiceNameFr : c.policeServiceNameEn
		});
	}
	return { roles, coverage };
}

/** The name of a grant's place in the reader's language (same result as invitations' scopeLabelOf), from the copy. */
async function scopeLabelCached(ctx: AppContext, scopeType: ScopeType, scopeId: string | null, locale: 'fr' | 'en'): Promise<string> {
	if (scopeType === 'platform' || !scopeId) return translate(locale, 'scope.platform');
	const names = await registryCached(ctx, `scope-name:${scopeType}:${scopeId}`, () => scopeNames(ctx, scopeType, scopeId));
	return names ? names[locale] : '';
}

async function scopeNames(ctx: AppContext, scopeType: ScopeType, scopeId: string): Promise<{ fr: string; en: string } | null> {
	if (scopeType === 'school') {
		const s = await ctx.db.selectFrom('schools').select('name').where('id', '=', scopeId).executeTakeFirst();
		return s ? { fr: s.name, en: s.name } : null;
	}
	const table = scopeType === 'police_service' ? 'police_services' : 'territories';
	const s = await ctx.db.selectFrom(table).select(['name_fr', 'name_en']).where('id', '=', scopeId).executeTakeFirst();
	return s ? { fr: s.name_fr, en: s.name_en } : null;
}
