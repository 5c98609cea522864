/**
 * Proof pages, holder controls and member profiles on a real database (TEST_DB=sqlite|postgres):
 * privacy by default, the same "not found" for private, unknown and forged ids, hidden answers never in the
 * view, only the holder changes settings (audited; attempts by others audited as denied), opt-in profiles with
 * unguessable ids, the per-server copy of public pages and its invalidation; the status after a renewal or a
 * revocation through the credential service (one rule with verificationStatusOf), and who is offered renewal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../src/lib/server/db/seed/demo';
import { createAward } from '../../src/lib/server/training/awards';
import { seedDemoAttestations, demoEvidence } from '../../src/lib/server/db/seed/demo-attestations';

const DEMO_EVIDENCE = demoEvidence();
/** the three reflection keys, in course order */
const [Q1, Q2, Q3] = DEMO_EVIDENCE.map((e) => e.key) as [string, string, string];
import {
	getAttestationSettings,
	getProofPage,
	myProfile,
	newProfileId,
	PROOF_CACHE_TTL_MS,
	publicProfile,
	RENEWED_PARAM,
	saveAttestationSettings,
	saveProfile
} from '../../src/lib/server/attestations';
import { verifyAuditChain } from '../../src/lib/server/audit/log';
import { cachedPublicPage, keepPublicPage, pageCopyGeneration, publicPageKey } from '../../src/lib/server/cache/public-pages';
import type { AppContext } from '../../src/lib/server/context';
import type { Actor } from '../../src/lib/server/policy';
import type { AwardLevel } from '../../src/lib/server/db/schema';
import { credentialFor, renewCredential, revokeAward, verificationStatusOf } from '../../src/lib/server/credentials';
import { rotateKeys } from '../../src/lib/server/credentials/keys';
import { RENEWAL_WINDOW_DAYS, validUntilFrom } from '../../src/lib/domain/credentials/status';
import { actorOf, auditRows, createTestContext, DAY, lastAuditSeq, type TestContext } from './harness';

let ctx: TestContext;
let keyDir: string;
let holder: Actor;
let evaluator: Actor;
let admin: Actor;
let stranger: Actor;
const META = { ip: '203.0.113.9' };

async function award(email: string, level: AwardLevel = 'explorateur', schoolId: string | null = DEMO_IDS.schoolCovered, evidence: unknown = DEMO_EVIDENCE) {
	const user = await actorOf(ctx, email);
	return ctx.db.transaction().execute((trx) =>
		createAward(trx, { userId: user.userId, level, schoolId, awardedBy: evaluator.userId, sourceType: 'explorateur_submission', sourceId: `test-${email}-${level}`, evidence }, ctx.now())
	);
}

beforeAll(async () => {
	// Renewal and lazy issuance sign credentials: a throw-away key file (PostgreSQL deployments must provide one).
	keyDir = mkdtempSync(join(tmpdir(), 'sexto-keys-'));
	const keysFile = join(keyDir, 'credential-keys.json');
	rotateKeys(keysFile, new Date());
	ctx = await createTestContext({ env: { CREDENTIAL_KEYS_FILE: keysFile } });
	holder = await actorOf(ctx, 'intervenant@sexto.test');
	evaluator = await actorOf(ctx, 'formateur@sexto.test');
	admin = await actorOf(ctx, 'admin@sexto.test');
	stranger = await actorOf(ctx, 'direction@sexto.test');
});
afterAll(async () => {
	await ctx?.close();
	if (keyDir) rmSync(keyDir, { recursive: true, force: true });
});

