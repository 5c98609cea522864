import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { fieldText, readFields } from '$lib/server/forms';
import { guarded, requireSignedIn } from '$lib/server/http';
import { notFound, requestMeta } from '$lib/server/kit-http';
import { casePlay, recordChoice, startAttempt } from '$lib/server/training/architecte';
import { casePath } from '$lib/training/architecte';
import type { MessageKey } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { actor } = requireSignedIn(event);
	const play = await guarded(() =>
		casePlay(getAppContext(), actor, { caseId: event.params.case, attemptId: event.url.searchParams.get('tentative') }, requestMeta(event))
	);
	if (!play) notFound();
	return { play };
};

const ERROR_STATUS = { not_offered: 400, stale: 409, finished: 409 } as const;

function refused(reason: keyof typeof ERROR_STATUS) {
	return fail(ERROR_STATUS[reason], { error: `training.architecte.error.${reason}` as MessageKey });
}

async function start(event: RequestEvent<{ case: string }>) {
	const { actor } = requireSignedIn(event);
	// Read (and refuse) the body like every form: no file parts, ever.
	await readFields(event.request);
	const r = await guarded(() => startAttempt(getAppContext(), actor, { caseId: event.params.case }, requestMeta(event)));
	if (!r.ok) {
		if (r.reason === 'not_found') notFound();
		return fail(403, { error: 'training.architecte.error.explorateur_required' as MessageKey });
	}
	redirect(303, `${casePath(event.params.case)}#scene`);
}

export const actions: Actions = {
	start,
	choose: async (event) => {
		const { actor } = requireSignedIn(event);
		const fields = await readFields(event.request);
		const attemptId = fieldText(fields, 'attempt');
		const sceneId = fieldText(fields, 'scene');
		const choiceId = fieldText(fields, 'choice').trim();
		if (!choiceId) return fail(400, { error: 'training.architecte.error.choose_one' as MessageKey });
		const r = await guarded(() => recordChoice(getAppContext(), actor, { attemptId, sceneId, choiceId }, requestMeta(event)));
		if (!r.ok) {
			if (r.reason === 'not_found') notFound();
			return refused(r.reason);
		}
		redirect(303, `${casePath(event.params.case)}#feedback`);
	}
};
