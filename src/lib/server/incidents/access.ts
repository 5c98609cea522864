/**
 * How every incident service reaches a case: load the incident with its place (school → police service →
 * territory) as an `IncidentAccess`, ask the policy, then read or write in one transaction with its audit
 * row. Internal to server/incidents (the public API is in index.ts).
 *
 * Refusal order, the same for every write:
 *   1. the case does not exist, or the actor may not read it  → `not_found` (existence never leaks)
 *   2. the case is closed (and the action is not an addendum) → `closed`
 *   3. the policy refuses the action                          → ForbiddenError (thrown)
 * Each refusal is audited (outcome `denied`, details.reason) in its own transaction before it is returned.
 */
import { sql, type OperationNode, type Selectable } from 'kysely';
import { appendAudit, pendingAuditTail, recordAudit } from '../audit/log';
import type { AuditAction } from '../audit/events';
import type { RequestMeta } from '../context';
import { dialectOf, type DB, type DbOrTrx, type Trx } from '../db';
import { precompiled } from '../db/precompiled';
import type { IncidentsTable } from '../db/schema';
import { can, ForbiddenError, type Action, type Actor, type IncidentAccess } from '../policy';
import { packRegistry, type PackRegistry } from '../protocol/packs';
import type { ProtocolPack } from '../../domain/protocol/schema';
import { CLOSED, NOT_FOUND, type Closed, type Invalid, type KitContext, type NotFound } from './types';
import { looksLikeId } from './validate';

export type IncidentRow = Selectable<IncidentsTable>;

export interface LoadedCase {
	row: IncidentRow;
	access: IncidentAccess;
}

export function packsOf(ctx: KitContext): PackRegistry {
	return ctx.packs ?? packRegistry();
}

/** The exact pack version the case was opened with. A missing file is a deployment error, not a user error. */
export function packOf(ctx: KitContext, row: Pick<IncidentRow, 'pack_id' | 'pack_version'>): ProtocolPack {
	const pack = packsOf(ctx).get(row.pack_id, row.pack_version);
	if (!pack) throw new Error(`protocol pack ${row.pack_id}@${row.pack_version} is missing: keep every version incidents reference under content/protocol-packs/`);
	return pack;
}

export function accessOf(row: Pick<IncidentRow, 'school_id' | 'opened_by' | 'assigned_to' | 'handed_off_at' | 'status'>, policeServiceId: string, territoryId: string): IncidentAccess {
	return {
		schoolId: row.school_id,
		policeServiceId,
		territoryId,
		openedBy: row.opened_by,
		assignedTo: row.assigned_to,
		handedOff: row.handed_off_at !== null,
		closed: row.status === 'closed'
	};
}

function casePlaceQuery(db: DB, incidentId: string, lock: boolean) {
	const query = db
		.selectFrom('incidents')
		.innerJoin('schools', 'schools.id', 'incidents.school_id')
		.innerJoin('police_services', 'police_services.id', 'schools.police_service_id')
		.selectAll('incidents')
		.select(['schools.police_service_id as ps_id', 'police_services.territory_id as territory_id'])
		.where('incidents.id', '=', incidentId);
	return lock && dialectOf(db) === 'postgres' ? query.forUpdate('incidents') : query;
}

// Every write on a case starts with this query: compiled once per database handle.
const casePlace = precompiled(1, (db, incidentId: string) => casePlaceQuery(db, incidentId, false));
const casePlaceLocked = precompiled(1, (db, incidentId: string) => casePlaceQuery(db, incidentId, true));

/**
 * The incident and its place. With `lock` (a transaction of `db`), read in that transaction with the row lock on
 * PostgreSQL (writes on one case serialise); what the write reads next, in later statements, sees the last
 * committed change of the case.
 */
export async function loadCase(db: DB, incidentId: string, options: { lock?: Trx } = {}): Promise<LoadedCase | null> {
	if (!looksLikeId(incidentId)) return null;
	const query = options.lock ? casePlaceLocked(db, incidentId) : casePlace(db, incidentId);
	const found = (await (options.lock ?? db).executeQuery(query)).rows[0];
	if (!found) return null;
	const { ps_id, territory_id, ...row } = found;
	return { row, access: accessOf(row, ps_id, territory_id) };
}

/** Records a refused attempt on a case (its own short transaction: nothing else is written). */
export async function auditDenied(ctx: KitContext, actor: Actor, action: AuditAction, incidentId: string | null, reason: string, meta: RequestMeta): Promise<void> {
	await recordAudit(
		ctx.db,
		{ actorId: actor.userId, action, targetType: 'incident', targetId: incidentId && looksLikeId(incidentId) ? incidentId : null, outcome: 'denied', ip: meta.ip, details: { reason } },
		ctx.now()
	);
}

/** Appends the success row of a case action inside the caller's transaction. */
export function auditCase(trx: Trx, ctx: KitContext, actor: Actor, action: AuditAction, incidentId: string, meta: RequestMeta, details: Record<string, string | number | boolean | null> = {}): Promise<void> {
	return appendAudit(trx, { actorId: actor.userId, action, targetType: 'incident', targetId: incidentId, outcome: 'success', ip: meta.ip, details }, ctx.now());
}

/** A write of a use case handed to finishCaseWrite: built on the transaction, not executed, with a RETURNING clause. */
export interface CaseWrite {
	execute(): Promise<unknown[]>;
	toOperationNode(): OperationNode;
}

