/**
 * Accounts used only by the e2e suite, added after the demo seed (`tsx tests/e2e/seed-extra.ts`, run by
 * serve.mjs with the e2e DATABASE_URL). Written through the product's own helpers so the audit chain
 * stays intact.
 */
import { createDb } from '../../src/lib/server/db';
import { hashPassword } from '../../src/lib/server/crypto/password';
import { newId } from '../../src/lib/server/crypto/tokens';
import { appendAudit } from '../../src/lib/server/audit/log';
import { DEMO_IDS } from '../../src/lib/server/db/seed/demo';
import { E2E_ARCHITECTE_USER, E2E_BADGE_HOLDER, E2E_RENEW_HOLDER, E2E_RESET_USER, E2E_SECOND_RESPONDER, E2E_TRAINING_USER } from './constants';
import { createAward, freezeEvidence, liveAward } from '../../src/lib/server/training/awards';
import { DEMO_ARCHITECTE_EMAIL, seedDemoArchitecte } from '../../src/lib/server/db/seed/demo-architecte';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');

const handle = createDb(url, { poolSize: 1 });
try {
	// Both are learners of the covered school; each spec that changes one never disturbs another spec.
	for (const extra of [E2E_RESET_USER, E2E_TRAINING_USER]) {
		const exists = await handle.db.selectFrom('users').select('id').where('email', '=', extra.email).executeTakeFirst();
		if (exists) continue;
		const now = new Date();
		const at = now.toISOString();
		const passwordHash = await hashPassword(extra.password);
		await handle.db.transaction().execute(async (trx) => {
			const userId = newId();
			const membershipId = newId();
			await trx.insertInto('users').values({ id: userId, email: extra.email, display_name: extra.name, password_hash: passwordHash, locale: 'fr', created_at: at, disabled_at: null }).execute();
			await trx.insertInto('memberships').values({ id: membershipId, user_id: userId, role: 'learner', scope_type: 'school', scope_id: DEMO_IDS.schoolCovered, created_at: at, created_by: null }).execute();
			await appendAudit(trx, { actorId: null, action: 'membership.granted', targetType: 'user', targetId: userId, outcome: 'success', details: { role: 'learner', scopeType: 'school', scopeId: DEMO_IDS.schoolCovered, membershipId, source: 'e2e-seed' } }, now);
		});
		console.log(`e2e seed: added ${extra.email}`);
	}
	const second = await handle.db.selectFrom('users').select('id').where('email', '=', E2E_SECOND_RESPONDER.email).executeTakeFirst();
	if (!second) {
		const now = new Date();
		const at = now.toISOString();
		const passwordHash = await hashPassword(E2E_RESET_USER.password);
		await handle.db.transaction().execute(async (trx) => {
			const userId = newId();
			const membershipId = newId();
			await trx.insertInto('users').values({ id: userId, email: E2E_SECOND_RESPONDER.email, display_name: E2E_SECOND_RESPONDER.name, password_hash: passwordHash, locale: 'fr', created_at: at, disabled_at: null }).execute();
			await trx.insertInto('memberships').values({ id: membershipId, user_id: userId, role: 'responder', scope_type: 'school', scope_id: DEMO_IDS.schoolCovered, created_at: at, created_by: null }).execute();
			await appendAudit(trx, { actorId: null, action: 'membership.granted', targetType: 'user', targetId: userId, outcome: 'success', details: { role: 'responder', scopeType: 'school', scopeId: DEMO_IDS.schoolCovered, membershipId, source: 'e2e-seed' } }, now);
		});
		console.log(`e2e seed: added ${E2E_SECOND_RESPONDER.email}`);
	}

	// Architecte: a learner of their own for the spec, and the demo learner's attempts. Both need a live
	// Explorateur award, created here directly (the Explorateur level's own flow is tested by its spec).
	const architecte = await handle.db.selectFrom('users').select('id').where('email', '=', E2E_ARCHITECTE_USER.email).executeTakeFirst();
	if (!architecte) {
		const now = new Date();
		const at = now.toISOString();
		const passwordHash = await hashPassword(E2E_ARCHITECTE_USER.password);
		await handle.db.transaction().execute(async (trx) => {
			const userId = newId();
			const membershipId = newId();
			await trx.insertInto('users').values({ id: userId, email: E2E_ARCHITECTE_USER.email, display_name: E2E_ARCHITECTE_USER.name, password_hash: passwordHash, locale: 'fr', created_at: at, disabled_at: null }).execute();
			await trx.insertInto('memberships').values({ id: membershipId, user_id: userId, role: 'learner', scope_type: 'school', scope_id: DEMO_IDS.schoolCovered, created_at: at, created_by: null }).execute();
			await appendAudit(trx, { actorId: null, action: 'membership.granted', targetType: 'user', targetId: userId, outcome: 'success', details: { role: 'learner', scopeType: 'school', scopeId: DEMO_IDS.schoolCovered, membershipId, source: 'e2e-seed' } }, now);
		});
		console.log(`e2e seed: added ${E2E_ARCHITECTE_USER.email}`);
	}
	for (const email of [E2E_ARCHITECTE_USER.email, DEMO_ARCHITECTE_EMAIL]) {
		const user = await handle.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
		if (!(await liveAward(handle.db, user.id, 'explorateur'))) {
			await handle.db.transaction().execute((trx) =>
				createAward(trx, { userId: user.id, level: 'explorateur', schoolId: DEMO_IDS.schoolCovered, awardedBy: null, sourceType: 'explorateur_submission', sourceId: 'e2e-seed', evidence: { source: 'e2e-seed' } }, new Date())
			);
		}
	}
	const attempts = await seedDemoArchitecte({ db: handle.db, now: () => new Date() });
	if (attempts) console.log(`e2e seed: ${attempts} demo Architecte attempts`);
	// An approved Explorateur award (credential verifier specs), written like createAward does, with a fixed id.
	const holder = await handle.db.selectFrom('users').select('id').where('email', '=', E2E_BADGE_HOLDER.email).executeTakeFirst();
	if (!holder) {
		const now = new Date();
		const at = now.toISOString();
		const { json, hash } = freezeEvidence([
			{ key: 'q1', question: { fr: 'Que faites-vous en premier ?', en: 'What do you do first?' }, answer: 'Je ne regarde jamais les images et j’appelle la police si un adulte est en cause.' },
			{ key: 'q2', question: { fr: 'Qui prévenez-vous ?', en: 'Whom do you tell?' }, answer: 'La direction, puis les parents, selon la trousse.' },
			{ key: 'q3', question: { fr: 'Que ne faut-il jamais faire ?', en: 'What must never be done?' }, answer: 'Copier, transférer ou montrer les images.' }
		]);
		await handle.db.transaction().execute(async (trx) => {
			const userId = newId();
			await trx.insertInto('users').values({ id: userId, email: E2E_BADGE_HOLDER.email, display_name: E2E_BADGE_HOLDER.name, password_hash: null, locale: 'fr', created_at: at, disabled_at: null }).execute();
			await trx
				.insertInto('training_awards')
				.values({ id: E2E_BADGE_HOLDER.awardId, user_id: userId, level: 'explorateur', status: 'awarded', pending_reason: null, school_id: DEMO_IDS.schoolCovered, awarded_at: at, awarded_by: null, source_type: 'explorateur_submission', source_id: 'e2e-seed', evidence_json: json, evidence_hash: hash, revoked_at: null, revoked_by: null, revocation_reason: null, created_at: at, updated_at: at })
				.execute();
			await appendAudit(trx, { actorId: null, action: 'training.award_created', targetType: 'training_award', targetId: E2E_BADGE_HOLDER.awardId, outcome: 'success', details: { level: 'explorateur', status: 'awarded', source: 'e2e-seed', evidenceHash: hash } }, now);
			const runs = freezeEvidence({ cases: ['impulsive-15', 'group-chat', 'sextortion'], passed: true });
			await trx
				.insertInto('training_awards')
				.values({ id: E2E_BADGE_HOLDER.revokeAwardId, user_id: userId, level: 'architecte', status: 'awarded', pending_reason: null, school_id: DEMO_IDS.schoolCovered, awarded_at: at, awarded_by: null, source_type: 'architecte_validation', source_id: 'e2e-seed', evidence_json: runs.json, evidence_hash: runs.hash, revoked_at: null, revoked_by: null, revocation_reason: null, created_at: at, updated_at: at })
				.execute();
			await appendAudit(trx, { actorId: null, action: 'training.award_created', targetType: 'training_award', targetId: E2E_BADGE_HOLDER.revokeAwardId, outcome: 'success', details: { level: 'architecte', status: 'awarded', source: 'e2e-seed', evidenceHash: runs.hash } }, now);
			// The holder published both proof pages: their credentials are public (a private one answers 404 to others).
			for (const awardId of [E2E_BADGE_HOLDER.awardId, E2E_BADGE_HOLDER.revokeAwardId]) {
				await trx.insertInto('attestation_settings').values({ award_id: awardId, is_public: 1, hidden_answers: '[]', updated_at: at, updated_by: userId }).execute();
			}
		});
		console.log(`e2e seed: added ${E2E_BADGE_HOLDER.email} with an Explorateur award`);
	}
	// An expired Architecte badge (earned 37 months ago; validity 36 months), public, of a holder who signs in.
	const renewer = await handle.db.selectFrom('users').select('id').where('email', '=', E2E_RENEW_HOLDER.email).executeTakeFirst();
	if (!renewer) {
		const now = new Date();
		const at = now.toISOString();
		const earned = new Date(now);
		earned.setUTCMonth(earned.getUTCMonth() - E2E_RENEW_HOLDER.monthsAgo);
		const earnedAt = earned.toISOString();
		const passwordHash = await hashPassword(E2E_RENEW_HOLDER.password);
		const runs = freezeEvidence({ cases: ['impulsive-15', 'group-chat', 'sextortion'], passed: true });
		await handle.db.transaction().execute(async (trx) => {
			const userId = newId();
			const membershipId = newId();
			await trx.insertInto('users').values({ id: userId, email: E2E_RENEW_HOLDER.email, display_name: E2E_RENEW_HOLDER.name, password_hash: passwordHash, locale: 'fr', created_at: at, disabled_at: null }).execute();
			await trx.insertInto('memberships').values({ id: membershipId, user_id: userId, role: 'learner', scope_type: 'school', scope_id: DEMO_IDS.schoolCovered, created_at: at, created_by: null }).execute();
			await appendAudit(trx, { actorId: null, action: 'membership.granted', targetType: 'user', targetId: userId, outcome: 'success', details: { role: 'learner', scopeType: 'school', scopeId: DEMO_IDS.schoolCovered, membershipId, source: 'e2e-seed' } }, now);
			await trx
				.insertInto('training_awards')
				.values({ id: E2E_RENEW_HOLDER.awardId, user_id: userId, level: 'architecte', status: 'awarded', pending_reason: null, school_id: DEMO_IDS.schoolCovered, awarded_at: earnedAt, awarded_by: null, source_type: 'architecte_validation', source_id: 'e2e-seed-renewal', evidence_json: runs.json, evidence_hash: runs.hash, revoked_at: null, revoked_by: null, revocation_reason: null, created_at: earnedAt, updated_at: earnedAt })
				.execute();
			await appendAudit(trx, { actorId: null, action: 'training.award_created', targetType: 'training_award', targetId: E2E_RENEW_HOLDER.awardId, outcome: 'success', details: { level: 'architecte', status: 'awarded', source: 'e2e-seed', evidenceHash: runs.hash } }, now);
			await trx.insertInto('attestation_settings').values({ award_id: E2E_RENEW_HOLDER.awardId, is_public: 1, hidden_answers: '[]', updated_at: at, updated_by: userId }).execute();
		});
		console.log(`e2e seed: added ${E2E_RENEW_HOLDER.email} with an expired Architecte award`);
	}
} finally {
	await handle.close();
}
