/**
 * Demo training records (PRODUCT.md §8: "at least one public Explorateur attestation"), written through the
 * real Explorateur services so they are audited and consistent like any learner's work. Fictional people:
 *   - apprenant@sexto.test     approved by the trainer → a live Explorateur award (the attestation demo)
 *   - intervenant@sexto.test   submitted, waiting in the evaluator queue
 *   - direction@sexto.test     returned for revision with the trainer's comment
 * Idempotent: does nothing when any submission exists.
 */
import type { AppContext } from '../../context';
import type { Actor } from '../../policy';
import { loadActor } from '../../accounts/actor';
import { explorateurCourse, markModuleRead, reviewSubmission, saveReflections, submitQuizAttempt } from '../../training/explorateur';

const META = { ip: null };

export const DEMO_REFLECTIONS = {
	approved: {
		learned:
			'J’ai appris que mon rôle n’est pas d’enquêter ni de juger si un geste est impulsif ou malveillant : c’est le procureur du DPCP qui qualifie le dossier. Mon travail est de protéger l’élève, de mettre le téléphone à l’abri sans jamais regarder les images et d’appeler la police rapidement, avec une trousse bien remplie. J’ignorais aussi qu’une simple capture d’écran « pour la preuve » pouvait constituer une infraction.',
		changes:
			'Avant, j’aurais sans doute demandé à voir la photo pour « évaluer la gravité » et convoqué les élèves pour comprendre qui l’avait envoyée. Désormais, je vérifie d’abord les signaux d’alerte, je cesse les questions dès qu’il y a des signes de malveillance et je consigne les faits dans la trousse. Je sais aussi vers qui me tourner : la direction, la police, puis le CAVAC pour la victime.',
		focus:
			'Je porterai d’abord attention à l’élève représenté : lui dire que ce n’est pas sa faute, le rassurer sur la suite et repérer toute détresse. Je veillerai aussi aux témoins et au climat de la classe pour éviter les moqueries et la rediffusion, tout en respectant la confidentialité : seules les personnes qui doivent savoir seront informées.'
	},
	submitted: {
		learned:
			'La méthode Sexto m’a appris l’importance d’une réponse rapide et uniforme : chacun connaît son rôle, de l’intervenante scolaire au procureur. J’ai surtout compris pourquoi on ne regarde jamais les images et pourquoi le téléphone part sous enveloppe scellée.',
		changes:
			'Je remplirai la trousse dans l’ordre, en commençant par les signaux d’alerte, et j’appellerai la police sans attendre d’avoir tout compris. Je ne convoquerai plus l’élève soupçonné d’avoir diffusé une image pour obtenir des aveux.',
		focus:
			'Mon attention ira à la sécurité et à la dignité des élèves : accueillir la victime sans reproche, l’orienter vers l’aide (CAVAC, AidezMoiSVP) et surveiller ce qui circule dans les groupes de la classe dans les jours qui suivent.'
	},
	returned: {
		learned: 'J’ai appris qu’il existe un protocole avec la police et le DPCP pour les situations de sextage entre élèves à l’école.',
		changes: 'Je vais appeler la police plus rapidement quand il y a une photo qui circule entre des élèves de mon école.',
		focus: 'Je vais surtout faire attention aux élèves et leur expliquer les conséquences légales de leurs gestes sur les réseaux.'
	}
} as const;

const RETURN_COMMENT =
	'Merci pour ces premières réponses. Pouvez-vous préciser ce que vous ferez concrètement autrement (par exemple : ne pas regarder les images, cesser les questions en cas de malveillance) et, pour la troisième question, parler de l’élève représenté et de son soutien plutôt que des conséquences légales ?';

function must(what: string, r: { ok: boolean; reason?: string }): void {
	if (!r.ok) throw new Error(`demo seed (training): ${what} refused (${r.reason ?? 'unknown'} ${JSON.stringify((r as { errors?: unknown }).errors ?? {})})`);
}

export async function seedDemoTraining(base: Pick<AppContext, 'db' | 'now'>): Promise<number> {
	const existing = await base.db.selectFrom('training_submissions').select('id').limit(1).executeTakeFirst();
	if (existing) return 0;
	let clock = Date.now() - 9 * 86_400_000;
	const ctx = { db: base.db, now: () => new Date(clock) };
	const tick = (minutes: number) => (clock += minutes * 60_000);
	const actor = async (email: string): Promise<Actor | null> => {
		const u = await base.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
		return u ? loadActor(base.db, u.id) : null;
	};
	const course = explorateurCourse();
	const rightAnswers = Object.fromEntries(course.quiz.questions.map((q) => [q.id, q.options.find((o) => o.correct)!.id]));

	const learnerPath = async (who: Actor, answers: Record<string, string>, submit: boolean) => {
		for (const m of course.modules) {
			must('markModuleRead', await markModuleRead(ctx, who, { moduleId: m.id }, META));
			tick(7);
		}
		must('quiz', await submitQuizAttempt(ctx, who, { answers: rightAnswers }, META));
		tick(15);
		must('draft', await saveReflections(ctx, who, { answers, submit: false }, META));
		tick(30);
		if (submit) must('submit', await saveReflections(ctx, who, { answers, submit: true }, META));
		tick(60);
		const sub = await base.db.selectFrom('training_submissions').select(['id', 'current_version']).where('user_id', '=', who.userId).executeTakeFirstOrThrow();
		return sub;
	};

	const trainer = await actor('formateur@sexto.test');
	const apprenant = await actor('apprenant@sexto.test');
	const direction = await actor('direction@sexto.test');
	const intervenant = await actor('intervenant@sexto.test');
	if (!trainer || !apprenant || !direction || !intervenant) return 0;
	let n = 0;

	const approved = await learnerPath(apprenant, DEMO_REFLECTIONS.approved, true);
	tick(24 * 60);
	must('approve', await reviewSubmission(ctx, trainer, { id: approved.id, version: approved.current_version, decision: 'approved', comment: 'Réflexion juste et concrète, centrée sur la protection de l’élève. Félicitations !' }, META));
	n++;

	const returned = await learnerPath(direction, DEMO_REFLECTIONS.returned, true);
	tick(12 * 60);
	must('return', await reviewSubmission(ctx, trainer, { id: returned.id, version: returned.current_version, decision: 'returned', comment: RETURN_COMMENT }, META));
	n++;

	await learnerPath(intervenant, DEMO_REFLECTIONS.submitted, true);
	n++;
	return n;
}
