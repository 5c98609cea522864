/**
 * Schools CSV import through the service (importSchools) on a real database: 3,000 rows in one call and
 * one transaction, a dry run that writes nothing, and every kind of bad input refused with nothing saved.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/lib/server/audit/log';
import { DEMO_IDS } from '../../src/lib/server/db/seed/demo';
import { decodeText } from '../../src/lib/domain/schools-import/csv';
import { MAX_IMPORT_BYTES, type ImportPlan } from '../../src/lib/domain/schools-import/schools';
import { ForbiddenError, type Actor } from '../../src/lib/server/policy';
import { importSchools, type ImportOutcome } from '../../src/lib/server/territories/schools';
import { actorOf, auditRows, createTestContext, lastAuditSeq, T0, TEST_DIALECT, userIdOf, type TestContext } from './harness';

const META = { ip: '198.51.100.40' };
const HEADER = 'code;nom;centre_de_services;adresse;langue;service_de_police';
const POLICE = { SPSJ: DEMO_IDS.policeCovered, RIPLV: DEMO_IDS.policeOther } as const;

interface Expected {
	code: string;
	name: string;
	service_centre: string | null;
	address: string;
	language: 'fr' | 'en';
	police_service_id: string;
}

/** Row i (1-based) of a generated file; it sits on line i + 1 (line 1 is the header). */
function expectedRow(prefix: string, i: number, police?: keyof typeof POLICE): Expected {
	const n = String(i).padStart(5, '0');
	return {
		code: `${prefix}-${n}`,
		name: i % 10 === 0 ? `Collège « Mont-Royal » "Îlot ${n}" — Sainte-Thérèse` : `École secondaire Saint-Jérôme-des-Érables nº ${n}`,
		service_centre: i % 7 === 0 ? null : 'Centre de services scolaire de la Rivière-du-Nord',
		address: `${i}, rue de l'Église; app. ${i % 50}, Saint-Jérôme (Québec)`,
		language: i % 2 === 0 ? 'en' : 'fr',
		police_service_id: POLICE[police ?? (i % 3 === 0 ? 'RIPLV' : 'SPSJ')]
	};
}

