import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { getAppContext } from '$lib/server/app';
import { readFields } from '$lib/server/forms';
import { guarded } from '$lib/server/http';
import { requestMeta } from '$lib/server/kit-http';
import { echoLong, requireLearner, trainingFailure } from '$lib/server/training-http';
import { explorateurCourse, explorateurProgress, mySubmission, saveReflections } from '$lib/server/training/explorateur';

export const load: PageServerLoad = async (event) => {
	const { actor } = requireLearner(event);
	const locale = event.locals.locale;
	const ctx = getAppContext();
	const { reflections } = explorateurCourse();
	const [submission, progress] = await Promise.all([mySubmission(ctx, actor), explorateurProgress(ctx.db, actor.userId)]);
	const latestReview = submission?.reviews[0] ?? null;
	return {
		minLength: reflections.minLength,
		maxLength: reflections.maxLength,
		questions: reflections.questions.map((q) => ({ key: q.key, question: q.question[locale], hint: q.hint[locale] })),
		status: submission?.status ?? null,
		version: submission?.currentVersion ?? null,
		answers: submission?.versions[0]?.answers ?? {},
		// the evaluator's words stay visible while the learner revises (returned, then drafts of the next version)
		review: latestReview && latestReview.decision !== 'approved' && submission?.status !== 'submitted' ? latestReview : null,
		quizPassed: progress.quiz.passed
	};
};

async function save(event: RequestEvent, submit: boolean) {
	const { actor } = requireLearner(event);
	const fields = await readFields(event.request);
	const { reflections } = explorateurCourse();
	const keys = reflections.questions.map((q) => q.key);
	const answers = Object.fromEntries(keys.map((k) => [k, typeof fields[k] === 'string' ? (fields[k] as string) : undefined]));
	const r = await guarded(() => saveReflections(getAppContext(), actor, { answers, submit }, requestMeta(event)));
	if (!r.ok) return trainingFailure(r, { values: echoLong(fields, keys, reflections.maxLength) });
	return { saved: true, submitted: r.status === 'submitted', version: r.version };
}

export const actions: Actions = {
	save: (event) => save(event, false),
	submit: (event) => save(event, true)
};
