/**
 * finishCaseWrite: a case write's own change, the case's new revision and its audit row are one unit. On
 * PostgreSQL they go out as one statement (data-modifying CTEs beside sexto_audit_append); on SQLite in order.
 * Both: what was written is counted, and a rollback keeps none of the three.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIncident } from '../../src/lib/server/incidents';
import { finishCaseWrite } from '../../src/lib/server/incidents/access';
import { verifyAuditChain } from '../../src/lib/server/audit/log';
import { auditRows, createTestContext, lastAuditSeq, TEST_DIALECT, type TestContext } from './harness';
import { INTAKE, META, S1, setUpWorld, type Cast } from './fixtures/incidents';

let ctx: TestContext;
let who: Cast;
let incidentId: string;
beforeAll(async () => {
	ctx = await createTestContext();
	who = await setUpWorld(ctx);
	const r = await openIncident(ctx, who.responder, { schoolId: S1, intake: INTAKE, imagesReported: 1, devicesReported: 1 }, META);
	if (!r.ok) throw new Error(JSON.stringify(r));
	incidentId = r.id;
});
afterAll(() => ctx?.close());

const caseRow = () => ctx.db.selectFrom('incidents').select(['version', 'updated_at', 'orientation']).where('id', '=', incidentId).executeTakeFirstOrThrow();
const intakeAnswers = () => ctx.db.selectFrom('incident_answers').select(['version', 'updated_at']).where('incident_id', '=', incidentId).where('step_id', '=', 'intake').executeTakeFirstOrThrow();

describe(`finishCaseWrite (${TEST_DIALECT})`, () => {
	it('writes the change, moves the revision and appends one audit row at the same instant; counts the rows written', async () => {
		const before = await caseRow();
		const answers = await intakeAnswers();
		const seq = await lastAuditSeq(ctx);
		const at = new Date(Date.parse(before.updated_at) + 60_000);
		const written = await ctx.db.transaction().execute((trx) =>
			finishCaseWrite(
				trx,
				ctx,
				who.responder,
				incidentId,
				META,
				{ action: 'incident.step_saved', details: { stepId: 'intake', version: answers.version + 1 } },
				{
					at,
					changes: { orientation: 'unclear' },
					write: trx.updateTable('incident_answers').set({ version: answers.version + 1, updated_at: at.toISOString() }).where('incident_id', '=', incidentId).where('step_id', '=', 'intake').returning('version')
				}
			)
		);
		expect(written).toBe(1);
		expect(await caseRow()).toEqual({ version: before.version + 1, updated_at: at.toISOString(), orientation: 'unclear' });
		expect(await intakeAnswers()).toEqual({ version: answers.version + 1, updated_at: at.toISOString() });
		const rows = await auditRows(ctx, seq);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ action: 'incident.step_saved', target_type: 'incident', target_id: incidentId, actor_id: who.responder.userId, outcome: 'success', at: at.toISOString() });
		expect(rows[0]!.details).toEqual({ stepId: 'intake', version: answers.version + 1 });
		expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: true });
	});

	it('counts 0 when the change matched nothing; when the caller then rolls back, none of the three is kept', async () => {
		const before = await caseRow();
		const answers = await intakeAnswers();
		const seq = await lastAuditSeq(ctx);
		const outcome = await ctx.db
			.transaction()
			.execute(async (trx) => {
				const written = await finishCaseWrite(trx, ctx, who.responder, incidentId, META, { action: 'incident.step_saved' }, {
					changes: { orientation: 'likely_malicious' },
					write: trx.updateTable('incident_answers').set({ version: 999 }).where('incident_id', '=', incidentId).where('version', '=', -1).returning('version')
				});
				throw new Error(`rolled back after writing ${written}`);
			})
			.catch((e: Error) => e.message);
		expect(outcome).toBe('rolled back after writing 0');
		expect(await caseRow()).toEqual(before);
		expect(await intakeAnswers()).toEqual(answers);
		expect(await auditRows(ctx, seq)).toEqual([]);
		expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: true });
	});

	it('without a change of its own: the revision and the audit row only', async () => {
		const before = await caseRow();
		const seq = await lastAuditSeq(ctx);
		expect(await ctx.db.transaction().execute((trx) => finishCaseWrite(trx, ctx, who.responder, incidentId, META, { action: 'incident.custody_recorded', details: { deviceRef: 'A' } }))).toBe(0);
		expect((await caseRow()).version).toBe(before.version + 1);
		expect((await auditRows(ctx, seq)).map((r) => r.action)).toEqual(['incident.custody_recorded']);
	});
});