describe('proof page visibility', () => {
	let id: string;
	beforeAll(async () => {
		id = (await award('intervenant@sexto.test')).id;
	});

	it('is private by default: only the holder sees it, with the holder flag', async () => {
		const own = await getProofPage(ctx, holder, id);
		expect(own).toMatchObject({ id, isPublic: false, isHolder: true, level: 'explorateur', hiddenCount: 0 });
		expect(own!.holder).toEqual({ name: 'Isabelle Tremblay', profileId: null });
		expect(own!.answers.map((a) => a.key)).toEqual([Q1, Q2, Q3]);
		expect(own!.status).toEqual({ kind: 'valid', validUntil: null });
		// anonymous, another person of the same school, the evaluator who approved it, the platform admin: all "not found"
		for (const other of [null, stranger, evaluator, admin]) expect(await getProofPage(ctx, other, id)).toBeNull();
	});

	it('answers unknown, forged and malformed ids exactly like a private one', async () => {
		for (const forged of [crypto.randomUUID(), id.toUpperCase(), `${id}x`, "' or 1=1 --", '', '../../etc/passwd', id.slice(0, -1) + (id.endsWith('0') ? '1' : '0')]) {
			expect(await getProofPage(ctx, null, forged)).toBeNull();
			expect(await getProofPage(ctx, holder, forged)).toBeNull();
		}
	});

	it('lets the holder publish it and hide an answer; a hidden answer is nowhere in what visitors get', async () => {
		const before = await lastAuditSeq(ctx);
		const r = await saveAttestationSettings(ctx, holder, { awardId: id, isPublic: true, shownKeys: [Q1, Q3, 'not-a-key'] }, META);
		expect(r).toEqual({ ok: true, isPublic: true, hiddenCount: 1 });
		const seen = await getProofPage(ctx, null, id);
		expect(seen).toMatchObject({ isPublic: true, isHolder: false, hiddenCount: 1 });
		expect(seen!.answers.map((a) => a.key)).toEqual([Q1, Q3]);
		expect(JSON.stringify(seen)).not.toContain(DEMO_EVIDENCE[1]!.answer);
		expect(JSON.stringify(seen)).not.toContain(DEMO_EVIDENCE[1]!.question.fr);
		// the holder sees the page as visitors do, told how many answers are hidden
		expect((await getProofPage(ctx, holder, id))!.answers.map((a) => a.key)).toEqual([Q1, Q3]);
		// audited in the same transaction: flags and counts, never the answers
		const rows = await auditRows(ctx, before);
		expect(rows.map((a) => [a.action, a.outcome, a.actor_id, a.target_id, a.ip])).toEqual([['attestation.settings_changed', 'success', holder.userId, id, META.ip]]);
		expect(rows[0]!.details).toEqual({ isPublic: true, wasPublic: false, hiddenCount: 1 });
	});

	it('shows the holder form with every answer and whether it is shown', async () => {
		const view = await getAttestationSettings(ctx, holder, id);
		expect(view!.answers.map((a) => [a.key, a.shown])).toEqual([
			[Q1, true],
			[Q2, false],
			[Q3, true]
		]);
		expect(view!.isPublic).toBe(true);
	});

	it("refuses someone else's settings with not_found, audits the attempt as denied and changes nothing", async () => {
		const before = await lastAuditSeq(ctx);
		for (const other of [stranger, admin, evaluator]) {
			expect(await getAttestationSettings(ctx, other, id)).toBeNull();
			expect(await saveAttestationSettings(ctx, other, { awardId: id, isPublic: false, shownKeys: [] }, META)).toEqual({ ok: false, reason: 'not_found' });
		}
		const rows = await auditRows(ctx, before);
		expect(rows.map((r) => [r.action, r.outcome, r.target_id])).toEqual([
			['attestation.settings_denied', 'denied', id],
			['attestation.settings_denied', 'denied', id],
			['attestation.settings_denied', 'denied', id]
		]);
		// random ids are answered the same but leave no audit row (no log spam from probes)
		expect(await saveAttestationSettings(ctx, stranger, { awardId: crypto.randomUUID(), isPublic: true, shownKeys: [] }, META)).toEqual({ ok: false, reason: 'not_found' });
		expect(await lastAuditSeq(ctx)).toBe(before + 3);
		const still = await getProofPage(ctx, null, id);
		expect(still?.isPublic).toBe(true);
		expect(still!.answers.length).toBe(2);
	});

	it('turns private again at once on this server: 404 for everyone but the holder', async () => {
		// the public copy is in this server's cache now
		expect(await getProofPage(ctx, null, id)).not.toBeNull();
		await saveAttestationSettings(ctx, holder, { awardId: id, isPublic: false, shownKeys: [Q1, Q2, Q3] }, META);
		expect(await getProofPage(ctx, null, id)).toBeNull();
		expect(await getProofPage(ctx, stranger, id)).toBeNull();
		expect((await getProofPage(ctx, holder, id))!.answers.length).toBe(3);
	});

	it('another app server sees the change within the cache delay, never later', async () => {
		await saveAttestationSettings(ctx, holder, { awardId: id, isPublic: true, shownKeys: [Q1, Q2, Q3] }, META);
		const other = ctx.openAnotherHandle(2);
		const server2: AppContext = { ...ctx, db: other.db, now: () => ctx.now() };
		expect(await getProofPage(ctx, null, id)).not.toBeNull();
		expect(await getProofPage(server2, null, id)).not.toBeNull(); // server 2 keeps its own copy
		await saveAttestationSettings(ctx, holder, { awardId: id, isPublic: false, shownKeys: [Q1, Q2, Q3] }, META);
		expect(await getProofPage(ctx, null, id)).toBeNull(); // the server that saved: at once
		ctx.clock.advance(PROOF_CACHE_TTL_MS + 1);
		expect(await getProofPage(server2, null, id)).toBeNull(); // server 2: after the delay
		// the holder's own view never comes from a copy
		expect((await getProofPage(server2, holder, id))!.isPublic).toBe(false);
	});
});

