import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTeam, revokeMembership } from '../../src/lib/server/accounts/team';
import { DEMO_IDS, DEMO_USERS } from '../../src/lib/server/db/seed/demo';
import type { Role, ScopeType } from '../../src/lib/server/db/schema';
import { actorOf, auditRows, createTestContext, lastAuditSeq, TEST_DIALECT, userIdOf, type TestContext } from './harness';

const S1 = DEMO_IDS.schoolCovered;
const S2 = DEMO_IDS.schoolOther;
const P1 = DEMO_IDS.policeCovered;
const META = { ip: '198.51.100.80' };

let ctx: TestContext;
beforeAll(async () => {
	ctx = await createTestContext();
});
afterAll(() => ctx?.close());

/** "email role scopeType:scopeId" for each demo grant matching `keep`, sorted: what a list should show. */
function demoGrants(keep: (g: { role: Role; scopeType: ScopeType; scopeId: string | null }) => boolean): string[] {
	return DEMO_USERS.flatMap((u) => u.grants.filter(keep).map((g) => `${u.email} ${g.role} ${g.scopeType}:${g.scopeId}`)).sort();
}

async function shown(email: string): Promise<string[]> {
	const members = await listTeam(ctx, await actorOf(ctx, email));
	return members.map((m) => `${m.email} ${m.role} ${m.scopeType}:${m.scopeId}`).sort();
}

async function membershipId(email: string, role: Role): Promise<string> {
	const userId = await userIdOf(ctx, email);
	const row = await ctx.db.selectFrom('memberships').select('id').where('user_id', '=', userId).where('role', '=', role).executeTakeFirstOrThrow();
	return row.id;
}

async function schoolsOf(policeServiceId: string): Promise<string[]> {
	return (await ctx.db.selectFrom('schools').select('id').where('police_service_id', '=', policeServiceId).execute()).map((r) => r.id);
}

describe(`team list stays inside the actor's scope (${TEST_DIALECT})`, () => {
	it('the principal of school A sees exactly the people of school A', async () => {
		const list = await shown('direction@sexto.test');
		expect(list).toEqual(demoGrants((g) => g.scopeType === 'school' && g.scopeId === S1));
		expect(list.some((line) => line.includes(S2))).toBe(false);
		expect(list.some((line) => line.startsWith('direction.lacvert@'))).toBe(false);
	});

	it('the principal of school B never sees school A\'s people', async () => {
		const list = await shown('direction.lacvert@sexto.test');
		expect(list).toEqual(demoGrants((g) => g.scopeType === 'school' && g.scopeId === S2));
		expect(list.some((line) => line.includes(S1))).toBe(false);
	});

	it('a coordinator sees the schools of their police service and the service itself, nothing else', async () => {
		const schools = await schoolsOf(P1);
		expect(schools).toContain(S1);
		expect(schools).not.toContain(S2);
		const list = await shown('coordination@sexto.test');
		expect(list).toEqual(demoGrants((g) => (g.scopeType === 'school' && schools.includes(g.scopeId!)) || (g.scopeType === 'police_service' && g.scopeId === P1)));
	});

	it('a platform admin sees every membership', async () => {
		expect(await shown('admin@sexto.test')).toEqual(demoGrants(() => true));
	});

	it('roles without team access see nobody', async () => {
		for (const email of ['intervenant@sexto.test', 'policier@sexto.test', 'procureur@sexto.test', 'rprp@sexto.test', 'formateur@sexto.test']) {
			expect({ email, list: await shown(email) }).toEqual({ email, list: [] });
		}
	});

	it('offers "revoke" only where the policy allows it, and never on one\'s own roles', async () => {
		const principal = await actorOf(ctx, 'direction@sexto.test');
		const members = await listTeam(ctx, principal);
		for (const m of members) {
			const expected = m.userId !== principal.userId && (m.role === 'responder' || m.role === 'learner');
			expect({ who: `${m.email} ${m.role}`, canRevoke: m.canRevoke }).toEqual({ who: `${m.email} ${m.role}`, canRevoke: expected });
		}
	});
});

