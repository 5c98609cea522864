/**
 * The three case lists. Items carry ids, codes, dates and counts — never a student's name or any case text.
 * Each call is audited once (`incident.list_read`, with the list, page and count).
 *
 *   listMyIncidents(ctx, actor, { status?, page?, pageSize? }, meta) → IncidentPage
 *     A responder's cases: those they opened or are assigned to, at a school where they are a responder.
 *   listSchoolIncidents(ctx, actor, { schoolId, status?, orientation?, from?, to?, page?, pageSize? }, meta)
 *     → { ok: true, …IncidentPage } | not_found | invalid        (ForbiddenError unless principal of the school)
 *     Every case of one school, newest first; `from`/`to` are Québec calendar days (inclusive) on the day the
 *     case was opened; `orientation` filters on the grid's cached suggestion.
 *   listHandoffs(ctx, actor, { status?, overdueOnly?, page?, pageSize? }, meta) → IncidentPage
 *     Handed-off cases received by the actor's police service(s) (police liaison) or of its territory(ies)
 *     (DPCP prosecutor), most recent hand-off first. ForbiddenError for anyone else.
 * Paging: `page` from 1, `pageSize` 1–100 (default 25); out-of-range values are clamped.
 */
import { type ExpressionBuilder, type InferResult } from 'kysely';
import { executeRead, preparedOnPostgres } from '../db';
import type { RequestMeta } from '../context';
import type { Database, IncidentStatus } from '../db/schema';
import { INCIDENT_STATUSES } from '../db/schema';
import { can, ForbiddenError, type Actor, type Place } from '../policy';
import { placeOfScope } from '../accounts/places';
import { ORIENTATIONS, type Orientation } from '../../domain/protocol/schema';
import { parseDateTime } from '../../domain/protocol/engine';
import { isCalendarDay } from '../../domain/coverage/coverage';
import { caseReference, isDecisionOverdue } from '../../domain/incidents/case';
import { DECISION_OVERDUE_MS } from '../../domain/incidents/vocabulary';
import { recordAudit } from '../audit/log';
import { accessOf, auditRead } from './access';
import { invalid, NOT_FOUND, type Invalid, type KitContext, type NotFound } from './types';

export interface IncidentListItem {
	id: string;
	reference: string;
	schoolId: string;
	schoolName: string;
	status: IncidentStatus;
	t0: string;
	createdAt: string;
	updatedAt: string;
	/** the grid's cached suggestion (null until it has something to go on) */
	orientation: string | null;
	/** ids of the fired red flags (pack codes) */
	redFlags: string[];
	handedOffAt: string | null;
	decision: 'impulsive' | 'malicious' | null;
	closedAt: string | null;
	assignedTo: string | null;
	/** display name of the assigned responder (null when no one is assigned) */
	assigneeName: string | null;
	/** handed off more than 24 h ago without a decision */
	overdue: boolean;
}

export interface IncidentPage {
	items: IncidentListItem[];
	total: number;
	page: number;
	pageSize: number;
}

