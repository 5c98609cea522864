/**
 * The incident services, steps 1–5 of the kit, on a real database (TEST_DB=sqlite|postgres): opening a case
 * (coverage gate, intake validated by the pack), saving kit steps (engine validation, optimistic concurrency,
 * cached red flags and orientation, pinned pack version), students and their roles, the device custody log.
 */
import { mkdtempSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../src/lib/server/policy';
import { loadPackRegistry, packRegistry, packsDirectory } from '../../src/lib/server/protocol/packs';

/** What a police service without a chosen pack opens cases with: the newest usable default pack. */
const DEFAULT_VERSION = packRegistry().defaultPack().version;
import {
	addStudent,
	findStudentsByName,
	getIncident,
	openIncident,
	recordCustodyEvent,
	saveStepAnswers,
	updateStudent,
	type CustodyEventInput,
	type KitContext
} from '../../src/lib/server/incidents';
import { verifyAuditChain } from '../../src/lib/server/audit/log';
import { auditRows, createTestContext, lastAuditSeq, MINUTE, TEST_DIALECT, type TestContext } from './harness';
import { IMPULSIVE, INTAKE, MALICIOUS_SHARING, META, NO_RED_FLAGS, S1, S1B, S2, setUpWorld, type Cast } from './fixtures/incidents';

let ctx: TestContext;
let who: Cast;
beforeAll(async () => {
	ctx = await createTestContext();
	who = await setUpWorld(ctx);
});
afterAll(() => ctx?.close());

async function open(actor = who.responder, over: Record<string, unknown> = {}): Promise<string> {
	const r = await openIncident(ctx, actor, { schoolId: S1, intake: { ...INTAKE, ...over }, imagesReported: 1, devicesReported: 2 }, META);
	if (!r.ok) throw new Error(`openIncident: ${JSON.stringify(r)}`);
	return r.id;
}

async function counts() {
	const tables = ['incidents', 'incident_answers', 'incident_students', 'device_custody', 'notifications'] as const;
	const out: Record<string, number> = {};
	for (const t of tables) {
		const row = await ctx.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		out[t] = Number(row.n);
	}
	return out;
}

describe(`openIncident (${TEST_DIALECT})`, () => {
	it('refuses a school without an active DPCP agreement (not_covered), writes nothing and audits the refusal', async () => {
		const before = await counts();
		const seq = await lastAuditSeq(ctx);
		const r = await openIncident(ctx, who.principalOther, { schoolId: S2, intake: INTAKE }, META);
		expect(r).toEqual({ ok: false, reason: 'not_covered' });
		expect(await counts()).toEqual(before);
		expect((await auditRows(ctx, seq)).map((a) => [a.action, a.outcome, a.target_type, a.target_id, a.details])).toEqual([['incident.opened', 'denied', 'school', S2, { reason: 'not_covered' }]]);
		// coverage is answered first: fixing the intake would not help
		expect(await openIncident(ctx, who.principalOther, { schoolId: S2, intake: {} }, META)).toEqual({ ok: false, reason: 'not_covered' });
	});

	it('opens a case: pack pinned, intake validated and copied, summary encrypted, counts only, status open, audited', async () => {
		const seq = await lastAuditSeq(ctx);
		const r = await openIncident(ctx, who.responder, { schoolId: S1, intake: { ...INTAKE, intake_learned_at: '2026-03-02T08:05' }, imagesReported: '1', devicesReported: 2 }, META);
		if (!r.ok) throw new Error(JSON.stringify(r));
		expect(r.reference).toMatch(/^SX-2026-[0-9A-F]{4}$/);
		const row = await ctx.db.selectFrom('incidents').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
		expect(row).toMatchObject({
			school_id: S1,
			opened_by: who.responder.userId,
			pack_id: 'sexto-default',
			pack_version: DEFAULT_VERSION,
			status: 'open',
			// datetime-local is Québec wall-clock time: 08:05 EST = 13:05 UTC
			t0: '2026-03-02T13:05:00.000Z',
			reporter_kind: 'other_student',
			report_channel: 'in_person',
			images_reported: 1,
			devices_reported: 2,
			red_flags: '[]',
			orientation: null,
			version: 1
		});
		expect(row.summary_enc).not.toContain('photo');
		expect(ctx.cipher.decrypt(row.summary_enc)).toBe(INTAKE.intake_summary);
		const answers = await ctx.db.selectFrom('incident_answers').selectAll().where('incident_id', '=', r.id).execute();
		expect(answers.map((a) => [a.step_id, a.version, JSON.parse(ctx.cipher.decrypt(a.answers_enc)).intake_content_category])).toEqual([['intake', 1, 'nude']]);
		const audit = await auditRows(ctx, seq);
		expect(audit.map((a) => [a.action, a.outcome, a.target_id, a.details])).toEqual([
			['incident.opened', 'success', r.id, { schoolId: S1, packId: 'sexto-default', packVersion: DEFAULT_VERSION, reporterKind: 'other_student', reportChannel: 'in_person' }]
		]);
	});

	it('refuses a T0 in the future, an option the pack does not offer, a missing summary and a negative count — nothing written', async () => {
		const before = await counts();
		const r = await openIncident(
			ctx,
			who.responder,
			{ schoolId: S1, intake: { ...INTAKE, intake_learned_at: new Date(ctx.now().getTime() + 60 * MINUTE).toISOString(), intake_reported_by: 'martian', intake_summary: '  ' }, imagesReported: -1 },
			META
		);
		expect(r).toEqual({
			ok: false,
			reason: 'invalid',
			errors: {
				intake_learned_at: { key: 'kit.answer_error.out_of_range' },
				intake_reported_by: { key: 'kit.answer_error.not_an_option' },
				intake_summary: { key: 'kit.answer_error.required' },
				imagesReported: { key: 'kit.error.out_of_range', params: { min: 0, max: 10_000 } }
			}
		});
		const forged = await openIncident(ctx, who.responder, { schoolId: S1, intake: { ...INTAKE, image_base64: 'iVBORw0KGgo=' } }, META);
		expect(forged).toMatchObject({ ok: false, reason: 'invalid', errors: { image_base64: { key: 'kit.answer_error.unknown_question' } } });
		expect(await counts()).toEqual(before);
	});

	it('a responder of another school, a police liaison or an admin cannot open here (ForbiddenError, audited); an unknown school is not_found', async () => {
		for (const actor of [who.principalB, who.police, who.admin, who.coordinator, who.learner]) {
			await expect(openIncident(ctx, actor, { schoolId: S1, intake: INTAKE }, META)).rejects.toBeInstanceOf(ForbiddenError);
		}
		await expect(openIncident(ctx, who.responder, { schoolId: S1B, intake: INTAKE }, META)).rejects.toBeInstanceOf(ForbiddenError);
		expect(await openIncident(ctx, who.responder, { schoolId: '00000000-0000-4000-8000-000000000000', intake: INTAKE }, META)).toEqual({ ok: false, reason: 'not_found' });
		const denied = (await auditRows(ctx)).filter((a) => a.action === 'incident.opened' && a.outcome === 'denied');
		expect(denied.filter((a) => a.details.reason === 'forbidden').length).toBe(6);
		expect(denied.filter((a) => a.details.reason === 'not_found').length).toBe(1);
	});

	it('the principal may open a case too', async () => {
		const id = await open(who.principal);
		expect((await getIncident(ctx, who.principal, { incidentId: id }, META))?.openedBy.name).toBe('Marc Gagnon');
	});
});

describe(`saveStepAnswers (${TEST_DIALECT})`, () => {
	it('saves each step encrypted with a version, and the case page shows it back with the engine evaluation', async () => {
		const id = await open();
		const r = await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'red_flags', answers: NO_RED_FLAGS, expectedVersion: 0 }, META);
		if (!r.ok) throw new Error(JSON.stringify(r));
		expect(r.version).toBe(1);
		expect(r.evaluation.callNow).toBe(false);
		expect(r.evaluation.next).toEqual({ stepId: 'sharing', questionId: 'shared_beyond' });
		for (const [stepId, answers] of Object.entries(IMPULSIVE)) {
			const s = await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId, answers, expectedVersion: 0 }, META);
			expect(s).toMatchObject({ ok: true, version: 1 });
		}
		const stored = await ctx.db.selectFrom('incident_answers').select(['step_id', 'answers_enc', 'version']).where('incident_id', '=', id).orderBy('step_id').execute();
		expect(stored.map((s) => s.step_id)).toEqual(['context', 'intake', 'intent', 'red_flags', 'sharing']);
		for (const s of stored) expect(s.answers_enc).not.toMatch(/relationship|couple|snapchat|"no"/);

		const view = await getIncident(ctx, who.responder, { incidentId: id }, META);
		expect(view?.steps.map((s) => [s.stepId, s.version])).toEqual([
			['red_flags', 1],
			['intake', 1],
			['sharing', 1],
			['context', 1],
			['intent', 1],
			['devices', 0]
		]);
		expect(view?.steps.find((s) => s.stepId === 'context')?.answers).toEqual({ origin: 'self', context: 'relationship', relationship: 'couple', age_depicted: 15, age_gap: 'similar', consent_initial: 'yes' });
		expect(view?.evaluation.suggestion.orientation).toBe('likely_impulsive');
		expect(view?.evaluation.suggestion.reasons.map((x) => x.ruleId)).toEqual(['consensual_couple_not_shared', 'self_sent_not_shared']);
		expect(view?.evaluation.next).toEqual({ stepId: 'devices', questionId: 'devices_secured' });
		const row = await ctx.db.selectFrom('incidents').select(['orientation', 'red_flags']).where('id', '=', id).executeTakeFirstOrThrow();
		expect(row).toEqual({ orientation: 'likely_impulsive', red_flags: '[]' });
	});

	it('two people on the same step: the second save gets `conflict` with the first one’s answers, nothing is overwritten', async () => {
		const id = await open();
		await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'red_flags', answers: NO_RED_FLAGS, expectedVersion: 0 }, META);
		// both screens were built from version 1
		const first = await saveStepAnswers(ctx, who.principal, { incidentId: id, stepId: 'red_flags', answers: { ...NO_RED_FLAGS, rf_adult: 'yes' }, expectedVersion: 1 }, META);
		expect(first).toMatchObject({ ok: true, version: 2 });
		const seq = await lastAuditSeq(ctx);
		const second = await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'red_flags', answers: { ...NO_RED_FLAGS, rf_coercion: 'yes' }, expectedVersion: 1 }, META);
		expect(second).toEqual({
			ok: false,
			reason: 'conflict',
			current: { stepId: 'red_flags', version: 2, answers: { ...NO_RED_FLAGS, rf_adult: 'yes' }, updatedAt: ctx.now().toISOString(), updatedBy: { id: who.principal.userId, name: 'Marc Gagnon' } }
		});
		const stored = await ctx.db.selectFrom('incident_answers').select(['answers_enc', 'version', 'updated_by']).where('incident_id', '=', id).where('step_id', '=', 'red_flags').executeTakeFirstOrThrow();
		expect(stored.version).toBe(2);
		expect(stored.updated_by).toBe(who.principal.userId);
		expect(JSON.parse(ctx.cipher.decrypt(stored.answers_enc))).toEqual({ ...NO_RED_FLAGS, rf_adult: 'yes' });
		expect((await auditRows(ctx, seq)).map((a) => [a.action, a.outcome, a.details])).toEqual([['incident.edit_conflict', 'success', { kind: 'step', stepId: 'red_flags', expectedVersion: 1, currentVersion: 2 }]]);
		// a first save racing an existing one (expected 0) is a conflict too
		expect(await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'red_flags', answers: NO_RED_FLAGS, expectedVersion: 0 }, META)).toMatchObject({ ok: false, reason: 'conflict' });
	});

	it('saves racing on the same step version at once: exactly one is stored, every other one is a conflict naming it; reads in between see a whole case', async () => {
		const id = await open();
		await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'red_flags', answers: NO_RED_FLAGS, expectedVersion: 0 }, META);
		const flags = ['rf_adult', 'rf_coercion', 'rf_self_harm', 'rf_adult', 'rf_coercion', 'rf_self_harm'];
		const results = await Promise.all([
			...flags.map((flag, i) => saveStepAnswers(ctx, i % 2 ? who.principal : who.responder, { incidentId: id, stepId: 'red_flags', answers: { ...NO_RED_FLAGS, [flag]: 'yes' }, expectedVersion: 1 }, META)),
			...flags.map(() => getIncident(ctx, who.principal, { incidentId: id }, META))
		]);
		const saves = results.slice(0, flags.length) as Awaited<ReturnType<typeof saveStepAnswers>>[];
		const won = saves.filter((r) => r.ok);
		expect(won).toHaveLength(1);
		expect(won[0]).toMatchObject({ ok: true, version: 2 });
		const stored = await ctx.db.selectFrom('incident_answers').select(['answers_enc', 'version']).where('incident_id', '=', id).where('step_id', '=', 'red_flags').executeTakeFirstOrThrow();
		expect(stored.version).toBe(2);
		for (const r of saves.filter((r) => !r.ok)) {
			expect(r).toMatchObject({ ok: false, reason: 'conflict', current: { version: 2, answers: JSON.parse(ctx.cipher.decrypt(stored.answers_enc)) } });
		}
		for (const view of results.slice(flags.length) as Awaited<ReturnType<typeof getIncident>>[]) {
			expect([1, 2]).toContain(view?.steps.find((s) => s.stepId === 'red_flags')?.version);
		}
		expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: true });
	});

	it('refuses answers the pack does not offer, forged fields and an unknown step, per question, writing nothing', async () => {
		const id = await open();
		const before = await ctx.db.selectFrom('incidents').select(['version', 'updated_at']).where('id', '=', id).executeTakeFirstOrThrow();
		const r = await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'red_flags', answers: { ...NO_RED_FLAGS, rf_adult: 'maybe', rf_self_harm: 'unknown', photo: 'data:image/png;base64,AAAA' }, expectedVersion: 0 }, META);
		expect(r).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { rf_adult: { key: 'kit.answer_error.not_an_option' }, rf_self_harm: { key: 'kit.answer_error.not_an_option' }, photo: { key: 'kit.answer_error.unknown_question' } }
		});
		expect(await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'red_flags', answers: { rf_adult: 'no' }, expectedVersion: 0 }, META)).toMatchObject({
			ok: false,
			reason: 'invalid',
			errors: { rf_immediate_danger: { key: 'kit.answer_error.required' } }
		});
		expect(await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'nope', answers: {}, expectedVersion: 0 }, META)).toEqual({ ok: false, reason: 'invalid', errors: { stepId: { key: 'kit.error.unknown_step' } } });
		expect(await ctx.db.selectFrom('incident_answers').select('step_id').where('incident_id', '=', id).execute()).toEqual([{ step_id: 'intake' }]);
		expect(await ctx.db.selectFrom('incidents').select(['version', 'updated_at']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual(before);
	});

	it('caches fired red flags and the grid suggestion on the case; "call now" and "stop interviewing" come back', async () => {
		const id = await open();
		const r = await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'red_flags', answers: { ...NO_RED_FLAGS, rf_adult: 'yes' }, expectedVersion: 0 }, META);
		if (!r.ok) throw new Error(JSON.stringify(r));
		expect([r.evaluation.callNow, r.evaluation.actions, r.evaluation.suggestion.stopInterviewing]).toEqual([true, ['call_police_liaison'], true]);
		const m = await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'sharing', answers: MALICIOUS_SHARING, expectedVersion: 0 }, META);
		if (!m.ok) throw new Error(JSON.stringify(m));
		expect(m.evaluation.suggestion.orientation).toBe('likely_malicious');
		expect(m.evaluation.suggestion.stopReasons).toEqual(['red_flag', 'malicious_indicators']);
		expect(await ctx.db.selectFrom('incidents').select(['red_flags', 'orientation']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({
			red_flags: '["adult_involved"]',
			orientation: 'likely_malicious'
		});
		// changing the earlier answer clears the flag (answers to hidden questions never linger)
		await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'red_flags', answers: NO_RED_FLAGS, expectedVersion: 1 }, META);
		expect((await ctx.db.selectFrom('incidents').select('red_flags').where('id', '=', id).executeTakeFirstOrThrow()).red_flags).toBe('[]');
	});

	it('saving the intake step again refreshes the case’s copies (T0, reporter, channel, summary)', async () => {
		const id = await open();
		const r = await saveStepAnswers(ctx, who.responder, { incidentId: id, stepId: 'intake', answers: { ...INTAKE, intake_learned_at: '2026-03-02T12:40:00.000Z', intake_reported_by: 'parent', intake_summary: 'Résumé corrigé.' }, expectedVersion: 1 }, META);
		expect(r).toMatchObject({ ok: true, version: 2 });
		const row = await ctx.db.selectFrom('incidents').select(['t0', 'reporter_kind', 'report_channel', 'summary_enc']).where('id', '=', id).executeTakeFirstOrThrow();
		expect({ ...row, summary_enc: ctx.cipher.decrypt(row.summary_enc) }).toEqual({ t0: '2026-03-02T12:40:00.000Z', reporter_kind: 'parent', report_channel: 'in_person', summary_enc: 'Résumé corrigé.' });
	});

	it('keeps working with the pack version stored on the case after a newer version is published', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sexto-packs-'));
		try {
			const v1 = JSON.parse(readFileSync(join(packsDirectory(), 'sexto-default', '1.0.0.json'), 'utf8'));
			const v2 = structuredClone(v1);
			v2.version = '1.1.0';
			// the newer kit drops an option ("snapchat") from the platform question
			const platform = v2.questions.find((q: { id: string }) => q.id === 'platform');
			platform.options = platform.options.filter((o: { id: string }) => o.id !== 'snapchat');
			mkdirSync(join(dir, 'sexto-default'));
			writeFileSync(join(dir, 'sexto-default', '1.0.0.json'), JSON.stringify(v1));
			const before: KitContext = { ...ctx, packs: loadPackRegistry(dir) };
			const opened = await openIncident(before, who.responder, { schoolId: S1, intake: INTAKE }, META);
			if (!opened.ok) throw new Error(JSON.stringify(opened));
			const oldCase = opened.id;
			writeFileSync(join(dir, 'sexto-default', '1.1.0.json'), JSON.stringify(v2));
			const kit: KitContext = { ...ctx, packs: loadPackRegistry(dir) };
			const newCase = await openIncident(kit, who.responder, { schoolId: S1, intake: INTAKE }, META);
			if (!newCase.ok) throw new Error(JSON.stringify(newCase));
			expect((await ctx.db.selectFrom('incidents').select('pack_version').where('id', '=', newCase.id).executeTakeFirstOrThrow()).pack_version).toBe('1.1.0');

			const answers = { shared_beyond: 'no', share_method: ['private_message'], platform: ['snapchat'] };
			expect(await saveStepAnswers(kit, who.responder, { incidentId: oldCase, stepId: 'sharing', answers, expectedVersion: 0 }, META)).toMatchObject({ ok: true, version: 1 });
			expect(await saveStepAnswers(kit, who.responder, { incidentId: newCase.id, stepId: 'sharing', answers, expectedVersion: 0 }, META)).toMatchObject({
				ok: false,
				reason: 'invalid',
				errors: { platform: { key: 'kit.answer_error.not_an_option' } }
			});
			const view = await getIncident(kit, who.responder, { incidentId: oldCase }, META);
			expect(view?.pack.version).toBe('1.0.0');
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe(`students (${TEST_DIALECT})`, () => {
	it('each student keeps their own roles: adding or updating one never touches another', async () => {
		const id = await open();
		const a = await addStudent(ctx, who.responder, { incidentId: id, student: { name: 'Léa Bouchard', dateOfBirth: '2010-09-15', grade: 'Secondaire 3', roles: ['depicted', 'sent'] } }, META);
		ctx.clock.advance(MINUTE);
		const b = await addStudent(ctx, who.responder, { incidentId: id, student: { name: 'Thomas Côté', age: '15', roles: 'redistributed' } }, META);
		if (!a.ok || !b.ok) throw new Error(JSON.stringify([a, b]));
		expect(await updateStudent(ctx, who.responder, { incidentId: id, studentId: b.studentId, student: { name: 'Thomas Côté', age: 15, roles: ['received', 'redistributed', 'received'] }, expectedVersion: 1 }, META)).toEqual({ ok: true, version: 2 });
		const rows = await ctx.db.selectFrom('incident_students').select(['id', 'roles', 'age', 'version']).where('incident_id', '=', id).orderBy('created_at').orderBy('id').execute();
		const byId = new Map(rows.map((r) => [r.id, r]));
		expect(byId.get(a.studentId)).toMatchObject({ roles: '["depicted","sent"]', age: 15, version: 1 });
		expect(byId.get(b.studentId)).toMatchObject({ roles: '["received","redistributed"]', age: 15, version: 2 });
		const view = await getIncident(ctx, who.responder, { incidentId: id }, META);
		expect(view?.students.map((s) => [s.name, s.dateOfBirth, s.age, s.grade, s.roles])).toEqual([
			['Léa Bouchard', '2010-09-15', 15, 'Secondaire 3', ['depicted', 'sent']],
			['Thomas Côté', null, 15, null, ['received', 'redistributed']]
		]);
	});

	it('refuses no role, an unknown role, a birth date in the future; a stale update is a conflict', async () => {
		const id = await open();
		expect(await addStudent(ctx, who.responder, { incidentId: id, student: { name: 'X', roles: [] } }, META)).toEqual({ ok: false, reason: 'invalid', errors: { roles: { key: 'kit.error.roles_required' } } });
		expect(await addStudent(ctx, who.responder, { incidentId: id, student: { name: 'X', roles: ['depicted', 'hacker'] } }, META)).toEqual({ ok: false, reason: 'invalid', errors: { roles: { key: 'kit.error.unknown_role' } } });
		expect(await addStudent(ctx, who.responder, { incidentId: id, student: { name: '', dateOfBirth: '2031-01-01', roles: ['witness'] } }, META)).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { name: { key: 'form.error.required' }, dateOfBirth: { key: 'kit.error.future' } }
		});
		const s = await addStudent(ctx, who.responder, { incidentId: id, student: { name: 'Noah Pelletier', roles: ['witness'] } }, META);
		if (!s.ok) throw new Error(JSON.stringify(s));
		await updateStudent(ctx, who.principal, { incidentId: id, studentId: s.studentId, student: { name: 'Noah Pelletier', roles: ['received'] }, expectedVersion: 1 }, META);
		const stale = await updateStudent(ctx, who.responder, { incidentId: id, studentId: s.studentId, student: { name: 'Noah Pelletier', roles: ['witness', 'sent'] }, expectedVersion: 1 }, META);
		expect(stale).toMatchObject({ ok: false, reason: 'conflict', current: { id: s.studentId, name: 'Noah Pelletier', roles: ['received'], version: 2 } });
		expect(await updateStudent(ctx, who.responder, { incidentId: id, studentId: '11111111-1111-4111-8111-111111111111', student: { name: 'A', roles: ['sent'] }, expectedVersion: 1 }, META)).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { studentId: { key: 'kit.error.unknown_student' } }
		});
	});

	it('finds a student by exact name through the blind index, only within cases the actor may read, without the name in the audit', async () => {
		const id = await open();
		const s = await addStudent(ctx, who.responder, { incidentId: id, student: { name: 'Éloïse Gagné-Lavoie', roles: ['depicted'] } }, META);
		if (!s.ok) throw new Error(JSON.stringify(s));
		const seq = await lastAuditSeq(ctx);
		const found = await findStudentsByName(ctx, who.principal, { schoolId: S1, name: '  eloise   GAGNÉ-LAVOIE ' }, META);
		expect(found).toMatchObject({ ok: true, matches: [{ incidentId: id, studentId: s.studentId, roles: ['depicted'], status: 'open' }] });
		expect(await findStudentsByName(ctx, who.principal, { schoolId: S1, name: 'Éloïse' }, META)).toEqual({ ok: true, matches: [] });
		// another responder of the school, a principal elsewhere and the police before hand-off see nothing
		for (const actor of [who.responder2, who.principalB, who.police]) expect(await findStudentsByName(ctx, actor, { schoolId: S1, name: 'Éloïse Gagné-Lavoie' }, META)).toEqual({ ok: true, matches: [] });
		const audit = await auditRows(ctx, seq);
		expect(audit.map((a) => [a.action, a.target_type, a.target_id, a.details.matches])).toEqual([
			['incident.student_search', 'school', S1, 1],
			['incident.student_search', 'school', S1, 0],
			['incident.student_search', 'school', S1, 0],
			['incident.student_search', 'school', S1, 0],
			['incident.student_search', 'school', S1, 0]
		]);
		expect(JSON.stringify(audit)).not.toMatch(/lo[iï]se|Gagn/i);
	});
});

