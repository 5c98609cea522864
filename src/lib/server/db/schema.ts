/**
 * Database types shared by both dialects. Portable conventions (see docs/decisions/0002-dual-dialect-kysely.md):
 * ids are random UUID text, timestamps are ISO-8601 UTC text (sortable), booleans are 0/1 integers,
 * JSON is text. Only the audit log uses an integer sequence, because the hash chain needs an order.
 */
import type { Generated } from 'kysely';

export const ROLES = [
	'responder',
	'principal',
	'police_liaison',
	'dpcp_prosecutor',
	'trainer_evaluator',
	'territory_coordinator',
	'privacy_officer',
	'platform_admin',
	'learner'
] as const;
export type Role = (typeof ROLES)[number];

export const SCOPE_TYPES = ['school', 'police_service', 'territory', 'platform'] as const;
export type ScopeType = (typeof SCOPE_TYPES)[number];

export const AGREEMENT_STATUSES = ['draft', 'active', 'suspended', 'ended'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

export const POLICE_SERVICE_KINDS = ['municipal', 'sq', 'intermunicipal'] as const;
export type PoliceServiceKind = (typeof POLICE_SERVICE_KINDS)[number];

export interface TerritoriesTable {
	id: string;
	name_fr: string;
	name_en: string;
	created_at: string;
}

export interface PoliceServicesTable {
	id: string;
	/** short unique code, e.g. "SPSJ", used by the schools CSV import */
	code: string;
	territory_id: string;
	name_fr: string;
	name_en: string;
	kind: PoliceServiceKind;
	kit_contact: string | null;
	emergency_phone: string | null;
	created_at: string;
	updated_at: string;
}

export interface AgreementsTable {
	id: string;
	police_service_id: string;
	status: AgreementStatus;
	signed_on: string | null;
	effective_from: string;
	effective_to: string | null;
	reference: string | null;
	note: string | null;
	created_at: string;
	updated_at: string;
}

export interface SchoolsTable {
	id: string;
	police_service_id: string;
	code: string;
	name: string;
	service_centre: string | null;
	address: string | null;
	language: 'fr' | 'en';
	created_at: string;
	updated_at: string;
}

export interface UsersTable {
	id: string;
	email: string;
	display_name: string;
	password_hash: string | null;
	locale: 'fr' | 'en';
	created_at: string;
	disabled_at: string | null;
}

export interface MembershipsTable {
	id: string;
	user_id: string;
	role: Role;
	scope_type: ScopeType;
	/** null for platform scope */
	scope_id: string | null;
	created_at: string;
	created_by: string | null;
}

export interface SessionsTable {
	/** SHA-256 of the cookie token: a stolen database never yields a usable cookie. */
	id: string;
	user_id: string;
	created_at: string;
	expires_at: string;
	last_seen_at: string;
}

export interface InvitationsTable {
	id: string;
	token_hash: string;
	email: string;
	display_name: string;
	role: Role;
	scope_type: ScopeType;
	scope_id: string | null;
	invited_by: string;
	created_at: string;
	expires_at: string;
	accepted_at: string | null;
}

export interface PasswordResetsTable {
	id: string;
	token_hash: string;
	user_id: string;
	created_at: string;
	expires_at: string;
	used_at: string | null;
}

export interface LoginAttemptsTable {
	id: Generated<number>;
	/** "account:<email sha256>" or "ip:<address>" */
	bucket: string;
	at: string;
	succeeded: number;
}

/** PostgreSQL only (migration 0012): a write's audit row waiting for its transaction's COMMIT; always empty between transactions. */
export interface AuditPendingTable {
	id: Generated<number>;
	tail: string;
}

export interface AuditLogTable {
	seq: number;
	at: string;
	actor_id: string | null;
	action: string;
	target_type: string | null;
	target_id: string | null;
	outcome: 'success' | 'denied' | 'failure';
	ip: string | null;
	/** JSON object with ids and codes only, never names or free text about a case */
	details: string;
	prev_hash: string;
	hash: string;
}

export const REGISTRY_ENTITIES = ['territory', 'police_service', 'agreement', 'school'] as const;
export type RegistryEntity = (typeof REGISTRY_ENTITIES)[number];

/** One row per version of a registry record: who changed it, when, and what it then looked like. */
export interface RegistryHistoryTable {
	id: string;
	entity_type: RegistryEntity;
	entity_id: string;
	version: number;
	change: 'created' | 'updated';
	changed_at: string;
	changed_by: string | null;
	/** JSON snapshot of the record after the change (registry data only, no personal data) */
	snapshot: string;
}

// ---------------------------------------------------------------------------------------------------------
// The kit (incidents). *_enc columns hold AES-256-GCM ciphertext (see server/crypto/fields.ts).

export const INCIDENT_STATUSES = ['open', 'handed_off', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const STUDENT_ROLES = ['depicted', 'produced', 'sent', 'received', 'redistributed', 'requested', 'witness'] as const;
export type StudentRole = (typeof STUDENT_ROLES)[number];
export const CUSTODY_EVENTS = ['seized', 'transferred', 'stored', 'handed_to_police'] as const;
export type CustodyEvent = (typeof CUSTODY_EVENTS)[number];
export const DEVICE_STATES = ['off', 'airplane', 'unknown'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];
export const DECISIONS = ['impulsive', 'malicious'] as const;
export type Decision = (typeof DECISIONS)[number];
export const FOLLOWUP_KINDS = [
	'meeting_youth_parents',
	'victim_met',
	'deletion_confirmed',
	'commitment_signed',
	'investigation_status',
	'support_cavac',
	'support_cybertip',
	'support_needhelpnow',
	'support_take_it_down',
	'support_court_order'
] as const;
export type FollowupKind = (typeof FOLLOWUP_KINDS)[number];

export interface IncidentsTable {
	id: string;
	school_id: string;
	opened_by: string;
	assigned_to: string | null;
	pack_id: string;
	pack_version: string;
	status: IncidentStatus;
	/** when the school learned of it (ISO UTC) */
	t0: string;
	/** option id of the pack's intake question (who reported; how): copied for lists and statistics */
	reporter_kind: string;
	report_channel: string;
	summary_enc: string;
	images_reported: number | null;
	devices_reported: number | null;
	/** JSON array of fired red-flag ids (cached from the engine, for lists and statistics) */
	red_flags: Generated<string>;
	/** cached grid suggestion: likely_impulsive | likely_malicious | unclear */
	orientation: string | null;
	police_called_at: string | null;
	handed_off_at: string | null;
	decision: Decision | null;
	decided_at: string | null;
	closed_at: string | null;
	closure_reason: string | null;
	version: Generated<number>;
	created_at: string;
	updated_at: string;
}

export interface IncidentAnswersTable {
	incident_id: string;
	step_id: string;
	answers_enc: string;
	version: number;
	updated_by: string;
	updated_at: string;
}

export interface IncidentStudentsTable {
	id: string;
	incident_id: string;
	name_enc: string;
	/** HMAC-SHA-256 of the normalised name: exact-match search without storing the name */
	name_bidx: string;
	dob_enc: string | null;
	age: number | null;
	grade: string | null;
	/** JSON array of StudentRole, for this student only */
	roles: string;
	version: Generated<number>;
	created_by: string;
	created_at: string;
	updated_at: string;
}

export interface DeviceCustodyTable {
	id: string;
	incident_id: string;
	/** groups the rows of one device within an incident ("D1", "D2") */
	device_ref: string;
	event: CustodyEvent;
	description: string;
	owner_student_id: string | null;
	owner_label: string | null;
	at: string;
	by_name: string;
	state: DeviceState;
	envelope_no: string | null;
	location: string | null;
	to_officer_name: string | null;
	to_officer_badge: string | null;
	recorded_by: string;
	recorded_at: string;
}

export interface IncidentPoliceCallsTable {
	id: string;
	incident_id: string;
	called_at: string;
	officer_name: string;
	officer_badge: string | null;
	police_file_number: string | null;
	called_by: string;
	recorded_at: string;
}

export interface IncidentDecisionsTable {
	id: string;
	incident_id: string;
	decision: Decision;
	decided_on: string;
	conditions_enc: string | null;
	entered_by: string;
	entered_at: string;
}

export interface IncidentFollowupsTable {
	id: string;
	incident_id: string;
	kind: FollowupKind;
	/** done | pending | requested | refused | completed … (per kind) */
	status: string;
	done_on: string | null;
	by_label: string | null;
	note_enc: string | null;
	recorded_by: string;
	recorded_at: string;
}

export interface ParentNotificationsTable {
	id: string;
	incident_id: string;
	student_id: string;
	outcome: 'notified' | 'not_notified';
	party_enc: string | null;
	at: string | null;
	by_user: string;
	reason_not_enc: string | null;
	student_consulted: number | null;
	recorded_at: string;
}

export interface IncidentAddendaTable {
	id: string;
	incident_id: string;
	author_id: string;
	at: string;
	text_enc: string;
}

export interface NotificationsTable {
	id: string;
	user_id: string;
	kind: string;
	incident_id: string | null;
	created_at: string;
	read_at: string | null;
}

export interface JobsTable {
	id: string;
	kind: string;
	dedupe_key: string | null;
	payload: string;
	run_at: string;
	status: 'pending' | 'running' | 'done' | 'failed';
	attempts: Generated<number>;
	claimed_by: string | null;
	claimed_at: string | null;
	finished_at: string | null;
	last_error: string | null;
	created_at: string;
}

export const AWARD_LEVELS = ['explorateur', 'architecte'] as const;
export type AwardLevel = (typeof AWARD_LEVELS)[number];
/** pending_coverage: earned, but the holder's school is not in a territory with an active DPCP agreement. */
export const AWARD_STATUSES = ['awarded', 'pending_coverage', 'revoked'] as const;
export type AwardStatus = (typeof AWARD_STATUSES)[number];
export const AWARD_SOURCES = ['explorateur_submission', 'architecte_validation'] as const;
export type AwardSource = (typeof AWARD_SOURCES)[number];

export interface TrainingAwardsTable {
	/** random UUID; also the public attestation id */
	id: string;
	user_id: string;
	level: AwardLevel;
	status: AwardStatus;
	/** why the award is pending, a message-key suffix such as "school_not_covered"; null when awarded */
	pending_reason: string | null;
	/** the holder's school at award time */
	school_id: string | null;
	/** when the evaluator approved ("Date d'obtention"), ISO UTC */
	awarded_at: string;
	awarded_by: string | null;
	source_type: AwardSource;
	/** the submission or validation the award came from */
	source_id: string;
	/** frozen evidence (JSON): Explorateur = the reflection questions and answers; Architecte = validated attempts */
	evidence_json: string;
	/** SHA-256 hex of evidence_json */
	evidence_hash: string;
	revoked_at: string | null;
	revoked_by: string | null;
	revocation_reason: string | null;
	/** optional free-text note of the revocation (never shown publicly; the category is) — migration 0007 */
	revocation_note?: string | null;
	created_at: string;
	updated_at: string;
}

/** Kit packs (0009): one row per activation of a pack version for a police service's schools; never edited. */
export interface PackActivationsTable {
	id: string;
	police_service_id: string;
	/** 1, 2, 3… per police service: the highest is the active one */
	version: number;
	pack_id: string;
	pack_version: string;
	activated_by: string;
	activated_at: string;
}

// --- Explorateur training (0005) ---
/** draft: being written; submitted: waiting in the evaluator queue; returned: sent back for revision with a
 * comment (the learner edits a new version); approved: award created; rejected: closed with a reason. */
export const SUBMISSION_STATUSES = ['draft', 'submitted', 'returned', 'approved', 'rejected'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];
export const REVIEW_DECISIONS = ['approved', 'returned', 'rejected'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export interface TrainingModuleReadsTable {
	user_id: string;
	module_id: string;
	course_version: string;
	read_at: string;
}

export interface TrainingQuizAttemptsTable {
	id: string;
	user_id: string;
	quiz_version: string;
	/** JSON object question id → chosen option id */
	answers_json: string;
	score: number;
	total: number;
	/** 0/1 */
	passed: number;
	created_at: string;
}

export interface TrainingSubmissionsTable {
	id: string;
	user_id: string;
	/** the learner's school when the submission started (null for a platform learner) */
	school_id: string | null;
	status: SubmissionStatus;
	/** the latest version number (1, 2, …) */
	current_version: number;
	/** when it last entered the queue (null while never submitted) */
	submitted_at: string | null;
	reviewed_at: string | null;
	award_id: string | null;
	created_at: string;
	updated_at: string;
}

// ---------------------------------------------------------------------------------------------------------
// Attestations (proof pages, member profiles): the holder's choices. See docs/decisions/013-*.md.

/** One row per award whose holder changed a setting; no row = private page, every answer shown when published. */
export interface AttestationSettingsTable {
	award_id: string;
	/** 0/1: the proof page is visible to anyone with its address */
	is_public: number;
	/** JSON array of evidence keys the holder hides on the public page */
	hidden_answers: string;
	updated_at: string;
	updated_by: string | null;
}

/** A person's public profile (opt-in). */
export interface MemberProfilesTable {
	user_id: string;
	/** 128-bit random, base64url: the address /membres/<public_id>; never the user id */
	public_id: string;
	/** 0/1 */
	is_public: number;
	/** the name shown publicly; null = users.display_name */
	display_name: string | null;
	/** 0/1: show the person's school on the profile */
	show_school: number;
	created_at: string;
	updated_at: string;
}

export interface TrainingSubmissionVersionsTable {
	id: string;
	submission_id: string;
	version: number;
	/** JSON object reflection key → answer text */
	answers_json: string;
	created_at: string;
	saved_at: string;
	submitted_at: string | null;
}

export interface TrainingReviewsTable {
	id: string;
	submission_id: string;
	version: number;
	reviewer_id: string;
	decision: ReviewDecision;
	/** the comment (returned), the reason (rejected) or an optional note (approved) */
	comment: string | null;
	created_at: string;
}

// --- Architecte training (0006) ---
export const ATTEMPT_STATUSES = ['in_progress', 'passed', 'failed'] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

/** One play of an Architecte case (every attempt kept; retries add rows). */
export interface TrainingArchitecteAttemptsTable {
	id: string;
	user_id: string;
	/** the case file played, exact version (content/training/cases/<case_id>/<case_version>.json) */
	case_id: string;
	case_version: string;
	status: AttemptStatus;
	/** current scene (the ending once finished) */
	scene_id: string;
	/** choices recorded so far */
	step_count: number;
	score: number;
	max_score: number;
	pass_score: number;
	/** JSON array of critical error ids */
	critical_errors: string;
	started_at: string;
	updated_at: string;
	finished_at: string | null;
}

/** One choice of an attempt, with its time. */
export interface TrainingArchitecteChoicesTable {
	id: string;
	attempt_id: string;
	/** 1, 2, 3… in the order played */
	seq: number;
	scene_id: string;
	choice_id: string;
	points: number;
	/** JSON array of the critical error ids this choice made */
	critical_errors: string;
	chosen_at: string;
}

/** A trainer-evaluator's validation of an Architecte award. */
export interface TrainingArchitecteValidationsTable {
	id: string;
	award_id: string;
	user_id: string;
	validated_by: string;
	validated_at: string;
}

// --- Badge credentials (0007) ---
/** Bitstring Status Lists (revocation); each holds `size` bits (≥ 131,072). */
export interface CredentialStatusListsTable {
	id: string;
	purpose: 'revocation';
	size: number;
	next_index: number;
	created_at: string;
}

/** Signed OpenBadgeCredentials as issued; a renewal supersedes the previous one. */
export interface CredentialsTable {
	/** random UUID; the credential id is urn:uuid:<id> */
	id: string;
	award_id: string;
	status_list_id: string;
	status_index: number;
	verification_method: string;
	valid_from: string;
	valid_until: string | null;
	/** the signed credential, JSON text */
	document: string;
	superseded_at: string | null;
	created_at: string;
}

export interface Database {
	territories: TerritoriesTable;
	police_services: PoliceServicesTable;
	agreements: AgreementsTable;
	schools: SchoolsTable;
	users: UsersTable;
	memberships: MembershipsTable;
	sessions: SessionsTable;
	invitations: InvitationsTable;
	password_resets: PasswordResetsTable;
	login_attempts: LoginAttemptsTable;
	audit_log: AuditLogTable;
	audit_pending: AuditPendingTable;
	registry_history: RegistryHistoryTable;
	incidents: IncidentsTable;
	incident_answers: IncidentAnswersTable;
	incident_students: IncidentStudentsTable;
	device_custody: DeviceCustodyTable;
	incident_police_calls: IncidentPoliceCallsTable;
	incident_decisions: IncidentDecisionsTable;
	incident_followups: IncidentFollowupsTable;
	parent_notifications: ParentNotificationsTable;
	incident_addenda: IncidentAddendaTable;
	notifications: NotificationsTable;
	jobs: JobsTable;
	training_awards: TrainingAwardsTable;
	pack_activations: PackActivationsTable;
	training_module_reads: TrainingModuleReadsTable;
	training_quiz_attempts: TrainingQuizAttemptsTable;
	training_submissions: TrainingSubmissionsTable;
	training_submission_versions: TrainingSubmissionVersionsTable;
	training_reviews: TrainingReviewsTable;
	training_architecte_attempts: TrainingArchitecteAttemptsTable;
	training_architecte_choices: TrainingArchitecteChoicesTable;
	training_architecte_validations: TrainingArchitecteValidationsTable;
	credential_status_lists: CredentialStatusListsTable;
	credentials: CredentialsTable;
	attestation_settings: AttestationSettingsTable;
	member_profiles: MemberProfilesTable;
}
