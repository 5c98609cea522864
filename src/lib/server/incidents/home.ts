/**
 * What the kit's home (/incidents) shows one person, decided by the policy:
 *
 *   intakeSchools(ctx, actor) → IntakeSchool[]
 *     The schools where the actor may open a case (`incident:open`), each with whether it is covered today by
 *     an active DPCP agreement and the numbers of its police service — an uncovered school cannot use the
 *     kit, so the screen explains why and gives 911 / the police service instead. No case data: not audited.
 *
 *   kitHome(ctx, actor, input, meta) → { schools, lists }: both of the below, reading the actor's schools once.
 *
 *   incidentLists(ctx, actor, { schoolId?, status?, orientation?, page? }, meta) → IncidentLists
 *     The lists that apply: "my cases" (a responder), the school's cases with filters (a principal, one school
 *     at a time: `schoolId`, else the first), the hand-offs received (police liaison, DPCP prosecutor). Each
 *     list is read through lists.ts (audited there). Invalid filters come back as `schoolErrors`.
 */
import type { RequestMeta } from '../context';
import { can, type Actor, type Place } from '../policy';
import { policeServiceCovered } from '../territories/coverage';
import { registryCached } from '../cache/registry-cache';
import type { FieldErrors } from '../../forms';
import { listHandoffs, listMyIncidents, schoolList, type IncidentPage } from './lists';
import type { KitContext } from './types';

export interface IntakeSchool {
	id: string;
	name: string;
	covered: boolean;
	policeService: { nameFr: string; nameEn: string; emergencyPhone: string | null; kitContact: string | null };
}

interface ActorSchool {
	id: string;
	name: string;
	place: Place;
	policeService: IntakeSchool['policeService'];
}

/**
 * The actor's schools (school-scoped grants), in grant order, with their place and their police service's numbers.
 * The place — what the policy decides on — comes with the grants (read by the session query, never a copy); the
 * names and numbers shown are registry data, from this server's registry copy (ADR 014). Without places on the
 * actor (a caller that loaded grants only), one query reads both.
 */
async function schoolPlaces(ctx: KitContext, actor: Actor): Promise<ActorSchool[]> {
	const ids = [...new Set(actor.grants.filter((g) => g.scopeType === 'school' && g.scopeId).map((g) => g.scopeId!))];
	if (ids.length === 0) return [];
	const known = actor.schoolPlaces;
	if (known && ids.every((id) => known.has(id))) {
		const shown = await Promise.all(ids.map((id) => registryCached(ctx, `school-display:${id}`, () => schoolDisplay(ctx, [id]).then((rows) => rows[0] ?? null))));
		// A copy that disagrees with the fresh place (the school moved to another police service less than the
		// copy's TTL ago, on another server) is not used: the query below reads both again.
		if (shown.every((d, i) => d && d.police_service_id === known.get(ids[i]!)!.policeServiceId)) return ids.map((id, i) => actorSchool(id, shown[i]!, known.get(id)!));
	}
	const byId = new Map((await schoolDisplay(ctx, ids)).map((r) => [r.id, r]));
	return ids.flatMap((id) => {
		const r = byId.get(id);
		return r ? [actorSchool(id, r, { schoolId: r.id, policeServiceId: r.police_service_id, territoryId: r.territory_id })] : [];
	});
}

function schoolDisplay(ctx: KitContext, ids: string[]) {
	return ctx.db
		.selectFrom('schools')
		.innerJoin('police_services', 'police_services.id', 'schools.police_service_id')
		.select(['schools.id', 'schools.name', 'schools.police_service_id', 'police_services.territory_id', 'police_services.name_fr', 'police_services.name_en', 'police_services.emergency_phone', 'police_services.kit_contact'])
		.where('schools.id', 'in', ids)
		.execute();
}

type SchoolDisplay = Awaited<ReturnType<typeof schoolDisplay>>[number];

function actorSchool(id: string, r: SchoolDisplay, place: Place): ActorSchool {
	return { id, name: r.name, place, policeService: { nameFr: r.name_fr, nameEn: r.name_en, emergencyPhone: r.emergency_phone, kitContact: r.kit_contact } };
}

export async function intakeSchools(ctx: KitContext, actor: Actor, places?: Promise<ActorSchool[]>): Promise<IntakeSchool[]> {
	const schools = (await (places ?? schoolPlaces(ctx, actor))).filter((s) => can(actor, 'incident:open', s.place));
	if (schools.length === 0) return [];
	// Coverage here only explains the screen (the intake refuses an uncovered school through assertSchoolCovered,
	// which reads the database): it comes from this server's registry copy (ADR 014), one per police service.
	const covered = (s: ActorSchool) => registryCached(ctx, `police-service-covered:${s.place.policeServiceId}`, () => policeServiceCovered(ctx.db, s.place.policeServiceId!, ctx.now()));
	return Promise.all(schools.map(async (s) => ({ id: s.id, name: s.name, covered: await covered(s), policeService: s.policeService })));
}

/** The kit's home in one go: the intake schools and the lists, reading the actor's schools once. */
export async function kitHome(ctx: KitContext, actor: Actor, input: IncidentListsInput, meta: RequestMeta): Promise<{ schools: IntakeSchool[]; lists: IncidentLists }> {
	const places = schoolPlaces(ctx, actor);
	const [schools, lists] = await Promise.all([intakeSchools(ctx, actor, places), incidentLists(ctx, actor, input, meta, places)]);
	return { schools, lists };
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

export async function incidentLists(ctx: KitContext, actor: Actor, input: IncidentListsInput, meta: RequestMeta, actorSchools?: Promise<ActorSchool[]>): Promise<IncidentLists> {
	const places = await (actorSchools ?? schoolPlaces(ctx, actor));
	const page = input.page;

	const responder = actor.grants.some((g) => g.role === 'responder' && g.scopeType === 'school' && g.scopeId);
	const mine = responder ? await listMyIncidents(ctx, actor, { page }, meta) : null;

	let school: IncidentLists['school'] = null;
	const principalOf = places.filter((p) => can(actor, 'incident:list_school', p.place));
	if (principalOf.length > 0) {
		const schools = principalOf.map((p) => ({ id: p.id, name: p.name }));
		const chosen = principalOf.find((s) => s.id === input.schoolId) ?? principalOf[0]!;
		const schoolId = chosen.id;
		const r = await schoolList(ctx, actor, chosen.place, { schoolId, status: input.status || null, orientation: input.orientation || null, page }, meta);
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