describe('status on the page', () => {
	it('shows a pending award as pending coverage with its reason', async () => {
		const a = await award('direction.lacvert@sexto.test', 'explorateur', DEMO_IDS.schoolOther);
		const lacvert = await actorOf(ctx, 'direction.lacvert@sexto.test');
		expect((await getProofPage(ctx, lacvert, a.id))!.status).toEqual({ kind: 'pending', reason: 'school_not_covered' });
	});

	it('keeps a revoked public page visible as revoked (category only); hidden by its holder it is a 404', async () => {
		const a = await award('policier@sexto.test');
		const police = await actorOf(ctx, 'policier@sexto.test');
		await saveAttestationSettings(ctx, police, { awardId: a.id, isPublic: true, shownKeys: [Q1, Q2, Q3] }, META);
		const revokedAt = ctx.now().toISOString();
		await ctx.db
			.updateTable('training_awards')
			.set({ status: 'revoked', revoked_at: revokedAt, revoked_by: evaluator.userId, revocation_reason: 'issued_in_error: wrong person' })
			.where('id', '=', a.id)
			.execute();
		ctx.clock.advance(PROOF_CACHE_TTL_MS + 1); // (the revocation service drops the copy itself: forgetProofPage)
		const seen = await getProofPage(ctx, null, a.id);
		expect(seen!.status).toEqual({ kind: 'revoked', category: 'issued_in_error', at: revokedAt });
		expect(JSON.stringify(seen)).not.toContain('wrong person');
		await saveAttestationSettings(ctx, police, { awardId: a.id, isPublic: false, shownKeys: [] }, META);
		expect(await getProofPage(ctx, null, a.id)).toBeNull();
	});
});

