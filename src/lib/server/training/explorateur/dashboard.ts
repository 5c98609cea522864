/** The dashboard's training card: the learner's Explorateur progress and, for evaluators, how many submissions wait. */
import type { AppContext } from '../../context';
import { can, type Actor } from '../../policy';
import { explorateurProgress, type ExplorateurProgress } from './learner';
import { waitingCount } from './review';

export interface TrainingCard {
	explorateur: ExplorateurProgress | null;
	waiting: number | null;
}

/** Null for people who neither train nor evaluate (the card is not shown). */
export async function trainingCardFor(ctx: Pick<AppContext, 'db' | 'now'>, actor: Actor): Promise<TrainingCard | null> {
	const learner = can(actor, 'training:learn', null);
	const evaluator = can(actor, 'training:review_queue', null);
	if (!learner && !evaluator) return null;
	return {
		explorateur: learner ? await explorateurProgress(ctx.db, actor.userId) : null,
		waiting: evaluator ? await waitingCount(ctx, actor) : null
	};
}
