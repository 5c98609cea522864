import { sql, type Kysely } from 'kysely';

/**
 * Open Badges credentials issued for training awards, and the Bitstring Status Lists that revoke them.
 * A credential row keeps the signed document as issued (JSON text) and its place in a status list; a
 * renewal supersedes the previous row (superseded_at) and issues a new one with a new index.
 * The revocation category and optional note of an award live next to its revoked_* fields.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('credential_status_lists')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('purpose', 'text', (c) => c.notNull())
		.addColumn('size', 'integer', (c) => c.notNull())
		.addColumn('next_index', 'integer', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createTable('credentials')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('award_id', 'text', (c) => c.notNull().references('training_awards.id'))
		.addColumn('status_list_id', 'text', (c) => c.notNull().references('credential_status_lists.id'))
		.addColumn('status_index', 'integer', (c) => c.notNull())
		.addColumn('verification_method', 'text', (c) => c.notNull())
		.addColumn('valid_from', 'text', (c) => c.notNull())
		.addColumn('valid_until', 'text')
		.addColumn('document', 'text', (c) => c.notNull())
		.addColumn('superseded_at', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('credentials_status_unique').on('credentials').columns(['status_list_id', 'status_index']).unique().execute();
	// One current credential per award; renewals leave the older ones superseded.
	await db.schema
		.createIndex('credentials_current_unique')
		.on('credentials')
		.column('award_id')
		.unique()
		.where(sql.ref('superseded_at'), 'is', null)
		.execute();
	await db.schema.alterTable('training_awards').addColumn('revocation_note', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('training_awards').dropColumn('revocation_note').execute();
	await db.schema.dropTable('credentials').execute();
	await db.schema.dropTable('credential_status_lists').execute();
}