function csvCell(value: string): string {
	return /[";\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A ";"-separated export as Excel (French locale) writes it: BOM, CRLF, quoted cells where needed. */
function generateCsv(prefix: string, count: number, options: { police?: keyof typeof POLICE; edit?: (i: number, cells: string[]) => string[] } = {}): string {
	const lines = [HEADER];
	for (let i = 1; i <= count; i++) {
		const e = expectedRow(prefix, i, options.police);
		const policeCode = Object.entries(POLICE).find(([, id]) => id === e.police_service_id)![0];
		let cells = [e.code, e.name, e.service_centre ?? '', e.address, e.language === 'fr' ? (i % 4 === 1 ? 'Français' : 'fr') : i % 4 === 0 ? 'English' : 'anglais', policeCode];
		if (options.edit) cells = options.edit(i, cells);
		lines.push(cells.map(csvCell).join(';'));
	}
	return `\uFEFF${lines.join('\r\n')}\r\n`;
}

let ctx: TestContext;
let admin: Actor;
let coordA: Actor;
beforeAll(async () => {
	ctx = await createTestContext();
	admin = await actorOf(ctx, 'admin@sexto.test');
	coordA = await actorOf(ctx, 'coordination@sexto.test');
});
afterAll(() => ctx?.close());

async function footprint() {
	const count = async (table: 'schools' | 'registry_history') => Number((await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
	return { schools: await count('schools'), history: await count('registry_history'), audit: await lastAuditSeq(ctx) };
}

function run(actor: Actor, text: string, dryRun = false, byteLength = Buffer.byteLength(text, 'utf8')): Promise<ImportOutcome> {
	return importSchools(ctx, actor, text, byteLength, { dryRun }, META);
}

function refused(outcome: ImportOutcome): Extract<ImportPlan, { ok: false }> {
	if (outcome.committed || outcome.plan.ok) throw new Error(`expected a refusal, got ${JSON.stringify(outcome).slice(0, 300)}`);
	return outcome.plan;
}

/** Runs a bad file as a dry run and as a commit: both report the same problems and neither writes anything. */
async function expectRefusedBoth(actor: Actor, text: string, byteLength?: number) {
	const before = await footprint();
	const preview = refused(await run(actor, text, true, byteLength));
	const commit = refused(await run(actor, text, false, byteLength));
	expect(commit).toEqual(preview);
	expect(await footprint()).toEqual(before);
	return commit;
}

describe(`importing 3,000 schools in one call (${TEST_DIALECT})`, () => {
	const text = generateCsv('IMP', 3000);

	it('the generated file is what it claims: 3,000 rows, ";" separated, accents, quoted separators', () => {
		expect(text.split('\r\n').filter(Boolean)).toHaveLength(3001);
		expect(text).toContain('"100, rue de l\'Église; app. 0, Saint-Jérôme (Québec)"');
		expect(text).toContain('"Collège « Mont-Royal » ""Îlot 00010"" — Sainte-Thérèse"');
	});

	it('a dry run plans every row and writes nothing', async () => {
		const before = await footprint();
		const outcome = await run(admin, text, true);
		expect(outcome.committed).toBe(false);
		if (outcome.committed || !outcome.plan.ok) throw new Error('plan refused');
		expect(outcome.plan.rows).toHaveLength(3000);
		expect(outcome.plan.rows[0]).toEqual({ line: 2, code: 'IMP-00001', name: expectedRow('IMP', 1).name, serviceCentre: expectedRow('IMP', 1).service_centre, address: expectedRow('IMP', 1).address, language: 'fr', policeServiceCode: 'SPSJ' });
		expect(outcome.plan.rows[2999]!.line).toBe(3001);
		expect(await footprint()).toEqual(before);
	});

	it('a commit writes all 3,000 schools exactly as in the file, 3,000 history rows and one audit row', async () => {
		const adminId = await userIdOf(ctx, 'admin@sexto.test');
		const before = await footprint();
		expect(await run(admin, text)).toEqual({ committed: true, count: 3000 });

		const after = await footprint();
		expect(after.schools - before.schools).toBe(3000);
		expect(after.history - before.history).toBe(3000);
		expect(after.audit - before.audit).toBe(1);

		const rows = await ctx.db.selectFrom('schools').selectAll().where('code', 'like', 'IMP-%').orderBy('code').execute();
		expect(rows).toHaveLength(3000);
		const expected = Array.from({ length: 3000 }, (_, k) => expectedRow('IMP', k + 1));
		expect(rows.map((r) => ({ code: r.code, name: r.name, service_centre: r.service_centre, address: r.address, language: r.language, police_service_id: r.police_service_id }))).toEqual(expected);
		// one transaction, one instant
		expect(new Set(rows.flatMap((r) => [r.created_at, r.updated_at]))).toEqual(new Set([T0.toISOString()]));
		expect(rows.filter((r) => r.police_service_id === DEMO_IDS.policeOther)).toHaveLength(1000);

		const history = await ctx.db.selectFrom('registry_history').selectAll().where('entity_type', '=', 'school').where('entity_id', 'in', rows.map((r) => r.id)).execute();
		expect(history).toHaveLength(3000);
		expect(new Set(history.map((h) => h.entity_id)).size).toBe(3000);
		expect(history.every((h) => h.version === 1 && h.change === 'created' && h.changed_by === adminId && h.changed_at === T0.toISOString())).toBe(true);
		const byId = new Map(rows.map((r) => [r.id, r]));
		for (const h of history) {
			const s = byId.get(h.entity_id)!;
			expect(JSON.parse(h.snapshot)).toEqual({ code: s.code, name: s.name, serviceCentre: s.service_centre, address: s.address, language: s.language, policeServiceId: s.police_service_id, source: 'csv' });
		}

		const audit = await auditRows(ctx, before.audit);
		expect(audit).toEqual([expect.objectContaining({ action: 'schools.imported', outcome: 'success', actor_id: adminId, target_type: 'school', target_id: null, ip: META.ip, details: { count: 3000 } })]);
		expect(await verifyAuditChain(ctx.db)).toEqual({ ok: true, rows: after.audit });
	});

	it('one transaction: a database failure on row 2,900 (after five chunks went in) leaves no school, history or audit row', async () => {
		// A test-only trigger makes the database itself refuse one row late in the file.
		if (ctx.dialect === 'postgres') {
			await sql`create function sexto_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'refused by test trigger'; end $$`.execute(ctx.db);
			await sql`create trigger sexto_test_refuse before insert on schools for each row when (new.code = 'TXN-02900') execute function sexto_test_refuse()`.execute(ctx.db);
		} else {
			await sql`create trigger sexto_test_refuse before insert on schools when new.code = 'TXN-02900' begin select raise(abort, 'refused by test trigger'); end`.execute(ctx.db);
		}
		try {
			const before = await footprint();
			await expect(run(admin, generateCsv('TXN', 3000))).rejects.toThrow(/refused by test trigger/);
			expect(await footprint()).toEqual(before);
			expect(await ctx.db.selectFrom('schools').select('id').where('code', 'like', 'TXN-%').execute()).toEqual([]);
		} finally {
			await sql`drop trigger sexto_test_refuse${sql.raw(ctx.dialect === 'postgres' ? ' on schools' : '')}`.execute(ctx.db);
			if (ctx.dialect === 'postgres') await sql`drop function sexto_test_refuse()`.execute(ctx.db);
		}
	});

	it('the same file again: every row is "code already exists", nothing more is written', async () => {
		const plan = await expectRefusedBoth(admin, text);
		expect(plan.problems).toHaveLength(3000);
		expect(plan.problems[0]).toEqual({ line: 2, field: 'code', code: 'code_exists', value: 'IMP-00001' });
		expect(plan.problems.every((p) => p.code === 'code_exists')).toBe(true);
	});
});

describe(`one bad row refuses the whole file (${TEST_DIALECT})`, () => {
	it('a duplicate code on line 2500 of 3,000: nothing written, line 2500 reported on "code" as duplicate_in_file', async () => {
		// row 2499 sits on line 2500 and repeats the code of row 9 (line 10)
		const text = generateCsv('DUP', 3000, { edit: (i, cells) => (i === 2499 ? ['DUP-00009', ...cells.slice(1)] : cells) });
		const plan = await expectRefusedBoth(admin, text);
		expect(plan).toEqual({ ok: false, rowCount: 3000, problems: [{ line: 2500, field: 'code', code: 'duplicate_in_file', value: '10' }] });
		expect(await ctx.db.selectFrom('schools').select('id').where('code', 'like', 'DUP-%').execute()).toEqual([]);
	});

	it('a code that differs only by case is the same code', async () => {
		const text = generateCsv('CASE', 5, { edit: (i, cells) => (i === 4 ? ['case-00002', ...cells.slice(1)] : cells) });
		expect((await expectRefusedBoth(admin, text)).problems).toEqual([{ line: 5, field: 'code', code: 'duplicate_in_file', value: '3' }]);
	});

	it('wrong columns: the unknown column and the missing one are named on line 1', async () => {
		const text = 'code;nom;langue;province\nCOL-1;École A;fr;QC\n';
		expect((await expectRefusedBoth(admin, text)).problems).toEqual([
			{ line: 1, field: null, code: 'unknown_column', value: 'province' },
			{ line: 1, field: 'policeService', code: 'missing_column' }
		]);
	});

	it('a row with a different number of cells than the header', async () => {
		const text = generateCsv('CELL', 10, { edit: (i, cells) => (i === 6 ? cells.slice(0, 5) : cells) });
		expect((await expectRefusedBoth(admin, text)).problems).toEqual([{ line: 7, field: null, code: 'wrong_cell_count' }]);
	});

	it('an unknown police service code', async () => {
		const text = generateCsv('UPS', 20, { edit: (i, cells) => (i === 12 ? [...cells.slice(0, 5), 'SPXX'] : cells) });
		expect((await expectRefusedBoth(admin, text)).problems).toEqual([{ line: 13, field: 'policeService', code: 'unknown_police_service', value: 'SPXX' }]);
	});

	it('a code already in the database (whatever its case)', async () => {
		const text = generateCsv('EXI', 6, { edit: (i, cells) => (i === 2 ? ['DEMO-001', ...cells.slice(1)] : i === 5 ? ['demo-002', ...cells.slice(1)] : cells) });
		expect((await expectRefusedBoth(admin, text)).problems).toEqual([
			{ line: 3, field: 'code', code: 'code_exists', value: 'DEMO-001' },
			{ line: 6, field: 'code', code: 'code_exists', value: 'DEMO-002' }
		]);
	});

	it('a coordinator of A naming B\'s police service gets unknown_police_service (B is outside its territory)', async () => {
		const text = generateCsv('CRD', 4, { police: 'SPSJ', edit: (i, cells) => (i === 3 ? [...cells.slice(0, 5), 'RIPLV'] : cells) });
		expect((await expectRefusedBoth(coordA, text)).problems).toEqual([{ line: 4, field: 'policeService', code: 'unknown_police_service', value: 'RIPLV' }]);
		// the same file without that row imports, in A
		const ok = generateCsv('CRD', 4, { police: 'SPSJ' });
		expect(await run(coordA, ok)).toEqual({ committed: true, count: 4 });
		const rows = await ctx.db.selectFrom('schools').select('police_service_id').where('code', 'like', 'CRD-%').execute();
		expect(rows.map((r) => r.police_service_id)).toEqual(Array(4).fill(DEMO_IDS.policeCovered));
	});

	it('roles that manage no school cannot import at all (ForbiddenError), nothing written', async () => {
		const text = generateCsv('FBD', 3, { police: 'SPSJ' });
		const before = await footprint();
		for (const email of ['direction@sexto.test', 'intervenant@sexto.test', 'policier@sexto.test']) {
			const actor = await actorOf(ctx, email);
			await expect(run(actor, text, true)).rejects.toBeInstanceOf(ForbiddenError);
			await expect(run(actor, text)).rejects.toBeInstanceOf(ForbiddenError);
		}
		expect(await footprint()).toEqual(before);
	});
});

describe(`oversized and binary input (${TEST_DIALECT})`, () => {
	it('over 5 MB in bytes is too_large, even when it is under 5 million characters and otherwise valid', async () => {
		const text = generateCsv('BIG', 9000, { police: 'SPSJ', edit: (_i, cells) => [cells[0]!, cells[1]!, cells[2]!, 'é'.repeat(290), cells[4]!, cells[5]!] });
		const bytes = Buffer.byteLength(text, 'utf8');
		expect(bytes).toBeGreaterThan(MAX_IMPORT_BYTES);
		expect(text.length).toBeLessThan(MAX_IMPORT_BYTES);
		expect((await expectRefusedBoth(admin, text)).problems).toEqual([{ line: 0, field: null, code: 'too_large' }]);
		// the size alone decides: the same text claimed small would have been accepted
		const claimedSmall = await run(admin, text, true, 1000);
		expect(!claimedSmall.committed && claimedSmall.plan.ok).toBe(true);
	});

	it('binary garbage: decodeText refuses it, and its text (NUL bytes included) is not_text', async () => {
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
		const garbage = Buffer.concat([png, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + 11) % 256))]);
		expect(decodeText(garbage)).toEqual({ ok: false });
		// as a careless reader would hand it over (each byte a character)
		expect((await expectRefusedBoth(admin, garbage.toString('latin1'))).problems).toEqual([{ line: 1, field: null, code: 'not_text' }]);
	});

	it('valid UTF-8 with NUL bytes inside a CSV is not_text too', async () => {
		const text = generateCsv('NUL', 3, { edit: (i, cells) => (i === 2 ? [cells[0]!, 'École\u0000Nulle', ...cells.slice(2)] : cells) });
		const bytes = new TextEncoder().encode(text);
		expect(decodeText(bytes)).toEqual({ ok: false });
		expect((await expectRefusedBoth(admin, text)).problems).toEqual([{ line: 1, field: null, code: 'not_text' }]);
	});

	it('an empty file and a header alone are "empty"', async () => {
		expect((await expectRefusedBoth(admin, '')).problems).toEqual([{ line: 1, field: null, code: 'empty' }]);
		expect((await expectRefusedBoth(admin, `${HEADER}\r\n`)).problems).toEqual([{ line: 1, field: null, code: 'empty' }]);
	});

	it('after all the refusals, the audit chain still verifies', async () => {
		expect(await verifyAuditChain(ctx.db)).toEqual({ ok: true, rows: await lastAuditSeq(ctx) });
	});
});
