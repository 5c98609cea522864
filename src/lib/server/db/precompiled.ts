/**
 * Hot queries built and compiled to SQL once per database handle, then executed with this request's values.
 * Kysely otherwise rebuilds and recompiles the query tree on every call (a few % of a signed-in page's CPU).
 * The query is built once with unique placeholder values; at execution each placeholder in the compiled
 * parameter list is swapped for the real value, so the SQL text never contains a value (still fully bound).
 */
import type { CompiledQuery } from 'kysely';
import { preparedOnPostgres, type DB } from './index';

const placeholderPrefix = '\u0000sexto-param-';

/**
 * `build(db, ...placeholders)` must pass each placeholder straight to Kysely as a value (no transformation), once or
 * several times. Every placeholder must appear in the compiled parameters, or the first call throws (a build bug).
 */
export function precompiled<Args extends string[], Row>(arity: Args['length'], build: (db: DB, ...values: Args) => { compile(): CompiledQuery<Row> }) {
	const cache = new WeakMap<DB, { compiled: CompiledQuery<Row>; slots: Array<number | null> }>();
	const placeholders = Array.from({ length: arity }, (_, i) => `${placeholderPrefix}${i}`) as unknown as Args;
	return (db: DB, ...values: Args): CompiledQuery<Row> => {
		let entry = cache.get(db);
		if (!entry) {
			const compiled = build(db, ...placeholders).compile();
			const slots = compiled.parameters.map((p) => (typeof p === 'string' && p.startsWith(placeholderPrefix) ? Number(p.slice(placeholderPrefix.length)) : null));
			for (let i = 0; i < arity; i++) if (!slots.includes(i)) throw new Error(`precompiled query: placeholder ${i} is not a parameter of ${compiled.sql}`);
			preparedOnPostgres(compiled.sql);
			entry = { compiled, slots };
			cache.set(db, entry);
		}
		const { compiled, slots } = entry;
		return { ...compiled, parameters: slots.map((slot, i) => (slot === null ? compiled.parameters[i] : values[slot])) };
	};
}
