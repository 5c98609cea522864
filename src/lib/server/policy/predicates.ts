import type { Role } from '../db/schema';
import type { Actor, Grant, Place } from './actor';

/** The actor holds `role` somewhere (any scope). */
export function hasRole(actor: Actor, role: Role): boolean {
	return actor.grants.some((g) => g.role === role);
}

/** A grant covers a place when its scope contains it (platform contains everything). */
export function grantCovers(grant: Grant, place: Place): boolean {
	switch (grant.scopeType) {
		case 'platform':
			return true;
		case 'territory':
			return !!place.territoryId && grant.scopeId === place.territoryId;
		case 'police_service':
			return !!place.policeServiceId && grant.scopeId === place.policeServiceId;
		case 'school':
			return !!place.schoolId && grant.scopeId === place.schoolId;
	}
}

/** The actor holds one of `roles` in a scope that contains `place`. */
export function hasRoleAt(actor: Actor, roles: readonly Role[], place: Place): boolean {
	return actor.grants.some((g) => roles.includes(g.role) && grantCovers(g, place));
}
