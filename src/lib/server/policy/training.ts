/**
 * Who may do what in the Explorateur training. Rules in words:
 * - Learning (modules, knowledge check, reflections) is for school staff: anyone holding the learner,
 *   responder or principal role, at a school or — for learners only — at platform level. Staff of a school
 *   without an agreement may train too (their award waits "pending coverage"). Police, DPCP, coordinators,
 *   the privacy officer and the platform admin do not train here unless they also hold one of those roles.
 * - A submission belongs to its learner, who reads and edits their own and nobody else's.
 * - Trainer-evaluators (platform scope) read every submission and review it — never their own, even when
 *   they also hold a learner role. The platform admin does not review: evaluation is a trainer's judgement.
 */
import type { Actor } from './actor';
import { hasRole } from './predicates';

export interface SubmissionAccess {
	/** the learner the submission belongs to */
	ownerId: string;
}

export const TRAINING_LEARNER_ROLES = ['learner', 'responder', 'principal'] as const;

export function isLearner(actor: Actor): boolean {
	return TRAINING_LEARNER_ROLES.some((r) => hasRole(actor, r));
}

export function isEvaluator(actor: Actor): boolean {
	return hasRole(actor, 'trainer_evaluator');
}

export const trainingRules = {
	/** Read modules, take the knowledge check, write and submit one's own reflections. */
	'training:learn': (actor: Actor) => isLearner(actor),
	/** The evaluator queue (/evaluation). */
	'training:review_queue': (actor: Actor) => isEvaluator(actor),
	/** One submission with all its versions and reviews. */
	'training:submission_read': (actor: Actor, s: SubmissionAccess) => s.ownerId === actor.userId || isEvaluator(actor),
	/** Edit drafts and submit: the owner only, while still a learner. */
	'training:submission_edit': (actor: Actor, s: SubmissionAccess) => s.ownerId === actor.userId && isLearner(actor),
	/** Approve, return for revision or reject: an evaluator who is not the owner. */
	'training:submission_review': (actor: Actor, s: SubmissionAccess) => isEvaluator(actor) && s.ownerId !== actor.userId
} as const;
