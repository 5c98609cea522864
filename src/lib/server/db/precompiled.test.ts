import { describe, expect, it } from 'vitest';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import type { Database } from './schema';
import type { DB } from './index';
import { precompiled } from './precompiled';

// Compiles without a database: precompilation is about SQL text and parameter slots only.
const db = new Kysely<Database>({
	dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (k) => new PostgresIntrospector(k), createQueryCompiler: () => new PostgresQueryCompiler() }
}) as DB;

describe('precompiled queries', () => {
	it('builds once and binds each call\u2019s values in their slots, constants kept, the SQL text never holding a value', () => {
		let builds = 0;
		const query = precompiled(2, (k, userId: string, level: string) => {
			builds++;
			return k.selectFrom('training_awards').select('id').where('user_id', '=', userId).where('status', '=', 'awarded').where('pending_reason', '=', level).where('school_id', '=', userId);
		});
		const a = query(db, 'user-a', 'explorateur');
		const b = query(db, "x'); drop table users; --", 'architecte');
		expect(builds).toBe(1);
		expect(a.sql).toBe(b.sql);
		expect(a.sql).not.toContain('user-a');
		expect(a.parameters).toEqual(['user-a', 'awarded', 'explorateur', 'user-a']);
		expect(b.parameters).toEqual(["x'); drop table users; --", 'awarded', 'architecte', "x'); drop table users; --"]);
	});

	it('refuses a build that does not pass a placeholder through as a parameter', () => {
		const query = precompiled(1, (k, userId: string) => k.selectFrom('users').select('id').where('id', '=', userId.toUpperCase()));
		expect(() => query(db, 'u')).toThrow(/placeholder 0/);
	});
});
