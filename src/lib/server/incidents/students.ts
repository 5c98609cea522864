/**
 * Step 3 of the kit: the students of a case, each with their own roles.
 *
 *   addStudent(ctx, actor, { incidentId, student }, meta)                          → { ok, studentId, version: 1 }
 *   updateStudent(ctx, actor, { incidentId, studentId, student, expectedVersion }, meta)
 *                                                                                 → { ok, version } | conflict (current student)
 *   findStudentsByName(ctx, actor, { schoolId, name }, meta)                       → { ok, matches }
 *
 * Rules:
 *   - roles belong to one student: at least one, each from STUDENT_ROLES (`kit.error.roles_required`,
 *     `kit.error.unknown_role`); a save writes exactly the roles posted for that student, never another's;
 *   - the name and the date of birth are encrypted (AES-256-GCM); `name_bidx` (HMAC of the normalised name)
 *     allows exact-match search without storing the name; when a date of birth is given, the stored `age` is
 *     the age at T0 computed from it (an `age` typed alongside is ignored);
 *   - updates use the student's version (optimistic concurrency): a stale save returns `conflict` with the
 *     student as stored now, and nothing is overwritten;
 *   - search is exact (case, accents and spaces folded) within one school, and returns only cases the actor
 *     may read, without names (the searcher typed it). Each search is audited once, without the name.
 * Policy `incident:edit` for writes.
 */
import type { RequestMeta } from '../context';
import { STUDENT_ROLES, type StudentRole } from '../db/schema';
import { can, type Actor } from '../policy';
import { newId } from '../crypto/tokens';
import { ageOn, caseReference } from '../../domain/incidents/case';
import { accessOf, auditCase, auditRead, finishCaseWrite, writeCase, type IncidentRow } from './access';
import { invalid, type CaseWriteRefusal, type Conflict, type Invalid, type KitContext } from './types';
import { Check, looksLikeId } from './validate';
import type { FieldCipher } from '../crypto/fields';
import type { IncidentStudentsTable } from '../db/schema';
import type { Selectable } from 'kysely';
import { onFirstRead } from './lazy';

export const NAME_MAX = 200;
export const GRADE_MAX = 40;

export interface StudentInput {
	/** full name as the school knows it (encrypted at rest) */
	name: string;
	/** "YYYY-MM-DD" (encrypted at rest), optional */
	dateOfBirth?: string | null;
	/** age in years when no date of birth is known */
	age?: number | string | null;
	/** e.g. "Secondaire 3" */
	grade?: string | null;
	/** this student's roles (STUDENT_ROLES), at least one; a single string is accepted from a form */
	roles: readonly string[] | string;
}

export interface StudentView {
	id: string;
	name: string;
	dateOfBirth: string | null;
	/** age at T0 (from the date of birth when known) */
	age: number | null;
	grade: string | null;
	roles: StudentRole[];
	version: number;
	createdAt: string;
	updatedAt: string;
}

/** The name and date of birth are decrypted on first read: most screens of a case never show them. */
export function studentView(cipher: FieldCipher, r: Selectable<IncidentStudentsTable>): StudentView {
	const name = onFirstRead(() => cipher.decrypt(r.name_enc));
	const dateOfBirth = onFirstRead(() => cipher.decryptOptional(r.dob_enc));
	return {
		id: r.id,
		get name() {
			return name();
		},
		get dateOfBirth() {
			return dateOfBirth();
		},
		age: r.age,
		grade: r.grade,
		roles: JSON.parse(r.roles) as StudentRole[],
		version: r.version,
		createdAt: r.created_at,
		updatedAt: r.updated_at
	};
}

interface CheckedStudent {
	name: string;
	dateOfBirth: string | null;
	age: number | null;
	grade: string | null;
	roles: StudentRole[];
}

/** Validates one student against the case (age at its T0). */
export function checkStudent(input: StudentInput, row: Pick<IncidentRow, 't0'>, now: Date): CheckedStudent | Invalid {
	const check = new Check(now);
	const name = check.text('name', input?.name, { required: true, max: NAME_MAX });
	const dateOfBirth = check.day('dateOfBirth', input?.dateOfBirth);
	const typedAge = check.integer('age', input?.age, { min: 3, max: 30 });
	const grade = check.text('grade', input?.grade, { max: GRADE_MAX });
	const roles = checkRoles(check, input?.roles);
	let age = typedAge;
	if (dateOfBirth) {
		age = ageOn(dateOfBirth, new Date(row.t0));
		if (age === null || age < 3 || age > 30) check.fail('dateOfBirth', 'kit.error.out_of_range', { min: 3, max: 30 });
	}
	if (!check.ok || !name) return check.result();
	return { name, dateOfBirth, age, grade, roles };
}

function checkRoles(check: Check, raw: unknown): StudentRole[] {
	const list = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : [];
	const chosen = new Set(list.map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== ''));
	if (chosen.size === 0) {
		check.fail('roles', 'kit.error.roles_required');
		return [];
	}
	if (![...chosen].every((r) => (STUDENT_ROLES as readonly unknown[]).includes(r))) {
		check.fail('roles', 'kit.error.unknown_role');
		return [];
	}
	// List order, no duplicates: the same choice always stores the same value.
	return STUDENT_ROLES.filter((r) => chosen.has(r));
}

export type AddStudentResult = { ok: true; studentId: string; version: number } | CaseWriteRefusal;

