/**
 * Who may do what in the Architecte training (ADR 011). Rules in words:
 * - Playing a case (start, choose): school staff in training (learner, responder, principal), on their own
 *   attempts only. The Explorateur prerequisite is a fact about the person, checked by the service.
 * - Reading an attempt's full path: its owner, or a trainer-evaluator (platform scope).
 * - The evaluator's list of attempts: trainer-evaluators.
 * - Validating someone's Architecte level: a trainer-evaluator, never for themselves.
 * - Not the platform admin, the privacy officer or another learner: a person's training path is theirs and
 *   their evaluator's.
 */
import type { Role } from '../db/schema';
import type { Actor } from './actor';
import { hasRole } from './predicates';

/** The person whose attempt or level it is. */
export interface TraineeOf {
	ownerId: string;
}

const TRAINEES: readonly Role[] = ['learner', 'responder', 'principal'];

export const isTrainee = (actor: Actor) => TRAINEES.some((r) => hasRole(actor, r));
const isEvaluator = (actor: Actor) => hasRole(actor, 'trainer_evaluator');

export const trainingArchitecteRules = {
	'architecte:play': (actor: Actor, t: TraineeOf) => t.ownerId === actor.userId && isTrainee(actor),
	'architecte:read_attempt': (actor: Actor, t: TraineeOf) => t.ownerId === actor.userId || isEvaluator(actor),
	'architecte:review': (actor: Actor) => isEvaluator(actor),
	'architecte:validate': (actor: Actor, t: TraineeOf) => isEvaluator(actor) && t.ownerId !== actor.userId
} as const;
