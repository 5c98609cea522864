import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { acceptInvitation, describeInvitation, inviteMember } from '../../src/lib/server/accounts/invitations';
import { loadActor } from '../../src/lib/server/accounts/actor';
import { login } from '../../src/lib/server/auth/login';
import { sha256Hex } from '../../src/lib/server/crypto/tokens';
import { DEMO_IDS } from '../../src/lib/server/db/seed/demo';
import { translate } from '../../src/lib/i18n';
import { actorOf, auditRows, createTestContext, DAY, lastAuditSeq, linkToken, TEST_DIALECT, TEST_ORIGIN, userIdOf, type TestContext } from './harness';

const INVITE_PATH = '/invitation/';
const PRINCIPAL = 'direction@sexto.test'; // principal of schoolCovered (police service policeCovered)
const COORDINATOR = 'coordination@sexto.test'; // territory coordinator of policeCovered
const S1 = DEMO_IDS.schoolCovered;
const S2 = DEMO_IDS.schoolOther; // another school, another police service and territory
const META = { ip: '198.51.100.70' };

let ctx: TestContext;
beforeAll(async () => {
	ctx = await createTestContext();
});
afterAll(() => ctx?.close());
beforeEach(() => {
	ctx.clock.advance(DAY);
	ctx.mail.clear();
});

let n = 0;
const newEmail = () => `invite-${++n}@sexto.test`;

async function countInvitations(email: string): Promise<number> {
	return (await ctx.db.selectFrom('invitations').select('id').where('email', '=', email).execute()).length;
}

