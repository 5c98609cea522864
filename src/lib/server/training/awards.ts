/**
 * Award records: the fact that a person earned a training level. Explorateur awards are created when an
 * evaluator approves the reflection answers, Architecte awards when the three cases are validated. The
 * attestation domain (public proof page, Open Badges credential) reads these rows; it never edits the
 * evidence. Coverage is decided here, once, at award time: staff of a school outside a territory with an
 * active DPCP agreement keep their award "pending coverage" with the reason.
 */
import type { DbOrTrx, Trx } from '../db';
import { appendAudit } from '../audit/log';
import { newId, sha256Hex } from '../crypto/tokens';
import type { AwardLevel, AwardSource, TrainingAwardsTable } from '../db/schema';
import { schoolCoverage } from '../territories/coverage';

/** JSON with object keys sorted at every depth: the same evidence always gives the same bytes and hash. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) =>
		v && typeof v === 'object' && !Array.isArray(v)
			? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
			: v
	);
}

export function freezeEvidence(evidence: unknown): { json: string; hash: string } {
	const json = canonicalJson(evidence);
	return { json, hash: sha256Hex(json) };
}

export interface NewAward {
	userId: string;
	level: AwardLevel;
	/** the holder's school at award time (null for someone without a school, e.g. a platform learner) */
	schoolId: string | null;
	awardedBy: string | null;
	sourceType: AwardSource;
	sourceId: string;
	/** frozen as canonical JSON; ids, questions and answers, never anything about a real case */
	evidence: unknown;
}

export class AwardExistsError extends Error {
	constructor(
		public readonly userId: string,
		public readonly level: AwardLevel
	) {
		super(`A live ${level} award already exists for this person`);
		this.name = 'AwardExistsError';
	}
}

/** Creates the award inside the caller's transaction (with its audit row). At most one live award per level. */
export async function createAward(trx: Trx, award: NewAward, now: Date): Promise<TrainingAwardsTable> {
	const existing = await trx
		.selectFrom('training_awards')
		.select('id')
		.where('user_id', '=', award.userId)
		.where('level', '=', award.level)
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
	if (existing) throw new AwardExistsError(award.userId, award.level);

	const coverage = award.schoolId ? await schoolCoverage(trx, award.schoolId, now) : null;
	const pendingReason = !award.schoolId ? 'no_school' : coverage?.covered ? null : 'school_not_covered';
	const { json, hash } = freezeEvidence(award.evidence);
	const at = now.toISOString();
	const row: TrainingAwardsTable = {
		id: newId(),
		user_id: award.userId,
		level: award.level,
		status: pendingReason ? 'pending_coverage' : 'awarded',
		pending_reason: pendingReason,
		school_id: award.schoolId,
		awarded_at: at,
		awarded_by: award.awardedBy,
		source_type: award.sourceType,
		source_id: award.sourceId,
		evidence_json: json,
		evidence_hash: hash,
		revoked_at: null,
		revoked_by: null,
		revocation_reason: null,
		created_at: at,
		updated_at: at
	};
	await trx.insertInto('training_awards').values(row).execute();
	await appendAudit(
		trx,
		{
			actorId: award.awardedBy,
			action: 'training.award_created',
			targetType: 'training_award',
			targetId: row.id,
			outcome: 'success',
			details: { level: award.level, status: row.status, source: award.sourceType, evidenceHash: hash }
		},
		now
	);
	return row;
}

/** A person's awards, newest first (revoked ones included: the holder sees them with their status). */
export async function awardsOf(db: DbOrTrx, userId: string): Promise<TrainingAwardsTable[]> {
	return db.selectFrom('training_awards').selectAll().where('user_id', '=', userId).orderBy('awarded_at', 'desc').execute();
}

/** The live (not revoked) award of a level, or null. */
export async function liveAward(db: DbOrTrx, userId: string, level: AwardLevel): Promise<TrainingAwardsTable | null> {
	return (
		(await db
			.selectFrom('training_awards')
			.selectAll()
			.where('user_id', '=', userId)
			.where('level', '=', level)
			.where('revoked_at', 'is', null)
			.executeTakeFirst()) ?? null
	);
}
