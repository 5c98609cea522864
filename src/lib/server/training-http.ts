/**
 * Route helpers of the training screens (/formation/…, /evaluation/…): who may see the page (decided by the
 * policy, asked here once per load), and the refusals of the training services as localized form failures.
 */
import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { requireSignedIn } from './http';
import { can, type Actor } from './policy';
import type { SessionUser } from './auth/sessions';
import type { FormFields } from './forms';
import type { TrainingRefusal } from './training/explorateur/types';

type Event = Pick<RequestEvent, 'locals' | 'url'>;

function forbidden(): never {
	error(403, { message: 'forbidden', code: 'error.403' });
}

/** Signed in and allowed to train (learner, responder or principal), else the sign-in page or a 403. */
export function requireLearner(event: Event): { user: SessionUser; actor: Actor } {
	const who = requireSignedIn(event);
	if (!can(who.actor, 'training:learn', null)) forbidden();
	return who;
}

/** Signed in and a trainer-evaluator, else the sign-in page or a 403. */
export function requireEvaluator(event: Event): { user: SessionUser; actor: Actor } {
	const who = requireSignedIn(event);
	if (!can(who.actor, 'training:review_queue', null)) forbidden();
	return who;
}

/**
 * A refused training write as the page's form failure, with what was typed echoed back (nothing lost):
 * not_found → 404 page; locked / conflict → 409; self_review → 403; invalid → 400 with field errors.
 */
export function trainingFailure(r: TrainingRefusal, extra: { values: FormFields; [k: string]: unknown }) {
	if (r.reason === 'not_found') error(404, { message: 'not found', code: 'error.404' });
	const status = r.reason === 'invalid' ? 400 : r.reason === 'self_review' ? 403 : 409;
	return fail(status, { errors: r.errors, ...extra });
}

/** Echo of long free-text answers: up to `max` characters plus a margin, so an over-long answer comes back whole enough to shorten. */
export function echoLong(fields: FormFields, names: readonly string[], max: number): Record<string, string> {
	const out: Record<string, string> = {};
	for (const n of names) {
		const v = fields[n];
		out[n] = ((Array.isArray(v) ? v[0] : v) ?? '').slice(0, max * 2);
	}
	return out;
}
