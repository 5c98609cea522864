/**
 * The badge classes Sexto issues, as data: names, descriptions and criteria in French (source) and English,
 * the artwork path and an optional validity period (months) after which the credential must be renewed. The
 * texts come from content/badges/ (shared with the proof page).
 */
import explorateurClass from '../../../../content/badges/explorateur.json';
import architecteClass from '../../../../content/badges/architecte.json';
import { ACHIEVEMENT_TYPES, BadgeClassSchema } from '../attestations/badge-class';

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
	achievementType: (typeof ACHIEVEMENT_TYPES)[number];
	/** a path under static/: the base artwork the credential is baked into */
	image: { png: string; svg: string };
	/** null: never expires; otherwise the credential's validUntil is validFrom + this many months */
	validityMonths: number | null;
}

/**
 * One source for every badge text: content/badges/<level>.json (validated by the attestation schema), so the
 * proof page and the signed credential always say the same thing.
 */
function credentialClass(level: AwardLevel, raw: unknown): BadgeClass {
	const c = BadgeClassSchema.parse(raw);
	if (c.level !== level) throw new Error(`content/badges/${level}.json describes level ${c.level}`);
	return { level, name: c.name, description: c.description, criteria: c.criteria, achievementType: c.achievementType, image: { png: c.image.png, svg: c.image.svg }, validityMonths: c.validityMonths };
}

export const BADGE_CLASSES: Record<AwardLevel, BadgeClass> = {
	explorateur: credentialClass('explorateur', explorateurClass),
	architecte: credentialClass('architecte', architecteClass)
};

/** validFrom + months (one definition, with the status rule). */
export { addMonths } from './status';
