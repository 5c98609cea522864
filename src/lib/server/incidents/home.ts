/**
 * What the kit's home (/incidents) shows one person, decided by the policy:
 *
 *   intakeSchools(ctx, actor) → IntakeSchool[]
 *     The schools where the actor may open a case (`incident:open`), each with whether it is covered today by
 *     an active DPCP agreement and the numbers of its police service — an uncovered school cannot use the
 *     kit, so the screen explains why and gives 911 / the police service instead. No case data: not audited.
 *
 *   incidentLists(ctx, actor, { schoolId?, status?, orientation?, page? }, meta) → IncidentLists
 *     The lists that apply: "my cases" (a responder), the school's cases with filters (a principal, one school
 *     at a time: `schoolId`, else the first), the hand-offs received (police liaison, DPCP prosecutor). Each
 *     list is read through lists.ts (audited there). Invalid filters come back as `schoolErrors`.
 */
import type { RequestMeta } from '../context';
import { can, type Actor, type Place } from '../policy';
import { placeOfScope } from '../accounts/places';
import { schoolCoverage } from '../territories/coverage';
import type { FieldErrors } from '../../forms';
import { listHandoffs, listMyIncidents, listSchoolIncidents, type IncidentPage } from './lists';
import type { KitContext } from './types';

export interface IntakeSchool {
	id: string;
	name: string;
	covered: boolean;
	policeService: { nameFr: string; nameEn: string; emergencyPhone: string | null; kitContact: string | null };
}

/** The actor's schools (school-scoped grants) with their place, in grant order, without duplicates. */
async function schoolPlaces(ctx: KitContext, actor: Actor): Promise<{ id: string; place: Place }[]> {
	const ids = [...new Set(actor.grants.filter((g) => g.scopeType === 'school' && g.scopeId).map((g) => g.scopeId!))];
	const places = await Promise.all(ids.map(async (id) => ({ id, place: await placeOfScope(ctx.db, 'school', id) })));
	return places.filter((p): p is { id: string; place: Place } => p.place !== null);
}

export async function intakeSchools(ctx: KitContext, actor: Actor): Promise<IntakeSchool[]> {
	const schools = (await schoolPlaces(ctx, actor)).filter((s) => can(actor, 'incident:open', s.place));
	if (schools.length === 0) return [];
	const rows = await ctx.db
		.selectFrom('schools')
		.innerJoin('police_services', 'police_services.id', 'schools.police_service_id')
		.select(['schools.id', 'schools.name', 'police_services.name_fr', 'police_services.name_en', 'police_services.emergency_phone', 'police_services.kit_contact'])
		.where(
			'schools.id',
			'in',
			schools.map((s) => s.id)
		)
		.execute();
	const now = ctx.now();
	const out: IntakeSchool[] = [];
	for (const s of schools) {
		const row = rows.find((r) => r.id === s.id);
		if (!row) continue;
		const coverage = await schoolCoverage(ctx.db, s.id, now);
		out.push({
			id: row.id,
			name: row.name,
			covered: coverage?.covered ?? false,
			policeService: { nameFr: row.name_fr, nameEn: row.name_en, emergencyPhone: row.emergency_phone, kitContact: row.kit_contact }
		});
	}
	return out;
}

export interface IncidentListsInput {
	schoolId?: string | null;
	status?: string | null;
	orientation?: string | null;
	page?: number;
}

export interface IncidentLists {
	/** a responder's own cases (null: not a responder anywhere) */
	mine: IncidentPage | null;
	/** the principal's school list (null: principal nowhere) */
	school: { schools: { id: string; name: string }[]; schoolId: string; page: IncidentPage | null; errors: FieldErrors | null } | null;
	/** hand-offs received by the actor's police service(s) / territory(ies) (null: not police side) */
	handoffs: IncidentPage | null;
}

export async function incidentLists(ctx: KitContext, actor: Actor, input: IncidentListsInput, meta: RequestMeta): Promise<IncidentLists> {
	const places = await schoolPlaces(ctx, actor);
	const page = input.page;

	const responder = actor.grants.some((g) => g.role === 'responder' && g.scopeType === 'school' && g.scopeId);
	const mine = responder ? await listMyIncidents(ctx, actor, { page }, meta) : null;

	let school: IncidentLists['school'] = null;
	const principalOf = places.filter((p) => can(actor, 'incident:list_school', p.place));
	if (principalOf.length > 0) {
		const names = await ctx.db
			.selectFrom('schools')
			.select(['id', 'name'])
			.where(
				'id',
				'in',
				principalOf.map((p) => p.id)
			)
			.execute();
		const schools = principalOf.map((p) => ({ id: p.id, name: names.find((n) => n.id === p.id)?.name ?? '' }));
		const schoolId = schools.some((s) => s.id === input.schoolId) ? input.schoolId! : schools[0]!.id;
		const r = await listSchoolIncidents(ctx, actor, { schoolId, status: input.status || null, orientation: input.orientation || null, page }, meta);
		school = r.ok
			? { schools, schoolId, page: { items: r.items, total: r.total, page: r.page, pageSize: r.pageSize }, errors: null }
			: { schools, schoolId, page: null, errors: r.reason === 'invalid' ? r.errors : null };
	}

	const police = actor.grants.some(
		(g) =>
			(g.role === 'police_liaison' && g.scopeType === 'police_service' && g.scopeId && can(actor, 'incident:list_handoffs', { policeServiceId: g.scopeId })) ||
			(g.role === 'dpcp_prosecutor' && g.scopeType === 'territory' && g.scopeId && can(actor, 'incident:list_handoffs', { territoryId: g.scopeId }))
	);
	const handoffs = police ? await listHandoffs(ctx, actor, { page }, meta) : null;

	return { mine, school, handoffs };
}
