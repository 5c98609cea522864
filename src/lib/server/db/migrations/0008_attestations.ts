import type { Kysely } from 'kysely';

/**
 * Attestations (proof pages and member profiles):
 * - attestation_settings: the holder's choices for one award — page public or private, which reflection
 *   answers are hidden. No row = the defaults (private page, every answer shown once published; ADR 013).
 * - member_profiles: a person's public profile, opt-in. `public_id` is a 128-bit random value (base64url),
 *   never the user id, so a profile address reveals nothing and cannot be guessed or enumerated.
 * No photo: the product stores no media.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('attestation_settings')
		.addColumn('award_id', 'text', (c) => c.primaryKey().references('training_awards.id'))
		.addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(0))
		// JSON array of evidence keys the holder hides, e.g. ["q2"]
		.addColumn('hidden_answers', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addColumn('updated_by', 'text', (c) => c.references('users.id'))
		.execute();

	await db.schema
		.createTable('member_profiles')
		.addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
		.addColumn('public_id', 'text', (c) => c.notNull().unique())
		.addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(0))
		// the name shown publicly; null = the account's display name
		.addColumn('display_name', 'text')
		.addColumn('show_school', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('member_profiles').execute();
	await db.schema.dropTable('attestation_settings').execute();
}
