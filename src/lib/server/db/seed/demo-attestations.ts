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

export const DEMO_HOLDER_EMAIL = 'apprenant@sexto.test';

/** The three reflection questions of Explorateur (PROTOCOL.md §6) with a fictional learner's answers. */
export const DEMO_EVIDENCE = [
	{
		key: 'q1',
		question: { fr: "Qu'avez-vous appris de la méthode Sexto ?", en: 'What did you learn from the Sexto method?' },
		answer:
			"J'ai appris qu'il faut agir vite mais sans jamais regarder, copier ni transférer les images, et que la trousse Sexto permet de remettre le dossier au service de police le jour même. J'ai aussi compris la différence entre une situation impulsive et une situation malveillante : ce n'est pas à l'école de trancher, c'est le DPCP qui décide."
	},
	{
		key: 'q2',
		question: { fr: 'En quoi cette formation changera-t-elle vos interventions futures ?', en: 'How will this training change your future interventions?' },
		answer:
			"Je vérifierai d'abord les signaux d'alarme (adulte impliqué, menaces, moins de 13 ans) et j'appellerai la policière ou le policier répondant sans attendre. Je consignerai la saisie du cellulaire (éteint, scellé dans une enveloppe) au lieu de tenter de régler la situation seule."
	},
	{
		key: 'q3',
		question: { fr: "Lorsque vous devez intervenir, sur quoi mettez-vous l'accent auprès des élèves ?", en: 'When you must intervene, what do you focus on with students?' },
		answer:
			"Sur la sécurité et le soutien de l'élève dont l'image circule : lui dire qu'il n'est pas seul, que la diffusion doit cesser et que des ressources existent (CAVAC, AidezMoiSVP.ca). Avec les élèves qui ont partagé, je rappelle qu'ils doivent supprimer l'image et ne plus la transférer, sans les interroger sur le fond."
	}
];

export async function seedDemoAttestations(db: DB, now = new Date()): Promise<{ awardId: string; publicId: string } | null> {
	const holder = await db.selectFrom('users').select('id').where('email', '=', DEMO_HOLDER_EMAIL).executeTakeFirst();
	if (!holder) return null;
	const evaluator = await db.selectFrom('users').select('id').where('email', '=', 'formateur@sexto.test').executeTakeFirst();
	return db.transaction().execute(async (trx) => {
		const award =
			(await liveAward(trx, holder.id, 'explorateur')) ??
			(await createAward(
				trx,
				{ userId: holder.id, level: 'explorateur', schoolId: DEMO_IDS.schoolCovered, awardedBy: evaluator?.id ?? null, sourceType: 'explorateur_submission', sourceId: 'demo-seed', evidence: DEMO_EVIDENCE },
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
