import type { FieldErrors } from '../../../forms';
import type { SubmissionStatus } from '../../db/schema';

/** A refused training write: the route turns each reason into a localized form failure or page. */
export type TrainingRefusal =
	| { ok: false; reason: 'not_found' }
	| { ok: false; reason: 'invalid'; errors: FieldErrors }
	/** the submission is waiting for review or approved: it cannot be edited or submitted again */
	| { ok: false; reason: 'locked'; status: SubmissionStatus; errors: FieldErrors }
	/** someone else reviewed first, or the learner changed it meanwhile */
	| { ok: false; reason: 'conflict'; errors: FieldErrors }
	| { ok: false; reason: 'self_review'; errors: FieldErrors };

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function looksLikeId(value: unknown): value is string {
	return typeof value === 'string' && ID.test(value);
}
