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
	registry_history: RegistryHistoryTable;
}
