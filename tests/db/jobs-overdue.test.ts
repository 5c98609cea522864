/**
 * Job `incident.decision_overdue` on a real database (both dialects), with the demo data: enqueued at
 * hand-off for hand-off + 24 h (once per incident), it notifies the police liaison(s) of the serving
 * police service and the principal(s) of the school when no decision is recorded and the case is open,
 * and writes an audit row (ids and counts only). A decided or closed case gets nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Insertable } from 'kysely';
import { verifyAuditChain } from '../../src/lib/server/audit/log';
import { newId } from '../../src/lib/server/crypto/tokens';
import type { IncidentsTable } from '../../src/lib/server/db/schema';
import { DEMO_IDS } from '../../src/lib/server/db/seed/demo';
import { decisionOverdueKey, DECISION_OVERDUE_KIND, enqueueDecisionOverdue, enqueueJob, jobHandlers, runDecisionOverdue, runDueJobs } from '../../src/lib/server/jobs';
import { setLogLevel } from '../../src/lib/server/log';
import { auditRows, createTestContext, HOUR, lastAuditSeq, MINUTE, T0, userIdOf, type TestContext } from './harness';

let ctx: TestContext;
const users: Record<string, string> = {};
beforeAll(async () => {
	setLogLevel('error');
	ctx = await createTestContext();
	for (const email of ['intervenant@sexto.test', 'direction@sexto.test', 'policier@sexto.test', 'procureur@sexto.test', 'coordination@sexto.test', 'direction.lacvert@sexto.test', 'admin@sexto.test']) {
		users[email] = await userIdOf(ctx, email);
	}
});
afterAll(() => ctx?.close());
beforeEach(async () => {
	ctx.clock.set(T0);
	await ctx.db.deleteFrom('jobs').execute();
	await ctx.db.deleteFrom('notifications').execute();
});

const HANDED_OFF = new Date(T0.getTime() + 2 * HOUR);
const DUE = new Date(HANDED_OFF.getTime() + 24 * HOUR);

/** An incident row written directly (the incident services are tested elsewhere), handed off at HANDED_OFF. */
async function insertIncident(over: Partial<Insertable<IncidentsTable>> = {}): Promise<string> {
	const id = newId();
	const at = T0.toISOString();
	await ctx.db
		.insertInto('incidents')
		.values({
			id,
			school_id: DEMO_IDS.schoolCovered,
			opened_by: users['intervenant@sexto.test']!,
			assigned_to: null,
			pack_id: 'sexto-default',
			pack_version: '1.0.0',
			status: 'handed_off',
			t0: at,
			reporter_kind: 'staff',
			report_channel: 'in_person',
			summary_enc: ctx.cipher.encrypt('Une photo intime d’une élève de 3e secondaire circule dans un groupe de discussion.'),
			images_reported: 1,
			devices_reported: 2,
			orientation: 'likely_impulsive',
			police_called_at: new Date(T0.getTime() + HOUR).toISOString(),
			handed_off_at: HANDED_OFF.toISOString(),
			decision: null,
			decided_at: null,
			closed_at: null,
			closure_reason: null,
			created_at: at,
			updated_at: at,
			...over
		})
		.execute();
	return id;
}

async function notificationsOf(incidentId: string) {
	return ctx.db.selectFrom('notifications').selectAll().where('incident_id', '=', incidentId).orderBy('user_id').execute();
}

const sorted = (ids: string[]) => [...ids].sort();

describe('enqueueDecisionOverdue', () => {
	it('schedules one job at hand-off + 24 h, keyed by the incident; a second hand-off submit is a no-op', async () => {
		const incidentId = await insertIncident();
		const first = await ctx.db.transaction().execute((trx) => enqueueDecisionOverdue(trx, incidentId, HANDED_OFF.toISOString()));
		const second = await ctx.db.transaction().execute((trx) => enqueueDecisionOverdue(trx, incidentId, new Date(HANDED_OFF.getTime() + MINUTE)));
		expect(first.created).toBe(true);
		expect(second).toEqual({ id: first.id, created: false });
		const rows = await ctx.db.selectFrom('jobs').selectAll().execute();
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ kind: DECISION_OVERDUE_KIND, dedupe_key: decisionOverdueKey(incidentId), run_at: DUE.toISOString(), status: 'pending', created_at: HANDED_OFF.toISOString() });
		expect(rows[0]!.dedupe_key).toBe(`decision_overdue:${incidentId}`);
		expect(JSON.parse(rows[0]!.payload)).toEqual({ incidentId });
	});
});

