/** The Architecte level's services (ADR 011). Routes import from here. */
export { startAttempt, recordChoice, type StartResult, type ChoiceResult, type ChoiceRefusal } from './attempts';
export { architecteProgress, casePlay, mayTrainArchitecte, type ArchitecteProgress, type CaseProgress, type CasePlay } from './views';
export { listAttempts, attemptPath, validateLevel, ATTEMPT_FILTERS, type AttemptFilter, type AttemptPath, type AttemptRow, type LevelRow } from './review';
export { caseRegistry } from './cases';
export type { ArchitecteContext } from './context';
