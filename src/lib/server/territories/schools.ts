/**
 * Schools: listed and edited within the actor's scope (coordinator: schools served by its police service;
 * admin: all), each with its coverage today. CSV import is all-or-nothing in one transaction.
 */
import type { AppContext, RequestMeta } from '../context';
import { isUniqueViolation, type DbOrTrx } from '../db';
import { appendAudit } from '../audit/log';
import { newId } from '../crypto/tokens';
import { authorize, can, type Actor, type Place } from '../policy';
import type { FieldErrors } from '../../forms';
import { planSchoolImport, type ImportPlan } from '../../domain/schools-import/schools';
import { historyOf, recordHistory } from './history';
import { coverageByPoliceService } from './coverage';
import { foldForSearch } from './public-coverage';
import { invalidateRegistryCaches } from '../cache/registry-cache';

export interface SchoolInput {
	code: string;
	name: string;
	serviceCentre: string | null;
	address: string | null;
	language: 'fr' | 'en';
	policeServiceId: string;
}

export interface SchoolListItem {
	id: string;
	code: string;
	name: string;
	serviceCentre: string | null;
	language: 'fr' | 'en';
	policeServiceId: string;
	policeServiceNameFr: string;
	policeServiceNameEn: string;
	covered: boolean;
	coveredSince: string | null;
	canEdit: boolean;
}

async function placeOfPoliceService(db: DbOrTrx, policeServiceId: string): Promise<Place | null> {
	const ps = await db.selectFrom('police_services').select(['id', 'territory_id']).where('id', '=', policeServiceId).executeTakeFirst();
	return ps ? { policeServiceId: ps.id, territoryId: ps.territory_id } : null;
}

const byName = new Intl.Collator('fr');

export async function listSchools(ctx: AppContext, actor: Actor, search = ''): Promise<SchoolListItem[]> {
	const query = ctx.db
		.selectFrom('schools')
		.innerJoin('police_services', 'police_services.id', 'schools.police_service_id')
		.select(['schools.id', 'schools.code', 'schools.name', 'schools.service_centre', 'schools.language', 'schools.police_service_id', 'police_services.territory_id', 'police_services.name_fr', 'police_services.name_en']);
	const [rows, coverage] = await Promise.all([query.execute(), coverageByPoliceService(ctx.db, ctx.now())]);
	// Search and order here, the same on both dialects: SQLite's lower()/LIKE fold ASCII only ("école" did not
	// find "École"), neither dialect folds accents, and a binary collation sorts "École" after "Z".
	const needle = foldForSearch(search);
	const result: SchoolListItem[] = [];
	for (const r of rows) {
		if (needle && !foldForSearch(r.name).includes(needle) && !foldForSearch(r.code).includes(needle)) continue;
		const place: Place = { schoolId: r.id, policeServiceId: r.police_service_id, territoryId: r.territory_id };
		if (!can(actor, 'school:read', place)) continue;
		const inForce = coverage.get(r.police_service_id) ?? null;
		result.push({
			id: r.id,
			code: r.code,
			name: r.name,
			serviceCentre: r.service_centre,
			language: r.language,
			policeServiceId: r.police_service_id,
			policeServiceNameFr: r.name_fr,
			policeServiceNameEn: r.name_en,
			covered: inForce !== null,
			coveredSince: inForce?.since ?? null,
			canEdit: can(actor, 'school:manage', place)
		});
	}
	return result.sort((a, b) => byName.compare(a.name, b.name));
}

/** Police services in which the actor may create or move schools. */
export async function manageablePoliceServices(ctx: AppContext, actor: Actor) {
	const rows = await ctx.db.selectFrom('police_services').select(['id', 'code', 'name_fr', 'name_en', 'territory_id']).orderBy('name_fr').execute();
	return rows.filter((r) => can(actor, 'school:manage', { policeServiceId: r.id, territoryId: r.territory_id }));
}

export type SaveSchoolResult = { ok: true; id: string } | { ok: false; errors: FieldErrors } | { ok: false; notFound: true };