export async function addStudent(ctx: KitContext, actor: Actor, input: { incidentId: string; student: StudentInput }, meta: RequestMeta): Promise<AddStudentResult> {
	return writeCase(ctx, actor, input.incidentId, meta, { action: 'incident:edit', audit: 'incident.student_added' }, async (trx, { row }) => {
		const now = ctx.now();
		const s = checkStudent(input.student, row, now);
		if ('ok' in s) return s;
		const id = newId();
		const at = now.toISOString();
		await trx
			.insertInto('incident_students')
			.values({
				id,
				incident_id: row.id,
				name_enc: ctx.cipher.encrypt(s.name),
				name_bidx: ctx.cipher.blindIndex(s.name),
				dob_enc: ctx.cipher.encryptOptional(s.dateOfBirth),
				age: s.age,
				grade: s.grade,
				roles: JSON.stringify(s.roles),
				version: 1,
				created_by: actor.userId,
				created_at: at,
				updated_at: at
			})
			.execute();
		await finishCaseWrite(trx, ctx, actor, row.id, meta, { action: 'incident.student_added', details: { studentId: id, roles: s.roles.join(',') } }, { at: now });
		return { ok: true as const, studentId: id, version: 1 };
	});
}

export interface UpdateStudentInput {
	incidentId: string;
	studentId: string;
	student: StudentInput;
	/** the student version the screen was built from */
	expectedVersion: number;
}

export type UpdateStudentResult = { ok: true; version: number } | Conflict<StudentView> | CaseWriteRefusal;

export async function updateStudent(ctx: KitContext, actor: Actor, input: UpdateStudentInput, meta: RequestMeta): Promise<UpdateStudentResult> {
	return writeCase(ctx, actor, input.incidentId, meta, { action: 'incident:edit', audit: 'incident.student_updated' }, async (trx, { row }) => {
		const current = looksLikeId(input.studentId)
			? await trx.selectFrom('incident_students').selectAll().where('id', '=', input.studentId).where('incident_id', '=', row.id).executeTakeFirst()
			: undefined;
		if (!current) return invalid({ studentId: { key: 'kit.error.unknown_student' } });
		if (input.expectedVersion !== current.version) {
			await auditCase(trx, ctx, actor, 'incident.edit_conflict', row.id, meta, { kind: 'student', studentId: current.id, expectedVersion: Number(input.expectedVersion) || 0, currentVersion: current.version });
			return { ok: false as const, reason: 'conflict' as const, current: studentView(ctx.cipher, current) };
		}
		const now = ctx.now();
		const s = checkStudent(input.student, row, now);
		if ('ok' in s) return s;
		const version = current.version + 1;
		const updated = await trx
			.updateTable('incident_students')
			.set({
				name_enc: ctx.cipher.encrypt(s.name),
				name_bidx: ctx.cipher.blindIndex(s.name),
				dob_enc: ctx.cipher.encryptOptional(s.dateOfBirth),
				age: s.age,
				grade: s.grade,
				roles: JSON.stringify(s.roles),
				version,
				updated_at: now.toISOString()
			})
			.where('id', '=', current.id)
			.where('version', '=', current.version)
			.executeTakeFirst();
		if (Number(updated.numUpdatedRows) !== 1) throw new Error('student version moved under a row lock');
		await finishCaseWrite(trx, ctx, actor, row.id, meta, { action: 'incident.student_updated', details: { studentId: current.id, version, roles: s.roles.join(',') } }, { at: now });
		return { ok: true as const, version };
	});
}

export interface StudentMatch {
	incidentId: string;
	reference: string;
	studentId: string;
	roles: StudentRole[];
	status: IncidentRow['status'];
	t0: string;
}

export async function findStudentsByName(ctx: KitContext, actor: Actor, input: { schoolId: string; name: string }, meta: RequestMeta): Promise<{ ok: true; matches: StudentMatch[] } | Invalid> {
	const check = new Check(ctx.now());
	const schoolId = check.id('schoolId', input.schoolId, { required: true });
	const name = check.text('name', input.name, { required: true, max: NAME_MAX });
	if (!check.ok || !schoolId || !name) return check.result();
	const rows = await ctx.db
		.selectFrom('incident_students')
		.innerJoin('incidents', 'incidents.id', 'incident_students.incident_id')
		.innerJoin('schools', 'schools.id', 'incidents.school_id')
		.innerJoin('police_services', 'police_services.id', 'schools.police_service_id')
		.select([
			'incident_students.id as student_id',
			'incident_students.roles',
			'incidents.id',
			'incidents.school_id',
			'incidents.opened_by',
			'incidents.assigned_to',
			'incidents.handed_off_at',
			'incidents.status',
			'incidents.t0',
			'incidents.created_at',
			'schools.police_service_id',
			'police_services.territory_id'
		])
		.where('incident_students.name_bidx', '=', ctx.cipher.blindIndex(name))
		.where('incidents.school_id', '=', schoolId)
		.orderBy('incidents.created_at', 'desc')
		.limit(200)
		.execute();
	const matches = rows
		.filter((r) => can(actor, 'incident:read', accessOf(r, r.police_service_id, r.territory_id)))
		.map((r) => ({ incidentId: r.id, reference: caseReference(r.id, r.created_at), studentId: r.student_id, roles: JSON.parse(r.roles) as StudentRole[], status: r.status, t0: r.t0 }));
	await auditRead(ctx, actor, 'incident.student_search', { type: 'school', id: schoolId }, meta, { matches: matches.length });
	return { ok: true, matches };
}