describe('the overdue handler', () => {
	it('no decision after 24 h: the police liaison and the principal are notified, and it is audited', async () => {
		const incidentId = await insertIncident();
		await ctx.db.transaction().execute((trx) => enqueueDecisionOverdue(trx, incidentId, HANDED_OFF));

		ctx.clock.set(new Date(DUE.getTime() - MINUTE));
		expect(await runDueJobs(ctx, jobHandlers, { workerId: 'w1' })).toMatchObject({ claimed: 0 });
		expect(await notificationsOf(incidentId)).toEqual([]);

		ctx.clock.set(DUE);
		const before = await lastAuditSeq(ctx);
		expect(await runDueJobs(ctx, jobHandlers, { workerId: 'w1' })).toMatchObject({ claimed: 1, done: 1, failed: 0, retried: 0 });

		const notes = await notificationsOf(incidentId);
		expect(sorted(notes.map((n) => n.user_id))).toEqual(sorted([users['policier@sexto.test']!, users['direction@sexto.test']!]));
		for (const n of notes) expect(n).toMatchObject({ kind: 'incident.decision_overdue', incident_id: incidentId, created_at: DUE.toISOString(), read_at: null });

		const audit = await auditRows(ctx, before);
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ action: 'incident.decision_overdue', actor_id: null, target_type: 'incident', target_id: incidentId, outcome: 'success', at: DUE.toISOString() });
		expect(audit[0]!.details).toMatchObject({ notified: 2, schoolId: DEMO_IDS.schoolCovered, policeServiceId: DEMO_IDS.policeCovered, handedOffAt: HANDED_OFF.toISOString() });
		// ids and counts only: no names, emails or case text
		const text = JSON.stringify(audit[0]);
		for (const word of ['@', 'Gagnon', 'Pouliot', 'photo', 'élève']) expect(text).not.toContain(word);
		expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: true });

		const job = await ctx.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
		expect(job).toMatchObject({ status: 'done', last_error: null });
		// nothing more later
		ctx.clock.set(new Date(DUE.getTime() + 48 * HOUR));
		expect(await runDueJobs(ctx, jobHandlers, { workerId: 'w1' })).toMatchObject({ claimed: 0 });
		expect(await notificationsOf(incidentId)).toHaveLength(2);
	});

	it('a decision recorded in time: nobody is notified and nothing is audited', async () => {
		const incidentId = await insertIncident({ decision: 'impulsive', decided_at: new Date(HANDED_OFF.getTime() + 5 * HOUR).toISOString() });
		await ctx.db
			.insertInto('incident_decisions')
			.values({ id: newId(), incident_id: incidentId, decision: 'impulsive', decided_on: '2026-03-02', conditions_enc: null, entered_by: users['policier@sexto.test']!, entered_at: new Date(HANDED_OFF.getTime() + 5 * HOUR).toISOString() })
			.execute();
		await ctx.db.transaction().execute((trx) => enqueueDecisionOverdue(trx, incidentId, HANDED_OFF));
		ctx.clock.set(DUE);
		const before = await lastAuditSeq(ctx);
		expect(await runDueJobs(ctx, jobHandlers, { workerId: 'w1' })).toMatchObject({ claimed: 1, done: 1 });
		expect(await notificationsOf(incidentId)).toEqual([]);
		expect(await lastAuditSeq(ctx)).toBe(before);
	});

	it('a decision row alone (cached column not yet set) also counts as decided', async () => {
		const incidentId = await insertIncident();
		await ctx.db
			.insertInto('incident_decisions')
			.values({ id: newId(), incident_id: incidentId, decision: 'malicious', decided_on: '2026-03-02', conditions_enc: null, entered_by: users['policier@sexto.test']!, entered_at: HANDED_OFF.toISOString() })
			.execute();
		const r = await ctx.db.transaction().execute((trx) => runDecisionOverdue(trx, incidentId, DUE));
		expect(r).toEqual({ outcome: 'decided', notified: 0 });
	});

	it('a closed case: nobody is notified', async () => {
		const incidentId = await insertIncident({ status: 'closed', closed_at: new Date(HANDED_OFF.getTime() + HOUR).toISOString(), closure_reason: 'unfounded' });
		await ctx.db.transaction().execute((trx) => enqueueDecisionOverdue(trx, incidentId, HANDED_OFF));
		ctx.clock.set(DUE);
		expect(await runDueJobs(ctx, jobHandlers, { workerId: 'w1' })).toMatchObject({ claimed: 1, done: 1 });
		expect(await notificationsOf(incidentId)).toEqual([]);
	});

	it('only the serving service’s liaisons (active accounts) and the school’s principals; never other roles or other schools', async () => {
		// a second liaison of the same service, a disabled one, and a liaison of another service
		const extra = async (email: string, role: 'police_liaison' | 'principal', scopeType: 'police_service' | 'school', scopeId: string, disabled = false) => {
			const id = newId();
			await ctx.db.insertInto('users').values({ id, email, display_name: email, password_hash: null, locale: 'fr', created_at: T0.toISOString(), disabled_at: disabled ? T0.toISOString() : null }).execute();
			await ctx.db.insertInto('memberships').values({ id: newId(), user_id: id, role, scope_type: scopeType, scope_id: scopeId, created_at: T0.toISOString(), created_by: null }).execute();
			return id;
		};
		const secondLiaison = await extra('policier2@sexto.test', 'police_liaison', 'police_service', DEMO_IDS.policeCovered);
		await extra('policier.inactif@sexto.test', 'police_liaison', 'police_service', DEMO_IDS.policeCovered, true);
		await extra('policier.lacvert@sexto.test', 'police_liaison', 'police_service', DEMO_IDS.policeOther);

		const incidentId = await insertIncident();
		const r = await ctx.db.transaction().execute((trx) => runDecisionOverdue(trx, incidentId, DUE, null));
		expect(r).toEqual({ outcome: 'notified', notified: 3 });
		expect(sorted((await notificationsOf(incidentId)).map((n) => n.user_id))).toEqual(sorted([users['policier@sexto.test']!, secondLiaison, users['direction@sexto.test']!]));

		// an incident of the other (uncovered) school would go to its own principal and service — not these people
		const otherIncident = await insertIncident({ school_id: DEMO_IDS.schoolOther });
		await ctx.db.transaction().execute((trx) => runDecisionOverdue(trx, otherIncident, DUE));
		const others = (await notificationsOf(otherIncident)).map((n) => n.user_id);
		expect(others).toContain(users['direction.lacvert@sexto.test']);
		expect(others).not.toContain(users['direction@sexto.test']);
		expect(others).not.toContain(users['policier@sexto.test']);
	});

	it('running twice (a lease that expired on a slow server) notifies each person once', async () => {
		const incidentId = await insertIncident();
		const first = await ctx.db.transaction().execute((trx) => runDecisionOverdue(trx, incidentId, DUE));
		const second = await ctx.db.transaction().execute((trx) => runDecisionOverdue(trx, incidentId, new Date(DUE.getTime() + MINUTE)));
		expect(first.notified).toBeGreaterThanOrEqual(2);
		expect(second).toEqual({ outcome: 'notified', notified: 0 });
		const notes = await notificationsOf(incidentId);
		expect(new Set(notes.map((n) => n.user_id)).size).toBe(notes.length);
	});

	it('a bad payload fails at once (no retries); a vanished incident is simply done', async () => {
		await enqueueJob(ctx.db, { kind: DECISION_OVERDUE_KIND, payload: { incidentId: 42 }, runAt: T0 });
		await enqueueJob(ctx.db, { kind: DECISION_OVERDUE_KIND, payload: { incidentId: newId() }, runAt: T0 });
		expect(await runDueJobs(ctx, jobHandlers, { workerId: 'w1' })).toMatchObject({ claimed: 2, done: 1, failed: 1, retried: 0 });
		const failed = await ctx.db.selectFrom('jobs').selectAll().where('status', '=', 'failed').executeTakeFirstOrThrow();
		expect(failed.last_error).toBe('invalid_payload');
	});
});
