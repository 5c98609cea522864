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
