import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, recordAudit, verifyAuditChain } from '../../src/lib/server/audit/log';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { seedDemo } from '../../src/lib/server/db/seed/demo';
import { createTestContext, lastAuditSeq, TEST_DIALECT, type TestContext } from './harness';

const TABLES = [
	'territories',
	'police_services',
	'agreements',
	'schools',
	'users',
	'memberships',
	'sessions',
	'invitations',
	'password_resets',
	'login_attempts',
	'audit_log'
] as const;

describe(`migrations on an empty ${TEST_DIALECT} database`, () => {
	let ctx: TestContext;
	beforeAll(async () => {
		ctx = await createTestContext({ migrate: false });
	});
	afterAll(() => ctx?.close());

	it('start from nothing: no application table exists yet', async () => {
		await expect(sql`select count(*) from users`.execute(ctx.db)).rejects.toThrow();
	});

	it('apply every migration once, in order, then report nothing left to do', async () => {
		const applied = await migrateToLatest(ctx.db);
		expect(applied[0]).toBe('0001_foundation');
		expect([...applied].sort()).toEqual(applied);
		const recorded = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(ctx.db);
		expect(recorded.rows.map((r) => r.name)).toEqual(applied);

		expect(await migrateToLatest(ctx.db)).toEqual([]);
		expect(await migrateToLatest(ctx.db)).toEqual([]);
		const again = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(ctx.db);
		expect(again.rows).toHaveLength(applied.length);
	});

	it('create every table, empty', async () => {
		for (const table of TABLES) {
			const row = await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
			expect({ table, n: Number(row.n) }).toEqual({ table, n: 0 });
		}
	});

	it('seed the demo once; a second seed is a no-op', async () => {
		expect(await seedDemo(ctx.db, ctx.now())).toBe(true);
		const users = Number((await ctx.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
		const audit = await lastAuditSeq(ctx);
		expect(users).toBeGreaterThan(0);
		expect(await seedDemo(ctx.db, ctx.now())).toBe(false);
		expect(Number((await ctx.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(users);
		expect(await lastAuditSeq(ctx)).toBe(audit);
		expect(await verifyAuditChain(ctx.db)).toEqual({ ok: true, rows: audit });
	});

	it('enforce foreign keys', async () => {
		await expect(
			ctx.db
				.insertInto('memberships')
				.values({ id: 'm-x', user_id: 'no-such-user', role: 'responder', scope_type: 'school', scope_id: null, created_at: ctx.now().toISOString(), created_by: null })
				.execute()
		).rejects.toThrow();
	});

	it('enforce unique emails', async () => {
		const at = ctx.now().toISOString();
		await ctx.db.insertInto('users').values({ id: 'u-dup-1', email: 'dup@sexto.test', display_name: 'A', password_hash: null, locale: 'fr', created_at: at, disabled_at: null }).execute();
		await expect(
			ctx.db.insertInto('users').values({ id: 'u-dup-2', email: 'dup@sexto.test', display_name: 'B', password_hash: null, locale: 'fr', created_at: at, disabled_at: null }).execute()
		).rejects.toThrow();
	});
});

describe(`audit_log is append-only in the database itself (${TEST_DIALECT})`, () => {
	let ctx: TestContext;
	beforeAll(async () => {
		ctx = await createTestContext({ seed: false });
		await recordAudit(ctx.db, { actorId: null, action: 'auth.login_failed', outcome: 'failure', ip: '198.51.100.1' }, ctx.now());
		await recordAudit(ctx.db, { actorId: null, action: 'auth.login_failed', outcome: 'failure', ip: '198.51.100.2' }, ctx.now());
	});
	afterAll(() => ctx?.close());

	it('refuses UPDATE', async () => {
		await expect(sql`update audit_log set outcome = 'success' where seq = 1`.execute(ctx.db)).rejects.toThrow(/append-only/);
		await expect(ctx.db.updateTable('audit_log').set({ ip: null }).execute()).rejects.toThrow(/append-only/);
		const row = await ctx.db.selectFrom('audit_log').selectAll().where('seq', '=', 1).executeTakeFirstOrThrow();
		expect(row.outcome).toBe('failure');
		expect(row.ip).toBe('198.51.100.1');
	});

	it('refuses DELETE', async () => {
		await expect(sql`delete from audit_log where seq = 2`.execute(ctx.db)).rejects.toThrow(/append-only/);
		await expect(ctx.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
		expect(await lastAuditSeq(ctx)).toBe(2);
	});

	it('still accepts appends, and the chain verifies', async () => {
		await recordAudit(ctx.db, { actorId: null, action: 'auth.login_throttled', outcome: 'denied' }, ctx.now());
		expect(await verifyAuditChain(ctx.db)).toEqual({ ok: true, rows: 3 });
	});

	it('appendAudit refuses to run outside a transaction', async () => {
		// eslint-disable-next-line @typescript-eslint/no-explicit-any -- deliberately the wrong kind of handle
		await expect(appendAudit(ctx.db as any, { actorId: null, action: 'auth.login', outcome: 'success' })).rejects.toThrow(/inside a transaction/);
		expect(await lastAuditSeq(ctx)).toBe(3);
	});

	it('an audit row rolls back with the transaction that wrote it', async () => {
		await expect(
			ctx.db.transaction().execute(async (trx) => {
				await appendAudit(trx, { actorId: null, action: 'membership.granted', outcome: 'success' }, ctx.now());
				throw new Error('the change failed');
			})
		).rejects.toThrow('the change failed');
		expect(await lastAuditSeq(ctx)).toBe(3);
	});
});
