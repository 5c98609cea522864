#!/usr/bin/env node
/**
 * `npm run bench:training` (issue 6): the evaluator queue (/evaluation) with 50,000 Explorateur submissions on
 * PostgreSQL, signed in as the demo trainer-evaluator.
 *   1. Max throughput at 50 connections (autocannon), as a ratio to the SvelteKit floor (bench/floor, hello page)
 *      measured in the same run, interleaved rounds: first page of the waiting list, and a page deep in "all"
 *      (keyset cursor 40,000 rows in).
 *   2. Latency at a constant 200 req/s (evenly paced open loop, latency from the scheduled send time) on the
 *      first page of the waiting list.
 * Targets: ≥ 50 % of the floor, p99 < 50 ms. The database is `sexto_bench_<random>`, dropped at the end.
 *
 * Settings (environment, all optional):
 *   BENCH_SUBMISSIONS=50000  BENCH_ROUNDS=3  BENCH_DURATION=5  BENCH_WARMUP=3  BENCH_CONNECTIONS=50
 *   BENCH_RATE=200  BENCH_RATE_DURATION=10  BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres  BENCH_STRICT=1
 * Writes bench/results/training-latest.json and prints Markdown tables.
 */
import pg from 'pg';
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
	num,
	pacedOpenLoop,
	pageThroughput,
	pct,
	redactUrl,
	runBench,
	runChild,
	runLine,
	sextoEnv,
	signIn,
	startApp,
	startFloor,
	tempDir,
	tsxBin,
	writeResults
} from './lib.mjs';

const settings = {
	submissions: num('BENCH_SUBMISSIONS', 50_000),
	rounds: num('BENCH_ROUNDS', 3),
	duration: num('BENCH_DURATION', 5),
	warmup: num('BENCH_WARMUP', 3),
	connections: num('BENCH_CONNECTIONS', 50),
	pgUrl: process.env.BENCH_PG_URL || DEFAULT_PG_URL,
	skipPg: flag('BENCH_SKIP_PG'),
	strict: flag('BENCH_STRICT'),
	rate: num('BENCH_RATE', 200),
	rateDuration: num('BENCH_RATE_DURATION', 10)
};
const TARGET_VS_FLOOR = 0.5;
const TARGET_P99_MS = 50;
const EVALUATOR = 'formateur@sexto.test';
const sexto = sextoEnv({ JOBS_ENABLED: 'false' });

