#!/usr/bin/env node
/**
 * `npm run bench:registry` (issue 4): the registry at scale, on SQLite and PostgreSQL.
 *   1. Import throughput: a generated 3,000-row schools CSV (`;`, accents) imported on fresh seeded databases,
 *      through the real CLI (`tsx src/cli/index.ts schools:import`, wall time incl. tsx start-up) and in-process
 *      (bench/registry-helper.ts timing importSchools() only). Median of BENCH_IMPORT_RUNS runs, each on a fresh database.
 *   2. Public coverage page /couverture with 100 police services (50 with an agreement in force) and 2,500
 *      schools, against the SvelteKit floor (bench/floor) measured in the same run, interleaved rounds.
 *
 * Settings (environment, all optional):
 *   BENCH_IMPORT_RUNS=3  BENCH_ROUNDS=3  BENCH_DURATION=3  BENCH_WARMUP=2  BENCH_CONNECTIONS=50
 *   BENCH_IMPORT_ROWS=3000  BENCH_SCHOOLS=2500 (sizes: rows of the imported CSV, schools behind /couverture)
 *   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres  BENCH_SKIP_PG=1  BENCH_STRICT=1
 * Writes bench/results/registry-latest.json and prints Markdown tables.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
	DEFAULT_PG_URL,
	checksTable,
	dbEnv,
	ensureBuilds,
	flag,
	fmt,
	freshDb,
	loadAvg,
	machineInfo,
	mdTable,
	median,
	num,
	pageThroughput,
	pct,
	pgSkipReason,
	redactUrl,
	runBench,
	runChild,
	runLine,
	sextoEnv,
	startApp,
	startFloor,
	tail,
	tempDir,
	tsxBin,
	writeResults
} from './lib.mjs';

const settings = {
	importRuns: num('BENCH_IMPORT_RUNS', 3),
	rounds: num('BENCH_ROUNDS', 3),
	duration: num('BENCH_DURATION', 3),
	warmup: num('BENCH_WARMUP', 2),
	connections: num('BENCH_CONNECTIONS', 50),
	pgUrl: process.env.BENCH_PG_URL || DEFAULT_PG_URL,
	skipPg: flag('BENCH_SKIP_PG'),
	strict: flag('BENCH_STRICT')
};
const IMPORT_ROWS = num('BENCH_IMPORT_ROWS', 3000);
// Scale of the coverage database, demo rows included (the demo seed has 2 police services, 1 in force, 2 schools).
const SERVICES = 100;
const ACTIVE = 50;
const SCHOOLS = num('BENCH_SCHOOLS', 2500);
const DEMO = { services: 2, active: 1, schools: 2 };
const TARGET_VS_FLOOR = 0.6;
const sexto = sextoEnv({ JOBS_ENABLED: 'false' });

/** A fresh, migrated and seeded database; `dialect` sqlite or postgres. Dropped/removed by the cleanups. */
const freshUrl = async (dialect, tmp) => (await freshDb(dialect, { tmp, pgUrl: settings.pgUrl, sexto })).url;

// ---------------------------------------------------------------------------------------------
// Data

const FIRST = ['Élan', 'Étoile', 'Hauts-Bois', 'Érablière', 'Sainte-Thérèse', "Île-d'Orléans", 'Côte-Vertu', 'Forêt', 'Pointe-aux-Trembles', 'Mont-Bénilde', 'Rivière-du-Nord', 'Lac-Mégantic'];
const KIND = ['École secondaire', 'École primaire', 'Polyvalente', 'Collège', 'Académie', 'Centre de formation'];
const CENTRE = ['Centre de services scolaire des Laurentides', 'Centre de services scolaire de la Rivière-du-Nord', 'Centre de services scolaire de Montréal', 'English Montréal School Board'];

