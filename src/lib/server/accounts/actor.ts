import type { DbOrTrx } from '../db';
import type { Actor, Place } from '../policy';

/** Loads the grants of a signed-in user (the only input the policy needs about them) and the place of each school grant. */
export async function loadActor(db: DbOrTrx, userId: string): Promise<Actor> {
	const rows = await db
		.selectFrom('memberships')
		.leftJoin('schools', (join) => join.on('memberships.scope_type', '=', 'school').onRef('schools.id', '=', 'memberships.scope_id'))
		.leftJoin('police_services', 'police_services.id', 'schools.police_service_id')
		.select(['memberships.role', 'memberships.scope_type', 'memberships.scope_id', 'schools.police_service_id', 'police_services.territory_id'])
		.where('memberships.user_id', '=', userId)
		.execute();
	const schoolPlaces = new Map<string, Place>();
	for (const r of rows) {
		if (r.scope_type === 'school' && r.scope_id && r.police_service_id) schoolPlaces.set(r.scope_id, { schoolId: r.scope_id, policeServiceId: r.police_service_id, territoryId: r.territory_id });
	}
	return {
		userId,
		grants: rows.map((r) => ({ role: r.role, scopeType: r.scope_type, scopeId: r.scope_id })),
		schoolPlaces
	};
}
