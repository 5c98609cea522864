import type { DbOrTrx } from '../db';
import type { ScopeType } from '../db/schema';
import type { Place } from '../policy';

/**
 * Resolves a scope (school, police service, territory, platform) to a Place the policy can compare
 * against grants. Returns null when the scope does not exist.
 */
export async function placeOfScope(db: DbOrTrx, scopeType: ScopeType, scopeId: string | null): Promise<Place | null> {
	switch (scopeType) {
		case 'platform':
			return scopeId === null ? {} : null;
		case 'school': {
			if (!scopeId) return null;
			const row = await db
				.selectFrom('schools')
				.innerJoin('police_services', 'police_services.id', 'schools.police_service_id')
				.select(['schools.id', 'schools.police_service_id', 'police_services.territory_id'])
				.where('schools.id', '=', scopeId)
				.executeTakeFirst();
			return row ? { schoolId: row.id, policeServiceId: row.police_service_id, territoryId: row.territory_id } : null;
		}
		case 'police_service': {
			if (!scopeId) return null;
			const row = await db
				.selectFrom('police_services')
				.select(['id', 'territory_id'])
				.where('id', '=', scopeId)
				.executeTakeFirst();
			return row ? { policeServiceId: row.id, territoryId: row.territory_id } : null;
		}
		case 'territory': {
			if (!scopeId) return null;
			const row = await db.selectFrom('territories').select('id').where('id', '=', scopeId).executeTakeFirst();
			return row ? { territoryId: row.id } : null;
		}
	}
}

export interface ScopeOption {
	scopeType: ScopeType;
	scopeId: string | null;
	label: string;
	/** where the scope lives, for policy checks without one query per scope */
	place: Place;
}

/** Every scope with a human label and its place (schools, police services, territories, platform): three queries. */
export async function listScopes(db: DbOrTrx, locale: 'fr' | 'en'): Promise<ScopeOption[]> {
	const [schools, services, territories] = await Promise.all([
		db
			.selectFrom('schools')
			.innerJoin('police_services', 'police_services.id', 'schools.police_service_id')
			.select(['schools.id', 'schools.name', 'schools.police_service_id', 'police_services.territory_id'])
			.orderBy('schools.name')
			.execute(),
		db.selectFrom('police_services').select(['id', 'name_fr', 'name_en', 'territory_id']).orderBy('name_fr').execute(),
		db.selectFrom('territories').select(['id', 'name_fr', 'name_en']).orderBy('name_fr').execute()
	]);
	return [
		...schools.map((s) => ({
			scopeType: 'school' as const,
			scopeId: s.id,
			label: s.name,
			place: { schoolId: s.id, policeServiceId: s.police_service_id, territoryId: s.territory_id }
		})),
		...services.map((s) => ({
			scopeType: 'police_service' as const,
			scopeId: s.id,
			label: locale === 'fr' ? s.name_fr : s.name_en,
			place: { policeServiceId: s.id, territoryId: s.territory_id }
		})),
		...territories.map((s) => ({ scopeType: 'territory' as const, scopeId: s.id, label: locale === 'fr' ? s.name_fr : s.name_en, place: { territoryId: s.id } })),
		{ scopeType: 'platform', scopeId: null, label: '', place: {} }
	];
}
