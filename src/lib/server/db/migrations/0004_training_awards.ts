import { sql, type Kysely } from 'kysely';

/**
 * Training awards: the record a badge is built on (Explorateur after an evaluator's approval, Architecte
 * after the three cases). The id is a random UUID and doubles as the public attestation id, so it is
 * unguessable. Evidence is frozen at award time (the reflection answers, or the validated attempts) and
 * its SHA-256 is kept next to it so a credential can prove it was not edited afterwards.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('training_awards')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('level', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('pending_reason', 'text')
		.addColumn('school_id', 'text', (c) => c.references('schools.id'))
		.addColumn('awarded_at', 'text', (c) => c.notNull())
		.addColumn('awarded_by', 'text', (c) => c.references('users.id'))
		.addColumn('source_type', 'text', (c) => c.notNull())
		.addColumn('source_id', 'text', (c) => c.notNull())
		.addColumn('evidence_json', 'text', (c) => c.notNull())
		.addColumn('evidence_hash', 'text', (c) => c.notNull())
		.addColumn('revoked_at', 'text')
		.addColumn('revoked_by', 'text', (c) => c.references('users.id'))
		.addColumn('revocation_reason', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	// One live award per person and level; a revoked one may be followed by a new award.
	await db.schema
		.createIndex('training_awards_live_unique')
		.on('training_awards')
		.columns(['user_id', 'level'])
		.unique()
		.where(sql.ref('revoked_at'), 'is', null)
		.execute();
	await db.schema.createIndex('training_awards_user_idx').on('training_awards').column('user_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('training_awards').execute();
}
