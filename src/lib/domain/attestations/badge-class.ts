/**
 * Badge classes as data (content/badges/<level>.json): what a badge is, in French and English. The proof
 * page and the Open Badges credential (its Achievement) read the same file, so the page and the signed
 * credential never disagree on a name, a description or the criteria. Pure: the zod schema and types only;
 * the server reads and validates the files once (server/attestations/badge-classes.ts).
 */
import { z } from 'zod';

/** The training levels (same values as AWARD_LEVELS in server/db/schema.ts; domain code imports nothing from server/). */
export const BADGE_LEVELS = ['explorateur', 'architecte'] as const;
export type BadgeLevel = (typeof BADGE_LEVELS)[number];

const Text = z.string().trim().min(1).max(4000);
/** Every human-readable text exists in French (the default) and English. */
export const LocalizedText = z.strictObject({ fr: Text, en: Text });
export type LocalizedText = z.infer<typeof LocalizedText>;

/** A path of the app (served from static/), never an outside address: the page and credential stay offline-verifiable. */
const AppPath = z.string().regex(/^\/[A-Za-z0-9/_.-]+$/, 'must be a path of the app, e.g. /badges/explorateur.svg');

export const PARTNER_ROLES = ['creator', 'partner', 'funder', 'designer'] as const;
export type PartnerRole = (typeof PARTNER_ROLES)[number];

export const ACHIEVEMENT_TYPES = ['Badge', 'Certificate', 'Competency', 'Course', 'MicroCredential'] as const;

export const BadgeClassSchema = z
	.strictObject({
		/** stable slug of the badge class, e.g. "sexto-explorateur" (part of the Achievement id) */
		id: z.string().regex(/^[a-z][a-z0-9-]{2,63}$/),
		level: z.enum(BADGE_LEVELS),
		/** bumped when the name, description or criteria change (an issued credential keeps its own copy) */
		version: z.number().int().min(1),
		name: LocalizedText,
		/** the level alone ("Explorateur" / "Explorer") */
		levelName: LocalizedText,
		description: LocalizedText,
		/** criteria narrative: what the holder did to earn it */
		criteria: LocalizedText,
		/** Open Badges 3.0 achievementType */
		achievementType: z.enum(ACHIEVEMENT_TYPES),
		image: z.strictObject({
			svg: AppPath,
			png: AppPath,
			/** the artwork's alternative text; the images themselves carry no words in only one language */
			alt: LocalizedText
		}),
		issuer: z.strictObject({
			name: LocalizedText,
			description: LocalizedText,
			/** the organisation's public contact address */
			email: z.email().max(200)
		}),
		partners: z
			.array(
				z.strictObject({
					name: LocalizedText,
					role: z.enum(PARTNER_ROLES),
					/** how the organisation relates to the badge (shown under its name) */
					relation: LocalizedText
				})
			)
			.max(20),
		/** optional validity period: a credential expires this many months after it was earned; null = never */
		validityMonths: z.number().int().min(1).max(240).nullable(),
		/** a note for whoever deploys Sexto: these texts are replaceable by the organisation's own */
		notice: LocalizedText.optional()
	})
	.superRefine((value, ctx) => {
		if (!value.id.endsWith(value.level)) {
			ctx.addIssue({ code: 'custom', path: ['id'], message: `id must end with the level "${value.level}"` });
		}
	});
export type BadgeClass = z.infer<typeof BadgeClassSchema>;

export class BadgeClassError extends Error {
	constructor(
		public readonly file: string,
		public readonly problems: string[]
	) {
		super(`Badge class ${file} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
		this.name = 'BadgeClassError';
	}
}

/** Parses one badge-class file's JSON text; every problem is listed with its path. */
export function parseBadgeClass(file: string, text: string): BadgeClass {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (error) {
		throw new BadgeClassError(file, [`not JSON: ${error instanceof Error ? error.message : String(error)}`]);
	}
	const result = BadgeClassSchema.safeParse(raw);
	if (!result.success) {
		throw new BadgeClassError(
			file,
			result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
		);
	}
	return result.data;
}
