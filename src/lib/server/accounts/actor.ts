import type { DbOrTrx } from '../db';
import type { Actor } from '../policy';

/** Loads the grants of a signed-in user: the only input the policy needs about them. */
export async function loadActor(db: DbOrTrx, userId: string): Promise<Actor> {
	const rows = await db
		.selectFrom('memberships')
		.select(['role', 'scope_type', 'scope_id'])
		.where('user_id', '=', userId)
		.execute();
	return {
		userId,
		grants: rows.map((r) => ({ role: r.role, scopeType: r.scope_type, scopeId: r.scope_id }))
	};
}
