/**
 * What the learner's screens show: the level's progress (per case and overall) and one case being played
 * (current scene, feedback on the last choice, debrief at the end, earlier attempts). Texts are returned as
 * `{ fr, en }` objects from the case and pack files; the page picks the locale.
 */
import type { RequestMeta } from '../../context';
import type { DbOrTrx } from '../../db';
import type { AttemptStatus } from '../../db/schema';
import type { ArchitecteProgress, CaseProgress, CaseProgressStatus } from '../../../training/architecte';
import { authorize, can, type Actor } from '../../policy';
import type { Localized, Orientation, ProtocolPack, RedFlagAction } from '../../../domain/protocol/schema';
import { debrief, maxScore, offered, sceneOf, type ProtocolView, type ScenarioState, type StepRecord } from '../../../domain/training/scenario/engine';
import type { CriticalErrorId, TrainingCase } from '../../../domain/training/scenario/schema';
import { liveAward } from '../awards';
import { caseRegistry, type CaseRegistry } from './cases';
import { casesOf, explorateurStatus, loadAttempt, packFor, type ArchitecteContext } from './context';

export type { ArchitecteProgress, CaseProgress, CaseProgressStatus } from '../../../training/architecte';

/** Per-case status and best score, and the level's progress, for the learner's pages and the training hub. */
export async function architecteProgress(db: DbOrTrx, userId: string, cases: CaseRegistry = caseRegistry()): Promise<ArchitecteProgress> {
	const [explorateur, rows, award] = await Promise.all([
		explorateurStatus(db, userId),
		db.selectFrom('training_architecte_attempts').select(['case_id', 'status', 'score']).where('user_id', '=', userId).execute(),
		liveAward(db, userId, 'architecte')
	]);
	const validation = award ? await db.selectFrom('training_architecte_validations').select('validated_at').where('award_id', '=', award.id).executeTakeFirst() : undefined;
	const list = cases.current().map((c): CaseProgress => {
		const mine = rows.filter((r) => r.case_id === c.id);
		const finished = mine.filter((r) => r.status !== 'in_progress');
		const best = finished.length > 0 ? Math.max(...finished.map((r) => r.score)) : null;
		const has = (s: AttemptStatus) => mine.some((r) => r.status === s);
		const status: CaseProgressStatus = has('passed') ? 'passed' : has('in_progress') ? 'in_progress' : has('failed') ? 'failed' : 'not_started';
		const max = maxScore(c);
		return { id: c.id, version: c.version, order: c.order, title: c.title, summary: c.summary, status, attempts: mine.length, bestScore: best, maxScore: max, passScore: c.passScore, percent: best === null ? 0 : Math.round((best / max) * 100) };
	});
	const passed = list.filter((c) => c.status === 'passed').length;
	return {
		explorateur,
		eligible: explorateur !== 'missing',
		cases: list,
		passed,
		total: list.length,
		percent: list.length === 0 ? 0 : Math.round((passed / list.length) * 100),
		award: award ? { id: award.id, status: award.status, pendingReason: award.pending_reason, awardedAt: award.awarded_at, validatedAt: validation?.validated_at ?? null } : null
	};
}

// ---------------------------------------------------------------------------------------------------------
// One case being played

export interface ProtocolSummary {
	callNow: boolean;
	actions: RedFlagAction[];
	redFlags: Localized[];
	orientation: Orientation;
	stopInterviewing: boolean;
}

export function protocolSummary(pack: ProtocolPack, p: ProtocolView): ProtocolSummary {
	const label = new Map(pack.redFlags.map((f) => [f.id, f.label]));
	return { callNow: p.callNow, actions: p.actions, redFlags: p.redFlags.map((id) => label.get(id) ?? { fr: id, en: id }), orientation: p.orientation, stopInterviewing: p.stopInterviewing };
}

export interface StepFeedback {
	sceneTitle: Localized;
	choice: Localized;
	feedback: Localized;
	consequence: Localized | null;
	points: number;
	bestPoints: number;
	critical: { id: CriticalErrorId; label: Localized; explanation: Localized }[];
	protocol: ProtocolSummary;
}

export function stepFeedback(kase: TrainingCase, pack: ProtocolPack, step: StepRecord): StepFeedback {
	const scene = sceneOf(kase, step.sceneId)!;
	const choice = scene.choices.find((c) => c.id === step.choiceId)!;
	const labels = new Map(kase.criticalErrors.map((e) => [e.id, e]));
	return {
		sceneTitle: scene.title,
		choice: choice.label,
		feedback: choice.feedback,
		consequence: choice.consequence ?? null,
		points: step.points,
		bestPoints: Math.max(...scene.choices.map((c) => c.points)),
		critical: step.critical.map((id) => ({ id, label: labels.get(id)?.label ?? { fr: id, en: id }, explanation: labels.get(id)?.explanation ?? { fr: id, en: id } })),
		protocol: protocolSummary(pack, step.protocol)
	};
}

