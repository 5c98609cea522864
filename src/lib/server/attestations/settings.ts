/**
 * The holder's controls of one proof page.
 *
 *   getAttestationSettings(ctx, actor, awardId)                         → SettingsView | null
 *   saveAttestationSettings(ctx, actor, { awardId, isPublic, shownKeys }, meta) → { ok: true } | { ok: false, reason: 'not_found' }
 *
 * Only the holder (policy `attestation:manage`); anyone else gets null / not_found, answered 404 by the route
 * like an unknown id. A refused change to an award that exists is audited as `attestation.settings_denied`
 * (someone tried to change another person's page); unknown ids are not (no audit rows for random probes).
 * Every saved change is audited in the same transaction (`attestation.settings_changed`: flags and counts only).
 */
import type { AppContext, RequestMeta } from '../context';
import type { DbOrTrx } from '../db';
import { can, type Actor } from '../policy';
import { appendAudit, recordAudit } from '../audit/log';
import type { AwardLevel, AwardStatus } from '../db/schema';
import { parseEvidence, parseHiddenKeys, type EvidenceItem } from '../../domain/attestations/proof';
import { ATTESTATION_ID, forgetProofPage } from './proof';

export interface SettingsView {
	id: string;
	level: AwardLevel;
	status: AwardStatus;
	awardedAt: string;
	isPublic: boolean;
	/** every answer, with whether it is shown on the public page */
	answers: (EvidenceItem & { shown: boolean })[];
}

/**
 * Who holds an award and whether its proof page is public (no settings row = private). Null for an unknown or
 * malformed id. The credential downloads and the verifier's "open by URL" use it so a private attestation answers
 * exactly like an unknown one to everyone but its holder.
 */
export async function attestationVisibility(db: DbOrTrx, awardId: string): Promise<{ holderId: string; isPublic: boolean } | null> {
	if (!ATTESTATION_ID.test(awardId)) return null;
	const row = await db
		.selectFrom('training_awards as a')
		.leftJoin('attestation_settings as s', 's.award_id', 'a.id')
		.select(['a.user_id', 's.is_public'])
		.where('a.id', '=', awardId)
		.executeTakeFirst();
	return row ? { holderId: row.user_id, isPublic: row.is_public === 1 } : null;
}

export async function isAttestationPublic(db: DbOrTrx, awardId: string): Promise<boolean> {
	return (await attestationVisibility(db, awardId))?.isPublic ?? false;
}

async function loadOwned(ctx: AppContext, actor: Actor | null, awardId: string) {
	if (!ATTESTATION_ID.test(awardId)) return { row: null, owned: false } as const;
	const row = await ctx.db
		.selectFrom('training_awards as a')
		.leftJoin('attestation_settings as s', 's.award_id', 'a.id')
		.select(['a.id', 'a.user_id', 'a.level', 'a.status', 'a.awarded_at', 'a.evidence_json', 's.is_public', 's.hidden_answers'])
		.where('a.id', '=', awardId)
		.executeTakeFirst();
	if (!row) return { row: null, owned: false } as const;
	return { row, owned: can(actor, 'attestation:manage', { holderId: row.user_id }) } as const;
}

export async function getAttestationSettings(ctx: AppContext, actor: Actor, awardId: string): Promise<SettingsView | null> {
	const { row, owned } = await loadOwned(ctx, actor, awardId);
	if (!row || !owned) return null;
	const hidden = new Set(parseHiddenKeys(row.hidden_answers));
	return {
		id: row.id,
		level: row.level,
		status: row.status,
		awardedAt: row.awarded_at,
		isPublic: Number(row.is_public ?? 0) === 1,
		answers: parseEvidence(row.evidence_json).map((a) => ({ ...a, shown: !hidden.has(a.key) }))
	};
}

export interface SettingsInput {
	awardId: string;
	isPublic: boolean;
	/** evidence keys to show; any other answer is hidden (unknown keys are ignored) */
	shownKeys: readonly string[];
}

export type SaveSettingsResult = { ok: true; isPublic: boolean; hiddenCount: number } | { ok: false; reason: 'not_found' };

export async function saveAttestationSettings(ctx: AppContext, actor: Actor, input: SettingsInput, meta: RequestMeta): Promise<SaveSettingsResult> {
	const { row, owned } = await loadOwned(ctx, actor, input.awardId);
	if (!row) return { ok: false, reason: 'not_found' };
	if (!owned) {
		await recordAudit(
			ctx.db,
			{ actorId: actor.userId, action: 'attestation.settings_denied', targetType: 'training_award', targetId: row.id, outcome: 'denied', ip: meta.ip },
			ctx.now()
		);
		return { ok: false, reason: 'not_found' };
	}
	const shown = new Set(input.shownKeys);
	const hidden = parseEvidence(row.evidence_json)
		.map((a) => a.key)
		.filter((k) => !shown.has(k));
	const now = ctx.now();
	const at = now.toISOString();
	const values = { is_public: input.isPublic ? 1 : 0, hidden_answers: JSON.stringify(hidden), updated_at: at, updated_by: actor.userId };
	await ctx.db.transaction().execute(async (trx) => {
		await trx
			.insertInto('attestation_settings')
			.values({ award_id: row.id, ...values })
			.onConflict((oc) => oc.column('award_id').doUpdateSet(values))
			.execute();
		await appendAudit(
			trx,
			{
				actorId: actor.userId,
				action: 'attestation.settings_changed',
				targetType: 'training_award',
				targetId: row.id,
				outcome: 'success',
				ip: meta.ip,
				details: { isPublic: input.isPublic, wasPublic: Number(row.is_public ?? 0) === 1, hiddenCount: hidden.length }
			},
			now
		);
	});
	forgetProofPage(ctx, row.id);
	return { ok: true, isPublic: input.isPublic, hiddenCount: hidden.length };
}
