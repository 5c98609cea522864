import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Portable DDL only: text, integer, bigint; no dialect-specific types or functions.
 * The one dialect difference (an auto-increment key for login_attempts) is handled by `autoId`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
export async function up(db: Kysely<any>): Promise<void> {
	const isPg = isPostgres(db);
	const autoId = isPg ? 'serial' : 'integer';

	await db.schema
		.createTable('territories')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('name_fr', 'text', (c) => c.notNull())
		.addColumn('name_en', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('police_services')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('territory_id', 'text', (c) => c.notNull().references('territories.id'))
		.addColumn('name_fr', 'text', (c) => c.notNull())
		.addColumn('name_en', 'text', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('kit_contact', 'text')
		.addColumn('emergency_phone', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('agreements')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('police_service_id', 'text', (c) => c.notNull().references('police_services.id'))
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('signed_on', 'text')
		.addColumn('effective_from', 'text', (c) => c.notNull())
		.addColumn('effective_to', 'text')
		.addColumn('reference', 'text')
		.addColumn('note', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('agreements_police_service_idx').on('agreements').column('police_service_id').execute();

	await db.schema
		.createTable('schools')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('police_service_id', 'text', (c) => c.notNull().references('police_services.id'))
		.addColumn('code', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('service_centre', 'text')
		.addColumn('address', 'text')
		.addColumn('language', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('schools_police_service_idx').on('schools').column('police_service_id').execute();

	await db.schema
		.createTable('users')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('email', 'text', (c) => c.notNull().unique())
		.addColumn('display_name', 'text', (c) => c.notNull())
		.addColumn('password_hash', 'text')
		.addColumn('locale', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('disabled_at', 'text')
		.execute();

	await db.schema
		.createTable('memberships')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('role', 'text', (c) => c.notNull())
		.addColumn('scope_type', 'text', (c) => c.notNull())
		.addColumn('scope_id', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('created_by', 'text')
		.execute();
	await db.schema
		.createIndex('memberships_unique')
		.on('memberships')
		.columns(['user_id', 'role', 'scope_type', 'scope_id'])
		.unique()
		.execute();
	await db.schema.createIndex('memberships_scope_idx').on('memberships').columns(['scope_type', 'scope_id']).execute();

	await db.schema
		.createTable('sessions')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('last_seen_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

	await db.schema
		.createTable('invitations')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('display_name', 'text', (c) => c.notNull())
		.addColumn('role', 'text', (c) => c.notNull())
		.addColumn('scope_type', 'text', (c) => c.notNull())
		.addColumn('scope_id', 'text')
		.addColumn('invited_by', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('accepted_at', 'text')
		.execute();

	await db.schema
		.createTable('password_resets')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('used_at', 'text')
		.execute();

	await db.schema
		.createTable('login_attempts')
		.addColumn('id', autoId, (c) => (isPg ? c.primaryKey() : c.primaryKey().autoIncrement()))
		.addColumn('bucket', 'text', (c) => c.notNull())
		.addColumn('at', 'text', (c) => c.notNull())
		.addColumn('succeeded', 'integer', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('login_attempts_bucket_at_idx').on('login_attempts').columns(['bucket', 'at']).execute();

	await db.schema
		.createTable('audit_log')
		.addColumn('seq', 'bigint', (c) => c.primaryKey())
		.addColumn('at', 'text', (c) => c.notNull())
		.addColumn('actor_id', 'text')
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('target_type', 'text')
		.addColumn('target_id', 'text')
		.addColumn('outcome', 'text', (c) => c.notNull())
		.addColumn('ip', 'text')
		.addColumn('details', 'text', (c) => c.notNull())
		.addColumn('prev_hash', 'text', (c) => c.notNull())
		.addColumn('hash', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('audit_log_target_idx').on('audit_log').columns(['target_type', 'target_id']).execute();

	// Append-only at the database level too: the application never updates or deletes audit rows.
	// (A superuser can still drop the trigger; the hash chain is what detects that.)
	if (isPg) {
		await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
			begin raise exception 'audit_log is append-only'; end $$`.execute(db);
		await sql`create trigger audit_log_append_only before update or delete on audit_log
			for each row execute function audit_log_append_only()`.execute(db);
	} else {
		await sql`create trigger audit_log_no_update before update on audit_log
			begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
		await sql`create trigger audit_log_no_delete before delete on audit_log
			begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
	}
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	if (isPostgres(db)) await sql`drop function if exists audit_log_append_only() cascade`.execute(db);
	for (const table of [
		'audit_log',
		'login_attempts',
		'password_resets',
		'invitations',
		'sessions',
		'memberships',
		'users',
		'schools',
		'agreements',
		'police_services',
		'territories'
	]) {
		await db.schema.dropTable(table).execute();
	}
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function isPostgres(db: Kysely<any>): boolean {
	return db.getExecutor().adapter instanceof PostgresAdapter;
}
