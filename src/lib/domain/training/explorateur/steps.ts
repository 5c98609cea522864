/**
 * The four Explorateur steps (read every module, pass the knowledge check, submit the reflections, hold the award):
 * one rule shared by the training hub and the dashboard card, so both always count the same way.
 */
export const EXPLORATEUR_STEPS_TOTAL = 4;

export interface ExplorateurStepFacts {
	allModulesRead: boolean;
	quizPassed: boolean;
	/** Status of the learner's live (not rejected) submission, if any. */
	liveSubmissionStatus: string | null;
	awarded: boolean;
}

export function reflectionsSubmitted(status: string | null): boolean {
	return status === 'submitted' || status === 'approved';
}

export function explorateurStepsDone(f: ExplorateurStepFacts): number {
	return (f.allModulesRead ? 1 : 0) + (f.quizPassed ? 1 : 0) + (reflectionsSubmitted(f.liveSubmissionStatus) ? 1 : 0) + (f.awarded ? 1 : 0);
}
