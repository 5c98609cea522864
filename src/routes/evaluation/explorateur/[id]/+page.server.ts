import type { Actions, PageServerLoad } from './$types';
import { error } from '@sveltejs/kit';
import { getAppContext } from '$lib/server/app';
import { fieldText, readFields } from '$lib/server/forms';
import { guarded } from '$lib/server/http';
import { requestMeta } from '$lib/server/kit-http';
import { echoLong, requireEvaluator, trainingFailure } from '$lib/server/training-http';
import { explorateurCourse, getSubmissionForReview, REVIEW_COMMENT_MAX, reviewSubmission } from '$lib/server/training/explorateur';
import { REVIEW_DECISIONS } from '$lib/server/db/schema';

export const load: PageServerLoad = async (event) => {
	const { actor } = requireEvaluator(event);
	const locale = event.locals.locale;
	const view = await getSubmissionForReview(getAppContext(), actor, { id: event.params.id }, requestMeta(event));
	if (!view) error(404, { message: 'not found', code: 'error.404' });
	const { reflections } = explorateurCourse();
	return {
		submission: view,
		questions: reflections.questions.map((q) => ({ key: q.key, question: q.question[locale] })),
		decisions: [...REVIEW_DECISIONS],
		commentMax: REVIEW_COMMENT_MAX
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { actor } = requireEvaluator(event);
		const fields = await readFields(event.request);
		const values = { ...echoLong(fields, ['comment'], REVIEW_COMMENT_MAX), decision: fieldText(fields, 'decision') };
		const r = await guarded(() =>
			reviewSubmission(getAppContext(), actor, { id: event.params.id, version: fieldText(fields, 'version'), decision: fieldText(fields, 'decision'), comment: fieldText(fields, 'comment') }, requestMeta(event))
		);
		if (!r.ok) return trainingFailure(r, { values });
		return { reviewed: r.decision };
	}
};