describe(`invitations (${TEST_DIALECT})`, () => {
	it('a principal invites a responder to their school: email with a link, then acceptance creates the account and the role', async () => {
		const principal = await actorOf(ctx, PRINCIPAL);
		const email = newEmail();
		const before = await lastAuditSeq(ctx);

		const result = await inviteMember(ctx, principal, { email: ` ${email.toUpperCase()} `, displayName: 'Nora Lefebvre', role: 'responder', scopeType: 'school', scopeId: S1 }, META);
		expect(result).toEqual({ ok: true, kind: 'invited', expiresInDays: 7 });

		const [message] = ctx.mail.to(email);
		expect(message).toBeDefined();
		expect(message!.subject).toBe(translate('fr', 'mail.invite.subject'));
		expect(message!.text).toContain('Nora Lefebvre');
		expect(message!.text).toContain('Marc Gagnon'); // who invited
		expect(message!.text).toContain(translate('fr', 'role.responder'));
		expect(message!.text).toContain('École secondaire des Hauts-Bois');
		const token = linkToken(message!, TEST_ORIGIN, INVITE_PATH);

		// stored by hash only, email normalised
		const [stored] = await ctx.db.selectFrom('invitations').selectAll().where('token_hash', '=', sha256Hex(token)).execute();
		expect(stored).toMatchObject({ email, role: 'responder', scope_type: 'school', scope_id: S1, invited_by: principal.userId, accepted_at: null });
		expect(JSON.stringify(stored)).not.toContain(token);

		expect(await describeInvitation(ctx, token, 'fr')).toEqual({ email, displayName: 'Nora Lefebvre', role: 'responder', scopeLabel: 'École secondaire des Hauts-Bois (fictive)' });

		const accepted = await acceptInvitation(ctx, token, { displayName: ' Nora L. ', password: 'Mot-de-passe-Nora-2026', locale: 'fr' }, { ip: '198.51.100.71' });
		expect(accepted).toEqual({ ok: true, email });

		const user = await ctx.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
		expect(user).toMatchObject({ display_name: 'Nora L.', locale: 'fr', disabled_at: null });
		expect(user.password_hash).toMatch(/^\$argon2id\$/);
		expect(await loadActor(ctx.db, user.id)).toEqual({
			userId: user.id,
			grants: [{ role: 'responder', scopeType: 'school', scopeId: S1 }],
			schoolPlaces: new Map([[S1, { schoolId: S1, policeServiceId: DEMO_IDS.policeCovered, territoryId: DEMO_IDS.territoryCovered }]])
		});
		const membership = await ctx.db.selectFrom('memberships').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
		expect(membership.created_by).toBe(principal.userId);

		// the new person can sign in with the chosen password
		expect((await login(ctx, { email, password: 'Mot-de-passe-Nora-2026' }, { ip: '198.51.100.72' })).ok).toBe(true);

		const rows = await auditRows(ctx, before);
		expect(rows.map((r) => [r.action, r.outcome, r.actor_id])).toEqual([
			['invitation.created', 'success', principal.userId],
			['invitation.accepted', 'success', user.id],
			['membership.granted', 'success', principal.userId],
			['auth.login', 'success', user.id]
		]);
		expect(rows[0]).toMatchObject({ target_type: 'invitation', target_id: stored!.id, ip: META.ip, details: { role: 'responder', scopeType: 'school', scopeId: S1 } });
		expect(rows[2]).toMatchObject({ target_type: 'user', target_id: user.id, details: { role: 'responder', scopeType: 'school', scopeId: S1, membershipId: membership.id } });
		// audit details carry ids and codes, not the person's name or email
		expect(JSON.stringify(rows)).not.toContain('Nora');
		expect(JSON.stringify(rows)).not.toContain(email);
	});

	it('an invitation link works once', async () => {
		const principal = await actorOf(ctx, PRINCIPAL);
		const email = newEmail();
		await inviteMember(ctx, principal, { email, displayName: 'Once', role: 'learner', scopeType: 'school', scopeId: S1 }, META);
		const token = linkToken(ctx.mail.to(email)[0]!, TEST_ORIGIN, INVITE_PATH);
		expect((await acceptInvitation(ctx, token, { displayName: 'Once', password: 'Premiere-fois-2026', locale: 'fr' }, META)).ok).toBe(true);

		expect(await describeInvitation(ctx, token, 'fr')).toBeNull();
		expect(await acceptInvitation(ctx, token, { displayName: 'Twice', password: 'Deuxieme-fois-2026', locale: 'en' }, META)).toEqual({ ok: false, reason: 'invalid_token' });
		const users = await ctx.db.selectFrom('users').select(['display_name', 'locale']).where('email', '=', email).execute();
		expect(users).toEqual([{ display_name: 'Once', locale: 'fr' }]);
	});

	it('an invitation expires after 7 days', async () => {
		const principal = await actorOf(ctx, PRINCIPAL);
		const email = newEmail();
		const sentAt = ctx.now().getTime();
		await inviteMember(ctx, principal, { email, displayName: 'Tard', role: 'learner', scopeType: 'school', scopeId: S1 }, META);
		const token = linkToken(ctx.mail.to(email)[0]!, TEST_ORIGIN, INVITE_PATH);

		ctx.clock.set(new Date(sentAt + 7 * DAY - 1));
		expect(await describeInvitation(ctx, token, 'fr')).not.toBeNull();
		ctx.clock.set(new Date(sentAt + 7 * DAY));
		expect(await describeInvitation(ctx, token, 'fr')).toBeNull();
		expect(await acceptInvitation(ctx, token, { displayName: 'Tard', password: 'Trop-tard-2026-x', locale: 'fr' }, META)).toEqual({ ok: false, reason: 'invalid_token' });
		expect(await ctx.db.selectFrom('users').select('id').where('email', '=', email).execute()).toEqual([]);
	});

	it('a principal cannot invite to another school: refused, nothing sent, audited as denied', async () => {
		const principal = await actorOf(ctx, PRINCIPAL);
		const email = newEmail();
		const before = await lastAuditSeq(ctx);
		const result = await inviteMember(ctx, principal, { email, displayName: 'Ailleurs', role: 'responder', scopeType: 'school', scopeId: S2 }, META);
		expect(result).toEqual({ ok: false, reason: 'forbidden' });
		expect(await countInvitations(email)).toBe(0);
		expect(ctx.mail.messages).toHaveLength(0);
		expect(await auditRows(ctx, before)).toEqual([
			{ seq: before + 1, action: 'invitation.rejected', outcome: 'denied', actor_id: principal.userId, target_type: 'school', target_id: S2, ip: META.ip, at: ctx.now().toISOString(), details: { role: 'responder' } }
		]);
	});

	it('a principal cannot hand out a role above their own, even at their school', async () => {
		const principal = await actorOf(ctx, PRINCIPAL);
		for (const role of ['principal', 'territory_coordinator', 'platform_admin'] as const) {
			const scope = role === 'platform_admin' ? { scopeType: 'platform' as const, scopeId: null } : role === 'territory_coordinator' ? { scopeType: 'police_service' as const, scopeId: DEMO_IDS.policeCovered } : { scopeType: 'school' as const, scopeId: S1 };
			expect(await inviteMember(ctx, principal, { email: newEmail(), displayName: 'X', role, ...scope }, META)).toEqual({ ok: false, reason: 'forbidden' });
		}
		expect(ctx.mail.messages).toHaveLength(0);
	});

	it('a coordinator invites a principal to a school of their police service, not to another service\'s school', async () => {
		const coordinator = await actorOf(ctx, COORDINATOR);
		const inside = newEmail();
		const outside = newEmail();
		expect(await inviteMember(ctx, coordinator, { email: inside, displayName: 'Dedans', role: 'principal', scopeType: 'school', scopeId: S1 }, META)).toMatchObject({ ok: true, kind: 'invited' });
		expect(await inviteMember(ctx, coordinator, { email: outside, displayName: 'Dehors', role: 'principal', scopeType: 'school', scopeId: S2 }, META)).toEqual({ ok: false, reason: 'forbidden' });
		expect(ctx.mail.to(inside)).toHaveLength(1);
		expect(ctx.mail.to(outside)).toHaveLength(0);
	});

	it('an unknown scope is refused as such', async () => {
		const principal = await actorOf(ctx, PRINCIPAL);
		expect(await inviteMember(ctx, principal, { email: newEmail(), displayName: 'X', role: 'responder', scopeType: 'school', scopeId: '00000000-0000-4000-8000-000000000000' }, META)).toEqual({ ok: false, reason: 'scope' });
		expect(await inviteMember(ctx, principal, { email: newEmail(), displayName: 'X', role: 'learner', scopeType: 'platform', scopeId: 'x' }, META)).toEqual({ ok: false, reason: 'scope' });
	});

	it('inviting someone who already has an account grants the role directly, once', async () => {
		const principal = await actorOf(ctx, PRINCIPAL);
		const learnerEmail = 'apprenant@sexto.test';
		const learnerId = await userIdOf(ctx, learnerEmail);
		const before = await lastAuditSeq(ctx);

		const result = await inviteMember(ctx, principal, { email: 'Apprenant@Sexto.test', displayName: 'ignored', role: 'responder', scopeType: 'school', scopeId: S1 }, META);
		expect(result).toEqual({ ok: true, kind: 'granted' });
		expect(ctx.mail.messages).toHaveLength(0);
		expect(await countInvitations(learnerEmail)).toBe(0);
		const grants = (await loadActor(ctx.db, learnerId)).grants;
		expect(grants).toContainEqual({ role: 'responder', scopeType: 'school', scopeId: S1 });
		expect(grants).toContainEqual({ role: 'learner', scopeType: 'school', scopeId: S1 });

		const rows = await auditRows(ctx, before);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ action: 'membership.granted', outcome: 'success', actor_id: principal.userId, target_type: 'user', target_id: learnerId, details: { role: 'responder', scopeType: 'school', scopeId: S1 } });

		// again: nothing new (no duplicate membership, no audit row)
		expect(await inviteMember(ctx, principal, { email: learnerEmail, displayName: 'ignored', role: 'responder', scopeType: 'school', scopeId: S1 }, META)).toEqual({ ok: true, kind: 'granted' });
		expect((await loadActor(ctx.db, learnerId)).grants.filter((g) => g.role === 'responder')).toHaveLength(1);
		expect(await lastAuditSeq(ctx)).toBe(before + 1);
	});

	it('when an address got an account in the meantime, a pending invitation answers email_taken', async () => {
		const principal = await actorOf(ctx, PRINCIPAL);
		const email = newEmail();
		await inviteMember(ctx, principal, { email, displayName: 'Double', role: 'learner', scopeType: 'school', scopeId: S1 }, META);
		await inviteMember(ctx, principal, { email, displayName: 'Double', role: 'responder', scopeType: 'school', scopeId: S1 }, META);
		const [first, second] = ctx.mail.to(email).map((m) => linkToken(m, TEST_ORIGIN, INVITE_PATH));
		expect(first).not.toBe(second);
		expect((await acceptInvitation(ctx, first!, { displayName: 'Double', password: 'Double-compte-2026', locale: 'fr' }, META)).ok).toBe(true);
		expect(await acceptInvitation(ctx, second!, { displayName: 'Double', password: 'Double-compte-2026', locale: 'fr' }, META)).toEqual({ ok: false, reason: 'email_taken' });
		expect(await ctx.db.selectFrom('users').select('id').where('email', '=', email).execute()).toHaveLength(1);
	});
});
