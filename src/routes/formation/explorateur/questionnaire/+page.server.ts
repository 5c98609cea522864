import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { echoFields, fieldText, readFields } from '$lib/server/forms';
import { guarded } from '$lib/server/http';
import { requestMeta } from '$lib/server/kit-http';
import { requireLearner, trainingFailure } from '$lib/server/training-http';
import { explorateurCourse, quizAttemptsOf, submitQuizAttempt } from '$lib/server/training/explorateur';

export const load: PageServerLoad = async (event) => {
	const { actor } = requireLearner(event);
	const locale = event.locals.locale;
	const { quiz } = explorateurCourse();
	const attempts = await quizAttemptsOf(getAppContext().db, actor.userId);
	return {
		passMark: quiz.passMark,
		questions: quiz.questions.map((q) => ({ id: q.id, prompt: q.prompt[locale], options: q.options.map((o) => ({ id: o.id, label: o.label[locale] })) })),
		attempts: attempts.map((a) => ({ id: a.id, at: a.at, score: a.score, total: a.total, passed: a.passed }))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { actor } = requireLearner(event);
		const locale = event.locals.locale;
		const fields = await readFields(event.request);
		const { quiz } = explorateurCourse();
		const answers = Object.fromEntries(quiz.questions.map((q) => [q.id, fieldText(fields, q.id) || undefined]));
		const r = await guarded(() => submitQuizAttempt(getAppContext(), actor, { answers }, requestMeta(event)));
		if (!r.ok) return trainingFailure(r, { values: echoFields(fields) });
		// Feedback per answer, in the page's language: the chosen option's explanation, and the right answer when missed.
		return {
			result: {
				score: r.score.score,
				total: r.score.total,
				passMark: r.score.passMark,
				passed: r.score.passed,
				questions: r.score.questions.map((res) => {
					const q = quiz.questions.find((x) => x.id === res.questionId)!;
					const chosen = q.options.find((o) => o.id === res.chosen)!;
					const right = q.options.find((o) => o.correct)!;
					return { id: q.id, prompt: q.prompt[locale], chosen: chosen.label[locale], correct: res.correct, feedback: chosen.feedback[locale], right: right.label[locale] };
				})
			}
		};
	}
};
