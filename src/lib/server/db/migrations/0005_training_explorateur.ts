import { sql, type Kysely } from 'kysely';

/**
 * Explorateur training: modules read, knowledge-check attempts (every attempt kept), reflection submissions
 * with every version kept, and the evaluator's reviews. A version is the learner's three answers; it is
 * editable while it is the draft of the submission and frozen once submitted (a returned submission gets a
 * new version on the next save). The award itself lives in training_awards (0004).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('training_module_reads')
		.addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('module_id', 'text', (c) => c.notNull())
		.addColumn('course_version', 'text', (c) => c.notNull())
		.addColumn('read_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('training_module_reads_pk', ['user_id', 'module_id'])
		.execute();

	await db.schema
		.createTable('training_quiz_attempts')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('quiz_version', 'text', (c) => c.notNull())
		.addColumn('answers_json', 'text', (c) => c.notNull())
		.addColumn('score', 'integer', (c) => c.notNull())
		.addColumn('total', 'integer', (c) => c.notNull())
		.addColumn('passed', 'integer', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('training_quiz_attempts_user_idx').on('training_quiz_attempts').columns(['user_id', 'created_at']).execute();

	await db.schema
		.createTable('training_submissions')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('school_id', 'text', (c) => c.references('schools.id'))
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('current_version', 'integer', (c) => c.notNull())
		// the last time it entered the queue (oldest first); null until first submitted
		.addColumn('submitted_at', 'text')
		.addColumn('reviewed_at', 'text')
		.addColumn('award_id', 'text', (c) => c.references('training_awards.id'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	// One submission in progress or approved per person; a rejected one may be followed by a fresh start.
	await db.schema
		.createIndex('training_submissions_live_unique')
		.on('training_submissions')
		.column('user_id')
		.unique()
		.where(sql.ref('status'), '<>', 'rejected')
		.execute();
	// The evaluator queue: by status, oldest first, keyset-paged on (submitted_at, id).
	await db.schema.createIndex('training_submissions_queue_idx').on('training_submissions').columns(['status', 'submitted_at', 'id']).execute();
	await db.schema.createIndex('training_submissions_submitted_idx').on('training_submissions').columns(['submitted_at', 'id']).execute();
	await db.schema.createIndex('training_submissions_user_idx').on('training_submissions').columns(['user_id', 'created_at']).execute();

	await db.schema
		.createTable('training_submission_versions')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('submission_id', 'text', (c) => c.notNull().references('training_submissions.id'))
		.addColumn('version', 'integer', (c) => c.notNull())
		.addColumn('answers_json', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('saved_at', 'text', (c) => c.notNull())
		// null while a draft; set once and never changed
		.addColumn('submitted_at', 'text')
		.addUniqueConstraint('training_submission_versions_unique', ['submission_id', 'version'])
		.execute();

	await db.schema
		.createTable('training_reviews')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('submission_id', 'text', (c) => c.notNull().references('training_submissions.id'))
		.addColumn('version', 'integer', (c) => c.notNull())
		.addColumn('reviewer_id', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('decision', 'text', (c) => c.notNull())
		.addColumn('comment', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('training_reviews_submission_idx').on('training_reviews').columns(['submission_id', 'created_at']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	for (const t of ['training_reviews', 'training_submission_versions', 'training_submissions', 'training_quiz_attempts', 'training_module_reads']) {
		await db.schema.dropTable(t).execute();
	}
}
