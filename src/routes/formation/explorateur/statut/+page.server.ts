import type { PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { requireLearner } from '$lib/server/training-http';
import { explorateurCourse, explorateurProgress, mySubmission } from '$lib/server/training/explorateur';

export const load: PageServerLoad = async (event) => {
	const { actor } = requireLearner(event);
	const locale = event.locals.locale;
	const ctx = getAppContext();
	const { reflections } = explorateurCourse();
	const [submission, progress] = await Promise.all([mySubmission(ctx, actor), explorateurProgress(ctx.db, actor.userId)]);
	return {
		questions: reflections.questions.map((q) => ({ key: q.key, question: q.question[locale] })),
		submission,
		progress
	};
};
