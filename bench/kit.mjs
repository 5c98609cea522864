#!/usr/bin/env node
/**
 * `npm run bench:kit` (issue 5): the digital kit at scale on PostgreSQL, next to the SvelteKit floor (bench/floor)
 * measured in the same run.
 *   1. A fresh `sexto_bench_<random>` database: migrations + demo seed (people, five demo cases written through the
 *      services), then 2,500 schools and 10,000 incidents bulk-inserted by bench/kit-helper.ts through the app's own
 *      field cipher (encrypted summaries, answers, student names + blind index). The demo school holds 2 % of them.
 *   2. At 10,000 incidents: the principal's school list (filtered, page 2) — throughput at 50 connections against
 *      the floor, then p50/p99 at a constant 200 req/s.
 *   3. Grown to 100,000 incidents: the same list, the case page (GET /incidents/<id>, which appends its audit row)
 *      and the save of one kit step (POST /incidents/<id>/etape/intent with the step's current version, rotating
 *      over the demo school's open cases so no two saves race): throughput at 50 connections (interleaved rounds
 *      with the floor) and p50/p99 at a constant 200 req/s (paced open loop, latency from the scheduled send time).
 *   4. Hand-off PDF: generation in-process (packet build + render, many runs) and over HTTP (sequential GETs).
 *   5. Share of the audit append (PostgreSQL advisory lock) in the case page, in-process.
 *   6. Client JS that the kit screens make the browser load (same method as bench/run.mjs).
 *
 * Settings (environment, all optional):
 *   BENCH_ROUNDS=3  BENCH_DURATION=3  BENCH_WARMUP=2  BENCH_CONNECTIONS=50  BENCH_RATE=200  BENCH_RATE_DURATION=8
 *   BENCH_SMALL=10000  BENCH_LARGE=100000  BENCH_PDF_RUNS=200  BENCH_AUDIT_RUNS=1000
 *   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres  BENCH_STRICT=1 (exit 1 when a target is missed)
 * Writes bench/results/kit-latest.json and prints Markdown tables.
 */
import pg from 'pg';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
	DEFAULT_PG_URL,
	cannon,
	check,
	checksTable,
	clientJs,
	createPgDatabase,
	dbEnv,
	ensureBuilds,
	flag,
	floorDir,
	fmt,
	interleavedRounds,
	loadAvg,
	machineInfo,
	mdTable,
	medianOf,
	medianRatio,
	num,
	pacedOpenLoop,
	pctFine as pct,
	percentile,
	perSecond,
	redactUrl,
	root,
	roundLines,
	runBench,
	runChild,
	runLine,
	seedDemo,
	sextoEnv,
	signIn,
	startApp,
	startFloor,
	tail,
	tsxBin,
	writeResults
} from './lib.mjs';

const settings = {
	rounds: num('BENCH_ROUNDS', 3),
	duration: num('BENCH_DURATION', 5),
	warmup: num('BENCH_WARMUP', 3),
	connections: num('BENCH_CONNECTIONS', 50),
	rate: num('BENCH_RATE', 200),
	rateDuration: num('BENCH_RATE_DURATION', 8),
	small: num('BENCH_SMALL', 10_000),
	large: num('BENCH_LARGE', 100_000),
	pdfRuns: num('BENCH_PDF_RUNS', 200),
	auditRuns: num('BENCH_AUDIT_RUNS', 1000),
	pgUrl: process.env.BENCH_PG_URL || DEFAULT_PG_URL,
	strict: flag('BENCH_STRICT'),
	email: 'direction@sexto.test'
};
const TARGETS = { casePageVsFloor: 0.4, p99AtRateMs: 50, pdfMs: 300, kitJsKb: 60 };
const DEMO_SCHOOL = '7b0b1a52-0000-4000-8000-000000000021';
const LIST_QUERY = `ecole=${DEMO_SCHOOL}&statut=handed_off&orientation=likely_malicious&page=2`;
const sexto = sextoEnv({ JOBS_ENABLED: 'false' });