export async function saveSchool(ctx: AppContext, actor: Actor, id: string | null, input: SchoolInput, meta: RequestMeta): Promise<SaveSchoolResult> {
	const target = await placeOfPoliceService(ctx.db, input.policeServiceId);
	if (!target) return { ok: false, errors: { policeServiceId: { key: 'registry.error.unknown_police_service' } } };
	if (id) {
		const current = await ctx.db
			.selectFrom('schools')
			.innerJoin('police_services', 'police_services.id', 'schools.police_service_id')
			.select(['schools.id', 'schools.police_service_id', 'police_services.territory_id'])
			.where('schools.id', '=', id)
			.executeTakeFirst();
		// Outside the actor's territory a school "does not exist" for them.
		if (!current || !can(actor, 'school:manage', { schoolId: id, policeServiceId: current.police_service_id, territoryId: current.territory_id })) return { ok: false, notFound: true };
	}
	authorize(actor, 'school:manage', target);
	const schoolId = id ?? newId();
	const code = input.code.trim().toUpperCase();
	const now = ctx.now();
	const at = now.toISOString();
	try {
		await ctx.db.transaction().execute(async (trx) => {
			const values = { code, name: input.name, service_centre: input.serviceCentre, address: input.address, language: input.language, police_service_id: input.policeServiceId, updated_at: at };
			if (id) await trx.updateTable('schools').set(values).where('id', '=', id).execute();
			else await trx.insertInto('schools').values({ id: schoolId, created_at: at, ...values }).execute();
			const version = await recordHistory(trx, 'school', schoolId, id ? 'updated' : 'created', actor.userId, { ...input, code }, now);
			await appendAudit(trx, { actorId: actor.userId, action: id ? 'registry.updated' : 'registry.created', targetType: 'school', targetId: schoolId, outcome: 'success', ip: meta.ip, details: { version } }, now);
		});
	} catch (error) {
		if (isUniqueViolation(error)) return { ok: false, errors: { code: { key: 'registry.error.code_taken' } } };
		throw error;
	}
	invalidateRegistryCaches(ctx);
	return { ok: true, id: schoolId };
}

export type ImportOutcome = { committed: false; plan: ImportPlan } | { committed: true; count: number };

/**
 * Dry run (plan only) or commit. The importer may only use police services it manages; a commit re-plans
 * inside the transaction so a code created meanwhile cannot slip through; any problem writes nothing.
 */
export async function importSchools(ctx: AppContext, actor: Actor, text: string, byteLength: number, options: { dryRun: boolean }, meta: RequestMeta): Promise<ImportOutcome> {
	const services = await manageablePoliceServices(ctx, actor);
	if (services.length === 0) authorize(actor, 'registry:manage', null);
	const byCode = new Map(services.map((s) => [s.code, s.id]));
	const planWith = async (db: DbOrTrx) => {
		const existing = await db.selectFrom('schools').select('code').execute();
		return planSchoolImport(text, byteLength, { policeServiceCodes: new Set(byCode.keys()), existingSchoolCodes: new Set(existing.map((e) => e.code.toUpperCase())) });
	};
	const firstPlan = await planWith(ctx.db);
	if (options.dryRun || !firstPlan.ok) return { committed: false, plan: firstPlan };

	const now = ctx.now();
	const at = now.toISOString();
	try {
		return await ctx.db.transaction().execute(async (trx) => {
			const plan = await planWith(trx);
			if (!plan.ok) throw new PlanChanged(plan);
			const schools = plan.rows.map((r) => ({ id: newId(), code: r.code, name: r.name, service_centre: r.serviceCentre, address: r.address, language: r.language, police_service_id: byCode.get(r.policeServiceCode)!, created_at: at, updated_at: at }));
			for (let i = 0; i < schools.length; i += 500) {
				const chunk = schools.slice(i, i + 500);
				await trx.insertInto('schools').values(chunk).execute();
				await trx
					.insertInto('registry_history')
					.values(chunk.map((s) => ({ id: newId(), entity_type: 'school' as const, entity_id: s.id, version: 1, change: 'created' as const, changed_at: at, changed_by: actor.userId, snapshot: JSON.stringify({ code: s.code, name: s.name, serviceCentre: s.service_centre, address: s.address, language: s.language, policeServiceId: s.police_service_id, source: 'csv' }) })))
					.execute();
			}
			await appendAudit(trx, { actorId: actor.userId, action: 'schools.imported', targetType: 'school', targetId: null, outcome: 'success', ip: meta.ip, details: { count: schools.length } }, now);
			return { committed: true as const, count: schools.length };
		}).then((outcome) => {
			invalidateRegistryCaches(ctx);
			return outcome;
		});
	} catch (error) {
		if (error instanceof PlanChanged) return { committed: false, plan: error.plan };
		// A school saved meanwhile took one of the codes: answer with the plan that now shows it.
		if (isUniqueViolation(error)) return { committed: false, plan: await planWith(ctx.db) };
		throw error;
	}
}

class PlanChanged extends Error {
	constructor(public readonly plan: ImportPlan) {
		super('plan changed');
	}
}

/** One school with its history, for an actor who may manage it; null when outside their scope. */
export async function schoolDetail(ctx: AppContext, actor: Actor, id: string) {
	const row = await ctx.db
		.selectFrom('schools')
		.innerJoin('police_services', 'police_services.id', 'schools.police_service_id')
		.selectAll('schools')
		.select('police_services.territory_id')
		.where('schools.id', '=', id)
		.executeTakeFirst();
	if (!row || !can(actor, 'school:manage', { schoolId: row.id, policeServiceId: row.police_service_id, territoryId: row.territory_id })) return null;
	const { territory_id: _t, ...school } = row;
	return { school, history: await historyOf(ctx.db, 'school', id) };
}