/**
 * The end of a case write: the use case's own write (`write`, optional), the case's new revision (touchCase, with
 * `changes`) and the audit row that describes them. On PostgreSQL in one statement — three data-modifying CTEs, the
 * audit row queued in `audit_pending` to join the chain at COMMIT (migration 0012) — so a save costs one round trip
 * here instead of three (each is a socket write and a wake-up of the database, the largest cost of a kit write:
 * docs/BENCHMARKS.md). All of it runs inside the caller's transaction, after its row lock, exactly as the separate
 * statements did. SQLite runs the three in order.
 * `at` (default: now) is the case's `updated_at` and the audit row's time. Returns the number of rows `write`
 * returned (0 without one).
 */
export async function finishCaseWrite(
	trx: Trx,
	ctx: KitContext,
	actor: Actor,
	incidentId: string,
	meta: RequestMeta,
	audit: { action: AuditAction; details?: Record<string, string | number | boolean | null> },
	options: { changes?: Partial<Omit<IncidentRow, 'id' | 'version'>>; write?: CaseWrite; at?: Date } = {}
): Promise<number> {
	const now = options.at ?? ctx.now();
	if (dialectOf(trx) !== 'postgres') {
		const written = options.write ? (await options.write.execute()).length : 0;
		await touchCase(trx, incidentId, now, options.changes);
		await appendAudit(trx, { actorId: actor.userId, action: audit.action, targetType: 'incident', targetId: incidentId, outcome: 'success', ip: meta.ip, details: audit.details ?? {} }, now);
		return written;
	}
	const touch = trx
		.updateTable('incidents')
		.set({ ...options.changes, version: sql<number>`version + 1`, updated_at: now.toISOString() })
		.where('id', '=', incidentId);
	const event = { actorId: actor.userId, action: audit.action, targetType: 'incident', targetId: incidentId, outcome: 'success' as const, ip: meta.ip, details: audit.details ?? {} };
	const written = options.write;
	const base = trx.with('touched', () => touch).with('audited', (qc) => qc.insertInto('audit_pending').values({ tail: pendingAuditTail(event, now) }));
	const row = written
		? await base
				.with('written', () => written as unknown as typeof touch)
				.selectNoFrom((eb) => eb.selectFrom('written').select(eb.fn.countAll<number>().as('n')).as('written'))
				.executeTakeFirstOrThrow()
		: await base.selectNoFrom(sql<number>`0`.as('written')).executeTakeFirstOrThrow();
	return Number(row.written);
}

/** Every change to a case moves its revision and `updated_at` (lists sort and screens detect staleness by them). */
export async function touchCase(trx: Trx, incidentId: string, at: Date, changes: Partial<Omit<IncidentRow, 'id' | 'version'>> = {}): Promise<void> {
	await trx
		.updateTable('incidents')
		.set({ ...changes, version: sql<number>`version + 1`, updated_at: at.toISOString() })
		.where('id', '=', incidentId)
		.execute();
}

class Refusal extends Error {
	constructor(readonly reason: 'not_found' | 'closed' | 'forbidden') {
		super(reason);
	}
}

export interface WriteSpec {
	/** the policy action asked once the case is known to be readable and (unless `onClosed`) open */
	action: Action;
	/** the audit action of this write; refusals are audited under it with outcome `denied` */
	audit: AuditAction;
	/** addenda are written on closed cases only: let the policy decide instead of refusing `closed` */
	onClosed?: 'policy';
	/** a refusal that depends on the case's state, decided before the policy (e.g. an addendum on an open case) */
	precheck?: (c: LoadedCase) => Invalid | null;
}

/**
 * Runs one write on a case: loads and locks it in a transaction, applies the refusal order above, then
 * `work` (which validates, writes and appends its audit row in the same transaction). `work` must return a
 * refusal (invalid, conflict…) only before writing anything — or throw to roll back.
 */
export async function writeCase<T>(
	ctx: KitContext,
	actor: Actor,
	incidentId: string,
	meta: RequestMeta,
	spec: WriteSpec,
	work: (trx: Trx, c: LoadedCase) => Promise<T>
): Promise<T | NotFound | Closed | Invalid> {
	try {
		return await ctx.db.transaction().execute(async (trx) => {
			const c = await loadCase(ctx.db, incidentId, { lock: trx });
			if (!c || !can(actor, 'incident:read', c.access)) throw new Refusal('not_found');
			if (c.access.closed && spec.onClosed !== 'policy') throw new Refusal('closed');
			const refused = spec.precheck?.(c);
			if (refused) return refused;
			if (!can(actor, spec.action, c.access)) throw new Refusal('forbidden');
			return work(trx, c);
		});
	} catch (error) {
		if (!(error instanceof Refusal)) throw error;
		await auditDenied(ctx, actor, spec.audit, incidentId, error.reason, meta);
		if (error.reason === 'forbidden') throw new ForbiddenError(spec.action);
		return error.reason === 'closed' ? CLOSED : NOT_FOUND;
	}
}

/** Appends a read's audit row in its own transaction (the data was read before; nothing changes): one round trip on PostgreSQL. */
export async function auditRead(ctx: KitContext, actor: Actor, action: AuditAction, target: { type: string; id: string | null }, meta: RequestMeta, details: Record<string, string | number | boolean | null> = {}): Promise<void> {
	await recordAudit(ctx.db, { actorId: actor.userId, action, targetType: target.type, targetId: target.id, outcome: 'success', ip: meta.ip, details }, ctx.now());
}

/** Display names of users, by id (opener, assignee, who entered what). */
export async function userNames(db: DbOrTrx, ids: Iterable<string | null | undefined>): Promise<Map<string, string>> {
	const unique = [...new Set([...ids].filter((id): id is string => !!id))];
	if (unique.length === 0) return new Map();
	const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', unique).execute();
	return new Map(rows.map((r) => [r.id, r.display_name]));
}