describe('renewal and revocation on the page: the credential service’s verdict', () => {
	const RUNS = { cases: ['impulsive-15', 'group-chat', 'sextortion'], passed: true };

	it('follows the current credential: due for renewal → offered to the holder only; renewed → valid, same award date', async () => {
		const a = await award('coordination@sexto.test', 'architecte', DEMO_IDS.schoolCovered, RUNS);
		const owner = await actorOf(ctx, 'coordination@sexto.test');
		await saveAttestationSettings(ctx, owner, { awardId: a.id, isPublic: true, shownKeys: [] }, META);
		const end = validUntilFrom(a.awarded_at, 36)!;

		// Before any credential: the period runs from the award date; issuing the credential changes nothing.
		expect((await getProofPage(ctx, owner, a.id))!).toMatchObject({ status: { kind: 'valid', validUntil: end }, canRenew: false });
		const issued = await credentialFor(ctx, a.id);
		if (issued.kind !== 'ok') throw new Error(issued.kind);
		expect(issued.row.valid_until).toBe(end);
		expect(await verificationStatusOf(ctx, a.id)).toEqual({ kind: 'valid', validUntil: end });
		await expect(renewCredential(ctx, owner, a.id, META)).rejects.toMatchObject({ code: 'not_expired', status: 409 });

		// Within the renewal window: still valid, renewal offered to the holder and to nobody else.
		ctx.clock.set(new Date(Date.parse(end) - (RENEWAL_WINDOW_DAYS - 1) * DAY));
		expect((await getProofPage(ctx, owner, a.id))!).toMatchObject({ status: { kind: 'valid', validUntil: end }, isHolder: true, canRenew: true });
		for (const other of [null, stranger, evaluator, admin]) expect((await getProofPage(ctx, other, a.id))!).toMatchObject({ status: { kind: 'valid' }, isHolder: false, canRenew: false });

		// Past the end: expired on the page (visitors' copy included) and in the credential service alike.
		ctx.clock.set(new Date(Date.parse(end) + DAY));
		const expired = await getProofPage(ctx, null, a.id);
		expect(expired!.status).toEqual({ kind: 'expired', validUntil: end });
		expect(await verificationStatusOf(ctx, a.id)).toEqual(expired!.status);
		expect((await getProofPage(ctx, owner, a.id))!.canRenew).toBe(true);
		expect((await myProfile(ctx, owner)).attestations.find((x) => x.id === a.id)!.status).toEqual(expired!.status);

		const renewed = await renewCredential(ctx, owner, a.id, META);
		expect(renewed.valid_until).toBe(validUntilFrom(ctx.now(), 36));
		// This server's copy was dropped by the renewal: a visitor sees the new verdict at once.
		const after = await getProofPage(ctx, null, a.id);
		expect(after!.status).toEqual({ kind: 'valid', validUntil: renewed.valid_until });
		expect(after!.awardedAt).toBe(a.awarded_at);
		expect(await verificationStatusOf(ctx, a.id)).toEqual(after!.status);
		expect((await getProofPage(ctx, owner, a.id))!).toMatchObject({ status: after!.status, awardedAt: a.awarded_at, canRenew: false });
		// The member profile and the holder's own list say the same.
		const saved = await saveProfile(ctx, owner, { isPublic: true, showSchool: false, displayName: null }, META);
		if (!saved.ok) throw new Error('save refused');
		expect((await publicProfile(ctx, saved.publicId))!.badges.find((b) => b.id === a.id)!.status).toEqual(after!.status);
		expect((await myProfile(ctx, owner)).attestations.find((x) => x.id === a.id)!.status).toEqual(after!.status);
		// renewing again right away is refused (not due)
		await expect(renewCredential(ctx, owner, a.id, META)).rejects.toMatchObject({ code: 'not_expired' });
		const actions = (await ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', a.id).execute()).map((r) => r.action);
		expect(actions).toEqual(expect.arrayContaining(['credential.issued', 'credential.renewed']));
	});

	it('revoked through the service: visitors see "revoked" and the category at once, never the internal note; revoked wins over expiry', async () => {
		const a = await award('rprp@sexto.test', 'architecte', DEMO_IDS.schoolCovered, RUNS);
		const owner = await actorOf(ctx, 'rprp@sexto.test');
		await saveAttestationSettings(ctx, owner, { awardId: a.id, isPublic: true, shownKeys: [] }, META);
		expect((await getProofPage(ctx, null, a.id))!.status.kind).toBe('valid'); // now in this server's copy
		const note = 'Plainte de Mme Gagnon (514-555-0199) au sujet des réponses';
		await revokeAward(ctx, evaluator, a.id, { category: 'conduct', note }, META);
		const revokedAt = ctx.now().toISOString();

		const seen = await getProofPage(ctx, null, a.id);
		expect(seen!.status).toEqual({ kind: 'revoked', category: 'conduct', at: revokedAt });
		expect(await verificationStatusOf(ctx, a.id)).toEqual(seen!.status);
		for (const fragment of ['Gagnon', '514-555', 'Plainte']) expect(JSON.stringify(seen)).not.toContain(fragment);
		const own = await getProofPage(ctx, owner, a.id);
		expect(own).toMatchObject({ status: seen!.status, canRenew: false });
		expect(JSON.stringify(own)).not.toContain('Gagnon');
		// long past the validity period: still revoked (not expired), and renewal is refused
		ctx.clock.advance(40 * 31 * DAY);
		expect((await getProofPage(ctx, owner, a.id))!).toMatchObject({ status: { kind: 'revoked', category: 'conduct' }, canRenew: false });
		expect(await verificationStatusOf(ctx, a.id)).toMatchObject({ kind: 'revoked', category: 'conduct' });
		await expect(renewCredential(ctx, owner, a.id, META)).rejects.toMatchObject({ code: 'revoked', status: 409 });
	});
});

describe('rendered copy of a public proof page (anonymous visitors, hooks)', () => {
	const html = (body: string) => new Response(body, { status: 200, headers: { 'content-type': 'text/html', 'content-security-policy': "default-src 'self'" } });
	const keyOf = (awardId: string, search = '') =>
		publicPageKey({
			request: new Request(`http://x/attestations/${awardId}${search}`),
			route: { id: '/attestations/[id]' },
			params: { id: awardId },
			url: new URL(`http://x/attestations/${awardId}${search}`),
			cookies: { get: () => undefined },
			locals: { locale: 'fr' }
		} as unknown as Parameters<typeof publicPageKey>[0]);

	it('is kept only onto a public copy, served until a forget (settings, revocation), never for a private page', async () => {
		const a = await award('coordination@sexto.test');
		const owner = await actorOf(ctx, 'coordination@sexto.test');
		const key = keyOf(a.id)!;
		expect(key).toBe(`proof:${a.id}:fr:/attestations/${a.id}`);
		expect(keyOf(a.id, `?${RENEWED_PARAM}`)).toBeNull(); // any query string: never a copy

		// private: the render answers 404 (not kept), and even a 200 would find no public facts copy to attach to
		expect(await getProofPage(ctx, null, a.id)).toBeNull();
		await keepPublicPage(ctx, key, html('private?'), pageCopyGeneration(ctx, key));
		expect(cachedPublicPage(ctx, key)).toBeNull();

		await saveAttestationSettings(ctx, owner, { awardId: a.id, isPublic: true, shownKeys: [Q1, Q2, Q3] }, META);
		const generation = pageCopyGeneration(ctx, key);
		expect(await getProofPage(ctx, null, a.id)).not.toBeNull(); // the load fills the facts copy
		await keepPublicPage(ctx, key, html('<p>page v1</p>'), generation);
		expect(await cachedPublicPage(ctx, key)!.text()).toBe('<p>page v1</p>');

		// a settings change on this server drops it at once, and a render started before it is not kept
		const before = pageCopyGeneration(ctx, key);
		await saveAttestationSettings(ctx, owner, { awardId: a.id, isPublic: true, shownKeys: [Q1] }, META);
		expect(cachedPublicPage(ctx, key)).toBeNull();
		expect(await getProofPage(ctx, null, a.id)).not.toBeNull();
		await keepPublicPage(ctx, key, html('<p>rendered before the change</p>'), before);
		expect(cachedPublicPage(ctx, key)).toBeNull();
		await keepPublicPage(ctx, key, html('<p>page v2</p>'), pageCopyGeneration(ctx, key));
		expect(await cachedPublicPage(ctx, key)!.text()).toBe('<p>page v2</p>');

		// the TTL ends it with its facts copy
		ctx.clock.advance(PROOF_CACHE_TTL_MS + 1);
		expect(cachedPublicPage(ctx, key)).toBeNull();

		// a revocation through the service drops it at once
		expect(await getProofPage(ctx, null, a.id)).not.toBeNull();
		await keepPublicPage(ctx, key, html('<p>valid</p>'), pageCopyGeneration(ctx, key));
		expect(cachedPublicPage(ctx, key)).not.toBeNull();
		await revokeAward(ctx, evaluator, a.id, { category: 'conduct', note: '' }, META);
		expect(cachedPublicPage(ctx, key)).toBeNull();
	});

	it('is never served past the instant the badge stops being valid', async () => {
		const a = await award('procureur@sexto.test', 'architecte', DEMO_IDS.schoolCovered, { cases: ['impulsive-15'], passed: true });
		const owner = await actorOf(ctx, 'procureur@sexto.test');
		await saveAttestationSettings(ctx, owner, { awardId: a.id, isPublic: true, shownKeys: [] }, META);
		const key = keyOf(a.id)!;
		const seen = (await getProofPage(ctx, null, a.id))!;
		expect(seen.status.kind).toBe('valid');
		const validUntil = seen.status.kind === 'valid' ? seen.status.validUntil : null;
		expect(validUntil).not.toBeNull();
		// move to 2 s before the end: the facts copy is reloaded, the copy may live 2 s, not the full TTL
		ctx.clock.advance(Date.parse(validUntil!) - ctx.now().getTime() - 2_000);
		expect((await getProofPage(ctx, null, a.id))!.status.kind).toBe('valid');
		await keepPublicPage(ctx, key, html('<p>valid</p>'), pageCopyGeneration(ctx, key));
		expect(cachedPublicPage(ctx, key)).not.toBeNull();
		ctx.clock.advance(2_000);
		expect(cachedPublicPage(ctx, key)).toBeNull();
		expect((await getProofPage(ctx, null, a.id))!.status.kind).toBe('expired');
	});
});

describe('member profiles', () => {
	it('does not exist until the person saves it; a random profile id is not found', async () => {
		const mine = await myProfile(ctx, holder);
		expect(mine).toMatchObject({ exists: false, publicId: null, isPublic: false, showSchool: false, accountName: 'Isabelle Tremblay' });
		expect(mine.schoolName).toBe('École secondaire des Hauts-Bois (fictive)');
		expect(await publicProfile(ctx, newProfileId())).toBeNull();
		expect(await publicProfile(ctx, holder.userId)).toBeNull();
	});

	it('is opt-in: saved private it is still 404, public it shows the name, the school only when chosen, and public badges only', async () => {
		const before = await lastAuditSeq(ctx);
		const saved = await saveProfile(ctx, holder, { isPublic: false, showSchool: false, displayName: '' }, META);
		if (!saved.ok) throw new Error('save refused');
		expect(saved.publicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
		expect(saved.publicId).not.toContain(holder.userId.slice(0, 8));
		expect(await publicProfile(ctx, saved.publicId)).toBeNull();

		await saveProfile(ctx, holder, { isPublic: true, showSchool: false, displayName: '  Isabelle   T.  ' }, META);
		let pub = await publicProfile(ctx, saved.publicId);
		expect(pub).toMatchObject({ publicId: saved.publicId, name: 'Isabelle T.', schoolName: null });
		// her Explorateur page is private at this point: not listed
		expect(pub!.badges).toEqual([]);

		const mine = await myProfile(ctx, holder);
		const explorateur = mine.attestations.find((a) => a.level === 'explorateur')!;
		await saveAttestationSettings(ctx, holder, { awardId: explorateur.id, isPublic: true, shownKeys: [Q1] }, META);
		await saveProfile(ctx, holder, { isPublic: true, showSchool: true, displayName: null }, META);
		pub = await publicProfile(ctx, saved.publicId);
		expect(pub).toMatchObject({ name: 'Isabelle Tremblay', schoolName: 'École secondaire des Hauts-Bois (fictive)' });
		expect(pub!.badges.map((b) => [b.id, b.level, b.status.kind])).toEqual([[explorateur.id, 'explorateur', 'valid']]);

		// the proof page links the name to the public profile; the id stays the same across saves
		expect((await getProofPage(ctx, null, explorateur.id))!.holder).toEqual({ name: 'Isabelle Tremblay', profileId: saved.publicId });
		await saveProfile(ctx, holder, { isPublic: false, showSchool: true, displayName: null }, META);
		expect((await getProofPage(ctx, null, explorateur.id))!.holder).toEqual({ name: 'Isabelle Tremblay', profileId: null });
		expect((await myProfile(ctx, holder)).publicId).toBe(saved.publicId);

		const rows = (await auditRows(ctx, before)).filter((r) => r.action === 'attestation.profile_changed');
		expect(rows.length).toBe(4);
		expect(rows.every((r) => r.actor_id === holder.userId && r.target_id === holder.userId)).toBe(true);
		expect(rows[0]!.details).toMatchObject({ created: true, isPublic: false });
		expect(JSON.stringify(rows.map((r) => r.details))).not.toContain('Isabelle');
	});

	it('refuses a display name over 120 characters with a field error, saving nothing', async () => {
		const before = await lastAuditSeq(ctx);
		const r = await saveProfile(ctx, holder, { isPublic: true, showSchool: true, displayName: 'x'.repeat(121) }, META);
		expect(r).toEqual({ ok: false, reason: 'invalid', errors: { displayName: { key: 'form.error.too_long', params: { max: 120 } } } });
		expect(await lastAuditSeq(ctx)).toBe(before);
	});

	it('gives every person a different, unguessable profile id', async () => {
		const ids = new Set(Array.from({ length: 2000 }, () => newProfileId()));
		expect(ids.size).toBe(2000);
		const other = await actorOf(ctx, 'procureur@sexto.test');
		const a = await saveProfile(ctx, other, { isPublic: true, showSchool: false, displayName: null }, META);
		const b = await myProfile(ctx, holder);
		expect(a.ok && a.publicId).not.toBe(b.publicId);
		// the database refuses a duplicate public id
		const row = await ctx.db.selectFrom('member_profiles').selectAll().where('user_id', '=', other.userId).executeTakeFirstOrThrow();
		await expect(ctx.db.insertInto('member_profiles').values({ ...row, user_id: stranger.userId }).execute()).rejects.toThrow();
	});
});

describe('demo seed', () => {
	it('creates a public Explorateur attestation and profile once, and reuses an award the training seed made', async () => {
		const first = await seedDemoAttestations(ctx.db, ctx.now());
		expect(first).not.toBeNull();
		const again = await seedDemoAttestations(ctx.db, ctx.now());
		expect(again).toEqual(first);
		const learner = await actorOf(ctx, 'apprenant@sexto.test');
		const seen = await getProofPage(ctx, null, first!.awardId);
		expect(seen).toMatchObject({ isPublic: true, holder: { name: 'Émilie Roy', profileId: first!.publicId } });
		expect(seen!.answers.length).toBe(3);
		expect((await publicProfile(ctx, first!.publicId))!.badges.map((b) => b.id)).toEqual([first!.awardId]);
		expect((await myProfile(ctx, learner)).attestations.length).toBe(1);
	});

	it('leaves the audit chain intact', async () => {
		expect((await verifyAuditChain(ctx.db)).ok).toBe(true);
	});
});
