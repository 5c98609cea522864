#!/usr/bin/env node
/**
 * `npm run bench:registry` (issue 4): the registry at scale, on SQLite and PostgreSQL.
 *   1. Import throughput: a generated 3,000-row schools CSV (`;`, accents) imported on fresh seeded databases,
 *      through the real CLI (`tsx src/cli/index.ts schools:import`, wall time incl. tsx start-up) and in-process
 *      (bench/registry-helper.ts timing importSchools() only). Median of BENCH_IMPORT_RUNS runs, each on a fresh database.
 *   2. Public coverage page /couverture with 100 police services (50 with an agreement in force) and 2,500
 *      schools, against the SvelteKit floor (bench/floor) measured in the same run, interleaved rounds.
 * Self-contained on purpose (small duplication of bench/run.mjs helpers rather than touching the foundation bench).
 *
 * Settings (environment, all optional):
 *   BENCH_IMPORT_RUNS=3  BENCH_ROUNDS=3  BENCH_DURATION=3  BENCH_WARMUP=2  BENCH_CONNECTIONS=50
 *   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres  BENCH_SKIP_PG=1  BENCH_STRICT=1
 * Writes bench/results/registry-latest.json and prints Markdown tables.
 */
import autocannon from 'autocannon';
import pg from 'pg';
import os from 'node:os';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { envNumber, freePort, median, stopChild, tail } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const floorDir = join(root, 'bench', 'floor');
const resultsDir = join(root, 'bench', 'results');
const tsxBin = join(root, 'node_modules', '.bin', 'tsx');
const env = process.env;

const num = (name, fallback) => envNumber(env, name, fallback);
const settings = {
	importRuns: num('BENCH_IMPORT_RUNS', 3),
	rounds: num('BENCH_ROUNDS', 3),
	duration: num('BENCH_DURATION', 3),
	warmup: num('BENCH_WARMUP', 2),
	connections: num('BENCH_CONNECTIONS', 50),
	pgUrl: env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
	skipPg: env.BENCH_SKIP_PG === '1' || env.BENCH_SKIP_PG === 'true',
	strict: env.BENCH_STRICT === '1' || env.BENCH_STRICT === 'true'
};
const IMPORT_ROWS = 3000;
// Scale of the coverage database, demo rows included (the demo seed has 2 police services, 1 in force, 2 schools).
const SERVICES = 100;
const ACTIVE = 50;
const SCHOOLS = 2500;
const DEMO = { services: 2, active: 1, schools: 2 };
const TARGET_VS_FLOOR = 0.6;

const sextoEnv = {
	NODE_ENV: 'production',
	SEED_DEMO: 'false',
	JOBS_ENABLED: 'false',
	FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
	BLIND_INDEX_KEY: randomBytes(32).toString('base64')
};

// ---------------------------------------------------------------------------------------------
// Cleanup (last-in first-out, on success, failure or signal)

const cleanups = [];
const children = new Set();
let cleaning;
const onCleanup = (label, fn) => cleanups.push({ label, fn });
function runCleanups() {
	cleaning ??= (async () => {
		while (cleanups.length) {
			const { label, fn } = cleanups.pop();
			try {
				await fn();
			} catch (error) {
				console.error(`cleanup "${label}" failed: ${error instanceof Error ? error.message : error}`);
			}
		}
	})();
	return cleaning;
}
for (const [signal, code] of [
	['SIGINT', 130],
	['SIGTERM', 143]
]) {
	process.on(signal, () => {
		console.error(`\n${signal}: cleaning up…`);
		runCleanups().finally(() => process.exit(code));
	});
}
process.on('exit', () => {
	for (const child of children) child.kill('SIGKILL');
});

// ---------------------------------------------------------------------------------------------
// Processes


function runChild(label, cmd, args, childEnv = env) {
	return new Promise((resolvePromise, reject) => {
		const child = spawn(cmd, args, { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
		children.add(child);
		const out = [];
		child.stdout.on('data', (d) => out.push(...String(d).split('\n')));
		child.stderr.on('data', (d) => out.push(...String(d).split('\n')));
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			children.delete(child);
			if (code === 0) resolvePromise(out);
			else reject(new Error(`${label} failed (${signal ?? `exit ${code}`})\n${tail(out)}`));
		});
	});
}



