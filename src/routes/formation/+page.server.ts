import type { PageServerLoad } from './$types';
import { error } from '@sveltejs/kit';
import { getAppContext } from '$lib/server/app';
import { requireSignedIn } from '$lib/server/http';
import { can } from '$lib/server/policy';
import { explorateurCourse, explorateurProgress, waitingCount } from '$lib/server/training/explorateur';
import { architecteProgress, caseRegistry } from '$lib/server/training/architecte';

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
		// The Architecte level (locked until the Explorateur award, with the reason shown by the component).
		architecte: learner ? await architecteProgress(ctx.db, actor.userId, caseRegistry()) : null,
		waiting: evaluator ? await waitingCount(ctx, actor) : null
	};
};
