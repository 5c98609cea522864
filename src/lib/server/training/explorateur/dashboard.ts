/**
 * The dashboard's training card: how many Explorateur steps the learner has done and, for evaluators, how many
 * submissions wait. The dashboard is the most visited signed-in page, so the card's facts come from one
 * precompiled query (one round trip on PostgreSQL) instead of the hub's full progress (five queries).
 */
import { sql } from 'kysely';
import type { AppContext } from '../../context';
import { executeRead, type DB } from '../../db';
import { precompiled } from '../../db/precompiled';
import { can, type Actor } from '../../policy';
import { EXPLORATEUR_STEPS_TOTAL, explorateurStepsDone } from '../../../domain/training/explorateur/steps';
import { explorateurCourse } from './content';
import { waitingCount } from './review';

export interface TrainingCard {
	explorateur: { stepsDone: number; stepsTotal: number } | null;
	waiting: number | null;
}

function learnerFacts(db: DB, userId: string) {
	const moduleIds = explorateurCourse().modules.map((m) => m.id);
	return db.selectNoFrom((eb) => [
		eb.selectFrom('training_module_reads').select((s) => s.fn.count<number>('module_id').as('n')).where('user_id', '=', userId).where('module_id', 'in', moduleIds).as('modules_read'),
		eb.exists(eb.selectFrom('training_quiz_attempts').select(sql.lit(1).as('one')).where('user_id', '=', userId).where('passed', '=', 1)).as('quiz_passed'),
		// At most one live (not rejected) submission per learner (unique partial index).
		eb.selectFrom('training_submissions').select('status').where('user_id', '=', userId).where('status', '<>', 'rejected').limit(1).as('live_status'),
		eb.exists(eb.selectFrom('training_awards').select(sql.lit(1).as('one')).where('user_id', '=', userId).where('level', '=', 'explorateur').where('revoked_at', 'is', null)).as('awarded')
	]);
}

type LearnerFacts = { modules_read: number | string; quiz_passed: number | boolean; live_status: string | null; awarded: number | boolean };

const learnerQuery = precompiled(1, (db, userId: string) => learnerFacts(db, userId));

/** Null for people who neither train nor evaluate (the card is not shown). */
export async function trainingCardFor(ctx: Pick<AppContext, 'db' | 'now'>, actor: Actor): Promise<TrainingCard | null> {
	const learner = can(actor, 'training:learn', null);
	const evaluator = can(actor, 'training:review_queue', null);
	if (!learner && !evaluator) return null;
	const [facts, waiting] = await Promise.all([
		learner ? executeRead<LearnerFacts>(ctx.db, learnerQuery(ctx.db, actor.userId)).then((rows) => rows[0]) : null,
		evaluator ? waitingCount(ctx, actor) : null
	]);
	return {
		explorateur: facts
			? {
					stepsDone: explorateurStepsDone({
						allModulesRead: Number(facts.modules_read) >= explorateurCourse().modules.length,
						quizPassed: Boolean(Number(facts.quiz_passed)),
						liveSubmissionStatus: facts.live_status ?? null,
						awarded: Boolean(Number(facts.awarded))
					}),
					stepsTotal: EXPLORATEUR_STEPS_TOTAL
				}
			: null,
		waiting
	};
}
