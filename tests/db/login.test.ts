import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { login, logout } from '../../src/lib/server/auth/login';
import { validateSession } from '../../src/lib/server/auth/sessions';
import { sha256Hex } from '../../src/lib/server/crypto/tokens';
import { DEMO_IDS, DEMO_PASSWORD } from '../../src/lib/server/db/seed/demo';
import { auditRows, createTestContext, DAY, HOUR, lastAuditSeq, MINUTE, TEST_DIALECT, userIdOf, type TestContext } from './harness';

const PRINCIPAL = 'direction@sexto.test';
const RESPONDER = 'intervenant@sexto.test';
const LEARNER = 'apprenant@sexto.test';

let ctx: TestContext;
beforeAll(async () => {
	ctx = await createTestContext();
});
afterAll(() => ctx?.close());
// Each test starts a day later: earlier attempts fall out of every throttling window.
beforeEach(() => ctx.clock.advance(DAY));

let ipCounter = 0;
/** A fresh client address per call, so per-IP counting only applies where a test wants it. */
function freshIp(): string {
	ipCounter++;
	return `203.0.113.${ipCounter % 250}`;
}

async function sessionCount(userId: string): Promise<number> {
	const row = await ctx.db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
	return Number(row.n);
}

describe(`login (${TEST_DIALECT})`, () => {
	it('the right password opens a session stored under the SHA-256 of the token, never the token itself', async () => {
		const userId = await userIdOf(ctx, PRINCIPAL);
		const now = ctx.now();
		const result = await login(ctx, { email: PRINCIPAL, password: DEMO_PASSWORD }, { ip: '198.51.100.7' });
		if (!result.ok) throw new Error(`login failed: ${result.reason}`);
		expect(result.userId).toBe(userId);
		expect(result.locale).toBe('fr');
		expect(result.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(result.expiresAt.getTime()).toBe(now.getTime() + 12 * HOUR);

		const row = await ctx.db.selectFrom('sessions').selectAll().where('id', '=', sha256Hex(result.token)).executeTakeFirstOrThrow();
		expect(row).toEqual({
			id: sha256Hex(result.token),
			user_id: userId,
			created_at: now.toISOString(),
			expires_at: new Date(now.getTime() + 12 * HOUR).toISOString(),
			last_seen_at: now.toISOString()
		});
		const everything = JSON.stringify(await ctx.db.selectFrom('sessions').selectAll().execute());
		expect(everything).not.toContain(result.token);

		const session = await validateSession(ctx, result.token);
		expect(session?.user).toEqual({ id: userId, email: PRINCIPAL, displayName: 'Marc Gagnon', locale: 'fr' });
		// the same query gives the place of each school grant, as fresh as the grants (the kit's lists use it)
		expect(session?.grants).toEqual([{ role: 'principal', scopeType: 'school', scopeId: DEMO_IDS.schoolCovered }]);
		expect(session?.schoolPlaces).toEqual(new Map([[DEMO_IDS.schoolCovered, { schoolId: DEMO_IDS.schoolCovered, policeServiceId: DEMO_IDS.policeCovered, territoryId: DEMO_IDS.territoryCovered }]]));
	});

	it('a school that moves to another police service is seen at the next request (places are never a copy)', async () => {
		const result = await login(ctx, { email: PRINCIPAL, password: DEMO_PASSWORD }, { ip: freshIp() });
		if (!result.ok) throw new Error('login refused');
		const other = await ctx.db.selectFrom('schools').innerJoin('police_services', 'police_services.id', 'schools.police_service_id').select(['schools.police_service_id', 'police_services.territory_id']).where('schools.id', '=', DEMO_IDS.schoolOther).executeTakeFirstOrThrow();
		await ctx.db.updateTable('schools').set({ police_service_id: other.police_service_id }).where('id', '=', DEMO_IDS.schoolCovered).execute();
		try {
			expect((await validateSession(ctx, result.token))?.schoolPlaces.get(DEMO_IDS.schoolCovered)).toEqual({ schoolId: DEMO_IDS.schoolCovered, policeServiceId: other.police_service_id, territoryId: other.territory_id });
		} finally {
			await ctx.db.updateTable('schools').set({ police_service_id: DEMO_IDS.policeCovered }).where('id', '=', DEMO_IDS.schoolCovered).execute();
		}
		// a person without school grants has no places
		const police = await login(ctx, { email: 'policier@sexto.test', password: DEMO_PASSWORD }, { ip: freshIp() });
		if (!police.ok) throw new Error('login refused');
		expect((await validateSession(ctx, police.token))?.schoolPlaces).toEqual(new Map());
	});

	it('audits the sign-in with the injected clock and the client address', async () => {
		const userId = await userIdOf(ctx, PRINCIPAL);
		const before = await lastAuditSeq(ctx);
		const result = await login(ctx, { email: PRINCIPAL, password: DEMO_PASSWORD }, { ip: '198.51.100.8' });
		expect(result.ok).toBe(true);
		expect(await auditRows(ctx, before)).toEqual([
			{ seq: before + 1, action: 'auth.login', outcome: 'success', actor_id: userId, target_type: 'user', target_id: userId, ip: '198.51.100.8', at: ctx.now().toISOString(), details: {} }
		]);
	});

	it('reads the email without regard to case or surrounding spaces', async () => {
		const result = await login(ctx, { email: '  Direction@SEXTO.test ', password: DEMO_PASSWORD }, { ip: freshIp() });
		expect(result.ok).toBe(true);
	});

	it('every sign-in creates a new session (no reuse of an earlier token)', async () => {
		const userId = await userIdOf(ctx, LEARNER);
		const a = await login(ctx, { email: LEARNER, password: DEMO_PASSWORD }, { ip: freshIp() });
		const b = await login(ctx, { email: LEARNER, password: DEMO_PASSWORD }, { ip: freshIp() });
		if (!a.ok || !b.ok) throw new Error('login failed');
		expect(a.token).not.toBe(b.token);
		expect(await validateSession(ctx, a.token)).not.toBeNull();
		expect(await validateSession(ctx, b.token)).not.toBeNull();
		expect(await sessionCount(userId)).toBeGreaterThanOrEqual(2);
	});

	it('a wrong password and an unknown email give the identical answer, and both are audited', async () => {
		const userId = await userIdOf(ctx, RESPONDER);
		const sessionsBefore = await sessionCount(userId);
		const before = await lastAuditSeq(ctx);
		const wrongPassword = await login(ctx, { email: RESPONDER, password: 'not-the-password' }, { ip: '198.51.100.20' });
		const unknownEmail = await login(ctx, { email: 'personne@sexto.test', password: DEMO_PASSWORD }, { ip: '198.51.100.21' });
		expect(wrongPassword).toEqual({ ok: false, reason: 'invalid' });
		expect(unknownEmail).toEqual(wrongPassword);
		expect(await sessionCount(userId)).toBe(sessionsBefore);

		const rows = await auditRows(ctx, before);
		expect(rows.map((r) => [r.action, r.outcome, r.actor_id, r.target_id, r.ip, r.at])).toEqual([
			['auth.login_failed', 'failure', null, userId, '198.51.100.20', ctx.now().toISOString()],
			['auth.login_failed', 'failure', null, null, '198.51.100.21', ctx.now().toISOString()]
		]);
		// nothing in the audit row reveals the password that was tried
		expect(JSON.stringify(rows)).not.toContain('not-the-password');
	});

	it('a disabled account cannot sign in, and its open sessions stop working', async () => {
		const at = ctx.now().toISOString();
		await ctx.db.insertInto('users').values({ id: 'user-disabled-test', email: 'parti@sexto.test', display_name: 'Ancien', password_hash: (await ctx.db.selectFrom('users').select('password_hash').where('email', '=', PRINCIPAL).executeTakeFirstOrThrow()).password_hash, locale: 'fr', created_at: at, disabled_at: null }).execute();
		const open = await login(ctx, { email: 'parti@sexto.test', password: DEMO_PASSWORD }, { ip: freshIp() });
		if (!open.ok) throw new Error('login failed');
		await ctx.db.updateTable('users').set({ disabled_at: at }).where('id', '=', 'user-disabled-test').execute();
		expect(await login(ctx, { email: 'parti@sexto.test', password: DEMO_PASSWORD }, { ip: freshIp() })).toEqual({ ok: false, reason: 'invalid' });
		expect(await validateSession(ctx, open.token)).toBeNull();
		expect(await sessionCount('user-disabled-test')).toBe(0);
	});
});

describe(`login throttling, stored in the database (${TEST_DIALECT})`, () => {
	it('5 failures on one account lock it, even for the right password, until the window has passed', async () => {
		const userId = await userIdOf(ctx, RESPONDER);
		for (let i = 0; i < 5; i++) {
			// from five different addresses: the per-account count is what locks
			expect(await login(ctx, { email: RESPONDER, password: `wrong-${i}` }, { ip: freshIp() })).toEqual({ ok: false, reason: 'invalid' });
			ctx.clock.advance(1000);
		}
		const lastFailure = ctx.now().getTime() - 1000;
		const before = await lastAuditSeq(ctx);
		expect(await login(ctx, { email: RESPONDER, password: DEMO_PASSWORD }, { ip: '198.51.100.30' })).toEqual({ ok: false, reason: 'throttled' });
		const [throttled] = await auditRows(ctx, before);
		expect(throttled).toMatchObject({ action: 'auth.login_throttled', outcome: 'denied', ip: '198.51.100.30', at: ctx.now().toISOString() });
		expect(await sessionCount(userId)).toBe(0);

		// 14 minutes later: still locked (and the refused attempts did not extend the lock)
		ctx.clock.set(new Date(lastFailure + 14 * MINUTE));
		expect(await login(ctx, { email: RESPONDER, password: DEMO_PASSWORD }, { ip: freshIp() })).toEqual({ ok: false, reason: 'throttled' });
		// once the last failure is older than the 15-minute window, the right password works again
		ctx.clock.set(new Date(lastFailure + 15 * MINUTE + 1));
		const ok = await login(ctx, { email: RESPONDER, password: DEMO_PASSWORD }, { ip: freshIp() });
		expect(ok.ok).toBe(true);
	});

	it('locking one account does not lock another one', async () => {
		for (let i = 0; i < 5; i++) await login(ctx, { email: RESPONDER, password: `wrong-${i}` }, { ip: freshIp() });
		expect((await login(ctx, { email: RESPONDER, password: DEMO_PASSWORD }, { ip: freshIp() })).ok).toBe(false);
		expect((await login(ctx, { email: LEARNER, password: DEMO_PASSWORD }, { ip: freshIp() })).ok).toBe(true);
	});

	it('an unknown email is locked the same way as a real one (no enumeration through the lock)', async () => {
		for (let i = 0; i < 5; i++) await login(ctx, { email: 'fantome@sexto.test', password: `wrong-${i}` }, { ip: freshIp() });
		expect(await login(ctx, { email: 'fantome@sexto.test', password: 'wrong-5' }, { ip: freshIp() })).toEqual({ ok: false, reason: 'throttled' });
	});

	it('a successful sign-in resets the account count', async () => {
		for (let i = 0; i < 4; i++) await login(ctx, { email: LEARNER, password: `wrong-${i}` }, { ip: freshIp() });
		ctx.clock.advance(1000);
		expect((await login(ctx, { email: LEARNER, password: DEMO_PASSWORD }, { ip: freshIp() })).ok).toBe(true);
		ctx.clock.advance(1000);
		for (let i = 0; i < 4; i++) await login(ctx, { email: LEARNER, password: `wrong-${i}` }, { ip: freshIp() });
		expect((await login(ctx, { email: LEARNER, password: DEMO_PASSWORD }, { ip: freshIp() })).ok).toBe(true);
	});

	it('20 failures from one address lock that address for every account, not other addresses', async () => {
		const ip = '192.0.2.99';
		// 20 different unknown accounts: no single account reaches its own limit
		for (let i = 0; i < 20; i++) {
			expect(await login(ctx, { email: `inconnu-${i}@sexto.test`, password: 'x' }, { ip })).toEqual({ ok: false, reason: 'invalid' });
		}
		expect(await login(ctx, { email: PRINCIPAL, password: DEMO_PASSWORD }, { ip })).toEqual({ ok: false, reason: 'throttled' });
		// the same account from elsewhere is fine
		expect((await login(ctx, { email: PRINCIPAL, password: DEMO_PASSWORD }, { ip: '192.0.2.100' })).ok).toBe(true);
		// and the address recovers after the window
		ctx.clock.advance(15 * MINUTE + 1);
		expect((await login(ctx, { email: PRINCIPAL, password: DEMO_PASSWORD }, { ip })).ok).toBe(true);
	});

	it('a success from an address does not clear that address\'s failures', async () => {
		const ip = '192.0.2.150';
		for (let i = 0; i < 19; i++) await login(ctx, { email: `autre-${i}@sexto.test`, password: 'x' }, { ip });
		expect((await login(ctx, { email: PRINCIPAL, password: DEMO_PASSWORD }, { ip })).ok).toBe(true);
		await login(ctx, { email: 'autre-19@sexto.test', password: 'x' }, { ip });
		expect(await login(ctx, { email: LEARNER, password: DEMO_PASSWORD }, { ip })).toEqual({ ok: false, reason: 'throttled' });
	});
});

describe(`sessions over time (${TEST_DIALECT})`, () => {
	async function signIn(email = LEARNER) {
		const result = await login(ctx, { email, password: DEMO_PASSWORD }, { ip: freshIp() });
		if (!result.ok) throw new Error(`login failed: ${result.reason}`);
		return result;
	}

	it('a session not used in its second half ends when its 12 hours are up', async () => {
		const start = ctx.now().getTime();
		const { token } = await signIn();
		// used in its first half only (no renewal then)
		ctx.clock.set(new Date(start + 6 * HOUR - 1));
		expect((await validateSession(ctx, token))?.expiresAt.getTime()).toBe(start + 12 * HOUR);
		ctx.clock.set(new Date(start + 12 * HOUR));
		expect(await validateSession(ctx, token)).toBeNull();
		// the expired row is removed
		expect(await ctx.db.selectFrom('sessions').select('id').where('id', '=', sha256Hex(token)).executeTakeFirst()).toBeUndefined();
	});

	it('sliding expiry: past half its life a used session is extended, before that it is left alone', async () => {
		const start = ctx.now().getTime();
		const { token } = await signIn();
		const id = sha256Hex(token);

		ctx.clock.set(new Date(start + 5 * HOUR));
		const early = await validateSession(ctx, token);
		expect(early?.expiresAt.getTime()).toBe(start + 12 * HOUR);
		expect((await ctx.db.selectFrom('sessions').select(['expires_at', 'last_seen_at']).where('id', '=', id).executeTakeFirstOrThrow())).toEqual({
			expires_at: new Date(start + 12 * HOUR).toISOString(),
			last_seen_at: new Date(start).toISOString()
		});

		ctx.clock.set(new Date(start + 7 * HOUR));
		const renewed = await validateSession(ctx, token);
		expect(renewed?.expiresAt.getTime()).toBe(start + 19 * HOUR);
		expect((await ctx.db.selectFrom('sessions').select(['expires_at', 'last_seen_at']).where('id', '=', id).executeTakeFirstOrThrow())).toEqual({
			expires_at: new Date(start + 19 * HOUR).toISOString(),
			last_seen_at: new Date(start + 7 * HOUR).toISOString()
		});

		// past the original end, the renewed session still works; past the renewed end, it does not
		ctx.clock.set(new Date(start + 13 * HOUR));
		expect(await validateSession(ctx, token)).not.toBeNull();
		ctx.clock.set(new Date(start + 19 * HOUR));
		expect(await validateSession(ctx, token)).toBeNull();
	});

	it('malformed or unknown tokens are refused without error', async () => {
		expect(await validateSession(ctx, '')).toBeNull();
		expect(await validateSession(ctx, 'short')).toBeNull();
		expect(await validateSession(ctx, "x' or '1'='1' -- padding padding")).toBeNull();
		expect(await validateSession(ctx, 'A'.repeat(43))).toBeNull();
	});

	it('logout deletes the session row and is audited; logging out twice changes nothing', async () => {
		const { token, userId } = await signIn();
		const before = await lastAuditSeq(ctx);
		await logout(ctx, token, { ip: '198.51.100.40' });
		expect(await ctx.db.selectFrom('sessions').select('id').where('id', '=', sha256Hex(token)).executeTakeFirst()).toBeUndefined();
		expect(await validateSession(ctx, token)).toBeNull();
		expect(await auditRows(ctx, before)).toEqual([
			{ seq: before + 1, action: 'auth.logout', outcome: 'success', actor_id: userId, target_type: 'user', target_id: userId, ip: '198.51.100.40', at: ctx.now().toISOString(), details: {} }
		]);
		await logout(ctx, token, { ip: '198.51.100.40' });
		expect(await lastAuditSeq(ctx)).toBe(before + 1);
	});

	it('logout closes only that session', async () => {
		const a = await signIn();
		const b = await signIn();
		await logout(ctx, a.token, { ip: null });
		expect(await validateSession(ctx, a.token)).toBeNull();
		expect(await validateSession(ctx, b.token)).not.toBeNull();
	});
});
