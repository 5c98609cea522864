import type { PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { requireLearner } from '$lib/server/training-http';
import { explorateurCourse, explorateurProgress } from '$lib/server/training/explorateur';

export const load: PageServerLoad = async (event) => {
	const { actor } = requireLearner(event);
	const locale = event.locals.locale;
	const course = explorateurCourse();
	const progress = await explorateurProgress(getAppContext().db, actor.userId);
	return {
		title: course.title[locale],
		summary: course.summary[locale],
		notice: course.notice[locale],
		modules: course.modules.map((m) => ({ id: m.id, number: m.number, title: m.title[locale], minutes: m.minutes, read: progress.modules.read.includes(m.id) })),
		quiz: { total: course.quiz.questions.length, passMark: course.quiz.passMark },
		progress
	};
};
