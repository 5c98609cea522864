import { type Kysely } from 'kysely';

/**
 * Which protocol pack version a police service's schools run new cases with (ADR 015). Append-only: each
 * activation by a territory coordinator is a new row with the next `version` for that police service, so the
 * table is its own history; the active pack is the row with the highest version. No row → the installation's
 * default (the latest usable `sexto-default`). Incidents keep the pack id + version they were opened with.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('pack_activations')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('police_service_id', 'text', (c) => c.notNull().references('police_services.id'))
		.addColumn('version', 'integer', (c) => c.notNull())
		.addColumn('pack_id', 'text', (c) => c.notNull())
		.addColumn('pack_version', 'text', (c) => c.notNull())
		.addColumn('activated_by', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('activated_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('pack_activations_service_version_uq', ['police_service_id', 'version'])
		.execute();
}
