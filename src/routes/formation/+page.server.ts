import type { PageServerLoad } from './$types';
import { error } from '@sveltejs/kit';
import { getAppContext } from '$lib/server/app';
import { requireSignedIn } from '$lib/server/http';
import { can } from '$lib/server/policy';
import { explorateurCourse, explorateurProgress, waitingCount } from '$lib/server/training/explorateur';

export const load: PageServerLoad = async (event) => {
	const { actor } = requireSignedIn(event);
	const learner = can(actor, 'training:learn', null);
	const evaluator = can(actor, 'training:review_queue', null);
	if (!learner && !evaluator) error(403, { message: 'forbidden', code: 'error.403' });
	const ctx = getAppContext();
	const locale = event.locals.locale;
	const course = explorateurCourse();
	return {
		explorateur: learner ? { title: course.title[locale], summary: course.summary[locale], progress: await explorateurProgress(ctx.db, actor.userId) } : null,
		// ARCHITECTE: the lead wires `architecteProgress(ctx.db, actor.userId)` here (exported by the Architecte level)
		// and the page renders it in the section marked "Architecte progress" below Explorateur.
		waiting: evaluator ? await waitingCount(ctx, actor) : null
	};
};