async function startServer(name, { cwd = root, extraEnv = {}, readyPath = '/' } = {}) {
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const childEnv = { ...env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ORIGIN: origin, SHUTDOWN_TIMEOUT: '1', ...extraEnv };
	const child = spawn(process.execPath, ['build/index.js'], { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
	children.add(child);
	const log = [];
	const keep = (d) => {
		log.push(...String(d).split('\n'));
		if (log.length > 200) log.splice(0, log.length - 200);
	};
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	child.on('exit', () => children.delete(child));
	onCleanup(`stop ${name}`, () => stopChild(child));
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`${name} exited during start (code ${child.exitCode})\n${tail(log)}`);
		try {
			const res = await fetch(origin + readyPath);
			await res.arrayBuffer();
			if (res.status === 200) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`${name} did not answer ${readyPath} within 30 s\n${tail(log)}`);
		await new Promise((r) => setTimeout(r, 100));
	}
	return { name, origin, child };
}

// ---------------------------------------------------------------------------------------------
// Databases

const dbEnv = (url) => ({ ...env, ...sextoEnv, DATABASE_URL: url });

async function adminQuery(text) {
	const c = new pg.Client({ connectionString: settings.pgUrl, connectionTimeoutMillis: 5000 });
	await c.connect();
	try {
		await c.query(text);
	} finally {
		await c.end();
	}
}

/** A fresh, migrated and seeded database; `dialect` sqlite or postgres. Dropped/removed by the cleanups. */
async function freshDb(dialect, tmp) {
	const name = `sexto_bench_${randomBytes(6).toString('hex')}`;
	let url;
	if (dialect === 'sqlite') {
		url = `sqlite:${join(tmp, `${name}.db`)}`;
	} else {
		await adminQuery(`CREATE DATABASE "${name}"`);
		onCleanup(`drop ${name}`, () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
		const u = new URL(settings.pgUrl);
		u.pathname = `/${name}`;
		url = u.toString();
	}
	await runChild(`seed (${dialect})`, tsxBin, ['src/cli/index.ts', 'seed'], dbEnv(url));
	return url;
}

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
		const url1 = await freshDb(dialect, tmp);
		const t0 = performance.now();
		const out = await runChild(`schools:import (${dialect})`, tsxBin, ['src/cli/index.ts', 'schools:import', csvFile], dbEnv(url1));
		const cliMs = performance.now() - t0;
		// exit 0 without --dry-run means committed (a refused import exits 1)
		if (!out.some((l) => /\d/.test(l))) throw new Error(`schools:import (${dialect}) printed no count:\n${tail(out)}`);
		cli.push(cliMs);
		const url2 = await freshDb(dialect, tmp);
		const res = JSON.parse((await runChild(`in-process import (${dialect})`, tsxBin, ['bench/registry-helper.ts', 'import', csvFile], dbEnv(url2))).filter(Boolean).at(-1));
		if (res.rows !== IMPORT_ROWS) throw new Error(`in-process import (${dialect}) wrote ${res.rows} rows`);
		inProcess.push(res.ms);
		console.log(`  ${dialect} run ${run}: CLI ${Math.round(cliMs)} ms (${Math.round(IMPORT_ROWS / (cliMs / 1000))} rows/s), in-process ${Math.round(res.ms)} ms (${Math.round(IMPORT_ROWS / (res.ms / 1000))} rows/s)`);
	}
	const rate = (ms) => Math.round(IMPORT_ROWS / (ms / 1000));
	return { dialect, rows: IMPORT_ROWS, runs: settings.importRuns, cliMs: cli.map(Math.round), inProcessMs: inProcess.map(Math.round), cliRowsPerSec: rate(median(cli)), inProcessRowsPerSec: rate(median(inProcess)) };
}

