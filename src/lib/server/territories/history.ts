import { lockResource, type Trx } from '../db';
import type { RegistryEntity } from '../db/schema';
import { newId } from '../crypto/tokens';

/** Appends the next version of a registry record (same transaction as the change). */
export async function recordHistory(
	trx: Trx,
	entity: RegistryEntity,
	entityId: string,
	change: 'created' | 'updated',
	actorId: string | null,
	snapshot: object,
	at: Date
): Promise<number> {
	// Two saves of one record at the same moment must get versions n and n+1, not collide.
	await lockResource(trx, `history:${entity}:${entityId}`);
	const last = await trx
		.selectFrom('registry_history')
		.select((eb) => eb.fn.max('version').as('v'))
		.where('entity_type', '=', entity)
		.where('entity_id', '=', entityId)
		.executeTakeFirst();
	const version = Number(last?.v ?? 0) + 1;
	await trx
		.insertInto('registry_history')
		.values({ id: newId(), entity_type: entity, entity_id: entityId, version, change, changed_at: at.toISOString(), changed_by: actorId, snapshot: JSON.stringify(snapshot) })
		.execute();
	return version;
}

export interface HistoryEntry {
	version: number;
	change: 'created' | 'updated';
	changedAt: string;
	changedBy: string | null;
	snapshot: Record<string, unknown>;
}

export async function historyOf(db: Trx | import('../db').DB, entity: RegistryEntity, entityId: string): Promise<HistoryEntry[]> {
	const rows = await db
		.selectFrom('registry_history')
		.leftJoin('users', 'users.id', 'registry_history.changed_by')
		.select(['registry_history.version', 'registry_history.change', 'registry_history.changed_at', 'users.display_name', 'registry_history.snapshot'])
		.where('entity_type', '=', entity)
		.where('entity_id', '=', entityId)
		.orderBy('version', 'desc')
		.execute();
	return rows.map((r) => ({ version: r.version, change: r.change, changedAt: r.changed_at, changedBy: r.display_name, snapshot: JSON.parse(r.snapshot) }));
}
