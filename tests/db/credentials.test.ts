/**
 * Badge credentials on a real database (both dialects): lazy issuance with a status-list index, verification
 * against the records, revocation visible in the signed status list on the very next request, revoking twice
 * or a missing award, pending-coverage awards, key rotation, expiry and renewal, baked images.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../src/lib/server/db/seed/demo';
import { createAward } from '../../src/lib/server/training/awards';
import { loadActor } from '../../src/lib/server/accounts/actor';
import {
	credentialFor,
	CredentialError,
	didDocument,
	renewCredential,
	revokeAward,
	statusListCredential,
	verificationStatusOf,
	verifyWithRecords,
	verifierEnv
} from '../../src/lib/server/credentials';
import { bakedPng, bakedSvg, extractCredential } from '../../src/lib/server/credentials/baking';
import { rotateKeys } from '../../src/lib/server/credentials/keys';
import { verifyDocumentProof } from '../../src/lib/server/credentials/proof';
import { bitAt, decodeStatusList } from '../../src/lib/domain/credentials/bitstring';
import { ForbiddenError } from '../../src/lib/server/policy';
import { addMonths, RENEWAL_WINDOW_DAYS } from '../../src/lib/domain/credentials/status';
import { createTestContext, DAY, type TestContext } from './harness';

let ctx: TestContext;
let keyDir: string;
const meta = { ip: '127.0.0.1' };
const idOf = async (email: string) => (await ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
const evidence = [
	{ key: 'q1', question: { fr: 'Que faire en premier ?', en: 'What first?' }, answer: 'Ne jamais regarder les images; appeler la police.' },
	{ key: 'q2', question: { fr: 'Qui avertir ?', en: 'Whom to tell?' }, answer: 'La direction, puis les parents.' }
];

async function award(email: string, level: 'explorateur' | 'architecte', schoolId: string | null = DEMO_IDS.schoolCovered) {
	const userId = await idOf(email);
	return ctx.db.transaction().execute((trx) =>
		createAward(trx, { userId, level, schoolId, awardedBy: null, sourceType: level === 'explorateur' ? 'explorateur_submission' : 'architecte_validation', sourceId: `src-${level}-${email}`, evidence: level === 'explorateur' ? evidence : { cases: ['c1', 'c2', 'c3'] } }, ctx.now())
	);
}

beforeAll(async () => {
	keyDir = mkdtempSync(join(tmpdir(), 'sexto-keys-'));
	const keysFile = join(keyDir, 'credential-keys.json');
	// PostgreSQL deployments must provide the key file; create it the way the CLI does.
	rotateKeys(keysFile, new Date());
	ctx = await createTestContext({ env: { CREDENTIAL_KEYS_FILE: keysFile } });
});
afterAll(async () => {
	await ctx?.close();
	rmSync(keyDir, { recursive: true, force: true });
});

describe('credentials', () => {
	it('issues once per award, with a status index, signed by the published key, and verifies against the records', async () => {
		const a = await award('intervenant@sexto.test', 'explorateur');
		const first = await credentialFor(ctx, a.id);
		if (first.kind !== 'ok') throw new Error(first.kind);
		const again = await credentialFor(ctx, a.id);
		expect(again.kind === 'ok' && again.row.id).toBe(first.row.id);
		expect(first.credential.awardedDate).toBe(a.awarded_at);
		expect(first.row.status_index).toBeGreaterThanOrEqual(0);
		const vm = (first.credential.proof as { verificationMethod: string }[])[0]!.verificationMethod;
		expect((didDocument(ctx).assertionMethod as string[]).includes(vm)).toBe(true);
		const verdict = await verifyWithRecords(ctx, first.json);
		expect(verdict.status).toBe('valid');
		expect(verdict.reasons).toEqual(expect.arrayContaining(['signature_ok', 'status_ok', 'evidence_matches']));
		expect(verdict.summary?.holderName).toBeTruthy();
		const audit = await ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', a.id).execute();
		expect(audit.map((r) => r.action)).toContain('credential.issued');
		expect(await verificationStatusOf(ctx, a.id)).toEqual({ kind: 'valid', validUntil: null });
	});

	it('gives no credential for an award pending coverage, and not_found for an unknown id', async () => {
		const pending = await award('direction.lacvert@sexto.test', 'explorateur', DEMO_IDS.schoolOther);
		expect((await credentialFor(ctx, pending.id)).kind).toBe('pending');
		expect(await verificationStatusOf(ctx, pending.id)).toMatchObject({ kind: 'pending', reason: 'school_not_covered' });
		expect((await credentialFor(ctx, '00000000-0000-4000-8000-000000000000')).kind).toBe('not_found');
		expect((await credentialFor(ctx, "x' or 1=1 --")).kind).toBe('not_found');
	});

	it('revocation flips the bit in the signed status list on the next request; twice → 409; missing → 404; policy enforced', async () => {
		const a = await award('direction@sexto.test', 'explorateur');
		const issued = await credentialFor(ctx, a.id);
		if (issued.kind !== 'ok') throw new Error(issued.kind);
		const listId = issued.row.status_list_id;
		const index = issued.row.status_index;
		const bitNow = async () => {
			const list = await statusListCredential(ctx, listId);
			const check = await verifyDocumentProof(list!, verifierEnv(ctx).keyFor);
			expect(check.ok).toBe(true);
			return bitAt(decodeStatusList((list!.credentialSubject as { encodedList: string }).encodedList)!, index);
		};
		expect(await bitNow()).toBe(false);

		const learner = await loadActor(ctx.db, await idOf('intervenant@sexto.test'));
		await expect(revokeAward(ctx, learner, a.id, { category: 'conduct', note: null }, meta)).rejects.toBeInstanceOf(ForbiddenError);

		const evaluator = await loadActor(ctx.db, await idOf('formateur@sexto.test'));
		await revokeAward(ctx, evaluator, a.id, { category: 'issued_in_error', note: 'Mauvaise personne' }, meta);
		expect(await bitNow()).toBe(true);
		expect(await verifyWithRecords(ctx, issued.json)).toMatchObject({ status: 'revoked', revocationCategory: 'issued_in_error' });
		expect(await verificationStatusOf(ctx, a.id)).toMatchObject({ kind: 'revoked', category: 'issued_in_error' });
		const row = await ctx.db.selectFrom('training_awards').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ status: 'revoked', revocation_reason: 'issued_in_error', revocation_note: 'Mauvaise personne' });

		const twice = await revokeAward(ctx, evaluator, a.id, { category: 'other', note: null }, meta).catch((e) => e);
		expect(twice).toBeInstanceOf(CredentialError);
		expect([twice.code, twice.status]).toEqual(['already_revoked', 409]);
		const missing = await revokeAward(ctx, evaluator, '00000000-0000-4000-8000-000000000001', { category: 'other', note: null }, meta).catch((e) => e);
		expect([missing.code, missing.status]).toEqual(['not_found', 404]);
		const actions = (await ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', a.id).execute()).map((r) => r.action);
		expect(actions).toEqual(expect.arrayContaining(['credential.award_revoked', 'credential.revoke_refused']));
	});

	it('keeps earlier credentials valid after a key rotation, and signs new ones with the new key', async () => {
		const a = await award('intervenant@sexto.test', 'architecte');
		const before = await credentialFor(ctx, a.id);
		if (before.kind !== 'ok') throw new Error(before.kind);
		ctx.clock.advance(1000);
		const newKey = rotateKeys(ctx.config.CREDENTIAL_KEYS_FILE, ctx.now());
		expect((didDocument(ctx).assertionMethod as string[]).length).toBe(2);
		expect((await verifyWithRecords(ctx, before.json)).status).toBe('valid');
		const b = await award('direction.lacvert@sexto.test', 'architecte', DEMO_IDS.schoolCovered);
		const after = await credentialFor(ctx, b.id);
		if (after.kind !== 'ok') throw new Error(after.kind);
		expect(after.row.verification_method.endsWith(`#${newKey}`)).toBe(true);
		expect((await verifyWithRecords(ctx, after.json)).status).toBe('valid');
	});

	it('an Architecte credential expires after its validity; renewal keeps the award date with a new validFrom', async () => {
		const a = await ctx.db.selectFrom('training_awards').selectAll().where('level', '=', 'architecte').where('user_id', '=', await idOf('intervenant@sexto.test')).executeTakeFirstOrThrow();
		const original = await credentialFor(ctx, a.id);
		if (original.kind !== 'ok') throw new Error(original.kind);
		expect(original.credential.validUntil).toBeTruthy();
		const holder = await loadActor(ctx.db, a.user_id);
		await expect(renewCredential(ctx, holder, a.id, meta)).rejects.toMatchObject({ code: 'not_expired', status: 409 });

		ctx.clock.advance(37 * 31 * DAY);
		expect((await verifyWithRecords(ctx, original.json)).status).toBe('expired');
		expect(await verificationStatusOf(ctx, a.id)).toMatchObject({ kind: 'expired' });
		const renewed = await renewCredential(ctx, holder, a.id, meta);
		const doc = JSON.parse(renewed.document);
		expect(doc.awardedDate).toBe(a.awarded_at);
		expect(doc.validFrom).toBe(ctx.now().toISOString());
		expect(doc.id).not.toBe(original.credential.id);
		expect((await verifyWithRecords(ctx, renewed.document)).status).toBe('valid');
		const current = await credentialFor(ctx, a.id);
		expect(current.kind === 'ok' && current.row.id).toBe(renewed.id);
	});

	it('the first credential’s period runs from the award date; renewal opens RENEWAL_WINDOW_DAYS before its end', async () => {
		const a = await award('coordination@sexto.test', 'architecte');
		ctx.clock.advance(90 * DAY); // issued lazily, well after the award: the period still starts at the award
		const first = await credentialFor(ctx, a.id);
		if (first.kind !== 'ok') throw new Error(first.kind);
		const end = addMonths(new Date(a.awarded_at), 36).toISOString();
		expect([first.credential.validFrom, first.credential.validUntil, first.row.valid_until]).toEqual([a.awarded_at, end, end]);
		expect((await verifyWithRecords(ctx, first.json)).status).toBe('valid');
		const holder = await loadActor(ctx.db, a.user_id);
		ctx.clock.set(new Date(Date.parse(end) - (RENEWAL_WINDOW_DAYS + 1) * DAY));
		await expect(renewCredential(ctx, holder, a.id, meta)).rejects.toMatchObject({ code: 'not_expired', status: 409 });
		ctx.clock.advance(2 * DAY);
		const renewed = await renewCredential(ctx, holder, a.id, meta);
		expect(renewed.valid_from).toBe(ctx.now().toISOString());
		expect(renewed.valid_until).toBe(addMonths(ctx.now(), 36).toISOString());
		expect(await verificationStatusOf(ctx, a.id)).toEqual({ kind: 'valid', validUntil: renewed.valid_until });
		// the superseded credential still verifies (valid until its own end); the current one is the renewal
		expect((await verifyWithRecords(ctx, first.json)).status).toBe('valid');
		const current = await credentialFor(ctx, a.id);
		expect(current.kind === 'ok' && current.row.id).toBe(renewed.id);
	});

	it('bakes the credential into PNG and SVG and extracts exactly the same credential', async () => {
		const a = await ctx.db.selectFrom('training_awards').selectAll().where('level', '=', 'explorateur').where('revoked_at', 'is', null).where('status', '=', 'awarded').executeTakeFirstOrThrow();
		const found = await credentialFor(ctx, a.id);
		if (found.kind !== 'ok') throw new Error(found.kind);
		const png = extractCredential(bakedPng(a.level, found.json));
		const svg = extractCredential(new TextEncoder().encode(bakedSvg(a.level, found.json)));
		expect(png).toEqual({ ok: true, json: found.json, format: 'png' });
		expect(svg).toEqual({ ok: true, json: found.json, format: 'svg' });
		expect(extractCredential(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]))).toEqual({ ok: false, problem: 'unsupported_type' });
	});
});