/** Seeded database + police services/agreements + schools imported in-process, to SERVICES / ACTIVE / SCHOOLS in total. */
async function coverageDb(dialect, tmp) {
	const url = await freshDb(dialect, tmp);
	const added = SERVICES - DEMO.services;
	await runChild(`populate (${dialect})`, tsxBin, ['bench/registry-helper.ts', 'populate', String(added), String(ACTIVE - DEMO.active)], dbEnv(url));
	const codes = Array.from({ length: added }, (_, i) => `BPS${String(i + 1).padStart(3, '0')}`);
	const file = join(tmp, `coverage-${dialect}.csv`);
	writeFileSync(file, schoolsCsv(SCHOOLS - DEMO.schools, 'COV', codes));
	await runChild(`import coverage schools (${dialect})`, tsxBin, ['bench/registry-helper.ts', 'import', file], dbEnv(url));
	return url;
}

async function cannon(url, duration) {
	const r = await autocannon({ url, connections: settings.connections, duration });
	return {
		reqPerSec: Math.round((r['2xx'] / r.duration) * 10) / 10,
		p50: r.latency.p50,
		p99: r.latency.p99,
		bad: r.non2xx + r.errors + r.timeouts
	};
}

// ---------------------------------------------------------------------------------------------

const pct = (v) => (v === null || v === undefined ? '–' : `${Math.round(v * 100)} %`);
const fmtNum = (v) => (v === null || v === undefined ? '–' : String(Math.round(v * 10) / 10));

