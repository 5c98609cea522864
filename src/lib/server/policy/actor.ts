import type { Role, ScopeType } from '../db/schema';

/** One role held by the signed-in person, with the ids needed to compare scopes without a query. */
export interface Grant {
	role: Role;
	scopeType: ScopeType;
	/** school id, police service id or territory id; null for platform scope */
	scopeId: string | null;
}

export interface Actor {
	userId: string;
	grants: readonly Grant[];
	/**
	 * The place (police service, territory) of each school the actor holds a school-scoped grant at, read from the
	 * database with the grants in the same query (session, loadActor). Optional: a caller without it reads the
	 * places itself. Never a copy: it is as fresh as the grants.
	 */
	schoolPlaces?: ReadonlyMap<string, Place>;
}

/**
 * Where a record lives. Every resource that belongs to a school carries its school, the police
 * service serving it and that service's territory, so policy decisions never need the database.
 */
export interface Place {
	schoolId?: string | null;
	policeServiceId?: string | null;
	territoryId?: string | null;
}
