#!/usr/bin/env node
/**
 * `npm run bench:training` (issue 6): the evaluator queue (/evaluation) with 50,000 Explorateur submissions on
 * PostgreSQL, signed in as the demo trainer-evaluator.
 *   1. Max throughput at 50 connections (autocannon), as a ratio to the SvelteKit floor (bench/floor, hello page)
 *      measured in the same run, interleaved rounds: first page of the waiting list, and a page deep in "all"
 *      (keyset cursor 40,000 rows in).
 *   2. Latency at a constant 200 req/s (evenly paced open loop, latency from the scheduled send time) on the
 *      first page of the waiting list.
 * Targets: ≥ 50 % of the floor, p99 < 50 ms. Infrastructure copied from bench/registry.mjs (same helpers from
 * bench/lib.mjs; the database is `sexto_bench_<random>`, dropped at the end, also on failure or Ctrl-C).
 *
 * Settings (environment, all optional):
 *   BENCH_SUBMISSIONS=50000  BENCH_ROUNDS=3  BENCH_DURATION=5  BENCH_WARMUP=3  BENCH_CONNECTIONS=50
 *   BENCH_RATE=200  BENCH_RATE_DURATION=10  BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres  BENCH_STRICT=1
 * Writes bench/results/training-latest.json and prints Markdown tables.
 */
import autocannon from 'autocannon';
import pg from 'pg';
import os from 'node:os';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
	submissions: num('BENCH_SUBMISSIONS', 50_000),
	rounds: num('BENCH_ROUNDS', 3),
	duration: num('BENCH_DURATION', 5),
	warmup: num('BENCH_WARMUP', 3),
	connections: num('BENCH_CONNECTIONS', 50),
	pgUrl: env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
	skipPg: env.BENCH_SKIP_PG === '1' || env.BENCH_SKIP_PG === 'true',
	strict: env.BENCH_STRICT === '1' || env.BENCH_STRICT === 'true',
	rate: num('BENCH_RATE', 200),
	rateDuration: num('BENCH_RATE_DURATION', 10)
};
const TARGET_VS_FLOOR = 0.5;
const TARGET_P99_MS = 50;
const EVALUATOR = 'formateur@sexto.test';

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


function runChild(label, cmd, args, childEnv = env, cwd = root) {
	return new Promise((resolvePromise, reject) => {
		const child = spawn(cmd, args, { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
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


const demoSource = readFileSync(join(root, 'src', 'lib', 'server', 'db', 'seed', 'demo.ts'), 'utf8');
const DEMO_PASSWORD = /export const DEMO_PASSWORD = '([^']+)'/.exec(demoSource)?.[1];
if (!DEMO_PASSWORD) throw new Error('DEMO_PASSWORD not found in src/lib/server/db/seed/demo.ts');

// ---------------------------------------------------------------------------------------------
// Measures

async function signIn(origin) {
	const res = await fetch(`${origin}/connexion`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email: EVALUATOR, password: DEMO_PASSWORD }).toString()
	});
	await res.arrayBuffer();
	const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
	if (res.status !== 303 || !cookies.some((c) => c.startsWith('sexto_session='))) throw new Error(`sign-in as ${EVALUATOR} failed: HTTP ${res.status}`);
	return cookies.join('; ');
}

async function cannon(url, headers, duration) {
	const r = await autocannon({ url, headers, connections: settings.connections, duration });
	return { reqPerSec: Math.round((r['2xx'] / r.duration) * 10) / 10, p50: r.latency.p50, p99: r.latency.p99, bad: r.non2xx + r.errors + r.timeouts };
}

function percentile(sorted, p) {
	if (!sorted.length) return null;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Evenly paced open loop (as bench/run.mjs): one request every 1000/rate ms, latency from the scheduled time. */
async function paced(url, headers) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
	const total = Math.round(settings.rate * settings.rateDuration);
	const interval = 1000 / settings.rate;
	const latencies = [];
	let bad = 0;
	const start = performance.now() + 20;
	await new Promise((done) => {
		let sent = 0;
		let finished = 0;
		const finish = () => {
			if (++finished === total) done();
		};
		const tick = () => {
			while (sent < total && start + sent * interval <= performance.now()) {
				const scheduled = start + sent * interval;
				sent++;
				const req = http.get(url, { agent, headers, timeout: 10_000 }, (res) => {
					res.resume();
					res.on('end', () => {
						latencies.push(performance.now() - scheduled);
						if (res.statusCode < 200 || res.statusCode > 299) bad++;
						finish();
					});
				});
				req.on('timeout', () => req.destroy(new Error('timeout')));
				req.on('error', () => {
					bad++;
					finish();
				});
			}
			if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
		};
		tick();
	});
	agent.destroy();
	latencies.sort((x, y) => x - y);
	const r2 = (v) => (v === null || v === undefined ? null : Math.round(v * 100) / 100);
	return { requests: total, bad, p50: r2(percentile(latencies, 50)), p90: r2(percentile(latencies, 90)), p99: r2(percentile(latencies, 99)), max: r2(latencies.at(-1)) };
}

async function ensureFloorBuilt() {
	if (existsSync(join(floorDir, 'build', 'index.js'))) return;
	console.log('Building the framework floor (bench/floor)…');
	await runChild('vite build (floor)', process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { ...env, INIT_CWD: floorDir }, floorDir);
}

// ---------------------------------------------------------------------------------------------

