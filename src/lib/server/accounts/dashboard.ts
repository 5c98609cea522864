import type { AppContext } from '../context';
import type { Role, ScopeType } from '../db/schema';
import type { Actor } from '../policy';
import { scopeLabelOf } from './invitations';
import { schoolCoverage } from '../territories/coverage';

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

/** What the dashboard shows: each role with its place, and whether each of the person's schools is covered today. */
export async function dashboardFor(ctx: AppContext, actor: Actor, locale: 'fr' | 'en'): Promise<{ roles: RoleCard[]; coverage: SchoolCoverageCard[] }> {
	const roles = await Promise.all(
		actor.grants.map(async (g) => ({
			role: g.role,
			scopeType: g.scopeType,
			scopeLabel: await scopeLabelOf(ctx, g.scopeType, g.scopeId, locale)
		}))
	);
	const schoolIds = [...new Set(actor.grants.filter((g) => g.scopeType === 'school' && g.scopeId).map((g) => g.scopeId!))];
	const coverage: SchoolCoverageCard[] = [];
	for (const id of schoolIds) {
		const c = await schoolCoverage(ctx.db, id, ctx.now());
		if (!c) continue;
		// The role cards already looked the school's name up.
		const card = roles.find((r) => r.scopeType === 'school' && actor.grants.some((g) => g.scopeId === id && g.role === r.role));
		coverage.push({
			schoolId: id,
			schoolName: card?.scopeLabel ?? (await scopeLabelOf(ctx, 'school', id, locale)),
			covered: c.covered,
			since: c.since,
			policeServiceName: locale === 'fr' ? c.policeServiceNameFr : c.policeServiceNameEn
		});
	}
	return { roles, coverage };
}
