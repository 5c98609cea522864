/**
 * Hot precompiled reads (session, dashboard card) may skip Kysely's per-query machinery (db/index.ts executeRead):
 * same rows as through Kysely, and never a read of another request's uncommitted writes — on SQLite, whose one
 * connection is shared by every request, a read issued while a transaction is open waits for it to end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRead } from '../../src/lib/server/db';
import { precompiled } from '../../src/lib/server/db/precompiled';
import { createTestContext, type TestContext } from './harness';

let ctx: TestContext;
beforeAll(async () => {
	ctx = await createTestContext();
});
afterAll(async () => {
	await ctx?.close();
});

const territoryById = precompiled(1, (db, id: string) => db.selectFrom('territories').select(['id', 'name_fr', 'name_en']).where('id', '=', id));
const row = (id: string) => ({ id, name_fr: `Territoire ${id}`, name_en: `Territory ${id}`, created_at: '2026-01-01T00:00:00.000Z' });

describe('executeRead', () => {
	it('returns the same rows as the same compiled query through Kysely', async () => {
		await ctx.db.insertInto('territories').values(row('t-direct-1')).execute();
		const compiled = territoryById(ctx.db, 't-direct-1');
		expect(await executeRead(ctx.db, compiled)).toEqual((await ctx.db.executeQuery(compiled)).rows);
		expect(await executeRead(ctx.db, compiled)).toEqual([{ id: 't-direct-1', name_fr: 'Territoire t-direct-1', name_en: 'Territory t-direct-1' }]);
		expect(await executeRead(ctx.db, territoryById(ctx.db, 'nowhere'))).toEqual([]);
	});

	it('never sees rows of a transaction still open, and sees nothing of it after a rollback', async () => {
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		let inserted!: () => void;
		const insertedNow = new Promise<void>((r) => (inserted = r));
		const transaction = ctx.db
			.transaction()
			.execute(async (trx) => {
				await trx.insertInto('territories').values(row('t-uncommitted')).execute();
				inserted();
				await held;
				throw new Error('roll back');
			})
			.catch(() => 'rolled back');
		await insertedNow;
		let seen: unknown[] | null = null;
		const read = executeRead(ctx.db, territoryById(ctx.db, 't-uncommitted')).then((rows) => (seen = rows));
		await new Promise((r) => setTimeout(r, 50));
		// PostgreSQL: another connection, answered at once without the row; SQLite: waits for the transaction.
		if (seen !== null) expect(seen).toEqual([]);
		release();
		expect(await transaction).toBe('rolled back');
		expect(await read).toEqual([]);
	});
});
