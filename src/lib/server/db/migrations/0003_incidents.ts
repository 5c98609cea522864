import { sql, type Kysely } from 'kysely';
import { isPostgres } from './0001_foundation';

/**
 * The digital kit (incidents). Metadata only: nothing here can hold an image or a video. Free text and
 * student identities are stored encrypted (AES-256-GCM, columns *_enc) with an HMAC blind index for
 * exact-match search of names (name_bidx). Custody rows and addenda are never edited.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	const pg = isPostgres(db);

	await db.schema
		.createTable('incidents')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
		.addColumn('opened_by', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('assigned_to', 'text', (c) => c.references('users.id'))
		.addColumn('pack_id', 'text', (c) => c.notNull())
		.addColumn('pack_version', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('t0', 'text', (c) => c.notNull())
		.addColumn('reporter_kind', 'text', (c) => c.notNull())
		.addColumn('report_channel', 'text', (c) => c.notNull())
		.addColumn('summary_enc', 'text', (c) => c.notNull())
		.addColumn('images_reported', 'integer')
		.addColumn('devices_reported', 'integer')
		.addColumn('red_flags', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('orientation', 'text')
		.addColumn('police_called_at', 'text')
		.addColumn('handed_off_at', 'text')
		.addColumn('decision', 'text')
		.addColumn('decided_at', 'text')
		.addColumn('closed_at', 'text')
		.addColumn('closure_reason', 'text')
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('incidents_school_created_idx').on('incidents').columns(['school_id', 'created_at']).execute();
	await db.schema.createIndex('incidents_school_status_idx').on('incidents').columns(['school_id', 'status']).execute();
	await db.schema.createIndex('incidents_opened_by_idx').on('incidents').columns(['opened_by', 'created_at']).execute();
	await db.schema.createIndex('incidents_handed_off_idx').on('incidents').columns(['handed_off_at']).execute();

	// One row per kit step: the answers of that step (encrypted JSON) with a version for edit conflicts.
	await db.schema
		.createTable('incident_answers')
		.addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
		.addColumn('step_id', 'text', (c) => c.notNull())
		.addColumn('answers_enc', 'text', (c) => c.notNull())
		.addColumn('version', 'integer', (c) => c.notNull())
		.addColumn('updated_by', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('incident_answers_pk', ['incident_id', 'step_id'])
		.execute();

	await db.schema
		.createTable('incident_students')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
		.addColumn('name_enc', 'text', (c) => c.notNull())
		.addColumn('name_bidx', 'text', (c) => c.notNull())
		.addColumn('dob_enc', 'text')
		.addColumn('age', 'integer')
		.addColumn('grade', 'text')
		.addColumn('roles', 'text', (c) => c.notNull())
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('created_by', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('incident_students_incident_idx').on('incident_students').column('incident_id').execute();
	await db.schema.createIndex('incident_students_bidx_idx').on('incident_students').column('name_bidx').execute();

	// Chain of custody: each hand-over is a new row; rows are never edited.
	await db.schema
		.createTable('device_custody')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
		.addColumn('device_ref', 'text', (c) => c.notNull())
		.addColumn('event', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull())
		.addColumn('owner_student_id', 'text', (c) => c.references('incident_students.id'))
		.addColumn('owner_label', 'text')
		.addColumn('at', 'text', (c) => c.notNull())
		.addColumn('by_name', 'text', (c) => c.notNull())
		.addColumn('state', 'text', (c) => c.notNull())
		.addColumn('envelope_no', 'text')
		.addColumn('location', 'text')
		.addColumn('to_officer_name', 'text')
		.addColumn('to_officer_badge', 'text')
		.addColumn('recorded_by', 'text', (c) => c.notNull())
		.addColumn('recorded_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('device_custody_incident_idx').on('device_custody').columns(['incident_id', 'recorded_at']).execute();

	await db.schema
		.createTable('incident_police_calls')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
		.addColumn('called_at', 'text', (c) => c.notNull())
		.addColumn('officer_name', 'text', (c) => c.notNull())
		.addColumn('officer_badge', 'text')
		.addColumn('police_file_number', 'text')
		.addColumn('called_by', 'text', (c) => c.notNull())
		.addColumn('recorded_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('incident_police_calls_incident_idx').on('incident_police_calls').column('incident_id').execute();

	// Decision of the DPCP, entered by police or a prosecutor: a fact, never computed. Corrections are new rows.
	await db.schema
		.createTable('incident_decisions')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
		.addColumn('decision', 'text', (c) => c.notNull())
		.addColumn('decided_on', 'text', (c) => c.notNull())
		.addColumn('conditions_enc', 'text')
		.addColumn('entered_by', 'text', (c) => c.notNull())
		.addColumn('entered_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('incident_decisions_incident_idx').on('incident_decisions').column('incident_id').execute();

	// Follow-up checklist, victim support / takedown tracking and parent notification: dates and who, no documents.
	await db.schema
		.createTable('incident_followups')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('done_on', 'text')
		.addColumn('by_label', 'text')
		.addColumn('note_enc', 'text')
		.addColumn('recorded_by', 'text', (c) => c.notNull())
		.addColumn('recorded_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('incident_followups_incident_idx').on('incident_followups').column('incident_id').execute();

	await db.schema
		.createTable('parent_notifications')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
		.addColumn('student_id', 'text', (c) => c.notNull().references('incident_students.id'))
		.addColumn('outcome', 'text', (c) => c.notNull())
		.addColumn('party_enc', 'text')
		.addColumn('at', 'text')
		.addColumn('by_user', 'text', (c) => c.notNull())
		.addColumn('reason_not_enc', 'text')
		.addColumn('student_consulted', 'integer')
		.addColumn('recorded_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('parent_notifications_incident_idx').on('parent_notifications').column('incident_id').execute();

	await db.schema
		.createTable('incident_addenda')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
		.addColumn('author_id', 'text', (c) => c.notNull())
		.addColumn('at', 'text', (c) => c.notNull())
		.addColumn('text_enc', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('incident_addenda_incident_idx').on('incident_addenda').column('incident_id').execute();

	await db.schema
		.createTable('notifications')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('read_at', 'text')
		.execute();
	await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'created_at']).execute();

	// Scheduled jobs live in the database: any app server may claim one; a claim is exclusive.
	await db.schema
		.createTable('jobs')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('dedupe_key', 'text', (c) => c.unique())
		.addColumn('payload', 'text', (c) => c.notNull())
		.addColumn('run_at', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('claimed_by', 'text')
		.addColumn('claimed_at', 'text')
		.addColumn('finished_at', 'text')
		.addColumn('last_error', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('jobs_due_idx').on('jobs').columns(['status', 'run_at']).execute();

	// Custody rows and addenda are append-only, like the audit log.
	if (pg) {
		await sql`create function reject_change() returns trigger language plpgsql as $$
			begin raise exception '% is append-only', TG_TABLE_NAME; end $$`.execute(db);
	}
	for (const table of ['device_custody', 'incident_addenda']) {
		if (pg) {
			await sql.raw(`create trigger ${table}_append_only before update or delete on ${table} for each row execute function reject_change()`).execute(db);
		} else {
			await sql.raw(`create trigger ${table}_no_update before update on ${table} begin select raise(abort, '${table} is append-only'); end`).execute(db);
			await sql.raw(`create trigger ${table}_no_delete before delete on ${table} begin select raise(abort, '${table} is append-only'); end`).execute(db);
		}
	}
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	if (isPostgres(db)) await sql`drop function if exists reject_change() cascade`.execute(db);
	for (const table of ['jobs', 'notifications', 'incident_addenda', 'parent_notifications', 'incident_followups', 'incident_decisions', 'incident_police_calls', 'device_custody', 'incident_students', 'incident_answers', 'incidents']) {
		await db.schema.dropTable(table).execute();
	}
}
