// The evaluator's "validate the level" form, shared by the attempts list and the path page.
import { fail, type RequestEvent } from '@sveltejs/kit';
import { getAppContext } from '$lib/server/app';
import { fieldText, readFields } from '$lib/server/forms';
import { guarded, requireSignedIn } from '$lib/server/http';
import { requestMeta } from '$lib/server/kit-http';
import { validateLevel } from '$lib/server/training/architecte';
import type { MessageKey } from '$lib/i18n';

export async function validateAction(event: RequestEvent) {
	const { actor } = requireSignedIn(event);
	const fields = await readFields(event.request);
	const r = await guarded(() => validateLevel(getAppContext(), actor, { userId: fieldText(fields, 'learner') }, requestMeta(event)));
	if (r.ok) return { validated: true };
	return fail(r.reason === 'not_found' ? 404 : 409, { error: `training.architecte.eval.error.${r.reason}` as MessageKey });
}