async function main() {
	const t0 = Date.now();
	const loadAvgStart = loadAvg();
	await ensureBuilds({ app: 'required', floor: 'missing' });
	const tmp = tempDir('sexto-bench-training-');

	console.log(`\nPopulating PostgreSQL with ${settings.submissions} Explorateur submissions…`);
	const { url } = await freshDb('postgres', { tmp, pgUrl: settings.pgUrl, sexto });
	const populated = JSON.parse((await runChild('populate', tsxBin, ['bench/training-helper.ts', 'populate', String(settings.submissions)], { childEnv: dbEnv(sexto, url) })).filter(Boolean).at(-1));
	console.log(`  added ${populated.added} (${populated.waiting} waiting) in ${populated.ms} ms`);

	const floor = await startFloor();
	const app = await startApp('sexto-postgres', sexto, url);
	const cookie = await signIn(app.origin, EVALUATOR);
	const headers = { cookie };

	// Sanity: the page answers 200 with 25 rows of the generated learners, and a next-page cursor.
	const first = await fetch(`${app.origin}/evaluation`, { headers });
	const html = await first.text();
	const rows = (html.match(/href="\/evaluation\/explorateur\/[0-9a-f-]{36}"/g) ?? []).length;
	const cursor = /apres=([^"&]+)/.exec(html)?.[1];
	if (first.status !== 200 || rows !== 25 || !cursor) throw new Error(`/evaluation: HTTP ${first.status}, ${rows} rows, cursor ${cursor ?? 'none'}`);
	// A deep page: walk "all" with keyset cursors would take 1,600 requests; build the cursor of row 40,000 instead.
	const deep = await deepCursor(url, Math.floor(settings.submissions * 0.8));
	const deepUrl = `${app.origin}/evaluation?statut=all&apres=${encodeURIComponent(deep)}`;
	const deepRes = await fetch(deepUrl, { headers });
	const deepHtml = await deepRes.text();
	if (deepRes.status !== 200 || (deepHtml.match(/href="\/evaluation\/explorateur\//g) ?? []).length !== 25) throw new Error(`deep page: HTTP ${deepRes.status}`);

	const targets = [
		{ key: 'floor', label: 'floor: SvelteKit hello page', url: `${floor.origin}/`, headers: {} },
		{ key: 'queue', label: 'postgres: /evaluation (waiting, page 1)', url: `${app.origin}/evaluation`, headers, htmlKb: Math.round(Buffer.byteLength(html) / 100) / 10 },
		{ key: 'deep', label: 'postgres: /evaluation?statut=all, row 40,000+', url: deepUrl, headers }
	];
	console.log(`  warm-up ${settings.warmup} s per target, then ${settings.rounds} rounds × ${settings.duration} s, ${settings.connections} connections`);
	const pages = await pageThroughput(targets, settings, { labelWidth: 46 });

	console.log(`\nConstant ${settings.rate} req/s for ${settings.rateDuration} s (paced open loop)`);
	const paced = await pacedOpenLoop(targets[1], { rate: settings.rate, duration: settings.rateDuration });
	const { p50, p90, p99, max } = paced.latencyMs;
	const rate = { requests: paced.requests, bad: paced.wrongStatus + paced.errors, p50, p90, p99, max };
	console.log(`  /evaluation: p50 ${rate.p50} ms  p90 ${rate.p90} ms  p99 ${rate.p99} ms  max ${rate.max} ms${rate.bad ? `  ⚠ ${rate.bad} bad` : ''}`);

	const queue = pages.find((p) => p.key === 'queue');
	const checks = [
		{ name: '/evaluation (50,000 submissions) vs floor, 50 connections', threshold: `≥ ${pct(TARGET_VS_FLOOR)}`, measured: pct(queue.vsFloor), pass: queue.bad === 0 && queue.vsFloor >= TARGET_VS_FLOOR },
		{ name: `/evaluation p99 at ${settings.rate} req/s`, threshold: `< ${TARGET_P99_MS} ms`, measured: `${rate.p99} ms`, pass: rate.bad === 0 && rate.p99 < TARGET_P99_MS }
	];
	const report = {
		date: new Date().toISOString(),
		durationSec: Math.round((Date.now() - t0) / 1000),
		machine: machineInfo(loadAvgStart),
		settings: { ...settings, pgUrl: redactUrl(settings.pgUrl) },
		populated,
		pages,
		rate,
		checks
	};
	const file = writeResults('training-latest.json', report);

	const lines = [`${runLine(report)}; ${populated.added} submissions (${populated.waiting} waiting)`, ''];
	lines.push(
		...mdTable(
			[`page (${settings.connections} connections)`, 'req/s', 'p50 ms', 'p99 ms', 'vs floor', 'HTML kB', 'rounds req/s', 'bad'],
			'lrrrrrlr',
			pages.map((p) => [p.label, Math.round(p.reqPerSec), fmt(p.p50, 1), fmt(p.p99, 1), pct(p.vsFloor), p.htmlKb ?? '–', p.rounds.join(', '), p.bad])
		)
	);
	lines.push('', ...mdTable([`/evaluation at ${settings.rate} req/s (paced, ${rate.requests} requests)`, 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'bad'], 'lrrrrr', [['postgres', rate.p50, rate.p90, rate.p99, rate.max, rate.bad]]));
	lines.push('', ...checksTable(checks));
	console.log(`\n${lines.join('\n')}\n`);
	console.log(`Raw results: ${file} (${report.durationSec} s)`);
	return settings.strict && checks.some((c) => !c.pass) ? 1 : 0;
}

/** The keyset cursor after the `offset`-th submission of "all" (same order as the page: submitted_at, id). */
async function deepCursor(url, offset) {
	const c = new pg.Client({ connectionString: url });
	await c.connect();
	try {
		const r = await c.query('select submitted_at, id from training_submissions where submitted_at is not null order by submitted_at, id offset $1 limit 1', [offset]);
		return `${r.rows[0].submitted_at}_${r.rows[0].id}`;
	} finally {
		await c.end();
	}
}

runBench(main, { name: 'Training queue benchmark' });
