import { sql, type Kysely } from 'kysely';
import { isPostgres } from './0001_foundation';

/**
 * Registry (issue: territories, police services, agreements, schools): a short code per police
 * service (used by the schools CSV import) and a history of every registry change.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// TRUNCATE skips row triggers on PostgreSQL: refuse it too, so the audit log stays append-only.
	// (SQLite has no TRUNCATE; its DELETE trigger already covers "delete from audit_log".)
	if (isPostgres(db)) {
		await sql`create trigger audit_log_no_truncate before truncate on audit_log
			for each statement execute function audit_log_append_only()`.execute(db);
	}
	await db.schema.alterTable('police_services').addColumn('code', 'text').execute();
	// Existing rows get a code derived from their id; admins can rename it.
	await sql`update police_services set code = upper(substr(id, 1, 8)) where code is null`.execute(db);
	await db.schema.createIndex('police_services_code_unique').on('police_services').column('code').unique().execute();

	await db.schema
		.createTable('registry_history')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('entity_type', 'text', (c) => c.notNull())
		.addColumn('entity_id', 'text', (c) => c.notNull())
		.addColumn('version', 'integer', (c) => c.notNull())
		.addColumn('change', 'text', (c) => c.notNull())
		.addColumn('changed_at', 'text', (c) => c.notNull())
		.addColumn('changed_by', 'text')
		.addColumn('snapshot', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('registry_history_entity_unique')
		.on('registry_history')
		.columns(['entity_type', 'entity_id', 'version'])
		.unique()
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	if (isPostgres(db)) await sql`drop trigger if exists audit_log_no_truncate on audit_log`.execute(db);
	await db.schema.dropTable('registry_history').execute();
	await db.schema.dropIndex('police_services_code_unique').execute();
	await db.schema.alterTable('police_services').dropColumn('code').execute();
}
