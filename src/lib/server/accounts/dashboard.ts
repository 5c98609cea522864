import type { AppContext } from '../context';
import type { Role, ScopeType } from '../db/schema';
import type { Actor } from '../policy';
import { scopeLabelOf } from './invitations';

export interface RoleCard {
	role: Role;
	scopeType: ScopeType;
	scopeLabel: string;
}

/** What the dashboard shows about the signed-in person: each role with the place it applies to. */
export async function dashboardFor(ctx: AppContext, actor: Actor, locale: 'fr' | 'en'): Promise<RoleCard[]> {
	return Promise.all(
		actor.grants.map(async (g) => ({
			role: g.role,
			scopeType: g.scopeType,
			scopeLabel: await scopeLabelOf(ctx, g.scopeType, g.scopeId, locale)
		}))
	);
}
