#!/usr/bin/env node
/**
 * `npm run bench:attestations` (issue 7): the public proof page /attestations/<id> (anonymous, the demo's public
 * Explorateur attestation) on SQLite and PostgreSQL, next to the SvelteKit floor (bench/floor) measured in the
 * same run:
 *   1. throughput: autocannon, 50 keep-alive connections, a warm-up per target then interleaved rounds; server
 *      CPU µs per request from /proc; "vs floor" = median of the per-round ratios;
 *   2. latency at a constant 200 req/s: an evenly paced open loop (one request every 5 ms, latency counted from
 *      the scheduled send time), floor and proof pages one after another.
 * Each app server gets a fresh database seeded through the real CLI (`tsx src/cli/index.ts seed`, which prints
 * the demo attestation's address), `JOBS_ENABLED=false`. Needs build/ and bench/floor/build/ (built when missing).
 *
 * Settings (environment, all optional):
 *   BENCH_ROUNDS=3  BENCH_DURATION=3  BENCH_WARMUP=2  BENCH_CONNECTIONS=50
 *   BENCH_RATE=200  BENCH_RATE_DURATION=8
 *   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres  BENCH_SKIP_PG=1  BENCH_STRICT=1
 * Writes bench/results/attestations-latest.json and prints Markdown tables. Loopback only, bounded in time;
 * servers stopped and databases dropped on success, failure or Ctrl-C.
 */
import {
	DEFAULT_PG_URL,
	checksTable,
	ensureBuilds,
	flag,
	freshDb,
	loadAvg,
	machineInfo,
	mdTable,
	num,
	pacedOpenLoop,
	pageThroughput,
	pct,
	pgSkipReason,
	redactUrl,
	runBench,
	runLine,
	sextoEnv,
	startApp,
	startFloor,
	tail,
	tempDir,
	writeResults
} from './lib.mjs';

const settings = {
	rounds: num('BENCH_ROUNDS', 3),
	duration: num('BENCH_DURATION', 3),
	warmup: num('BENCH_WARMUP', 2),
	connections: num('BENCH_CONNECTIONS', 50),
	rate: num('BENCH_RATE', 200),
	rateDuration: num('BENCH_RATE_DURATION', 8),
	pgUrl: process.env.BENCH_PG_URL || DEFAULT_PG_URL,
	skipPg: flag('BENCH_SKIP_PG'),
	strict: flag('BENCH_STRICT')
};
const TARGET_VS_FLOOR = 0.6;
const sexto = sextoEnv({ JOBS_ENABLED: 'false', LOG_LEVEL: 'warn' });

/** A fresh, migrated and seeded database; resolves to its URL and the demo attestation's path printed by the seed. */
async function seededDb(dialect, tmp) {
	const { url, seedOutput } = await freshDb(dialect, { tmp, pgUrl: settings.pgUrl, sexto });
	const path = seedOutput.map((l) => /Demo public attestation: (\/attestations\/[0-9a-f-]{36})/.exec(l)?.[1]).find(Boolean);
	if (!path) throw new Error(`seed (${dialect}) printed no demo attestation:\n${tail(seedOutput)}`);
	return { url, path };
}

async function main() {
	const t0 = Date.now();
	const loadAvgStart = loadAvg();
	await ensureBuilds({ app: 'missing', floor: 'missing' });
	const tmp = tempDir('sexto-bench-attestations-');
	const pgSkipped = await pgSkipReason(settings);
	const dialects = pgSkipped ? ['sqlite'] : ['sqlite', 'postgres'];

	const floor = await startFloor();
	const targets = [{ key: 'floor', label: 'floor: SvelteKit hello page', url: `${floor.origin}/`, pid: floor.pid }];
	for (const d of dialects) {
		const db = await seededDb(d, tmp);
		const app = await startApp(`sexto-${d}`, sexto, db.url);
		const url = `${app.origin}${db.path}`;
		const res = await fetch(url);
		const html = await res.text();
		if (res.status !== 200 || !html.includes('Émilie Roy') || !html.includes('Date d’obtention')) throw new Error(`${d}: ${db.path} answered HTTP ${res.status} without the seeded proof page`);
		// an unknown id is a 404 (sanity: the benchmark measures the real page, not an error page)
		const unknown = await fetch(`${app.origin}/attestations/${crypto.randomUUID()}`);
		await unknown.arrayBuffer();
		if (unknown.status !== 404) throw new Error(`${d}: an unknown attestation answered ${unknown.status}`);
		targets.push({ key: d, label: `${d}: proof page (anonymous)`, url, pid: app.pid, htmlKb: Math.round(Buffer.byteLength(html) / 100) / 10 });
	}

	console.log(`\n1. Throughput: warm-up ${settings.warmup} s per target, then ${settings.rounds} rounds × ${settings.duration} s, ${settings.connections} connections`);
	const pages = await pageThroughput(targets, settings, { labelWidth: 34 });

	console.log(`\n2. Latency at a constant ${settings.rate} req/s (paced open loop, ${settings.rateDuration} s each)`);
	const latency = [];
	for (const t of targets) {
		const { latencyMs: l, requests, wrongStatus, errors } = await pacedOpenLoop(t, { rate: settings.rate, duration: settings.rateDuration });
		const r = { p50: l.p50, p90: l.p90, p99: l.p99, max: l.max, requests, bad: wrongStatus + errors };
		latency.push({ key: t.key, label: t.label, ...r });
		console.log(`  ${t.label.padEnd(34)} p50 ${r.p50} ms  p90 ${r.p90} ms  p99 ${r.p99} ms  max ${r.max} ms${r.bad ? `  ⚠ ${r.bad} bad` : ''}`);
	}

	const checks = pages
		.filter((p) => p.key !== 'floor')
		.map((p) => ({ name: `proof page ${p.key} vs floor (req/s)`, threshold: `≥ ${pct(TARGET_VS_FLOOR)}`, measured: pct(p.vsFloor), pass: p.bad === 0 && p.vsFloor >= TARGET_VS_FLOOR }));

	const report = {
		date: new Date().toISOString(),
		durationSec: Math.round((Date.now() - t0) / 1000),
		machine: machineInfo(loadAvgStart),
		settings: { ...settings, pgUrl: redactUrl(settings.pgUrl) },
		postgresSkipped: pgSkipped,
		pages,
		latency,
		checks
	};
	writeResults('attestations-latest.json', report);

	const lines = [runLine(report), ''];
	lines.push(
		...mdTable(
			['page', 'req/s', 'p50 ms', 'p99 ms', 'vs floor', 'server CPU µs/req', 'vs floor (CPU)', 'HTML kB', 'rounds req/s', 'bad'],
			'lrrrrrrrlr',
			pages.map((p) => [p.label, Math.round(p.reqPerSec), p.p50, p.p99, pct(p.vsFloor), p.cpuUsPerReq ?? '–', pct(p.vsFloorCpu), p.htmlKb ?? '–', p.rounds.join(', '), p.bad])
		)
	);
	lines.push('', ...mdTable([`at ${settings.rate} req/s (paced)`, 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'bad'], 'lrrrrr', latency.map((l) => [l.label, l.p50, l.p90, l.p99, l.max, l.bad])));
	lines.push('', ...checksTable(checks));
	if (pgSkipped) lines.push('', `PostgreSQL skipped: ${pgSkipped}`);
	console.log(`\n${lines.join('\n')}\n`);
	return settings.strict && checks.some((c) => !c.pass) ? 1 : 0;
}

runBench(main, { stack: true });
