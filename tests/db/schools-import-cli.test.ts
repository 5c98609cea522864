/**
 * `npm run sexto -- schools:import <file> [--dry-run]` as an operator runs it: a child process on the test
 * database. The sample file previews and imports; a 50 MB file is refused on its size before being read;
 * binary garbage is refused as not text. Messages are the localized catalog strings.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/lib/server/audit/log';
import { DEMO_IDS } from '../../src/lib/server/db/seed/demo';
import { translate } from '../../src/lib/i18n';
import { auditRows, createTestContext, lastAuditSeq, TEST_DIALECT, type TestContext } from './harness';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SAMPLE = join(ROOT, 'static/samples/ecoles-exemple.csv');

function runCli(databaseUrl: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn('npx', ['tsx', 'src/cli/index.ts', ...args], {
			cwd: ROOT,
			env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'production' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

let ctx: TestContext;
let dir: string;
beforeAll(async () => {
	ctx = await createTestContext();
	dir = mkdtempSync(join(tmpdir(), 'sexto-import-cli-'));
});
afterAll(async () => {
	if (dir) rmSync(dir, { recursive: true, force: true });
	await ctx?.close();
});

async function footprint() {
	const count = async (table: 'schools' | 'registry_history') => Number((await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
	return { schools: await count('schools'), history: await count('registry_history'), audit: await lastAuditSeq(ctx) };
}

describe(`schools:import on the command line (${TEST_DIALECT})`, () => {
	const sampleRows = readFileSync(SAMPLE, 'utf8').split(/\r?\n/).filter((l) => l.trim()).length - 1;

	it('--dry-run on the sample file prints how many schools are ready, exits 0, writes nothing', async () => {
		expect(sampleRows).toBe(4);
		const before = await footprint();
		const run = await runCli(ctx.databaseUrl, 'schools:import', SAMPLE, '--dry-run');
		expect(run.stderr).toBe('');
		expect(run.stdout.trim()).toBe(translate('fr', 'import.ready', { count: sampleRows }));
		expect(run.code).toBe(0);
		expect(await footprint()).toEqual(before);
	}, 60_000);

	it('without --dry-run it imports the sample (accents and quoted commas intact), exits 0, one audit row', async () => {
		const before = await footprint();
		const run = await runCli(ctx.databaseUrl, 'schools:import', SAMPLE);
		expect(run.stderr).toBe('');
		expect(run.stdout.trim()).toBe(translate('fr', 'import.done', { count: sampleRows }));
		expect(run.code).toBe(0);

		const after = await footprint();
		expect(after).toEqual({ schools: before.schools + 4, history: before.history + 4, audit: before.audit + 1 });
		const rows = await ctx.db.selectFrom('schools').select(['code', 'name', 'address', 'language', 'police_service_id']).where('code', 'in', ['DEMO-101', 'DEMO-102', 'DEMO-103', 'DEMO-201']).orderBy('code').execute();
		expect(rows).toEqual([
			{ code: 'DEMO-101', name: 'École secondaire du Grand-Héron (fictive)', address: '12, rue des Érables, Saint-Jérôme', language: 'fr', police_service_id: DEMO_IDS.policeCovered },
			{ code: 'DEMO-102', name: 'Académie Sainte-Thérèse-des-Pins (fictive)', address: '455, boulevard du Curé-Labelle, Saint-Jérôme', language: 'fr', police_service_id: DEMO_IDS.policeCovered },
			{ code: 'DEMO-103', name: 'Laurentian Heights High School (fictional)', address: '88 Maple Street, Saint-Jérôme', language: 'en', police_service_id: DEMO_IDS.policeCovered },
			{ code: 'DEMO-201', name: 'École secondaire de l\'Anse-Verte (fictive)', address: '3, chemin du Lac, Lac-Vert', language: 'fr', police_service_id: DEMO_IDS.policeOther }
		]);
		expect(await auditRows(ctx, before.audit)).toEqual([expect.objectContaining({ action: 'schools.imported', outcome: 'success', details: { count: 4 } })]);
		expect(await verifyAuditChain(ctx.db)).toEqual({ ok: true, rows: after.audit });
	}, 60_000);

	it('a 50 MB file is refused on its size (exit 1, localized message) without being read; binary garbage is not_text', async () => {
		// Sparse: 50 MB of NUL bytes on disk in no time. Had the CLI read it, the NUL bytes would have
		// been reported as "not text", not as "too large".
		const big = join(dir, 'enorme.csv');
		writeFileSync(big, 'code;nom;langue;service_de_police\n');
		truncateSync(big, 50 * 1024 * 1024);
		expect(statSync(big).size).toBe(52_428_800);

		const garbage = join(dir, 'image.csv');
		writeFileSync(garbage, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]), Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 37 + 11) % 256))]));

		const before = await footprint();
		const [tooLarge, binary] = await Promise.all([runCli(ctx.databaseUrl, 'schools:import', big), runCli(ctx.databaseUrl, 'schools:import', garbage, '--lang', 'en')]);

		expect(tooLarge.stderr).toBe('');
		expect(tooLarge.stdout.trim()).toBe(translate('fr', 'import.error.too_large'));
		expect(tooLarge.code).toBe(1);

		expect(binary.stderr).toBe('');
		expect(binary.stdout.trim()).toBe(translate('en', 'import.error.not_text'));
		expect(binary.stdout.trim()).not.toBe(translate('fr', 'import.error.not_text'));
		expect(binary.code).toBe(1);

		expect(await footprint()).toEqual(before);
	}, 90_000);
});
