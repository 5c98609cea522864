/**
 * The badge classes Sexto issues, as data: names, descriptions and criteria in French (source) and English,
 * the artwork path and an optional validity period (months) after which the credential must be renewed.
 */
/** the training levels (same values as AWARD_LEVELS in the database schema) */
export type AwardLevel = 'explorateur' | 'architecte';

export interface Localized {
	fr: string;
	en: string;
}

export interface BadgeClass {
	level: AwardLevel;
	name: Localized;
	description: Localized;
	criteria: Localized;
	/** OB 3.0 achievementType vocabulary */
	achievementType: 'Badge';
	/** a path under static/: the base artwork the credential is baked into */
	image: { png: string; svg: string };
	/** null: never expires; otherwise the credential's validUntil is validFrom + this many months */
	validityMonths: number | null;
}

export const BADGE_CLASSES: Record<AwardLevel, BadgeClass> = {
	explorateur: {
		level: 'explorateur',
		name: { fr: 'Sexto — Explorateur', en: 'Sexto — Explorer' },
		description: {
			fr: "Connaît le phénomène du sextage chez les jeunes, le cadre légal québécois et canadien, les rôles de chacun et la trousse SEXTO; sait ce qu'il ne faut jamais faire (regarder, copier ou transférer les images).",
			en: 'Knows the phenomenon of sexting among young people, the Quebec and Canadian legal framework, everyone\'s role and the SEXTO kit; knows what must never be done (viewing, copying or forwarding the images).'
		},
		criteria: {
			fr: "Avoir suivi les pages de contenu Explorateur, réussi la vérification des connaissances et répondu aux trois questions de réflexion, réponses approuvées par une personne formatrice-évaluatrice.",
			en: 'Completed the Explorer content pages, passed the knowledge check and answered the three reflection questions, with the answers approved by a trainer-evaluator.'
		},
		achievementType: 'Badge',
		image: { png: '/badges/explorateur.png', svg: '/badges/explorateur.svg' },
		validityMonths: null
	},
	architecte: {
		level: 'architecte',
		name: { fr: 'Sexto — Architecte', en: 'Sexto — Architect' },
		description: {
			fr: "Sait appliquer le protocole SEXTO dans des situations réalistes : distinguer les signaux d'alerte, appeler la police au bon moment, préserver la preuve sans jamais regarder les images.",
			en: 'Can apply the SEXTO protocol in realistic situations: recognise red flags, call the police at the right time, preserve evidence without ever looking at the images.'
		},
		criteria: {
			fr: 'Détenir le badge Explorateur et réussir les trois cas simulés (seuil de réussite par cas, aucune erreur critique), parcours validés par une personne formatrice-évaluatrice.',
			en: 'Hold the Explorer badge and pass the three simulated cases (passing threshold per case, no critical error), with the runs validated by a trainer-evaluator.'
		},
		achievementType: 'Badge',
		image: { png: '/badges/architecte.png', svg: '/badges/architecte.svg' },
		// The law and the protocol change: an Architecte refreshes the practical cases every three years.
		validityMonths: 36
	}
};

/** validFrom + months, clamped to the last day of a shorter month (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(from: Date, months: number): Date {
	const d = new Date(from.getTime());
	const day = d.getUTCDate();
	d.setUTCDate(1);
	d.setUTCMonth(d.getUTCMonth() + months);
	const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
	d.setUTCDate(Math.min(day, last));
	return d;
}