export interface Paging {
	page?: number;
	pageSize?: number;
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

function paging(p: Paging): { page: number; pageSize: number; offset: number } {
	const page = Number.isInteger(p.page) && p.page! >= 1 ? Math.min(p.page!, 100_000) : 1;
	const pageSize = Number.isInteger(p.pageSize) && p.pageSize! >= 1 ? Math.min(p.pageSize!, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
	return { page, pageSize, offset: (page - 1) * pageSize };
}

function baseQuery(ctx: KitContext) {
	return ctx.db
		.selectFrom('incidents')
		.innerJoin('schools', 'schools.id', 'incidents.school_id')
		.innerJoin('police_services', 'police_services.id', 'schools.police_service_id')
		.leftJoin('users as assignee', 'assignee.id', 'incidents.assigned_to');
}

const LIST_COLUMNS = [
	'incidents.id',
	'incidents.school_id',
	'incidents.opened_by',
	'incidents.assigned_to',
	'incidents.status',
	'incidents.t0',
	'incidents.created_at',
	'incidents.updated_at',
	'incidents.orientation',
	'incidents.red_flags',
	'incidents.handed_off_at',
	'incidents.decision',
	'incidents.closed_at',
	'schools.name as school_name',
	'schools.police_service_id',
	'police_services.territory_id',
	'assignee.display_name as assignee_name'
] as const;

type Where = (eb: ExpressionBuilder<Database & { assignee: Database['users'] }, 'incidents' | 'schools' | 'police_services' | 'assignee'>) => ReturnType<ExpressionBuilder<Database, 'incidents'>['and']>;

/**
 * One page and its total in one statement, also past the last page: a one-row count of the filter (an index-only
 * count with incidents_school_filter_idx) LEFT JOINed to the page (an ordered scan that stops after OFFSET + LIMIT
 * rows). An empty page is one row of nulls that still carries the total. (A `count(*) over ()` window made
 * PostgreSQL read every matching row, all columns, before the LIMIT; a page past the end needed a second query.)
 *
 * `named`: the filter's SQL text has a bounded number of shapes (no variable-length IN list), so it may go out as
 * a named prepared statement on PostgreSQL: planned once per connection instead of at every request.
 */
async function page(ctx: KitContext, actor: Actor, where: Where, order: 'created_at' | 'handed_off_at', p: Paging, named = false): Promise<IncidentPage> {
	const { page, pageSize, offset } = paging(p);
	const listed = baseQuery(ctx)
		.select(LIST_COLUMNS)
		.where(where)
		.orderBy(`incidents.${order}`, 'desc')
		.orderBy('incidents.id', 'desc')
		.limit(pageSize)
		.offset(offset);
	// The same joins as the page (the filter may name schools and police services; the unused LEFT JOIN on a primary
	// key is dropped by both planners).
	const counted = baseQuery(ctx)
		.select((c) => c.fn.countAll<number>().as('total'))
		.where(where);
	const query = ctx.db
		.selectFrom(counted.as('counted'))
		.leftJoin(listed.as('listed'), (join) => join.onTrue())
		.selectAll('listed')
		.select('counted.total')
		// a derived table's order is not kept by the join: ordered again (25 rows at most)
		.orderBy(`listed.${order}`, 'desc')
		.orderBy('listed.id', 'desc')
		.compile();
	if (named) preparedOnPostgres(query.sql);
	type Row = InferResult<typeof listed>[number];
	const result = await executeRead<Row & { total: number | string }>(ctx.db, query);
	const total = Number(result[0]?.total ?? 0);
	const rows = result.filter((r) => r.id !== null);
	const now = ctx.now();
	const items = rows
		// The SQL already restricts to the actor's cases; the policy has the last word on each row.
		.filter((r) => can(actor, 'incident:read', accessOf(r, r.police_service_id, r.territory_id)))
		.map(
			(r): IncidentListItem => ({
				id: r.id,
				reference: caseReference(r.id, r.created_at),
				schoolId: r.school_id,
				schoolName: r.school_name,
				status: r.status,
				t0: r.t0,
				createdAt: r.created_at,
				updatedAt: r.updated_at,
				orientation: r.orientation,
				redFlags: JSON.parse(r.red_flags) as string[],
				handedOffAt: r.handed_off_at,
				decision: r.decision,
				closedAt: r.closed_at,
				assignedTo: r.assigned_to,
				assigneeName: r.assignee_name,
				overdue: isDecisionOverdue({ handedOffAt: r.handed_off_at, decision: r.decision, closedAt: r.closed_at }, now)
			})
		);
	return { items, total, page, pageSize };
}

const statusFilter = (status: unknown): IncidentStatus | null => ((INCIDENT_STATUSES as readonly unknown[]).includes(status) ? (status as IncidentStatus) : null);

export async function listMyIncidents(ctx: KitContext, actor: Actor, input: Paging & { status?: IncidentStatus | null }, meta: RequestMeta): Promise<IncidentPage> {
	const schools = actor.grants.filter((g) => g.role === 'responder' && g.scopeType === 'school' && g.scopeId).map((g) => g.scopeId!);
	const status = statusFilter(input.status);
	const result =
		schools.length === 0
			? { items: [], total: 0, ...paging(input) }
			: await page(
					ctx,
					actor,
					(eb) =>
						eb.and([
							eb('incidents.school_id', 'in', schools),
							eb.or([eb('incidents.opened_by', '=', actor.userId), eb('incidents.assigned_to', '=', actor.userId)]),
							...(status ? [eb('incidents.status', '=', status)] : [])
						]),
					'created_at',
					input
				);
	await auditRead(ctx, actor, 'incident.list_read', { type: 'incident_list', id: null }, meta, { list: 'mine', page: result.page, count: result.items.length, total: result.total });
	return { items: result.items, total: result.total, page: result.page, pageSize: result.pageSize };
}

export interface SchoolListInput extends Paging {
	schoolId: string;
	status?: IncidentStatus | string | null;
	orientation?: Orientation | string | null;
	/** "YYYY-MM-DD", inclusive, Québec day the case was opened */
	from?: string | null;
	to?: string | null;
}

export async function listSchoolIncidents(ctx: KitContext, actor: Actor, input: SchoolListInput, meta: RequestMeta): Promise<({ ok: true } & IncidentPage) | NotFound | Invalid> {
	const place = typeof input.schoolId === 'string' ? await placeOfScope(ctx.db, 'school', input.schoolId) : null;
	if (!place) return NOT_FOUND;
	return schoolList(ctx, actor, place, input, meta);
}

/** listSchoolIncidents for a school whose place the caller has already loaded (the kit's home). */
export async function schoolList(ctx: KitContext, actor: Actor, place: Place, input: SchoolListInput, meta: RequestMeta): Promise<({ ok: true } & IncidentPage) | Invalid> {
	if (!can(actor, 'incident:list_school', place)) {
		await auditDeniedList(ctx, actor, input.schoolId, meta);
		throw new ForbiddenError('incident:list_school');
	}
	const errors: Record<string, { key: 'kit.error.not_an_option' | 'kit.error.invalid_date' }> = {};
	const status = input.status ? statusFilter(input.status) : null;
	if (input.status && !status) errors.status = { key: 'kit.error.not_an_option' };
	const orientation = input.orientation ? ((ORIENTATIONS as readonly unknown[]).includes(input.orientation) ? (input.orientation as Orientation) : null) : null;
	if (input.orientation && !orientation) errors.orientation = { key: 'kit.error.not_an_option' };
	const from = input.from ? dayStart(input.from) : null;
	if (input.from && !from) errors.from = { key: 'kit.error.invalid_date' };
	const to = input.to ? dayStart(input.to, 1) : null;
	if (input.to && !to) errors.to = { key: 'kit.error.invalid_date' };
	if (Object.keys(errors).length > 0) return invalid(errors);

	const result = await page(
		ctx,
		actor,
		(eb) =>
			eb.and([
				eb('incidents.school_id', '=', input.schoolId),
				...(status ? [eb('incidents.status', '=', status)] : []),
				...(orientation ? [eb('incidents.orientation', '=', orientation)] : []),
				...(from ? [eb('incidents.created_at', '>=', from)] : []),
				...(to ? [eb('incidents.created_at', '<', to)] : [])
			]),
		'created_at',
		input,
		true
	);
	await auditRead(ctx, actor, 'incident.list_read', { type: 'school', id: input.schoolId }, meta, {
		list: 'school',
		page: result.page,
		count: result.items.length,
		total: result.total,
		status,
		orientation,
		from: input.from ?? null,
		to: input.to ?? null
	});
	return { ok: true, ...result };
}

export async function listHandoffs(
	ctx: KitContext,
	actor: Actor,
	input: Paging & { status?: IncidentStatus | null; overdueOnly?: boolean },
	meta: RequestMeta
): Promise<IncidentPage> {
	const services = actor.grants.filter((g) => g.role === 'police_liaison' && g.scopeType === 'police_service' && g.scopeId && can(actor, 'incident:list_handoffs', { policeServiceId: g.scopeId })).map((g) => g.scopeId!);
	const territories = actor.grants.filter((g) => g.role === 'dpcp_prosecutor' && g.scopeType === 'territory' && g.scopeId && can(actor, 'incident:list_handoffs', { territoryId: g.scopeId })).map((g) => g.scopeId!);
	if (services.length === 0 && territories.length === 0) {
		await auditDeniedList(ctx, actor, null, meta);
		throw new ForbiddenError('incident:list_handoffs');
	}
	const status = statusFilter(input.status);
	const overdueBefore = new Date(ctx.now().getTime() - DECISION_OVERDUE_MS).toISOString();
	const result = await page(
		ctx,
		actor,
		(eb) =>
			eb.and([
				eb('incidents.handed_off_at', 'is not', null),
				eb.or([
					...(services.length ? [eb('schools.police_service_id', 'in', services)] : []),
					...(territories.length ? [eb('police_services.territory_id', 'in', territories)] : [])
				]),
				...(status ? [eb('incidents.status', '=', status)] : []),
				...(input.overdueOnly ? [eb('incidents.decision', 'is', null), eb('incidents.closed_at', 'is', null), eb('incidents.handed_off_at', '<', overdueBefore)] : [])
			]),
		'handed_off_at',
		input
	);
	await auditRead(ctx, actor, 'incident.list_read', { type: 'incident_list', id: null }, meta, { list: 'handoffs', page: result.page, count: result.items.length, total: result.total });
	return result;
}

async function auditDeniedList(ctx: KitContext, actor: Actor, schoolId: string | null, meta: RequestMeta): Promise<void> {
	await recordAudit(ctx.db, { actorId: actor.userId, action: 'incident.list_read', targetType: schoolId ? 'school' : 'incident_list', targetId: schoolId, outcome: 'denied', ip: meta.ip, details: { reason: 'forbidden' } }, ctx.now());
}

/** The UTC instant a Québec calendar day starts (plus `plusDays`), or null when not a day. */
export function dayStart(day: string, plusDays = 0): string | null {
	if (!isCalendarDay(day)) return null;
	const d = new Date(`${day}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + plusDays);
	return parseDateTime(`${d.toISOString().slice(0, 10)}T00:00`);
}
