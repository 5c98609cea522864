#!/usr/bin/env node
/**
 * `npm run bench`: load the foundation on 127.0.0.1 and compare it, in the same run, with
 *   - bare:  a plain node:http server answering a fixed HTML page (the machine's ceiling),
 *   - floor: the smallest SvelteKit 2 + adapter-node app (bench/floor/, the framework's floor),
 *   - Sexto: build/index.js on a fresh demo SQLite database, then on a fresh PostgreSQL database.
 * The machine is shared and noisy: absolute numbers drift from run to run, ratios within one run do not
 * (much). See docs/BENCHMARKS.md.
 *
 * Settings (environment, all optional):
 *   BENCH_ROUNDS=5  BENCH_DURATION=2  BENCH_WARMUP=2       throughput: warm-up, then interleaved rounds of DURATION s per target
 *   BENCH_CONNECTIONS=50                                      connections for throughput runs
 *   BENCH_RATE=200  BENCH_RATE_DURATION=8  BENCH_RATE_CONNECTIONS=10   the constant-rate runs on the dashboard
 *   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres  admin URL used to create/drop sexto_bench_<random>
 *   BENCH_SKIP_PG=1                                           SQLite only
 *   BENCH_STRICT=1                                            exit 1 when a target is missed
 * Writes bench/results/latest.json and prints Markdown tables.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	DEFAULT_PG_URL,
	cannon,
	check,
	checksTable,
	clientJs,
	ensureBuilds,
	flag,
	floorDir,
	fmt,
	freshDb,
	interleavedRounds,
	loadAvg,
	machineInfo,
	mdTable,
	medianCostRatio,
	medianOf,
	medianRatio,
	num,
	pacedOpenLoop,
	pctFine as pct,
	perSecond,
	pgSkipReason,
	redactUrl,
	root,
	roundLines,
	runBench,
	runLine,
	sextoEnv,
	signIn,
	startApp,
	startFloor,
	startServer,
	tempDir,
	writeResults
} from './lib.mjs';

const settings = {
	rounds: num('BENCH_ROUNDS', 5),
	duration: num('BENCH_DURATION', 2),
	warmup: num('BENCH_WARMUP', 2),
	rateDuration: num('BENCH_RATE_DURATION', 8),
	connections: num('BENCH_CONNECTIONS', 50),
	rate: num('BENCH_RATE', 200),
	rateConnections: num('BENCH_RATE_CONNECTIONS', 10),
	pgUrl: process.env.BENCH_PG_URL || DEFAULT_PG_URL,
	skipPg: flag('BENCH_SKIP_PG'),
	strict: flag('BENCH_STRICT'),
	email: 'direction@sexto.test'
};

/** Targets (docs/BENCHMARKS.md). Sizes in kB = 1,000 bytes, as Vite prints them. */
const TARGETS = {
	dashboardVsFloorSqlite: 0.6,
	dashboardVsFloorPostgres: 0.4,
	p99AtRateMs: 30,
	signInJsKb: 60,
	floorJsKb: 38
};

// Settings every Sexto process of the run gets (the seed CLI and the servers): fresh keys for the fresh databases.
const sexto = sextoEnv();

// ---------------------------------------------------------------------------------------------
// Load

