/**
 * Demo Architecte attempts for apprenant@sexto.test (PRODUCT.md §8): one case passed and one attempt failed
 * on a critical error, played through the real services (stored, audited and scored like any attempt).
 * Runs only when the person already holds a live Explorateur award (the Explorateur seed gives it); does
 * nothing when they already have attempts. Returns the number of attempts created.
 */
import { loadActor } from '../../accounts/actor';
import { casePlay, recordChoice, startAttempt } from '../../training/architecte';
import { explorateurStatus, type ArchitecteContext } from '../../training/architecte/context';

export const DEMO_ARCHITECTE_EMAIL = 'apprenant@sexto.test';

const DEMO_PLAYS: { caseId: string; choices: string[] }[] = [
	// passed: the model answer of case 1
	{ caseId: 'echange-couple', choices: ['ecouter', 'verifier_signaux', 'rencontrer_samuel', 'securiser', 'appeler_police', 'soutien'] },
	// failed: questions the ex-boyfriend after the kit said "stop" (critical error), otherwise sound
	{ caseId: 'partage-groupe-classe', choices: ['accueillir', 'verifier', 'convoquer_thomas', 'appeler_maintenant', 'soutenir', 'sceller'] }
];

const META = { ip: null };

export async function seedDemoArchitecte(base: ArchitecteContext, email = DEMO_ARCHITECTE_EMAIL): Promise<number> {
	const user = await base.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
	if (!user) return 0;
	if ((await explorateurStatus(base.db, user.id)) === 'missing') return 0;
	const any = await base.db.selectFrom('training_architecte_attempts').select('id').where('user_id', '=', user.id).limit(1).executeTakeFirst();
	if (any) return 0;
	const actor = await loadActor(base.db, user.id);
	// A moving clock: the attempts happened a few days ago, each choice a minute or two after the previous one.
	let clock = base.now().getTime() - 3 * 86_400_000;
	const ctx = { ...base, now: () => new Date(clock) };
	let created = 0;
	for (const { caseId, choices } of DEMO_PLAYS) {
		const started = await startAttempt(ctx, actor, { caseId }, META);
		if (!started.ok) throw new Error(`demo seed: starting ${caseId} refused (${started.reason})`);
		created++;
		for (const choiceId of choices) {
			clock += 75_000;
			const view = await casePlay(ctx, actor, { caseId }, META);
			const sceneId = view?.attempt?.scene?.id ?? '';
			const r = await recordChoice(ctx, actor, { attemptId: started.attemptId, sceneId, choiceId }, META);
			if (!r.ok) throw new Error(`demo seed: ${caseId} choice ${choiceId} refused (${r.reason})`);
		}
		clock += 86_400_000;
	}
	return created;
}
