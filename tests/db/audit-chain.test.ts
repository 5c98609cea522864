import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteMember } from '../../src/lib/server/accounts/invitations';
import { login, logout } from '../../src/lib/server/auth/login';
import { requestPasswordReset } from '../../src/lib/server/auth/password-reset';
import { rowHash } from '../../src/lib/server/audit/chain';
import type { AuditEvent } from '../../src/lib/server/audit/events';
import { appendAudit, recordAudit, verifyAuditChain } from '../../src/lib/server/audit/log';
import { DEMO_IDS, DEMO_PASSWORD } from '../../src/lib/server/db/seed/demo';
import { actorOf, createTestContext, lastAuditSeq, TEST_DIALECT, type TestContext } from './harness';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `npx tsx src/cli/index.ts <args>` against the test database, as an operator would run it. */
function runCli(databaseUrl: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn('npx', ['tsx', 'src/cli/index.ts', ...args], {
			cwd: ROOT,
			env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'production' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

/** Some ordinary activity: sign-ins (good and bad), a logout, a reset request, an invitation. */
async function activity(ctx: TestContext): Promise<void> {
	const ok = await login(ctx, { email: 'direction@sexto.test', password: DEMO_PASSWORD }, { ip: '198.51.100.90' });
	await login(ctx, { email: 'direction@sexto.test', password: 'wrong' }, { ip: '198.51.100.91' });
	await login(ctx, { email: 'nobody@sexto.test', password: 'wrong' }, { ip: '198.51.100.92' });
	if (ok.ok) await logout(ctx, ok.token, { ip: '198.51.100.90' });
	await requestPasswordReset(ctx, 'intervenant@sexto.test', { ip: '198.51.100.93' });
	const principal = await actorOf(ctx, 'direction@sexto.test');
	await inviteMember(ctx, principal, { email: 'new.person@sexto.test', displayName: 'New', role: 'responder', scopeType: 'school', scopeId: DEMO_IDS.schoolCovered }, { ip: null });
	await inviteMember(ctx, principal, { email: 'other@sexto.test', displayName: 'Other', role: 'responder', scopeType: 'school', scopeId: DEMO_IDS.schoolOther }, { ip: null });
}

/** Lifts the append-only guard, as someone with direct database access could (idempotent). */
async function dropAppendOnlyGuard(ctx: TestContext): Promise<void> {
	if (ctx.dialect === 'postgres') {
		await sql`alter table audit_log disable trigger audit_log_append_only`.execute(ctx.db);
	} else {
		await sql`drop trigger if exists audit_log_no_update`.execute(ctx.db);
		await sql`drop trigger if exists audit_log_no_delete`.execute(ctx.db);
	}
}

describe(`audit append stores exactly what it hashed (${TEST_DIALECT})`, () => {
	let ctx: TestContext;
	beforeAll(async () => {
		ctx = await createTestContext();
	});
	afterAll(() => ctx?.close());

	it('quotes, backslashes, control characters, accents, emoji and nulls round-trip, and every row verifies against rowHash', async () => {
		const before = await lastAuditSeq(ctx);
		const awkward = 'guillemets « » ’ "quoted" \\back\\slash\nnew line\ttab \u0001\u001f\u007f é ü 🙂 \u2028 </script>';
		const events: AuditEvent[] = [
			{ actorId: null, action: 'auth.login_failed', outcome: 'failure', ip: null, details: {} },
			{ actorId: 'user-x', action: 'access.denied', targetType: awkward, targetId: null, outcome: 'denied', ip: '2001:db8::1', details: { note: awkward, n: 1.5, ok: true, none: null } },
			{ actorId: awkward, action: 'auth.login', targetType: 'user', targetId: 'u-1', outcome: 'success', ip: '203.0.113.9', details: { big: 9007199254740991 } }
		];
		await recordAudit(ctx.db, events[0]!, ctx.now());
		await ctx.db.transaction().execute((trx) => appendAudit(trx, events[1]!, ctx.now()));
		await recordAudit(ctx.db, events[2]!, ctx.now());
		const rows = await ctx.db.selectFrom('audit_log').selectAll().where('seq', '>', before).orderBy('seq').execute();
		expect(rows.map((r) => Number(r.seq))).toEqual([before + 1, before + 2, before + 3]);
		rows.forEach((r, i) => {
			const e = events[i]!;
			expect({ actor: r.actor_id, target: r.target_type, id: r.target_id, ip: r.ip, details: JSON.parse(r.details) }).toEqual({
				actor: e.actorId,
				target: e.targetType ?? null,
				id: e.targetId ?? null,
				ip: e.ip,
				details: e.details
			});
			expect(r.hash).toBe(rowHash(r.prev_hash, { ...r, seq: Number(r.seq) }));
		});
		expect(await verifyAuditChain(ctx.db)).toEqual({ ok: true, rows: before + 3 });
	});

	it('an append rolled back with its transaction leaves no row and no gap', async () => {
		const before = await lastAuditSeq(ctx);
		await expect(
			ctx.db.transaction().execute(async (trx) => {
				await appendAudit(trx, { actorId: null, action: 'auth.logout', outcome: 'success', details: {} }, ctx.now());
				throw new Error('roll back');
			})
		).rejects.toThrow('roll back');
		await recordAudit(ctx.db, { actorId: null, action: 'auth.logout', outcome: 'success', details: { after: true } }, ctx.now());
		expect(await lastAuditSeq(ctx)).toBe(before + 1);
		expect(await verifyAuditChain(ctx.db)).toEqual({ ok: true, rows: before + 1 });
	});
});

describe(`audit chain: a changed row is caught, by the service and by the CLI (${TEST_DIALECT})`, () => {
	let ctx: TestContext;
	let rows: number;
	beforeAll(async () => {
		ctx = await createTestContext();
		await activity(ctx);
		rows = await lastAuditSeq(ctx);
	});
	afterAll(() => ctx?.close());

	it('after ordinary activity the chain verifies', async () => {
		expect(rows).toBeGreaterThan(10);
		expect(await verifyAuditChain(ctx.db)).toEqual({ ok: true, rows });
		// small batches walk the same chain
		expect(await verifyAuditChain(ctx.db, 3)).toEqual({ ok: true, rows });
	});

	it('audit:verify prints OK and exits 0 before tampering', async () => {
		const run = await runCli(ctx.databaseUrl, 'audit:verify');
		expect(run.stderr).toBe('');
		expect(run.stdout).toContain(`OK: ${rows} audit rows, chain intact.`);
		expect(run.code).toBe(0);
	});

	it('after one row is edited by SQL, the service and audit:verify name that row, and the CLI exits 1', async () => {
		const victim = Math.floor(rows / 2);
		await dropAppendOnlyGuard(ctx);
		await sql`update audit_log set details = '{"seen":false}' where seq = ${victim}`.execute(ctx.db);

		expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: false, brokenSeq: victim, reason: 'content does not match its hash' });
		expect(await verifyAuditChain(ctx.db, 4)).toMatchObject({ ok: false, brokenSeq: victim });

		const run = await runCli(ctx.databaseUrl, 'audit:verify');
		expect(run.stdout).toContain(`BROKEN at row ${victim}: content does not match its hash`);
		expect(run.stdout).not.toMatch(/^OK:/m);
		expect(run.code).toBe(1);
	});
});

describe(`audit chain: a deleted row is caught (${TEST_DIALECT})`, () => {
	let ctx: TestContext;
	beforeAll(async () => {
		ctx = await createTestContext();
		await activity(ctx);
	});
	afterAll(() => ctx?.close());

	it('the row after the gap is reported, with the missing sequence number', async () => {
		const rows = await lastAuditSeq(ctx);
		const victim = rows - 3;
		await dropAppendOnlyGuard(ctx);
		await sql`delete from audit_log where seq = ${victim}`.execute(ctx.db);

		expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: false, brokenSeq: victim + 1, reason: `expected sequence ${victim} (row missing)` });
		const run = await runCli(ctx.databaseUrl, 'audit:verify');
		expect(run.stdout).toContain(`BROKEN at row ${victim + 1}: expected sequence ${victim} (row missing)`);
		expect(run.code).toBe(1);
	});

	it('a row re-hashed after editing breaks the link of the next row', async () => {
		const last = await lastAuditSeq(ctx);
		const victim = 2;
		await dropAppendOnlyGuard(ctx);
		const row = await ctx.db.selectFrom('audit_log').selectAll().where('seq', '=', victim).executeTakeFirstOrThrow();
		const forged = { ...row, seq: Number(row.seq), details: '{"forged":true}' };
		await sql`update audit_log set details = ${forged.details}, hash = ${rowHash(row.prev_hash, forged)} where seq = ${victim}`.execute(ctx.db);
		expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: false, brokenSeq: victim + 1, reason: 'previous-hash link does not match' });
		expect(last).toBeGreaterThan(victim + 1);
	});
});

describe('audit:verify command line', () => {
	it('fails with a message naming the setting when DATABASE_URL is invalid', async () => {
		const run = await runCli('mysql://nowhere/x', 'audit:verify');
		expect(run.code).toBe(1);
		expect(run.stderr).toContain('DATABASE_URL');
	});
});
