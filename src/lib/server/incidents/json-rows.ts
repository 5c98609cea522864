/**
 * A child table of the case as a JSON array column of the case's own query (one round trip for the incident and
 * its lists): `json_agg` on PostgreSQL, `json_group_array` on SQLite. Internal to server/incidents.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from '../db';

/**
 * `[{column: value, …, <user column>_name: display name}, …]` of `table`'s rows of the incident in scope
 * (`incidents.id`), in `order`. Parsed by pg on PostgreSQL, a JSON string on SQLite: read it with `jsonList`.
 * Identifiers are fixed by the callers, never input.
 */
export function rowsOf(dialect: Dialect, table: string, columns: readonly string[], users: readonly string[], order: readonly string[]): RawBuilder<unknown> {
	const fields = sql.join([
		...columns.flatMap((c) => [sql.lit(c), sql.ref(`t.${c}`)]),
		...users.flatMap((c) => [sql.lit(`${c}_name`), sql`(select display_name from users where users.id = ${sql.ref(`t.${c}`)})`])
	]);
	const orderBy = sql.join(order.map((c) => sql.ref(`t.${c}`)));
	return dialect === 'postgres'
		? sql`(select coalesce(json_agg(json_build_object(${fields}) order by ${orderBy}), '[]'::json) from ${sql.table(table)} as t where t.incident_id = incidents.id)`
		: sql`(select json_group_array(json_object(${fields}) order by ${orderBy}) from ${sql.table(table)} as t where t.incident_id = incidents.id)`;
}

export function jsonList<T>(value: unknown): T[] {
	return (typeof value === 'string' ? JSON.parse(value) : (value ?? [])) as T[];
}

/** The step answers of the case (encrypted), with who saved each step last. */
export function answerRows(dialect: Dialect): RawBuilder<unknown> {
	return rowsOf(dialect, 'incident_answers', ['step_id', 'answers_enc', 'version', 'updated_at', 'updated_by'], ['updated_by'], ['updated_at', 'step_id']);
}
