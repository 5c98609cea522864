/**
 * The single place other modules ask "is this school covered today?". Incidents may be opened only in a
 * covered school (`assertSchoolCovered`); badge awards for staff of uncovered schools wait "pending coverage".
 */
import type { DbOrTrx } from '../db';
import { agreementInForce, quebecDay, type AgreementPeriod } from '../../domain/coverage/coverage';

export interface SchoolCoverage {
	schoolId: string;
	covered: boolean;
	/** effective_from of the agreement in force */
	since: string | null;
	agreementId: string | null;
	policeServiceId: string;
	policeServiceNameFr: string;
	policeServiceNameEn: string;
}

export async function agreementsOf(db: DbOrTrx, policeServiceId: string): Promise<AgreementPeriod[]> {
	const rows = await db
		.selectFrom('agreements')
		.select(['id', 'status', 'effective_from', 'effective_to'])
		.where('police_service_id', '=', policeServiceId)
		.execute();
	return rows.map((r) => ({ id: r.id, status: r.status, effectiveFrom: r.effective_from, effectiveTo: r.effective_to }));
}

/** Whether the schools of a police service are covered at `at` (one read: its agreements). */
export async function policeServiceCovered(db: DbOrTrx, policeServiceId: string, at: Date): Promise<boolean> {
	return agreementInForce(await agreementsOf(db, policeServiceId), quebecDay(at)) !== null;
}

export async function schoolCoverage(db: DbOrTrx, schoolId: string, at: Date): Promise<SchoolCoverage | null> {
	const school = await db
		.selectFrom('schools')
		.innerJoin('police_services', 'police_services.id', 'schools.police_service_id')
		.select(['schools.id', 'schools.police_service_id', 'police_services.name_fr', 'police_services.name_en'])
		.where('schools.id', '=', schoolId)
		.executeTakeFirst();
	if (!school) return null;
	const inForce = agreementInForce(await agreementsOf(db, school.police_service_id), quebecDay(at));
	return {
		schoolId,
		covered: inForce !== null,
		since: inForce?.effectiveFrom ?? null,
		agreementId: inForce?.id ?? null,
		policeServiceId: school.police_service_id,
		policeServiceNameFr: school.name_fr,
		policeServiceNameEn: school.name_en
	};
}

export class SchoolNotCoveredError extends Error {
	constructor(public readonly schoolId: string) {
		super('School is not covered by an active DPCP agreement');
		this.name = 'SchoolNotCoveredError';
	}
}

/** Throws SchoolNotCoveredError unless the school is covered at `at`. */
export async function assertSchoolCovered(db: DbOrTrx, schoolId: string, at: Date): Promise<SchoolCoverage> {
	const coverage = await schoolCoverage(db, schoolId, at);
	if (!coverage?.covered) throw new SchoolNotCoveredError(schoolId);
	return coverage;
}

/** Police services with their agreement in force today (if any); one query per table, computed in TypeScript. */
export async function coverageByPoliceService(db: DbOrTrx, at: Date): Promise<Map<string, { since: string; agreementId: string } | null>> {
	const day = quebecDay(at);
	const rows = await db.selectFrom('agreements').select(['id', 'police_service_id', 'status', 'effective_from', 'effective_to']).where('status', '=', 'active').execute();
	const byService = new Map<string, AgreementPeriod[]>();
	for (const r of rows) {
		const list = byService.get(r.police_service_id) ?? [];
		list.push({ id: r.id, status: r.status, effectiveFrom: r.effective_from, effectiveTo: r.effective_to });
		byService.set(r.police_service_id, list);
	}
	const result = new Map<string, { since: string; agreementId: string } | null>();
	for (const [serviceId, list] of byService) {
		const inForce = agreementInForce(list, day);
		result.set(serviceId, inForce ? { since: inForce.effectiveFrom, agreementId: inForce.id } : null);
	}
	return result;
}