describe(`revoking a membership (${TEST_DIALECT})`, () => {
	it('a membership of another school answers not_found (no leak), is kept, and the attempt is audited', async () => {
		const principal = await actorOf(ctx, 'direction@sexto.test');
		const target = await membershipId('direction.lacvert@sexto.test', 'principal');
		const before = await lastAuditSeq(ctx);
		expect(await revokeMembership(ctx, principal, target, META)).toEqual({ ok: false, reason: 'not_found' });
		expect(await ctx.db.selectFrom('memberships').select('id').where('id', '=', target).executeTakeFirst()).toBeDefined();
		expect(await auditRows(ctx, before)).toMatchObject([
			{ action: 'access.denied', outcome: 'denied', actor_id: principal.userId, target_type: 'membership', target_id: target, details: { attempted: 'membership.revoked' } }
		]);
	});

	it('memberships out of view answer exactly like memberships that do not exist', async () => {
		const principal = await actorOf(ctx, 'direction@sexto.test');
		const platformAdmin = await membershipId('admin@sexto.test', 'platform_admin');
		const police = await membershipId('policier@sexto.test', 'police_liaison');
		const missing = '00000000-0000-4000-8000-00000000dead';
		const answers = await Promise.all([platformAdmin, police, missing].map((id) => revokeMembership(ctx, principal, id, META)));
		expect(answers).toEqual([
			{ ok: false, reason: 'not_found' },
			{ ok: false, reason: 'not_found' },
			{ ok: false, reason: 'not_found' }
		]);
	});

	it('one\'s own membership is forbidden, kept, and audited', async () => {
		const principal = await actorOf(ctx, 'direction@sexto.test');
		const own = await membershipId('direction@sexto.test', 'principal');
		const before = await lastAuditSeq(ctx);
		expect(await revokeMembership(ctx, principal, own, META)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await ctx.db.selectFrom('memberships').select('id').where('id', '=', own).executeTakeFirst()).toBeDefined();
		expect(await auditRows(ctx, before)).toMatchObject([{ action: 'access.denied', outcome: 'denied', actor_id: principal.userId, target_id: own, ip: META.ip }]);
	});

	it('a visible membership of a role the actor may not hand out is forbidden (a principal vs. a second principal of the same school)', async () => {
		const admin = await actorOf(ctx, 'admin@sexto.test');
		const coPrincipalId = await userIdOf(ctx, 'intervenant@sexto.test');
		await ctx.db.insertInto('memberships').values({ id: '11111111-1111-4111-8111-111111111111', user_id: coPrincipalId, role: 'principal', scope_type: 'school', scope_id: S1, created_at: ctx.now().toISOString(), created_by: admin.userId }).execute();
		const principal = await actorOf(ctx, 'direction@sexto.test');
		expect(await revokeMembership(ctx, principal, '11111111-1111-4111-8111-111111111111', META)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await revokeMembership(ctx, admin, '11111111-1111-4111-8111-111111111111', META)).toEqual({ ok: true });
	});

	it('a principal removes a responder of their school: gone from the team, the person loses the role, audited', async () => {
		const principal = await actorOf(ctx, 'direction@sexto.test');
		const responderId = await userIdOf(ctx, 'intervenant@sexto.test');
		const target = await membershipId('intervenant@sexto.test', 'responder');
		const before = await lastAuditSeq(ctx);
		expect(await revokeMembership(ctx, principal, target, META)).toEqual({ ok: true });

		expect(await ctx.db.selectFrom('memberships').select('id').where('id', '=', target).executeTakeFirst()).toBeUndefined();
		expect((await actorOf(ctx, 'intervenant@sexto.test')).grants).toEqual([{ role: 'learner', scopeType: 'school', scopeId: S1 }]);
		expect((await listTeam(ctx, principal)).some((m) => m.membershipId === target)).toBe(false);
		expect(await auditRows(ctx, before)).toMatchObject([
			{ action: 'membership.revoked', outcome: 'success', actor_id: principal.userId, target_type: 'user', target_id: responderId, ip: META.ip, details: { role: 'responder', scopeType: 'school', scopeId: S1, membershipId: target } }
		]);
		// a second attempt: the membership is gone
		expect(await revokeMembership(ctx, principal, target, META)).toEqual({ ok: false, reason: 'not_found' });
	});
});
