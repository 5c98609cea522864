/**
 * Shared pieces of the Architecte services: the context (app context + optional case and pack registries
 * for tests), loading an attempt with its choices and replaying it, the Explorateur prerequisite, and the
 * learner's school for the award.
 */
import { recordAudit } from '../../audit/log';
import type { AuditAction } from '../../audit/events';
import type { AppContext, RequestMeta } from '../../context';
import { dialectOf, type DbOrTrx } from '../../db';
import type { TrainingArchitecteAttemptsTable, TrainingArchitecteChoicesTable } from '../../db/schema';
import type { Actor } from '../../policy';
import { packRegistry, type PackRegistry } from '../../protocol/packs';
import type { ProtocolPack } from '../../../domain/protocol/schema';
import { replay, type ScenarioState } from '../../../domain/training/scenario/engine';
import type { TrainingCase } from '../../../domain/training/scenario/schema';
import { liveAward } from '../awards';
import { caseRegistry, type CaseRegistry } from './cases';

/** What the Architecte services need: the database and the clock (no mail, no case-data cipher). */
export type ArchitecteContext = Pick<AppContext, 'db' | 'now'> & { cases?: CaseRegistry; packs?: PackRegistry };

export function casesOf(ctx: ArchitecteContext): CaseRegistry {
	return ctx.cases ?? caseRegistry();
}

export function packFor(ctx: ArchitecteContext, c: TrainingCase): ProtocolPack {
	const pack = (ctx.packs ?? packRegistry()).get(c.pack.id, c.pack.version);
	if (!pack) throw new Error(`protocol pack ${c.pack.id}@${c.pack.version} is missing (case ${c.id}@${c.version})`);
	return pack;
}

/** The exact case version an attempt was played with. A missing file is a deployment error, not a user error. */
export function caseFor(ctx: ArchitecteContext, attempt: Pick<TrainingArchitecteAttemptsTable, 'case_id' | 'case_version'>): TrainingCase {
	const c = casesOf(ctx).get(attempt.case_id, attempt.case_version);
	if (!c) throw new Error(`training case ${attempt.case_id}@${attempt.case_version} is missing: keep every version attempts reference under content/training/cases/`);
	return c;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const looksLikeId = (id: string) => UUID.test(id);

export interface LoadedAttempt {
	attempt: TrainingArchitecteAttemptsTable;
	choices: TrainingArchitecteChoicesTable[];
	kase: TrainingCase;
	pack: ProtocolPack;
	state: ScenarioState;
}

/** An attempt, its choices in order and its replayed state; `lock` takes the row lock on PostgreSQL. */
export async function loadAttempt(ctx: ArchitecteContext, db: DbOrTrx, attemptId: string, options: { lock?: boolean } = {}): Promise<LoadedAttempt | null> {
	if (!looksLikeId(attemptId)) return null;
	let query = db.selectFrom('training_architecte_attempts').selectAll().where('id', '=', attemptId);
	if (options.lock && dialectOf(db) === 'postgres') query = query.forUpdate();
	const attempt = await query.executeTakeFirst();
	if (!attempt) return null;
	const choices = await db.selectFrom('training_architecte_choices').selectAll().where('attempt_id', '=', attemptId).orderBy('seq').execute();
	const kase = caseFor(ctx, attempt);
	const pack = packFor(ctx, kase);
	const r = replay(kase, pack, choices.map((c) => c.choice_id));
	// Stored choices were accepted by this same engine and case version: a refusal here is corrupted data.
	if (!r.ok) throw new Error(`attempt ${attemptId}: stored choice ${r.at + 1} no longer applies (${r.code})`);
	return { attempt, choices, kase, pack, state: r.state };
}

export type ExplorateurStatus = 'awarded' | 'pending_coverage' | 'missing';

/** The Architecte level requires a live Explorateur award (awarded, or pending coverage). */
export async function explorateurStatus(db: DbOrTrx, userId: string): Promise<ExplorateurStatus> {
	const award = await liveAward(db, userId, 'explorateur');
	if (!award || award.status === 'revoked') return 'missing';
	return award.status;
}

/** The school a trainee belongs to (for the award's coverage), or null for a platform-level learner. */
export function schoolOf(actor: Actor): string | null {
	const grant = actor.grants.find((g) => g.scopeType === 'school' && (g.role === 'learner' || g.role === 'responder' || g.role === 'principal'));
	return grant?.scopeId ?? null;
}

export function parseCritical(json: string): string[] {
	try {
		const v: unknown = JSON.parse(json);
		return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
	} catch {
		return [];
	}
}

/** Records a refusal in its own short transaction (nothing else is written). */
export async function auditRefusal(ctx: ArchitecteContext, actor: Actor, action: AuditAction, targetId: string | null, reason: string, meta: RequestMeta, details: Record<string, string | number | boolean | null> = {}): Promise<void> {
	await recordAudit(
		ctx.db,
		{ actorId: actor.userId, action, targetType: 'training_attempt', targetId: targetId && looksLikeId(targetId) ? targetId : null, outcome: 'denied', ip: meta.ip, details: { reason, ...details } },
		ctx.now()
	);
}