export interface SceneView {
	id: string;
	title: Localized;
	narrative: Localized;
	/** the kit step this scene rehearses (title from the pack) */
	protocolStep: Localized | null;
	choices: { id: string; label: Localized }[];
	/** 1-based number of the choice to make */
	stepNumber: number;
}

function sceneView(kase: TrainingCase, pack: ProtocolPack, state: ScenarioState): SceneView {
	const scene = sceneOf(kase, state.sceneId)!;
	const step = scene.protocolStep ? pack.steps.find((s) => s.id === scene.protocolStep) : undefined;
	return {
		id: scene.id,
		title: scene.title,
		narrative: scene.narrative,
		protocolStep: step?.title ?? null,
		choices: offered(kase, state).map((c) => ({ id: c.id, label: c.label })),
		stepNumber: state.path.length + 1
	};
}

export interface AttemptSummary {
	id: string;
	status: AttemptStatus;
	score: number;
	maxScore: number;
	passScore: number;
	critical: number;
	steps: number;
	startedAt: string;
	finishedAt: string | null;
}

export interface CasePlay {
	kase: { id: string; version: string; title: Localized; summary: Localized; notice: Localized; passScore: number; maxScore: number; criticalErrors: { label: Localized }[] };
	packNotice: Localized | null;
	progress: ArchitecteProgress;
	/** the attempt shown: in progress, or the one asked for, or the latest finished one */
	attempt: (AttemptSummary & { scene: SceneView | null; last: StepFeedback | null; debrief: ReturnType<typeof debriefView> | null }) | null;
	history: AttemptSummary[];
}

function debriefView(kase: TrainingCase, pack: ProtocolPack, state: ScenarioState) {
	const d = debrief(kase, pack, state);
	if (!d) return null;
	return { ...d, protocol: protocolSummary(pack, d.protocol) };
}

function summaryOf(row: { id: string; status: AttemptStatus; score: number; max_score: number; pass_score: number; critical_errors: string; step_count: number; started_at: string; finished_at: string | null }): AttemptSummary {
	let critical = 0;
	try {
		critical = (JSON.parse(row.critical_errors) as unknown[]).length;
	} catch {
		critical = 0;
	}
	return { id: row.id, status: row.status, score: row.score, maxScore: row.max_score, passScore: row.pass_score, critical, steps: row.step_count, startedAt: row.started_at, finishedAt: row.finished_at };
}

/** The play screen of one case for its learner (null: no such case). Policy: `architecte:play` on oneself. */
export async function casePlay(ctx: ArchitecteContext, actor: Actor, input: { caseId: string; attemptId?: string | null }, meta: RequestMeta): Promise<CasePlay | null> {
	void meta; // a learner reading their own training is not audited (no one else's record is read)
	const kase = casesOf(ctx).latest(input.caseId);
	if (!kase) return null;
	authorize(actor, 'architecte:play', { ownerId: actor.userId });
	const progress = await architecteProgress(ctx.db, actor.userId, casesOf(ctx));
	const rows = await ctx.db
		.selectFrom('training_architecte_attempts')
		.selectAll()
		.where('user_id', '=', actor.userId)
		.where('case_id', '=', kase.id)
		.orderBy('started_at', 'desc')
		.orderBy('id', 'desc')
		.execute();
	// An attempt asked for by id (one of the person's own), else the one in progress, else the latest finished.
	const chosen =
		(input.attemptId ? rows.find((r) => r.id === input.attemptId) : undefined) ?? rows.find((r) => r.status === 'in_progress') ?? rows.find((r) => r.status !== 'in_progress');
	let attempt: CasePlay['attempt'] = null;
	if (chosen) {
		const loaded = (await loadAttempt(ctx, ctx.db, chosen.id))!;
		const lastStep = loaded.state.path.at(-1);
		attempt = {
			...summaryOf(loaded.attempt),
			scene: loaded.state.finished ? null : sceneView(loaded.kase, loaded.pack, loaded.state),
			last: lastStep ? stepFeedback(loaded.kase, loaded.pack, lastStep) : null,
			debrief: debriefView(loaded.kase, loaded.pack, loaded.state)
		};
	}
	const pack = packFor(ctx, kase);
	return {
		kase: {
			id: kase.id,
			version: kase.version,
			title: kase.title,
			summary: kase.summary,
			notice: kase.notice,
			passScore: kase.passScore,
			maxScore: maxScore(kase),
			criticalErrors: kase.criticalErrors.map((e) => ({ label: e.label }))
		},
		packNotice: pack.notice ?? null,
		progress,
		attempt,
		history: rows.map(summaryOf)
	};
}

/** Whether a person may see the Architecte pages at all (for navigation and the hub). */
export function mayTrainArchitecte(actor: Actor | null): boolean {
	return !!actor && can(actor, 'architecte:play', { ownerId: actor.userId });
}