describe(`device custody log (${TEST_DIALECT})`, () => {
	const seize = (incidentId: string, over: Partial<CustodyEventInput> = {}): CustodyEventInput => ({
		incidentId,
		event: 'seized',
		description: 'Téléphone bleu, coque noire',
		ownerLabel: null,
		at: '2026-03-02T13:20:00.000Z',
		byName: 'Isabelle Tremblay',
		state: 'off',
		envelopeNo: 'ENV-0042',
		location: 'Coffre du secrétariat',
		...over
	});

	it('appends one row per event; later events name an existing device; refuses future or out-of-order times', async () => {
		const id = await open();
		const s = await addStudent(ctx, who.responder, { incidentId: id, student: { name: 'Zoé Bergeron', roles: ['redistributed'] } }, META);
		if (!s.ok) throw new Error(JSON.stringify(s));
		const d1 = await recordCustodyEvent(ctx, who.responder, seize(id, { ownerStudentId: s.studentId }), META);
		const d2 = await recordCustodyEvent(ctx, who.responder, seize(id, { description: 'Tablette grise', state: 'airplane' }), META);
		expect([d1, d2]).toMatchObject([
			{ ok: true, deviceRef: 'D1' },
			{ ok: true, deviceRef: 'D2' }
		]);
		expect(await recordCustodyEvent(ctx, who.responder, { incidentId: id, deviceRef: 'd1', event: 'stored', at: '2026-03-02T13:30:00.000Z', byName: 'Marc Gagnon', state: 'off', location: 'Coffre-fort' }, META)).toMatchObject({ ok: true, deviceRef: 'D1' });
		expect(await recordCustodyEvent(ctx, who.principal, { incidentId: id, deviceRef: 'D1', event: 'handed_to_police', at: '2026-03-02T13:50:00.000Z', byName: 'Marc Gagnon', state: 'off', toName: 'Agente Pouliot', toBadge: '4471' }, META)).toMatchObject({ ok: true });

		const refused: [Partial<CustodyEventInput>, Record<string, { key: string }>][] = [
			[{ deviceRef: 'D9', event: 'transferred', toName: 'X' }, { deviceRef: { key: 'kit.error.unknown_device' } }],
			[{ deviceRef: 'D1', event: 'seized', at: '2026-03-02T13:55:00.000Z' }, { deviceRef: { key: 'kit.error.device_already_seized' } }],
			[{ deviceRef: null, event: 'transferred', toName: 'X' }, { deviceRef: { key: 'form.error.required' } }],
			[{ deviceRef: 'D2', event: 'handed_to_police', toName: null }, { toName: { key: 'form.error.required' } }],
			[{ deviceRef: 'D2', event: 'stored', location: null }, { location: { key: 'form.error.required' } }],
			[{ at: new Date(ctx.now().getTime() + 30 * MINUTE).toISOString() }, { at: { key: 'kit.error.future' } }],
			[{ deviceRef: 'D1', event: 'transferred', toName: 'X', at: '2026-03-02T13:40:00.000Z' }, { at: { key: 'kit.error.before_previous_event' } }],
			[{ state: 'on' }, { state: { key: 'kit.error.not_an_option' } }],
			[{ event: 'photographed' }, { event: { key: 'kit.error.not_an_option' } }],
			[{ ownerLabel: 'le cellulaire de zoé BERGERON' }, { ownerLabel: { key: 'kit.error.student_name_in_clear' } }],
			[{ description: 'iPhone de Zoé Bergeron' }, { description: { key: 'kit.error.student_name_in_clear' } }]
		];
		for (const [over, errors] of refused) {
			expect({ over, r: await recordCustodyEvent(ctx, who.responder, seize(id, over), META) }).toEqual({ over, r: { ok: false, reason: 'invalid', errors } });
		}
		const rows = await ctx.db.selectFrom('device_custody').select(['device_ref', 'event', 'description', 'owner_student_id', 'state']).where('incident_id', '=', id).orderBy('recorded_at').orderBy('at').execute();
		expect(rows).toEqual([
			{ device_ref: 'D1', event: 'seized', description: 'Téléphone bleu, coque noire', owner_student_id: s.studentId, state: 'off' },
			{ device_ref: 'D2', event: 'seized', description: 'Tablette grise', owner_student_id: null, state: 'airplane' },
			{ device_ref: 'D1', event: 'stored', description: 'Téléphone bleu, coque noire', owner_student_id: s.studentId, state: 'off' },
			{ device_ref: 'D1', event: 'handed_to_police', description: 'Téléphone bleu, coque noire', owner_student_id: s.studentId, state: 'off' }
		]);
		const view = await getIncident(ctx, who.responder, { incidentId: id }, META);
		expect(view?.devices.map((d) => [d.deviceRef, d.owner.studentId, d.events.map((e) => e.event)])).toEqual([
			['D1', s.studentId, ['seized', 'stored', 'handed_to_police']],
			['D2', null, ['seized']]
		]);
	});

	it('rows are append-only: the database refuses UPDATE and DELETE', async () => {
		const id = await open();
		const r = await recordCustodyEvent(ctx, who.responder, seize(id), META);
		if (!r.ok) throw new Error(JSON.stringify(r));
		await expect(ctx.db.updateTable('device_custody').set({ state: 'unknown' }).where('id', '=', r.id).execute()).rejects.toThrow(/append-only/);
		await expect(sql`update device_custody set envelope_no = 'X' where incident_id = ${id}`.execute(ctx.db)).rejects.toThrow(/append-only/);
		await expect(ctx.db.deleteFrom('device_custody').where('id', '=', r.id).execute()).rejects.toThrow(/append-only/);
		expect((await ctx.db.selectFrom('device_custody').select(['state', 'envelope_no']).where('id', '=', r.id).executeTakeFirstOrThrow())).toEqual({ state: 'off', envelope_no: 'ENV-0042' });
	});
});
