/**
 * The badge classes shipped with the app: content/badges/<level>.json, read and validated once (zod schema in
 * domain/attestations/badge-class.ts), then served from memory. The proof page and the Open Badges credential
 * read the same files. Resolved from process.cwd() like the protocol packs (see server/protocol/packs.ts):
 * every entry point starts in the project root, and a deployment ships content/ next to build/.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BADGE_LEVELS, parseBadgeClass, type BadgeClass, type BadgeLevel } from '../../domain/attestations/badge-class';
import { verificationStatus, type StatusFacts, type VerificationStatus } from '../../domain/credentials/status';

export const BADGES_DIR = join('content', 'badges');

export function loadBadgeClasses(dir: string = resolve(process.cwd(), BADGES_DIR)): Record<BadgeLevel, BadgeClass> {
	const out = {} as Record<BadgeLevel, BadgeClass>;
	for (const level of BADGE_LEVELS) {
		const file = join(dir, `${level}.json`);
		// The file name is one of two fixed levels, under the project's content directory.
		// eslint-disable-next-line security/detect-non-literal-fs-filename
		const badge = parseBadgeClass(`${level}.json`, readFileSync(file, 'utf8'));
		if (badge.level !== level) throw new Error(`content/badges/${level}.json declares level "${badge.level}"`);
		out[level] = badge;
	}
	return out;
}

let cached: Record<BadgeLevel, BadgeClass> | undefined;

/** The badge class of a level (files read once per process). */
export function badgeClassOf(level: BadgeLevel): BadgeClass {
	cached ??= loadBadgeClasses();
	return cached[level];
}

/**
 * The verification status of an award (domain/credentials/status.ts, the one rule) with its badge class's
 * validity period. Used by the proof page, member profiles, the holder's list and the credential service.
 */
export function awardStatus(facts: StatusFacts & { level: BadgeLevel }, now: Date): VerificationStatus {
	return verificationStatus(facts, badgeClassOf(facts.level).validityMonths, now);
}
