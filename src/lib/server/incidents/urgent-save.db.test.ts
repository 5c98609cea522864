/**
 * A red flag or a sign of malice never waits for the rest of a checklist (save-step-answers.ts): a step whose
 * only problems are unanswered required questions is saved when its answers already say "stop and call",
 * and refused as before otherwise. Runs on the database suites' harness (TEST_DB=sqlite|postgres).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIncident, openIncident, saveStepAnswers } from './index';
import { auditRows, createTestContext, lastAuditSeq, TEST_DIALECT, type TestContext } from '../../../../tests/db/harness';
import { INTAKE, META, NO_RED_FLAGS, S1, setUpWorld, type Cast } from '../../../../tests/db/fixtures/incidents';

let ctx: TestContext;
let who: Cast;
beforeAll(async () => {
	ctx = await createTestContext();
	who = await setUpWorld(ctx);
});
afterAll(() => ctx?.close());

async function open(): Promise<string> {
	const r = await openIncident(ctx, who.responder, { schoolId: S1, intake: INTAKE }, META);
	if (!r.ok) throw new Error(JSON.stringify(r));
	return r.id;
}

describe(`saving an incomplete step that says "call now" (${TEST_DIALECT})`, () => {
	it('a single "yes" on the red flags is saved at once, the other questions left to answer', async () => {
		const id = await open();
		const seq = await lastAuditSeq(ctx);
		const r = await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'red_flags', answers: { rf_adult: 'yes' }, expectedVersion: 0 }, META);
		expect(r).toMatchObject({ ok: true, version: 1 });
		if (!r.ok) return;
		expect(r.evaluation.callNow).toBe(true);
		expect(r.evaluation.redFlags.map((f) => f.id)).toEqual(['adult_involved']);
		expect(r.incomplete).toEqual(['rf_immediate_danger', 'rf_self_harm', 'rf_coercion', 'rf_under_13', 'rf_violent', 'rf_covert', 'rf_capacity', 'rf_sexual_abuse']);
		const view = await getIncident(ctx, who.responder, { incidentId: id }, META);
		expect(view?.steps.find((s) => s.stepId === 'red_flags')).toMatchObject({ version: 1, answers: { rf_adult: 'yes' } });
		expect(view?.evaluation.progress.steps.find((s) => s.stepId === 'red_flags')).toMatchObject({ answered: 1, required: 9, complete: false });
		const saved = (await auditRows(ctx, seq)).find((a) => a.action === 'incident.step_saved');
		expect(saved?.details).toMatchObject({ stepId: 'red_flags', redFlags: 1, incomplete: 8 });
	});

	it('signs of malice in a partly answered questionnaire step are saved too (stop interviewing)', async () => {
		const id = await open();
		await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'red_flags', answers: NO_RED_FLAGS, expectedVersion: 0 }, META);
		const r = await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'sharing', answers: { shared_beyond: 'yes', consent_onward: 'no' }, expectedVersion: 0 }, META);
		expect(r).toMatchObject({ ok: true, version: 1, incomplete: ['recipients', 'recipient_count', 'share_method', 'platform'] });
		if (!r.ok) return;
		expect(r.evaluation.callNow).toBe(false);
		expect(r.evaluation.suggestion).toMatchObject({ orientation: 'likely_malicious', stopInterviewing: true, stopReasons: ['malicious_indicators'] });
	});

	it('without such a sign, a missing answer still refuses the step and writes nothing', async () => {
		const id = await open();
		const r = await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'red_flags', answers: { rf_adult: 'no' }, expectedVersion: 0 }, META);
		expect(r).toMatchObject({ ok: false, reason: 'invalid', errors: { rf_immediate_danger: { key: 'kit.answer_error.required' } } });
		const view = await getIncident(ctx, who.responder, { incidentId: id }, META);
		expect(view?.steps.find((s) => s.stepId === 'red_flags')?.version).toBe(0);
	});

	it('any other problem refuses the step even when a flag fired (an option the pack does not offer)', async () => {
		const id = await open();
		const r = await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'red_flags', answers: { rf_adult: 'yes', rf_coercion: 'peut-être' }, expectedVersion: 0 }, META);
		expect(r).toMatchObject({ ok: false, reason: 'invalid', errors: { rf_coercion: { key: 'kit.answer_error.not_an_option' } } });
	});

	it('clearing an answer on an urgent save does not keep the value stored before', async () => {
		const id = await open();
		await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'red_flags', answers: NO_RED_FLAGS, expectedVersion: 0 }, META);
		const r = await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'red_flags', answers: { rf_self_harm: 'yes' }, expectedVersion: 1 }, META);
		expect(r).toMatchObject({ ok: true, version: 2 });
		const view = await getIncident(ctx, who.responder, { incidentId: id }, META);
		expect(view?.steps.find((s) => s.stepId === 'red_flags')?.answers).toEqual({ rf_self_harm: 'yes' });
	});
});
