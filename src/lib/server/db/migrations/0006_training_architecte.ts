import { sql, type Kysely } from 'kysely';

/**
 * Architecte training (ADR 011): attempts at the fictional cases and every choice made, with its time.
 * Every attempt is kept (retries add rows). The state of an attempt is the replay of its choices by the
 * scenario engine; `scene_id`, `step_count`, `score`, `critical_errors` are stored too, for lists and for
 * the double-submit check. Uniqueness does the concurrency work on both dialects:
 *   - one attempt in progress per person and case (partial unique index);
 *   - one choice per (attempt, sequence) and per (attempt, scene): a scene is played at most once per
 *     attempt (the case graph is acyclic), so a resubmitted step cannot be recorded twice.
 * Validations: the evaluator's endorsement of an Architecte award (at most one per award).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('training_architecte_attempts')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('case_id', 'text', (c) => c.notNull())
		.addColumn('case_version', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('scene_id', 'text', (c) => c.notNull())
		.addColumn('step_count', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('score', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('max_score', 'integer', (c) => c.notNull())
		.addColumn('pass_score', 'integer', (c) => c.notNull())
		.addColumn('critical_errors', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('started_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addColumn('finished_at', 'text')
		.execute();
	await db.schema
		.createIndex('training_architecte_attempts_one_open')
		.on('training_architecte_attempts')
		.columns(['user_id', 'case_id'])
		.unique()
		.where(sql.ref('status'), '=', 'in_progress')
		.execute();
	await db.schema.createIndex('training_architecte_attempts_user_idx').on('training_architecte_attempts').columns(['user_id', 'case_id', 'started_at']).execute();
	await db.schema.createIndex('training_architecte_attempts_finished_idx').on('training_architecte_attempts').column('finished_at').execute();

	await db.schema
		.createTable('training_architecte_choices')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('attempt_id', 'text', (c) => c.notNull().references('training_architecte_attempts.id'))
		.addColumn('seq', 'integer', (c) => c.notNull())
		.addColumn('scene_id', 'text', (c) => c.notNull())
		.addColumn('choice_id', 'text', (c) => c.notNull())
		.addColumn('points', 'integer', (c) => c.notNull())
		.addColumn('critical_errors', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('chosen_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('training_architecte_choices_seq_unique', ['attempt_id', 'seq'])
		.addUniqueConstraint('training_architecte_choices_scene_unique', ['attempt_id', 'scene_id'])
		.execute();

	await db.schema
		.createTable('training_architecte_validations')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('award_id', 'text', (c) => c.notNull().unique().references('training_awards.id'))
		.addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('validated_by', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('validated_at', 'text', (c) => c.notNull())
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('training_architecte_validations').execute();
	await db.schema.dropTable('training_architecte_choices').execute();
	await db.schema.dropTable('training_architecte_attempts').execute();
}
