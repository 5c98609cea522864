/**
 * The incident services (the digital kit): the only way screens, the CLI and jobs read or change a case.
 * Each use case takes `(ctx, actor, input, meta)`, loads the case's place as an `IncidentAccess`, asks the
 * policy, and reads or writes in one transaction with its audit row (every read of a case is audited too).
 * No SvelteKit imports: routes call these and render the typed results (see types.ts for the refusals).
 *
 * Intake and kit                openIncident, getIncident, saveStepAnswers
 * Students                      addStudent, updateStudent, findStudentsByName
 * Devices                       recordCustodyEvent
 * Hand-off                      logPoliceCall, buildHandoffPacket, handoffRecipients, handoffEmail
 * Decision and follow-up        recordDecision, recordFollowup, recordParentNotification
 * Closure and case management   closeIncident, addAddendum, assignIncident, assignmentOptions
 * Kit packs per police service  activePackFor, packSettings, managedPoliceServices, activatePack
 * Lists                         listMyIncidents, listSchoolIncidents, listHandoffs
 * Kit home (/incidents)         kitHome, intakeSchools, incidentLists
 */
export { openIncident, type OpenIncidentInput, type OpenIncidentResult } from './open-incident';
export { INTAKE_QUESTIONS, IntakeShapeError, intakeStepOf } from './intake';
export { getIncident, type IncidentAbilities, type IncidentView } from './get-incident';
export { saveStepAnswers, type SaveStepInput, type SaveStepResult, type StepSnapshot } from './save-step-answers';
export {
	addStudent,
	findStudentsByName,
	updateStudent,
	GRADE_MAX,
	NAME_MAX,
	type AddStudentResult,
	type StudentInput,
	type StudentMatch,
	type StudentView,
	type UpdateStudentInput,
	type UpdateStudentResult
} from './students';
export { recordCustodyEvent, type CustodyEventInput, type CustodyResult } from './custody';
export { handoffEmail, handoffRecipients, logPoliceCall, type HandoffRecipient, type PoliceCallInput, type PoliceCallResult } from './handoff';
export { buildHandoffPacket } from './handoff-packet';
export { recordDecision, type DecisionInput, type DecisionResult } from './decision';
export { recordFollowup, recordParentNotification, type FollowupInput, type FollowupResult, type ParentNotificationInput, type ParentNotificationResult } from './followups';
export { addAddendum, closeIncident, ADDENDUM_MAX, type AddendumResult, type CloseResult } from './closure';
export { assignIncident, assignmentOptions, type AssignmentOptions, type AssignResult } from './assign';
export { activatePack, activePackFor, managedPoliceServices, packSettings, type ActivatePackResult, type PackActivation, type PackChoice, type PackSettings } from './pack-activation';
export { listHandoffs, listMyIncidents, listSchoolIncidents, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type IncidentListItem, type IncidentPage, type SchoolListInput } from './lists';
export type { AddendumView, CustodyEventView, DecisionView, DeviceView, FollowupView, ParentNotificationView, PoliceCallView, UserRef } from './case-file';
export { incidentPath, type CaseRefusal, type CaseWriteRefusal, type Closed, type Conflict, type Invalid, type KitContext, type NotCovered, type NotFound } from './types';
export { incidentLists, intakeSchools, kitHome, type IncidentLists, type IncidentListsInput, type IntakeSchool } from './home';
