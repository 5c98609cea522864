import type { Kysely } from 'kysely';

/**
 * The school list filters on status and on the grid's suggestion, newest first (incidents/lists.ts). With only
 * (school_id, status) indexed, PostgreSQL fetched every case of the school in that status from the heap to keep the
 * ones with the chosen orientation, then sorted them (at 100,000 cases: ~580 rows over ~560 pages to show 25).
 * One index in the list's own order serves the page (a backward scan that stops after LIMIT + OFFSET rows) and the
 * page's total (an index-only count). It replaces incidents_school_status_idx, which is its prefix.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.createIndex('incidents_school_filter_idx').on('incidents').columns(['school_id', 'status', 'orientation', 'created_at', 'id']).execute();
	await db.schema.dropIndex('incidents_school_status_idx').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.createIndex('incidents_school_status_idx').on('incidents').columns(['school_id', 'status']).execute();
	await db.schema.dropIndex('incidents_school_filter_idx').execute();
}
