/**
 * Demo attestation (PRODUCT.md §8: "at least one public Explorateur attestation"): Émilie Roy
 * (apprenant@sexto.test) holds the Explorateur badge, has made its proof page public and opted in to a public
 * member profile (school shown). Idempotent, and tolerant of the training seed: the award is created only
 * when she has no live Explorateur award yet (the training seed may already have approved one); the page and
 * profile settings are written only when she has none yet (a visitor's later choices are never overwritten).
 * Written with the same helpers as the services, with their audit rows.
 */
import type { DB } from '../index';
import { appendAudit } from '../../audit/log';
import { createAward, liveAward } from '../../training/awards';
import { newProfileId } from '../../attestations/profiles';
import { DEMO_IDS } from './demo';
import { DEMO_REFLECTIONS } from './demo-training';
import { explorateurCourse } from '../../training/explorateur/content';

export const DEMO_HOLDER_EMAIL = 'apprenant@sexto.test';

/**
 * The demo learner's three reflection answers as the evaluator's approval freezes them (training/explorateur/
 * review.ts): the course's questions in both languages with the approved answers of the training seed. Used when
 * this seed has to create the award itself (a database seeded without the training seed) and by the e2e spec.
 */
export function demoEvidence(): { key: string; question: { fr: string; en: string }; answer: string }[] {
	const answers: Record<string, string> = DEMO_REFLECTIONS.approved;
	return explorateurCourse().reflections.questions.map((q) => ({ key: q.key, question: { fr: q.question.fr, en: q.question.en }, answer: answers[q.key] ?? '' }));
}

export async function seedDemoAttestations(db: DB, now = new Date()): Promise<{ awardId: string; publicId: string } | null> {
	const holder = await db.selectFrom('users').select('id').where('email', '=', DEMO_HOLDER_EMAIL).executeTakeFirst();
	if (!holder) return null;
	const evaluator = await db.selectFrom('users').select('id').where('email', '=', 'formateur@sexto.test').executeTakeFirst();
	return db.transaction().execute(async (trx) => {
		const award =
			(await liveAward(trx, holder.id, 'explorateur')) ??
			(await createAward(
				trx,
				{ userId: holder.id, level: 'explorateur', schoolId: DEMO_IDS.schoolCovered, awardedBy: evaluator?.id ?? null, sourceType: 'explorateur_submission', sourceId: 'demo-seed', evidence: demoEvidence() },
				now
			));
		const at = now.toISOString();
		const settings = await trx.selectFrom('attestation_settings').select('award_id').where('award_id', '=', award.id).executeTakeFirst();
		if (!settings) {
			await trx.insertInto('attestation_settings').values({ award_id: award.id, is_public: 1, hidden_answers: '[]', updated_at: at, updated_by: holder.id }).execute();
			await appendAudit(trx, { actorId: holder.id, action: 'attestation.settings_changed', targetType: 'training_award', targetId: award.id, outcome: 'success', details: { isPublic: true, wasPublic: false, hiddenCount: 0, source: 'seed' } }, now);
		}
		let profile = await trx.selectFrom('member_profiles').select('public_id').where('user_id', '=', holder.id).executeTakeFirst();
		if (!profile) {
			profile = { public_id: newProfileId() };
			await trx.insertInto('member_profiles').values({ user_id: holder.id, public_id: profile.public_id, is_public: 1, display_name: null, show_school: 1, created_at: at, updated_at: at }).execute();
			await appendAudit(trx, { actorId: holder.id, action: 'attestation.profile_changed', targetType: 'user', targetId: holder.id, outcome: 'success', details: { isPublic: true, wasPublic: false, showSchool: true, customName: false, created: true, source: 'seed' } }, now);
		}
		return { awardId: award.id, publicId: profile.public_id };
	});
}