const pct = (v) => (v === null || v === undefined ? '–' : `${Math.round(v * 100)} %`);
const fmtNum = (v) => (v === null || v === undefined ? '–' : String(Math.round(v * 10) / 10));

async function main() {
	const t0 = Date.now();
	const loadAvgStart = os.loadavg().map((v) => Math.round(v * 100) / 100);
	if (!existsSync(join(root, 'build', 'index.js'))) throw new Error('build/index.js is missing: run `npm run build` first');
	await ensureFloorBuilt();
	await adminQuery('select 1');
	const tmp = mkdtempSync(join(os.tmpdir(), 'sexto-bench-training-'));
	onCleanup('remove temp dir', () => rmSync(tmp, { recursive: true, force: true }));

	console.log(`\nPopulating PostgreSQL with ${settings.submissions} Explorateur submissions…`);
	const url = await freshDb('postgres', tmp);
	const populated = JSON.parse((await runChild('populate', tsxBin, ['bench/training-helper.ts', 'populate', String(settings.submissions)], dbEnv(url))).filter(Boolean).at(-1));
	console.log(`  added ${populated.added} (${populated.waiting} waiting) in ${populated.ms} ms`);

	const floor = await startServer('floor', { cwd: floorDir });
	const app = await startServer('sexto-postgres', { extraEnv: { ...sextoEnv, DATABASE_URL: url }, readyPath: '/healthz' });
	const cookie = await signIn(app.origin);
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
	for (const t of targets) await cannon(t.url, t.headers, settings.warmup);
	for (const t of targets) t.rounds = [];
	for (let round = 1; round <= settings.rounds; round++) {
		for (const t of targets) {
			const r = await cannon(t.url, t.headers, settings.duration);
			t.rounds.push(r);
			console.log(`  round ${round} ${t.label.padEnd(46)} ${String(Math.round(r.reqPerSec)).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms${r.bad ? `  ⚠ ${r.bad} bad` : ''}`);
		}
	}
	console.log(`\nConstant ${settings.rate} req/s for ${settings.rateDuration} s (paced open loop)`);
	const rate = await paced(targets[1].url, headers);
	console.log(`  /evaluation: p50 ${rate.p50} ms  p90 ${rate.p90} ms  p99 ${rate.p99} ms  max ${rate.max} ms${rate.bad ? `  ⚠ ${rate.bad} bad` : ''}`);

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
	const queue = pages.find((p) => p.key === 'queue');
	const checks = [
		{ name: '/evaluation (50,000 submissions) vs floor, 50 connections', threshold: `≥ ${pct(TARGET_VS_FLOOR)}`, measured: pct(queue.vsFloor), pass: queue.bad === 0 && queue.vsFloor >= TARGET_VS_FLOOR },
		{ name: `/evaluation p99 at ${settings.rate} req/s`, threshold: `< ${TARGET_P99_MS} ms`, measured: `${rate.p99} ms`, pass: rate.bad === 0 && rate.p99 < TARGET_P99_MS }
	];
	const report = {
		date: new Date().toISOString(),
		durationSec: Math.round((Date.now() - t0) / 1000),
		machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown', node: process.versions.node, loadAvgStart, loadAvgEnd: os.loadavg().map((v) => Math.round(v * 100) / 100) },
		settings: { ...settings, pgUrl: settings.pgUrl.replace(/\/\/[^@]*@/, '//…@') },
		populated,
		pages,
		rate,
		checks
	};
	mkdirSync(resultsDir, { recursive: true });
	writeFileSync(join(resultsDir, 'training-latest.json'), JSON.stringify(report, null, '\t') + '\n');

	const m = report.machine;
	const lines = [`Run ${report.date} — ${m.cpus} × ${m.cpuModel}, Node ${m.node}, load average ${m.loadAvgStart.join(' / ')} → ${m.loadAvgEnd.join(' / ')}; ${populated.added} submissions (${populated.waiting} waiting)`, ''];
	lines.push(`| page (${settings.connections} connections) | req/s | p50 ms | p99 ms | vs floor | HTML kB | rounds req/s | bad |`, '|---|---:|---:|---:|---:|---:|---|---:|');
	for (const p of pages) lines.push(`| ${p.label} | ${Math.round(p.reqPerSec)} | ${fmtNum(p.p50)} | ${fmtNum(p.p99)} | ${pct(p.vsFloor)} | ${p.htmlKb ?? '–'} | ${p.rounds.join(', ')} | ${p.bad} |`);
	lines.push('', `| /evaluation at ${settings.rate} req/s (paced, ${rate.requests} requests) | p50 ms | p90 ms | p99 ms | max ms | bad |`, '|---|---:|---:|---:|---:|---:|');
	lines.push(`| postgres | ${rate.p50} | ${rate.p90} | ${rate.p99} | ${rate.max} | ${rate.bad} |`);
	lines.push('', '| target | threshold | measured | result |', '|---|---|---|---|');
	for (const c of checks) lines.push(`| ${c.name} | ${c.threshold} | ${c.measured} | ${c.pass ? 'PASS' : 'FAIL'} |`);
	console.log(`\n${lines.join('\n')}\n`);
	console.log(`Raw results: bench/results/training-latest.json (${report.durationSec} s)`);
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

let exitCode = 1;
try {
	exitCode = await main();
} catch (error) {
	console.error(`\nTraining queue benchmark failed: ${error instanceof Error ? error.message : error}`);
} finally {
	await runCleanups();
}
process.exit(exitCode);
