/**
 * Jobs stored in the database. `jobHandlers` is what the app servers run (started from hooks.server.ts
 * `init` when JOBS_ENABLED); services enqueue with the helpers exported here.
 */
import { DECISION_OVERDUE_KIND, handleDecisionOverdue } from './decision-overdue';
import type { JobHandlers } from './worker';

export const jobHandlers: JobHandlers = {
	[DECISION_OVERDUE_KIND]: handleDecisionOverdue
};

export { enqueueJob, claimDueJobs, completeJob, failJob, reclaimStaleJobs, retryDelay, jobErrorLabel, JobError, DEFAULT_RETRY } from './queue';
export type { Job, JobPayload, EnqueueInput, RetryPolicy, FailOutcome } from './queue';
export { startJobWorker, runDueJobs, newWorkerId, DEFAULT_INTERVAL_MS, DEFAULT_LEASE_MS } from './worker';
export type { JobHandler, JobHandlers, JobWorker, RunOptions, RunSummary, WorkerOptions } from './worker';
export { enqueueDecisionOverdue, runDecisionOverdue, handleDecisionOverdue, decisionOverdueKey, DECISION_OVERDUE_KIND, DECISION_OVERDUE_NOTIFICATION, DECISION_OVERDUE_AFTER_MS } from './decision-overdue';
export type { DecisionOverdueOutcome } from './decision-overdue';