async function main() {
	const t0 = Date.now();
	const loadAvgStart = os.loadavg().map((v) => Math.round(v * 100) / 100);
	for (const f of [join(root, 'build', 'index.js'), join(floorDir, 'build', 'index.js')]) {
		if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` (and \`npm run bench\` once for the floor build)`);
	}
	const tmp = mkdtempSync(join(os.tmpdir(), 'sexto-bench-registry-'));
	onCleanup('remove temp dir', () => rmSync(tmp, { recursive: true, force: true }));

	let pgSkipped = settings.skipPg ? 'BENCH_SKIP_PG' : null;
	if (!pgSkipped) {
		try {
			await adminQuery('select 1');
		} catch (error) {
			pgSkipped = `PostgreSQL unavailable: ${error instanceof Error ? error.message : error}`;
			console.log(`Skipping PostgreSQL: ${pgSkipped}`);
		}
	}
	const dialects = pgSkipped ? ['sqlite'] : ['sqlite', 'postgres'];

	console.log(`\n1. Import of ${IMPORT_ROWS} schools (${settings.importRuns} run(s) per dialect, fresh database each)`);
	const csvFile = join(tmp, 'schools-3000.csv');
	writeFileSync(csvFile, schoolsCsv(IMPORT_ROWS, 'BENCH', ['SPSJ', 'RIPLV']));
	const imports = [];
	for (const d of dialects) imports.push(await importBench(d, tmp, csvFile));

	console.log(`\n2. /couverture with ${SERVICES} police services (${ACTIVE} in force) and ${SCHOOLS} schools`);
	const floor = await startServer('floor', { cwd: floorDir });
	const targets = [{ key: 'floor', label: 'floor: SvelteKit hello page', url: `${floor.origin}/` }];
	for (const d of dialects) {
		const url = await coverageDb(d, tmp);
		const app = await startServer(`sexto-${d}`, { extraEnv: { ...sextoEnv, DATABASE_URL: url }, readyPath: '/healthz' });
		const res = await fetch(`${app.origin}/couverture`);
		const html = await res.text();
		const rowsShown = (html.match(/Sainte-Thérèse-de-l(?:'|&#39;|&apos;)Îlot n° \d+/g) ?? []).length;
		if (res.status !== 200 || rowsShown < ACTIVE - DEMO.active) throw new Error(`${d}: /couverture HTTP ${res.status}, ${rowsShown} generated services shown`);
		targets.push({ key: d, label: `${d}: /couverture (anonymous)`, url: `${app.origin}/couverture`, htmlKb: Math.round(Buffer.byteLength(html) / 100) / 10 });
	}

	console.log(`  warm-up ${settings.warmup} s per target, then ${settings.rounds} rounds × ${settings.duration} s, ${settings.connections} connections`);
	for (const t of targets) await cannon(t.url, settings.warmup);
	for (const t of targets) t.rounds = [];
	for (let round = 1; round <= settings.rounds; round++) {
		for (const t of targets) {
			const r = await cannon(t.url, settings.duration);
			t.rounds.push(r);
			console.log(`  round ${round} ${t.label.padEnd(34)} ${String(Math.round(r.reqPerSec)).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms${r.bad ? `  ⚠ ${r.bad} bad` : ''}`);
		}
	}
	const floorT = targets[0];
	const pages = targets.map((t) => ({
		key: t.key,
		label: t.label,
		htmlKb: t.htmlKb ?? null,
		reqPerSec: median(t.rounds.map((r) => r.reqPerSec)),
		p50: median(t.rounds.map((r) => r.p50)),
		p99: median(t.rounds.map((r) => r.p99)),
		vsFloor: median(t.rounds.map((r, i) => r.reqPerSec / floorT.rounds[i].reqPerSec)),
		bad: t.rounds.reduce((a, r) => a + r.bad, 0),
		rounds: t.rounds.map((r) => Math.round(r.reqPerSec))
	}));
	const checks = pages
		.filter((p) => p.key !== 'floor')
		.map((p) => ({ name: `/couverture ${p.key} vs floor`, threshold: `≥ ${pct(TARGET_VS_FLOOR)}`, measured: pct(p.vsFloor), pass: p.bad === 0 && p.vsFloor >= TARGET_VS_FLOOR }));

	const report = {
		date: new Date().toISOString(),
		durationSec: Math.round((Date.now() - t0) / 1000),
		machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown', node: process.versions.node, loadAvgStart, loadAvgEnd: os.loadavg().map((v) => Math.round(v * 100) / 100) },
		settings: { ...settings, pgUrl: settings.pgUrl.replace(/\/\/[^@]*@/, '//…@') },
		scale: { importRows: IMPORT_ROWS, services: SERVICES, activeAgreements: ACTIVE, schools: SCHOOLS },
		postgresSkipped: pgSkipped,
		imports,
		pages,
		checks
	};
	mkdirSync(resultsDir, { recursive: true });
	writeFileSync(join(resultsDir, 'registry-latest.json'), JSON.stringify(report, null, '\t') + '\n');

	const m = report.machine;
	const lines = [`Run ${report.date} — ${m.cpus} × ${m.cpuModel}, Node ${m.node}, load average ${m.loadAvgStart.join(' / ')} → ${m.loadAvgEnd.join(' / ')}`, ''];
	lines.push(`| import ${IMPORT_ROWS} schools | CLI rows/s (wall, incl. tsx start-up) | in-process rows/s (importSchools) | CLI runs ms | in-process runs ms |`, '|---|---:|---:|---|---|');
	for (const r of imports) lines.push(`| ${r.dialect} | ${r.cliRowsPerSec} | ${r.inProcessRowsPerSec} | ${r.cliMs.join(', ')} | ${r.inProcessMs.join(', ')} |`);
	lines.push('', `| page (${SERVICES} services, ${ACTIVE} in force, ${SCHOOLS} schools) | req/s | p50 ms | p99 ms | vs floor | HTML kB | rounds req/s | bad |`, '|---|---:|---:|---:|---:|---:|---|---:|');
	for (const p of pages) lines.push(`| ${p.label} | ${Math.round(p.reqPerSec)} | ${fmtNum(p.p50)} | ${fmtNum(p.p99)} | ${pct(p.vsFloor)} | ${p.htmlKb ?? '–'} | ${p.rounds.join(', ')} | ${p.bad} |`);
	lines.push('', '| target | threshold | measured | result |', '|---|---|---|---|');
	for (const c of checks) lines.push(`| ${c.name} | ${c.threshold} | ${c.measured} | ${c.pass ? 'PASS' : 'FAIL'} |`);
	console.log(`\n${lines.join('\n')}\n`);
	console.log(`Raw results: bench/results/registry-latest.json (${report.durationSec} s)`);
	return settings.strict && checks.some((c) => !c.pass) ? 1 : 0;
}

let exitCode = 1;
try {
	exitCode = await main();
} catch (error) {
	console.error(`\nRegistry benchmark failed: ${error instanceof Error ? error.message : error}`);
} finally {
	await runCleanups();
}
process.exit(exitCode);