/** Runs bench/kit-helper.ts on the database; resolves to the JSON line it prints. */
async function helper(databaseUrl, ...args) {
	const out = await runChild(`kit-helper ${args[0]}`, tsxBin, ['bench/kit-helper.ts', ...args.map(String)], { childEnv: dbEnv(sexto, databaseUrl) });
	const line = out.filter((l) => l.startsWith('{')).at(-1);
	if (!line) throw new Error(`kit-helper ${args[0]} printed no result\n${tail(out)}`);
	return JSON.parse(line);
}

// ---------------------------------------------------------------------------------------------
// Load

/**
 * One closed-loop run (autocannon, `connections` keep-alive connections). A target is either a GET (`url`,
 * success = 2xx) or a form POST whose body changes per request (`post()` → { path, body }, success = 303).
 */
async function closedLoop(target, duration) {
	const options = { connections: settings.connections, duration };
	if (target.post) {
		options.requests = [
			{
				method: 'POST',
				setupRequest: (req) => {
					const { path, body } = target.post();
					return { ...req, method: 'POST', path, body, headers: { ...req.headers, ...target.headers, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', origin: target.origin } };
				}
			}
		];
	}
	const r = await cannon(target, options);
	const ok = target.post ? r['3xx'] : r['2xx'];
	// requests.total counts answers; errors and timeouts got none.
	const bad = r.requests.total - ok + r.errors + r.timeouts;
	return { reqPerSec: perSecond(ok, r.duration), latencyMs: { p50: r.latency.p50, p99: r.latency.p99 }, requests: r.requests.total, bad, serverCpuUsPerReq: r.serverCpuUsPerReq };
}

/** Interleaved throughput rounds (lib.mjs interleavedRounds) of the targets, summarised against the floor. */
async function throughputRounds(targets) {
	console.log(`  warm-up: ${settings.warmup} s per target`);
	await interleavedRounds(targets, {
		...settings,
		measure: closedLoop,
		...roundLines(settings.rounds, { labelWidth: 40, warn: (r) => (r.bad ? `  ⚠ ${r.bad} failed` : '') })
	});
	const floor = targets.find((t) => t.key === 'floor');
	return targets.map((t) => ({
		key: t.key,
		label: t.label,
		reqPerSec: medianOf(t.rounds, (r) => r.reqPerSec),
		latencyMs: { p50: medianOf(t.rounds, (r) => r.latencyMs.p50), p99: medianOf(t.rounds, (r) => r.latencyMs.p99) },
		vsFloor: floor ? medianRatio(t.rounds, floor.rounds, (r) => r.reqPerSec) : null,
		serverCpuUsPerReq: medianOf(t.rounds, (r) => r.serverCpuUsPerReq),
		bad: t.rounds.reduce((a, r) => a + r.bad, 0),
		rounds: t.rounds.map((r) => Math.round(r.reqPerSec))
	}));
}

/** The paced open loop (lib.mjs pacedOpenLoop) at settings.rate req/s: GETs, or the POSTs of a save target. */
async function atRatePaced(label, target) {
	const p = await pacedOpenLoop(target, { rate: settings.rate, duration: settings.rateDuration });
	const bad = p.wrongStatus + p.errors;
	const { p50, p90, p99, max } = p.latencyMs;
	const row = { label, rate: settings.rate, requests: p.requests, bad, latencyMs: { p50, p90, p99, max } };
	console.log(`  ${label.padEnd(40)} ${settings.rate} req/s  p50 ${row.latencyMs.p50} ms  p99 ${row.latencyMs.p99} ms${bad ? `  ⚠ ${bad} failed` : ''}`);
	return row;
}

/** gzip size of the JS a page makes the browser load (lib.mjs clientJs, the method of bench/run.mjs). */
async function clientJsSize(pageUrl, clientDir, headers) {
	const js = await clientJs(pageUrl, clientDir, headers);
	return { page: js.page, files: js.files.length, inlineScripts: js.inlineScripts, gzipKb: js.gzipKb };
}

async function timedGets(url, headers, runs) {
	const ms = [];
	for (let i = 0; i < runs; i++) {
		const a = performance.now();
		const res = await fetch(url, { headers });
		const buf = await res.arrayBuffer();
		if (res.status !== 200 || buf.byteLength < 1000) throw new Error(`${url}: HTTP ${res.status}`);
		ms.push(performance.now() - a);
	}
	ms.sort((x, y) => x - y);
	const r2 = (v) => Math.round(v * 100) / 100;
	return { runs, p50: r2(percentile(ms, 50)), p99: r2(percentile(ms, 99)), max: r2(ms.at(-1)) };
}

// ---------------------------------------------------------------------------------------------

async function main() {
	const t0 = Date.now();
	const loadAvgStart = loadAvg();
	await ensureBuilds();
	const db = await createPgDatabase(settings.pgUrl);
	console.log(`PostgreSQL database ${db.name}: migrate + demo seed`);
	await seedDemo(db.url, sexto);
	console.log(`Populating ${settings.small} incidents over 2,500 schools`);
	const seedSmall = await helper(db.url, 'populate', settings.small);
	console.log(`  ${JSON.stringify(seedSmall)}`);

	const floor = await startFloor();
	const app = await startApp('sexto-postgres', sexto, db.url);
	const cookie = await signIn(app.origin, settings.email);
	const headers = { cookie };
	const listUrl = `${app.origin}/incidents?${LIST_QUERY}`;
	const floorTarget = { key: 'floor', label: 'floor: SvelteKit hello page', url: `${floor.origin}/`, pid: floor.pid, server: floor };
	const listTarget = { key: 'list', label: 'school list (filtered, page 2)', url: listUrl, headers, pid: app.pid, server: app };
	const check200 = async (url, expect) => {
		const res = await fetch(url, { headers });
		const html = await res.text();
		if (res.status !== 200 || (expect && !html.includes(expect))) throw new Error(`${url}: HTTP ${res.status}${expect ? `, expected “${expect}”` : ''}`);
		return html;
	};
	await check200(listUrl, 'href="/incidents/');

	console.log(`\nAt ${settings.small} incidents: school list`);
	const small = {
		listInProcess: await helper(db.url, 'list', 200),
		throughput: await throughputRounds([floorTarget, listTarget]),
		rate: [await atRatePaced(`list @${settings.small}`, listTarget)]
	};
	console.log(`  in-process: ${JSON.stringify(small.listInProcess)}`);

	console.log(`\nGrowing to ${settings.large} incidents`);
	const seedLarge = await helper(db.url, 'populate', settings.large);
	console.log(`  ${JSON.stringify(seedLarge)}`);

	// The case page: the demo's richest case; the saves: the demo school's open cases, each with its step version.
	const client = new pg.Client({ connectionString: db.url });
	await client.connect();
	let caseId;
	let editable;
	try {
		caseId = (
			await client.query(
				`select i.id from incidents i join incident_police_calls c on c.incident_id = i.id join device_custody d on d.incident_id = i.id where i.school_id = $1 order by i.created_at limit 1`,
				[DEMO_SCHOOL]
			)
		).rows[0].id;
		editable = (
			await client.query(
				`select i.id, coalesce(a.version, 0) as version from incidents i left join incident_answers a on a.incident_id = i.id and a.step_id = 'intent' where i.school_id = $1 and i.closed_at is null order by i.id`,
				[DEMO_SCHOOL]
			)
		).rows.map((r) => ({ id: r.id, version: Number(r.version) }));
	} finally {
		await client.end();
	}
	await check200(`${app.origin}/incidents/${caseId}`);
	let cursor = 0;
	let flip = false;
	const post = () => {
		const c = editable[cursor++ % editable.length];
		flip = !flip;
		// the answer alternates so each save really changes the step
		const body = new URLSearchParams({ _version: String(c.version), threats: 'no', prior_incidents: flip ? 'no' : 'unknown' }).toString();
		c.version++;
		return { path: `/incidents/${c.id}/etape/intent`, body };
	};
	const caseTarget = { key: 'case', label: 'case page (+ audit row)', url: `${app.origin}/incidents/${caseId}`, headers, pid: app.pid, server: app };
	const saveTarget = { key: 'save', label: 'save of one kit step (POST → 303)', url: `${app.origin}/incidents/${editable[0].id}/etape/intent`, headers, origin: app.origin, post, pid: app.pid, server: app };
	console.log(`  case page: ${caseId}; saves rotate over ${editable.length} open cases of the demo school`);

	const largeListInProcess = await helper(db.url, 'list', 200);
	console.log(`  list in-process: ${JSON.stringify(largeListInProcess)}`);
	console.log(`\nAt ${settings.large} incidents: throughput`);
	const largeThroughput = await throughputRounds([floorTarget, listTarget, caseTarget, saveTarget]);
	console.log(`\nAt ${settings.large} incidents: ${settings.rate} req/s`);
	const largeRate = [];
	for (const t of [listTarget, caseTarget, saveTarget]) largeRate.push(await atRatePaced(`${t.key} @${settings.large}`, t));

	console.log('\nHand-off PDF');
	const pdfHttp = await timedGets(`${app.origin}/incidents/${caseId}/dossier.pdf`, headers, 20);
	const pdf = await helper(db.url, 'pdf', settings.pdfRuns);
	console.log(`  in-process: p50 ${pdf.total.p50} ms, p99 ${pdf.total.p99} ms (${pdf.pages} pages, ${pdf.bytes} bytes); over HTTP p50 ${pdfHttp.p50} ms, p99 ${pdfHttp.p99} ms`);

	console.log('\nAudit append share (in-process)');
	const audit = await helper(db.url, 'audit', settings.auditRuns, settings.connections);
	console.log(`  ${JSON.stringify(audit)}`);

	console.log('\nClient JS of the kit screens');
	const clientDir = join(root, 'build', 'client');
	const js = {};
	for (const [name, path] of [
		['list', `/incidents?${LIST_QUERY}`],
		['new case (intake)', '/incidents/nouveau'],
		['case page', `/incidents/${caseId}`],
		['kit step', `/incidents/${caseId}/etape/intent`],
		['call now', `/incidents/${caseId}/appel`],
		['students', `/incidents/${caseId}/eleves`],
		['devices', `/incidents/${caseId}/appareils`],
		['hand-off', `/incidents/${caseId}/remise`],
		['packet view', `/incidents/${caseId}/dossier`],
		['follow-up', `/incidents/${caseId}/suivi`]
	]) {
		js[name] = await clientJsSize(`${app.origin}${path}`, clientDir, headers);
	}
	const floorJs = await clientJsSize(`${floor.origin}/`, join(floorDir, 'build', 'client'));

	const row = (rows, key) => rows.find((r) => r.key === key);
	const rate = (key) => largeRate.find((r) => r.label.startsWith(`${key} `));
	const maxJs = Math.max(...Object.values(js).map((j) => j.gzipKb));
	const caseRow = row(largeThroughput, 'case');
	const checks = [
		check('case page vs floor (req/s, 50 connections)', `≥ ${pct(TARGETS.casePageVsFloor)}`, pct(caseRow.vsFloor), caseRow.bad === 0 && caseRow.vsFloor >= TARGETS.casePageVsFloor),
		...['list', 'case', 'save'].map((k) => check(`${k} p99 at ${settings.rate} req/s (${settings.large} incidents)`, `< ${TARGETS.p99AtRateMs} ms`, `${fmt(rate(k).latencyMs.p99)} ms`, rate(k).bad === 0 && rate(k).latencyMs.p99 < TARGETS.p99AtRateMs)),
		check(`list p99 at ${settings.rate} req/s (${settings.small} incidents)`, `< ${TARGETS.p99AtRateMs} ms`, `${fmt(small.rate[0].latencyMs.p99)} ms`, small.rate[0].bad === 0 && small.rate[0].latencyMs.p99 < TARGETS.p99AtRateMs),
		check('hand-off PDF generation, p99 (in-process)', `< ${TARGETS.pdfMs} ms`, `${pdf.total.p99} ms (p50 ${pdf.total.p50})`, pdf.total.p99 < TARGETS.pdfMs),
		check('client JS, largest kit screen, gzip', `≤ ${TARGETS.kitJsKb} kB`, `${maxJs} kB`, maxJs <= TARGETS.kitJsKb)
	];

	const report = {
		date: new Date().toISOString(),
		durationSec: Math.round((Date.now() - t0) / 1000),
		machine: machineInfo(loadAvgStart),
		settings: { ...settings, pgUrl: redactUrl(settings.pgUrl) },
		targets: TARGETS,
		seed: { small: seedSmall, large: seedLarge },
		small,
		large: { listInProcess: largeListInProcess, throughput: largeThroughput, rate: largeRate },
		pdf: { inProcess: pdf, http: pdfHttp },
		audit,
		clientJs: { ...js, floor: floorJs },
		checks
	};
	const file = writeResults('kit-latest.json', report);

	const lines = [];
	lines.push(runLine(report));
	lines.push(`Seed: ${seedSmall.incidents} incidents in ${seedSmall.ms} ms, grown to ${seedLarge.incidents} in ${seedLarge.ms} ms more (demo school: ${seedSmall.demoSchoolIncidents} → ${seedLarge.demoSchoolIncidents} cases).`);
	lines.push('');
	const throughputRows = [
		...small.throughput.map((r) => [settings.small, r]),
		...largeThroughput.map((r) => [settings.large, r])
	].map(([n, r]) => [n, r.label, Math.round(r.reqPerSec), pct(r.vsFloor), fmt(r.latencyMs.p50), fmt(r.latencyMs.p99), fmt(r.serverCpuUsPerReq), r.rounds.join(', '), r.bad]);
	lines.push(...mdTable(['incidents', 'target', 'req/s', 'vs floor', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'rounds', 'failed'], 'rlrrrrrlr', throughputRows));
	lines.push('');
	lines.push(
		...mdTable(
			[`at ${settings.rate} req/s (paced)`, 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'failed'],
			'lrrrrr',
			[...small.rate, ...largeRate].map((r) => [r.label, fmt(r.latencyMs.p50), fmt(r.latencyMs.p90), fmt(r.latencyMs.p99), fmt(r.latencyMs.max), r.bad])
		)
	);
	lines.push('');
	lines.push(`School list in-process (listSchoolIncidents, filtered, page 2, 200 runs): at ${settings.small} incidents p50 ${small.listInProcess.p50} ms, p99 ${small.listInProcess.p99} ms (${small.listInProcess.total} matching); at ${settings.large} p50 ${largeListInProcess.p50} ms, p99 ${largeListInProcess.p99} ms (${largeListInProcess.total} matching).`);
	lines.push(`Hand-off PDF (${pdf.pages} pages, ${pdf.bytes} bytes): in-process over ${pdf.total.runs} runs p50 ${pdf.total.p50} ms, p99 ${pdf.total.p99} ms (packet build p50 ${pdf.build.p50} ms, render p50 ${pdf.render.p50} ms); over HTTP (20 sequential GETs) p50 ${pdfHttp.p50} ms, p99 ${pdfHttp.p99} ms.`);
	lines.push(`Audit append: case page (getIncident) p50 ${audit.casePage.p50} ms, the same audit append alone p50 ${audit.auditOnly.p50} ms (${pct(audit.shareOfMedian)}); with ${audit.concurrency} concurrent loops ${audit.casePagePerSec} case pages/s vs ${audit.auditPerSec} audit appends/s.`);
	lines.push('');
	lines.push(...mdTable(['client JS', 'files', 'inline scripts', 'gzip kB'], 'lrrr', Object.entries(report.clientJs).map(([name, j]) => [`${name} (${j.page.replace(/[0-9a-f-]{36}/g, '<id>')})`, j.files, j.inlineScripts, j.gzipKb])));
	lines.push('');
	lines.push(...checksTable(checks));
	console.log(`\n${lines.join('\n')}\n`);
	console.log(`Raw results: ${file} (${report.durationSec} s)`);
	return settings.strict && checks.some((c) => !c.pass) ? 1 : 0;
}

runBench(main, { stack: true });