function summarise(r) {
	return {
		reqPerSec: perSecond(r['2xx'], r.duration),
		latencyMs: { avg: r.latency.average, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
		requests: r.requests.total,
		non2xx: r.non2xx,
		errors: r.errors,
		timeouts: r.timeouts,
		durationSec: r.duration
	};
}

const badCount = (r) => r.non2xx + r.errors + r.timeouts;
const warn = (r) => (badCount(r) ? `  ⚠ ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts` : '');

/** One closed-loop throughput run: `connections` keep-alive connections, each sends its next request on an answer. */
async function closedLoop(target, duration) {
	const r = await cannon(target, { connections: settings.connections, duration });
	return { ...summarise(r), serverCpuUsPerReq: r.serverCpuUsPerReq };
}

/** Throughput of every target, interleaved (lib.mjs interleavedRounds): medians and per-round ratios to the floor. */
async function throughputRounds(targets) {
	console.log(`  warm-up: ${settings.warmup} s per target`);
	await interleavedRounds(targets, {
		...settings,
		measure: closedLoop,
		...roundLines(settings.rounds, { labelWidth: 38, warn })
	});
}

/**
 * autocannon's overallRate: each of `rateConnections` connections may send rate/connections requests per
 * second. It sends them back to back at the start of each second, so this is a bursty 200 req/s (a
 * concurrency-10 burst every second). Its coordinated-omission correction assumes a 1 ms interval in this
 * mode (it backfills a 10 ms answer with 9, 8, … 1 ms samples), so it is turned off: raw latencies.
 */
async function atRateAutocannon(label, group, target) {
	const r = await cannon(target, { connections: settings.rateConnections, overallRate: settings.rate, duration: settings.rateDuration, ignoreCoordinatedOmission: true });
	const row = { label, group, url: target.url, method: `autocannon overallRate=${settings.rate}, ${settings.rateConnections} connections (bursty)`, ...summarise(r) };
	console.log(`  ${label.padEnd(40)} ${String(Math.round(row.reqPerSec)).padStart(5)} req/s  p50 ${row.latencyMs.p50} ms  p99 ${row.latencyMs.p99} ms${warn(row)}`);
	return row;
}

/** The paced open loop (lib.mjs pacedOpenLoop): one request every 1000/rate ms, latency from the scheduled send time. */
async function atRatePaced(label, group, target) {
	const p = await pacedOpenLoop(target, { rate: settings.rate, duration: settings.rateDuration });
	const row = {
		label,
		group,
		url: target.url,
		method: `paced open loop, one request every ${p.interval} ms`,
		reqPerSec: settings.rate,
		latencyMs: p.latencyMs,
		requests: p.requests,
		non2xx: p.wrongStatus,
		errors: p.errors,
		timeouts: 0,
		durationSec: settings.rateDuration
	};
	console.log(`  ${label.padEnd(40)} ${String(settings.rate).padStart(5)} req/s  p50 ${row.latencyMs.p50} ms  p99 ${row.latencyMs.p99} ms${warn(row)}`);
	return row;
}

// ---------------------------------------------------------------------------------------------
// Sexto specifics

/** Seeds a fresh database with the demo, starts build/index.js on it and signs in once. */
async function startSexto(dialect, tmp) {
	const db = await freshDb(dialect, { tmp, pgUrl: settings.pgUrl, sexto, quiet: false });
	const app = await startApp(`sexto-${dialect}`, sexto, db.url);
	const cookie = await signIn(app.origin, settings.email);
	const res = await fetch(`${app.origin}/tableau-de-bord`, { headers: { cookie }, redirect: 'manual' });
	const html = await res.text();
	if (res.status !== 200 || !html.includes('Marc Gagnon')) throw new Error(`signed-in dashboard check failed: HTTP ${res.status}`);
	return { dialect, app, signedIn: { cookie } };
}

/** gzip size of the JS a page loads (lib.mjs clientJs), with the list of its files. */
async function clientJsReport(pageUrl, clientDir) {
	const js = await clientJs(pageUrl, clientDir);
	return { page: js.page, files: js.files.length, notPreloaded: js.files.filter((f) => !f.declared).length, bytes: js.bytes, gzipBytes: js.gzipBytes, gzipKb: js.gzipKb, detail: js.files };
}

// ---------------------------------------------------------------------------------------------
// Report

function markdown(report) {
	const s = report.settings;
	const lines = [runLine(report)];
	lines.push(
		`Throughput: autocannon, ${s.connections} connections, ${s.warmup} s warm-up, then ${s.rounds} interleaved rounds of ${s.duration} s per target; medians over the rounds; ratios = median of the per-round ratios.`
	);
	lines.push('');
	lines.push(
		...mdTable(
			['target', 'req/s', 'p50 ms', 'p99 ms', 'vs floor', 'vs bare', 'server CPU µs/req', 'vs floor (CPU)', 'rounds (req/s)', 'non-2xx/errors'],
			'lrrrrrrrlr',
			report.throughput.map((r) => [r.label, Math.round(r.reqPerSec), fmt(r.latencyMs.p50), fmt(r.latencyMs.p99), pct(r.vsFloor), pct(r.vsBare), fmt(r.serverCpuUsPerReq), pct(r.cpuVsFloor), r.rounds.map((x) => Math.round(x.reqPerSec)).join(', '), r.bad])
		)
	);
	lines.push('');
	lines.push(
		...mdTable(
			[`signed-in dashboard at ${s.rate} req/s`, 'method', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'non-2xx/errors'],
			'llrrrrr',
			report.rate.map((r) => [r.label, r.method, fmt(r.latencyMs.p50), fmt(r.latencyMs.p90), fmt(r.latencyMs.p99), fmt(r.latencyMs.max), badCount(r)])
		)
	);
	lines.push('');
	lines.push(...mdTable(['client JS', 'files', 'raw kB', 'gzip kB'], 'lrrr', Object.entries(report.clientJs).map(([name, js]) => [`${name} (${js.page})`, js.files, (js.bytes / 1000).toFixed(1), js.gzipKb])));
	lines.push('');
	lines.push(...checksTable(report.checks));
	return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main() {
	const t0 = Date.now();
	const loadAvgStart = loadAvg();
	await ensureBuilds();

	const tmp = tempDir('sexto-bench-');

	console.log('\nStarting servers');
	const bare = await startServer('bare', { args: (port) => ['bench/bare.mjs', String(port)] });
	const floor = await startFloor();
	const apps = [await startSexto('sqlite', tmp)];
	const pgSkipped = await pgSkipReason(settings);
	if (!pgSkipped) apps.push(await startSexto('postgres', tmp));
	console.log(`  ${['bare', 'floor', ...apps.map((a) => `sexto-${a.dialect}`)].join(', ')} listening on 127.0.0.1; signed in as ${settings.email}`);

	const clientJsSizes = {
		floor: await clientJsReport(`${floor.origin}/`, join(floorDir, 'build', 'client')),
		signIn: await clientJsReport(`${apps[0].app.origin}/connexion`, join(root, 'build', 'client'))
	};

	const targets = [
		{ key: 'bare', label: 'bare node:http', group: 'baseline', url: `${bare.origin}/`, pid: bare.pid },
		{ key: 'floor', label: 'floor: SvelteKit hello page', group: 'baseline', url: `${floor.origin}/`, pid: floor.pid }
	];
	for (const { dialect, app, signedIn } of apps) {
		const pid = app.pid;
		targets.push(
			{ key: `${dialect}.home`, label: `${dialect}: / (anonymous)`, group: dialect, url: `${app.origin}/`, pid },
			{ key: `${dialect}.homeSignedIn`, label: `${dialect}: / (signed in)`, group: dialect, url: `${app.origin}/`, headers: signedIn, pid },
			{ key: `${dialect}.healthz`, label: `${dialect}: /healthz`, group: dialect, url: `${app.origin}/healthz`, pid },
			{ key: `${dialect}.dashboard`, label: `${dialect}: /tableau-de-bord (signed in)`, group: dialect, url: `${app.origin}/tableau-de-bord`, headers: signedIn, pid }
		);
	}
	console.log('\nThroughput');
	await throughputRounds(targets);

	console.log(`\nSigned-in dashboard at ${settings.rate} req/s`);
	const rate = [];
	for (const { dialect, app, signedIn } of apps) {
		const target = { url: `${app.origin}/tableau-de-bord`, headers: signedIn };
		rate.push(await atRateAutocannon(`${dialect}: autocannon overallRate`, dialect, target));
		rate.push(await atRatePaced(`${dialect}: paced`, dialect, target));
	}

	const byKey = Object.fromEntries(targets.map((t) => [t.key, t]));
	const throughputReport = targets.map((t) => ({
		key: t.key,
		label: t.label,
		group: t.group,
		url: t.url,
		signedIn: Boolean(t.headers),
		reqPerSec: medianOf(t.rounds, (r) => r.reqPerSec),
		latencyMs: { p50: medianOf(t.rounds, (r) => r.latencyMs.p50), p99: medianOf(t.rounds, (r) => r.latencyMs.p99) },
		vsFloor: medianRatio(t.rounds, byKey.floor.rounds, (r) => r.reqPerSec),
		vsBare: medianRatio(t.rounds, byKey.bare.rounds, (r) => r.reqPerSec),
		serverCpuUsPerReq: medianOf(t.rounds, (r) => r.serverCpuUsPerReq),
		// Floor's server CPU per request over this target's: steadier than req/s, but blind to PostgreSQL's own CPU.
		cpuVsFloor: medianCostRatio(t.rounds, byKey.floor.rounds, (r) => r.serverCpuUsPerReq),
		bad: t.rounds.reduce((a, r) => a + badCount(r), 0),
		rounds: t.rounds
	}));
	const row = (key) => throughputReport.find((r) => r.key === key);
	const rateRow = (dialect, how) => rate.find((r) => r.group === dialect && r.label.endsWith(how));

	const checks = [];
	for (const [dialect, name, threshold] of [
		['sqlite', 'SQLite', TARGETS.dashboardVsFloorSqlite],
		['postgres', 'PostgreSQL', TARGETS.dashboardVsFloorPostgres]
	]) {
		const r = row(`${dialect}.dashboard`);
		checks.push(check(`signed-in dashboard, ${name}, vs floor (req/s)`, `≥ ${pct(threshold)}`, r ? pct(r.vsFloor) : 'not run', r ? r.bad === 0 && r.vsFloor >= threshold : null));
	}
	for (const [dialect, name] of [
		['sqlite', 'SQLite'],
		['postgres', 'PostgreSQL']
	]) {
		for (const how of ['autocannon overallRate', 'paced']) {
			const r = rateRow(dialect, how);
			checks.push(
				check(
					`dashboard p99 at ${settings.rate} req/s, ${name}, ${how}`,
					`< ${TARGETS.p99AtRateMs} ms`,
					r ? `${fmt(r.latencyMs.p99)} ms` : 'not run',
					r ? badCount(r) === 0 && r.latencyMs.p99 < TARGETS.p99AtRateMs : null
				)
			);
		}
	}
	const signInKb = clientJsSizes.signIn.gzipKb;
	const floorKb = clientJsSizes.floor.gzipKb;
	checks.push(check('client JS, sign-in page (/connexion), gzip', `≤ ${TARGETS.signInJsKb} kB`, `${signInKb} kB`, signInKb <= TARGETS.signInJsKb));
	checks.push(check('client JS, floor page, gzip (reference)', `≈ ${TARGETS.floorJsKb} kB (± 25 %)`, `${floorKb} kB`, Math.abs(floorKb / TARGETS.floorJsKb - 1) <= 0.25));

	const git = (args) => {
		try {
			return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
		} catch {
			return null;
		}
	};
	const pkgVersion = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
	const report = {
		date: new Date().toISOString(),
		durationSec: Math.round((Date.now() - t0) / 1000),
		git: { commit: git(['rev-parse', '--short', 'HEAD']), dirty: Boolean(git(['status', '--porcelain'])) },
		machine: machineInfo(loadAvgStart, { full: true }),
		versions: Object.fromEntries(['@sveltejs/kit', 'svelte', '@sveltejs/adapter-node', 'vite', 'autocannon'].map((n) => [n, pkgVersion(n)])),
		settings: { ...settings, pgUrl: redactUrl(settings.pgUrl) },
		targets: TARGETS,
		postgresSkipped: pgSkipped,
		throughput: throughputReport,
		rate,
		clientJs: clientJsSizes,
		checks
	};
	const file = writeResults('latest.json', report);
	console.log(`\n${markdown(report)}\n`);
	console.log(`Raw results: ${file} (${report.durationSec} s)`);
	const failed = checks.filter((c) => c.pass === false);
	return settings.strict && failed.length ? 1 : 0;
}

runBench(main);