/** CSV with `;`, accents, quoted cells containing the separator; police services by code. */
function schoolsCsv(rows, prefix, policeCodes) {
	const lines = ['Code;Nom;Centre de services;Adresse;Langue;Service de police'];
	for (let i = 0; i < rows; i++) {
		const name = `${KIND[i % KIND.length]} de l'${FIRST[i % FIRST.length]} n° ${i + 1}`;
		const address = `"${100 + (i % 900)}, rue Saint-Jérôme; bureau ${i % 7}, Québec (QC)"`;
		lines.push([`${prefix}-${String(i + 1).padStart(5, '0')}`, name, CENTRE[i % CENTRE.length], address, i % 5 === 4 ? 'anglais' : 'français', policeCodes[i % policeCodes.length]].join(';'));
	}
	return lines.join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------------------------------------
// Measures

async function importBench(dialect, tmp, csvFile) {
	const cli = [];
	const inProcess = [];
	for (let run = 1; run <= settings.importRuns; run++) {
		const url1 = await freshUrl(dialect, tmp);
		const t0 = performance.now();
		const out = await runChild(`schools:import (${dialect})`, tsxBin, ['src/cli/index.ts', 'schools:import', csvFile], { childEnv: dbEnv(sexto, url1) });
		const cliMs = performance.now() - t0;
		// exit 0 without --dry-run means committed (a refused import exits 1)
		if (!out.some((l) => /\d/.test(l))) throw new Error(`schools:import (${dialect}) printed no count:\n${tail(out)}`);
		cli.push(cliMs);
		const url2 = await freshUrl(dialect, tmp);
		const res = JSON.parse((await runChild(`in-process import (${dialect})`, tsxBin, ['bench/registry-helper.ts', 'import', csvFile], { childEnv: dbEnv(sexto, url2) })).filter(Boolean).at(-1));
		if (res.rows !== IMPORT_ROWS) throw new Error(`in-process import (${dialect}) wrote ${res.rows} rows`);
		inProcess.push(res.ms);
		console.log(`  ${dialect} run ${run}: CLI ${Math.round(cliMs)} ms (${Math.round(IMPORT_ROWS / (cliMs / 1000))} rows/s), in-process ${Math.round(res.ms)} ms (${Math.round(IMPORT_ROWS / (res.ms / 1000))} rows/s)`);
	}
	const rate = (ms) => Math.round(IMPORT_ROWS / (ms / 1000));
	return { dialect, rows: IMPORT_ROWS, runs: settings.importRuns, cliMs: cli.map(Math.round), inProcessMs: inProcess.map(Math.round), cliRowsPerSec: rate(median(cli)), inProcessRowsPerSec: rate(median(inProcess)) };
}

/** Seeded database + police services/agreements + schools imported in-process, to SERVICES / ACTIVE / SCHOOLS in total. */
async function coverageDb(dialect, tmp) {
	const url = await freshUrl(dialect, tmp);
	const added = SERVICES - DEMO.services;
	await runChild(`populate (${dialect})`, tsxBin, ['bench/registry-helper.ts', 'populate', String(added), String(ACTIVE - DEMO.active)], { childEnv: dbEnv(sexto, url) });
	const codes = Array.from({ length: added }, (_, i) => `BPS${String(i + 1).padStart(3, '0')}`);
	const file = join(tmp, `coverage-${dialect}.csv`);
	writeFileSync(file, schoolsCsv(SCHOOLS - DEMO.schools, 'COV', codes));
	await runChild(`import coverage schools (${dialect})`, tsxBin, ['bench/registry-helper.ts', 'import', file], { childEnv: dbEnv(sexto, url) });
	return url;
}

// ---------------------------------------------------------------------------------------------

async function main() {
	const t0 = Date.now();
	const loadAvgStart = loadAvg();
	await ensureBuilds({ app: 'required', floor: 'required' });
	const tmp = tempDir('sexto-bench-registry-');
	const pgSkipped = await pgSkipReason(settings);
	const dialects = pgSkipped ? ['sqlite'] : ['sqlite', 'postgres'];

	console.log(`\n1. Import of ${IMPORT_ROWS} schools (${settings.importRuns} run(s) per dialect, fresh database each)`);
	const csvFile = join(tmp, `schools-${IMPORT_ROWS}.csv`);
	writeFileSync(csvFile, schoolsCsv(IMPORT_ROWS, 'BENCH', ['SPSJ', 'RIPLV']));
	const imports = [];
	for (const d of dialects) imports.push(await importBench(d, tmp, csvFile));

	console.log(`\n2. /couverture with ${SERVICES} police services (${ACTIVE} in force) and ${SCHOOLS} schools`);
	const floor = await startFloor();
	const targets = [{ key: 'floor', label: 'floor: SvelteKit hello page', url: `${floor.origin}/` }];
	for (const d of dialects) {
		const url = await coverageDb(d, tmp);
		const app = await startApp(`sexto-${d}`, sexto, url);
		const res = await fetch(`${app.origin}/couverture`);
		const html = await res.text();
		const rowsShown = (html.match(/Sainte-Thérèse-de-l(?:'|&#39;|&apos;)Îlot n° \d+/g) ?? []).length;
		if (res.status !== 200 || rowsShown < ACTIVE - DEMO.active) throw new Error(`${d}: /couverture HTTP ${res.status}, ${rowsShown} generated services shown`);
		targets.push({ key: d, label: `${d}: /couverture (anonymous)`, url: `${app.origin}/couverture`, htmlKb: Math.round(Buffer.byteLength(html) / 100) / 10 });
	}

	console.log(`  warm-up ${settings.warmup} s per target, then ${settings.rounds} rounds × ${settings.duration} s, ${settings.connections} connections`);
	const pages = await pageThroughput(targets, settings, { labelWidth: 34 });
	const checks = pages
		.filter((p) => p.key !== 'floor')
		.map((p) => ({ name: `/couverture ${p.key} vs floor`, threshold: `≥ ${pct(TARGET_VS_FLOOR)}`, measured: pct(p.vsFloor), pass: p.bad === 0 && p.vsFloor >= TARGET_VS_FLOOR }));

	const report = {
		date: new Date().toISOString(),
		durationSec: Math.round((Date.now() - t0) / 1000),
		machine: machineInfo(loadAvgStart),
		settings: { ...settings, pgUrl: redactUrl(settings.pgUrl) },
		scale: { importRows: IMPORT_ROWS, services: SERVICES, activeAgreements: ACTIVE, schools: SCHOOLS },
		postgresSkipped: pgSkipped,
		imports,
		pages,
		checks
	};
	const file = writeResults('registry-latest.json', report);

	const lines = [runLine(report), ''];
	lines.push(
		...mdTable(
			[`import ${IMPORT_ROWS} schools`, 'CLI rows/s (wall, incl. tsx start-up)', 'in-process rows/s (importSchools)', 'CLI runs ms', 'in-process runs ms'],
			'lrrll',
			imports.map((r) => [r.dialect, r.cliRowsPerSec, r.inProcessRowsPerSec, r.cliMs.join(', '), r.inProcessMs.join(', ')])
		)
	);
	lines.push(
		'',
		...mdTable(
			[`page (${SERVICES} services, ${ACTIVE} in force, ${SCHOOLS} schools)`, 'req/s', 'p50 ms', 'p99 ms', 'vs floor', 'HTML kB', 'rounds req/s', 'bad'],
			'lrrrrrlr',
			pages.map((p) => [p.label, Math.round(p.reqPerSec), fmt(p.p50, 1), fmt(p.p99, 1), pct(p.vsFloor), p.htmlKb ?? '–', p.rounds.join(', '), p.bad])
		)
	);
	lines.push('', ...checksTable(checks));
	console.log(`\n${lines.join('\n')}\n`);
	console.log(`Raw results: ${file} (${report.durationSec} s)`);
	return settings.strict && checks.some((c) => !c.pass) ? 1 : 0;
}

runBench(main, { name: 'Registry benchmark' });
