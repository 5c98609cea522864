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
import autocannon from 'autocannon';
import pg from 'pg';
import http from 'node:http';
import os from 'node:os';
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { envNumber, freePort, median, stopChild, tail } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const floorDir = join(root, 'bench', 'floor');
const resultsDir = join(root, 'bench', 'results');
const tsxBin = join(root, 'node_modules', '.bin', 'tsx');
const viteBin = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const env = process.env;

const num = (name, fallback) => envNumber(env, name, fallback);
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
	pgUrl: env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
	strict: env.BENCH_STRICT === '1' || env.BENCH_STRICT === 'true',
	email: 'direction@sexto.test'
};
const TARGETS = { casePageVsFloor: 0.4, p99AtRateMs: 50, pdfMs: 300, kitJsKb: 60 };
const DEMO_SCHOOL = '7b0b1a52-0000-4000-8000-000000000021';
const LIST_QUERY = `ecole=${DEMO_SCHOOL}&statut=handed_off&orientation=likely_malicious&page=2`;

const sextoEnv = {
	NODE_ENV: 'production',
	SEED_DEMO: 'false',
	JOBS_ENABLED: 'false',
	FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
	BLIND_INDEX_KEY: randomBytes(32).toString('base64')
};
const demoSource = readFileSync(join(root, 'src/lib/server/db/seed/demo.ts'), 'utf8');
const DEMO_PASSWORD = /export const DEMO_PASSWORD = '([^']+)'/.exec(demoSource)?.[1];
if (!DEMO_PASSWORD) throw new Error('DEMO_PASSWORD not found in src/lib/server/db/seed/demo.ts');

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
// Processes and builds (as bench/run.mjs)

function runChild(label, cmd, args, { cwd = root, childEnv = env, inherit = false } = {}) {
	return new Promise((resolvePromise, reject) => {
		const child = spawn(cmd, args, { cwd, env: childEnv, stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
		children.add(child);
		const out = [];
		child.stdout?.on('data', (d) => out.push(...String(d).split('\n')));
		child.stderr?.on('data', (d) => out.push(...String(d).split('\n')));
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
	return { name, origin, child, log };
}

function newest(path) {
	if (!existsSync(path)) return 0;
	const s = statSync(path);
	if (!s.isDirectory()) return /\.test\.ts$/.test(path) ? 0 : s.mtimeMs;
	return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), s.mtimeMs);
}

async function ensureBuilds() {
	const appStamp = join(root, 'build', 'index.js');
	const appSources = Math.max(...['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'].map((p) => newest(join(root, p))));
	if (!existsSync(appStamp) || statSync(appStamp).mtimeMs < appSources) {
		console.log('Building Sexto (build/ is missing or older than the sources)…');
		await runChild('vite build (app)', process.execPath, [viteBin, 'build', '--logLevel', 'warn'], { inherit: true });
	}
	const floorStamp = join(floorDir, 'build', 'index.js');
	const floorSources = Math.max(...['src', 'svelte.config.js', 'vite.config.js', 'package.json'].map((p) => newest(join(floorDir, p))), newest(join(root, 'package.json')));
	if (!existsSync(floorStamp) || statSync(floorStamp).mtimeMs < floorSources) {
		console.log('Building the framework floor (bench/floor)…');
		await runChild('vite build (floor)', process.execPath, [viteBin, 'build', '--logLevel', 'warn'], { cwd: floorDir });
	}
}

async function createPgDatabase() {
	const name = `sexto_bench_${randomBytes(6).toString('hex')}`;
	const admin = new pg.Client({ connectionString: settings.pgUrl, connectionTimeoutMillis: 5000 });
	await admin.connect();
	try {
		await admin.query(`CREATE DATABASE "${name}"`);
	} finally {
		await admin.end();
	}
	onCleanup(`drop ${name}`, async () => {
		const c = new pg.Client({ connectionString: settings.pgUrl, connectionTimeoutMillis: 5000 });
		await c.connect();
		try {
			await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
		} finally {
			await c.end();
		}
		console.log(`Dropped PostgreSQL database ${name}.`);
	});
	const url = new URL(settings.pgUrl);
	url.pathname = `/${name}`;
	return { name, url: url.toString() };
}

async function helper(databaseUrl, ...args) {
	const out = await runChild(`kit-helper ${args[0]}`, tsxBin, ['bench/kit-helper.ts', ...args.map(String)], { childEnv: { ...env, ...sextoEnv, DATABASE_URL: databaseUrl } });
	const line = out.filter((l) => l.startsWith('{')).at(-1);
	if (!line) throw new Error(`kit-helper ${args[0]} printed no result\n${tail(out)}`);
	return JSON.parse(line);
}

async function signIn(origin) {
	const res = await fetch(`${origin}/connexion`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email: settings.email, password: DEMO_PASSWORD }).toString()
	});
	await res.arrayBuffer();
	const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
	if (res.status !== 303 || !cookies.some((c) => c.startsWith('sexto_session='))) throw new Error(`sign-in as ${settings.email} failed: HTTP ${res.status}`);
	return cookies.join('; ');
}

// ---------------------------------------------------------------------------------------------
// Load

let clockTicks = 100;
try {
	clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
	// keep the usual 100
}
function cpuMs(pid) {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
	} catch {
		return null;
	}
}

/**
 * One closed-loop run (autocannon, `connections` keep-alive connections). A target is either a GET (`url`,
 * success = 2xx) or a form POST whose body changes per request (`post()` → { path, body }, success = 303).
 */
async function cannon(target, duration) {
	const before = cpuMs(target.pid);
	const opts = { url: target.url, headers: target.headers ?? {}, connections: settings.connections, duration };
	if (target.post) {
		opts.requests = [
			{
				method: 'POST',
				setupRequest: (req) => {
					const { path, body } = target.post();
					return { ...req, method: 'POST', path, body, headers: { ...req.headers, ...target.headers, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', origin: target.origin } };
				}
			}
		];
	}
	const r = await autocannon(opts);
	const after = cpuMs(target.pid);
	if (target.server && target.server.child.exitCode !== null) throw new Error(`${target.server.name} died (code ${target.server.child.exitCode})\n${tail(target.server.log)}`);
	const ok = target.post ? r['3xx'] : r['2xx'];
	// requests.total counts answers; errors and timeouts got none.
	const bad = r.requests.total - ok + r.errors + r.timeouts;
	return {
		reqPerSec: Math.round((ok / r.duration) * 10) / 10,
		latencyMs: { p50: r.latency.p50, p99: r.latency.p99 },
		requests: r.requests.total,
		bad,
		serverCpuUsPerReq: before === null || after === null || !r.requests.total ? null : Math.round(((after - before) * 1000) / r.requests.total)
	};
}

async function throughputRounds(targets) {
	console.log(`  warm-up: ${settings.warmup} s per target`);
	for (const t of targets) await cannon(t, settings.warmup);
	for (const t of targets) t.rounds = [];
	for (let round = 1; round <= settings.rounds; round++) {
		console.log(`  round ${round}/${settings.rounds}`);
		for (const t of targets) {
			const r = await cannon(t, settings.duration);
			t.rounds.push(r);
			console.log(`    ${t.label.padEnd(40)} ${String(Math.round(r.reqPerSec)).padStart(7)} req/s  p50 ${r.latencyMs.p50} ms  p99 ${r.latencyMs.p99} ms  server CPU ${r.serverCpuUsPerReq ?? '–'} µs/req${r.bad ? `  ⚠ ${r.bad} failed` : ''}`);
		}
	}
	const floor = targets.find((t) => t.key === 'floor');
	return targets.map((t) => ({
		key: t.key,
		label: t.label,
		reqPerSec: median(t.rounds.map((r) => r.reqPerSec)),
		latencyMs: { p50: median(t.rounds.map((r) => r.latencyMs.p50)), p99: median(t.rounds.map((r) => r.latencyMs.p99)) },
		vsFloor: floor ? median(t.rounds.map((r, i) => r.reqPerSec / floor.rounds[i].reqPerSec)) : null,
		serverCpuUsPerReq: median(t.rounds.map((r) => r.serverCpuUsPerReq)),
		bad: t.rounds.reduce((a, r) => a + r.bad, 0),
		rounds: t.rounds.map((r) => Math.round(r.reqPerSec))
	}));
}

function percentile(sorted, p) {
	if (!sorted.length) return null;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Evenly paced open loop (as bench/run.mjs): one request every 1000/rate ms, latency from the scheduled send time. */
async function atRatePaced(label, target) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
	const total = Math.round(settings.rate * settings.rateDuration);
	const interval = 1000 / settings.rate;
	const latencies = [];
	let bad = 0;
	const start = performance.now() + 20;
	const base = new URL(target.url);
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
				const post = target.post?.();
				const headers = { ...(target.headers ?? {}), ...(post ? { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', origin: target.origin, 'content-length': Buffer.byteLength(post.body) } : {}) };
				const req = http.request(
					{ host: base.hostname, port: base.port, path: post ? post.path : base.pathname + base.search, method: post ? 'POST' : 'GET', agent, headers, timeout: 10_000 },
					(res) => {
						res.resume();
						res.on('end', () => {
							latencies.push(performance.now() - scheduled);
							if (post ? res.statusCode !== 303 : res.statusCode < 200 || res.statusCode > 299) bad++;
							finish();
						});
					}
				);
				req.on('timeout', () => req.destroy(new Error('timeout')));
				req.on('error', () => {
					bad++;
					finish();
				});
				req.end(post ? post.body : undefined);
			}
			if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
		};
		tick();
	});
	agent.destroy();
	latencies.sort((x, y) => x - y);
	const r2 = (v) => (v === null ? null : Math.round(v * 100) / 100);
	const row = { label, rate: settings.rate, requests: total, bad, latencyMs: { p50: r2(percentile(latencies, 50)), p90: r2(percentile(latencies, 90)), p99: r2(percentile(latencies, 99)), max: r2(latencies.at(-1) ?? null) } };
	console.log(`  ${label.padEnd(40)} ${settings.rate} req/s  p50 ${row.latencyMs.p50} ms  p99 ${row.latencyMs.p99} ms${bad ? `  ⚠ ${bad} failed` : ''}`);
	return row;
}

/** gzip size of the JS a page makes the browser load (same method as bench/run.mjs). */
async function clientJs(pageUrl, clientDir, headers = {}) {
	const res = await fetch(pageUrl, { headers });
	const html = await res.text();
	if (res.status !== 200) throw new Error(`${pageUrl}: HTTP ${res.status}`);
	const declared = new Set();
	const add = (href) => declared.add(new URL(href, pageUrl).pathname);
	for (const part of (res.headers.get('link') ?? '').split(/,(?=\s*<)/)) {
		const m = /^\s*<([^>]+)>(.*)$/.exec(part);
		if (m && /\brel="?modulepreload"?/.test(m[2])) add(m[1]);
	}
	for (const [tag] of html.matchAll(/<link\b[^>]*>/g)) {
		const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
		if (href && /\brel="modulepreload"/.test(tag)) add(href);
	}
	for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) add(m[1]);
	for (const m of html.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) add(m[1]);
	const inlineScripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].filter((m) => m[1].trim()).length;
	const base = resolve(clientDir);
	const fileOf = (path) => {
		const file = resolve(base, '.' + decodeURIComponent(path));
		if (!file.startsWith(base + sep) || !existsSync(file)) throw new Error(`${pageUrl} loads ${path}, not found in ${clientDir}`);
		return file;
	};
	const all = new Set(declared);
	const queue = [...declared];
	while (queue.length) {
		const path = queue.pop();
		for (const m of readFileSync(fileOf(path), 'utf8').matchAll(/(?:\bfrom|\bimport)\s*["']([^"']+\.js)["']/g)) {
			const dep = new URL(m[1], `http://x${path}`).pathname;
			if (!all.has(dep)) {
				all.add(dep);
				queue.push(dep);
			}
		}
	}
	const gzipBytes = [...all].reduce((a, p) => a + gzipSync(readFileSync(fileOf(p)), { level: 9 }).length, 0);
	return { page: new URL(pageUrl).pathname, files: all.size, inlineScripts, gzipKb: Math.round(gzipBytes / 100) / 10 };
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

const pct = (v) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(v < 0.1 ? 1 : 0)} %`);
const fmt = (v) => (v === null || v === undefined ? '–' : String(Math.round(v * 100) / 100));
const check = (name, threshold, measured, pass) => ({ name, threshold, measured, pass, result: pass ? 'PASS' : 'FAIL' });

async function main() {
	const t0 = Date.now();
	const loadAvgStart = os.loadavg().map((v) => Math.round(v * 100) / 100);
	await ensureBuilds();
	const db = await createPgDatabase();
	console.log(`PostgreSQL database ${db.name}: migrate + demo seed`);
	await runChild('seed', tsxBin, ['src/cli/index.ts', 'seed'], { childEnv: { ...env, ...sextoEnv, DATABASE_URL: db.url } });
	console.log(`Populating ${settings.small} incidents over 2,500 schools`);
	const seedSmall = await helper(db.url, 'populate', settings.small);
	console.log(`  ${JSON.stringify(seedSmall)}`);

	const floor = await startServer('floor', { cwd: floorDir });
	const app = await startServer('sexto-postgres', { extraEnv: { ...sextoEnv, DATABASE_URL: db.url }, readyPath: '/healthz' });
	const cookie = await signIn(app.origin);
	const headers = { cookie };
	const listUrl = `${app.origin}/incidents?${LIST_QUERY}`;
	const floorTarget = { key: 'floor', label: 'floor: SvelteKit hello page', url: `${floor.origin}/`, pid: floor.child.pid, server: floor };
	const listTarget = { key: 'list', label: 'school list (filtered, page 2)', url: listUrl, headers, pid: app.child.pid, server: app };
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
	const caseTarget = { key: 'case', label: 'case page (+ audit row)', url: `${app.origin}/incidents/${caseId}`, headers, pid: app.child.pid, server: app };
	const saveTarget = { key: 'save', label: 'save of one kit step (POST → 303)', url: `${app.origin}/incidents/${editable[0].id}/etape/intent`, headers, origin: app.origin, post, pid: app.child.pid, server: app };
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
		js[name] = await clientJs(`${app.origin}${path}`, clientDir, headers);
	}
	const floorJs = await clientJs(`${floor.origin}/`, join(floorDir, 'build', 'client'));

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
		machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown', node: process.versions.node, loadAvgStart, loadAvgEnd: os.loadavg().map((v) => Math.round(v * 100) / 100) },
		settings: { ...settings, pgUrl: settings.pgUrl.replace(/\/\/[^@]*@/, '//…@') },
		targets: TARGETS,
		seed: { small: seedSmall, large: seedLarge },
		small,
		large: { listInProcess: largeListInProcess, throughput: largeThroughput, rate: largeRate },
		pdf: { inProcess: pdf, http: pdfHttp },
		audit,
		clientJs: { ...js, floor: floorJs },
		checks
	};
	mkdirSync(resultsDir, { recursive: true });
	writeFileSync(join(resultsDir, 'kit-latest.json'), JSON.stringify(report, null, '\t') + '\n');

	const lines = [];
	lines.push(`Run ${report.date} — ${report.machine.cpus} × ${report.machine.cpuModel}, Node ${report.machine.node}, load average ${loadAvgStart.join(' / ')} → ${report.machine.loadAvgEnd.join(' / ')}`);
	lines.push(`Seed: ${seedSmall.incidents} incidents in ${seedSmall.ms} ms, grown to ${seedLarge.incidents} in ${seedLarge.ms} ms more (demo school: ${seedSmall.demoSchoolIncidents} → ${seedLarge.demoSchoolIncidents} cases).`);
	lines.push('');
	lines.push('| incidents | target | req/s | vs floor | p50 ms | p99 ms | server CPU µs/req | rounds | failed |');
	lines.push('|---:|---|---:|---:|---:|---:|---:|---|---:|');
	for (const [n, rows] of [
		[settings.small, small.throughput],
		[settings.large, largeThroughput]
	]) {
		for (const r of rows) lines.push(`| ${n} | ${r.label} | ${Math.round(r.reqPerSec)} | ${pct(r.vsFloor)} | ${fmt(r.latencyMs.p50)} | ${fmt(r.latencyMs.p99)} | ${fmt(r.serverCpuUsPerReq)} | ${r.rounds.join(', ')} | ${r.bad} |`);
	}
	lines.push('');
	lines.push(`| at ${settings.rate} req/s (paced) | p50 ms | p90 ms | p99 ms | max ms | failed |`);
	lines.push('|---|---:|---:|---:|---:|---:|');
	for (const r of [...small.rate, ...largeRate]) lines.push(`| ${r.label} | ${fmt(r.latencyMs.p50)} | ${fmt(r.latencyMs.p90)} | ${fmt(r.latencyMs.p99)} | ${fmt(r.latencyMs.max)} | ${r.bad} |`);
	lines.push('');
	lines.push(`School list in-process (listSchoolIncidents, filtered, page 2, 200 runs): at ${settings.small} incidents p50 ${small.listInProcess.p50} ms, p99 ${small.listInProcess.p99} ms (${small.listInProcess.total} matching); at ${settings.large} p50 ${largeListInProcess.p50} ms, p99 ${largeListInProcess.p99} ms (${largeListInProcess.total} matching).`);
	lines.push(`Hand-off PDF (${pdf.pages} pages, ${pdf.bytes} bytes): in-process over ${pdf.total.runs} runs p50 ${pdf.total.p50} ms, p99 ${pdf.total.p99} ms (packet build p50 ${pdf.build.p50} ms, render p50 ${pdf.render.p50} ms); over HTTP (20 sequential GETs) p50 ${pdfHttp.p50} ms, p99 ${pdfHttp.p99} ms.`);
	lines.push(`Audit append: case page (getIncident) p50 ${audit.casePage.p50} ms, the same audit append alone p50 ${audit.auditOnly.p50} ms (${pct(audit.shareOfMedian)}); with ${audit.concurrency} concurrent loops ${audit.casePagePerSec} case pages/s vs ${audit.auditPerSec} audit appends/s.`);
	lines.push('');
	lines.push('| client JS | files | inline scripts | gzip kB |');
	lines.push('|---|---:|---:|---:|');
	for (const [name, j] of Object.entries(report.clientJs)) lines.push(`| ${name} (${j.page.replace(/[0-9a-f-]{36}/g, '<id>')}) | ${j.files} | ${j.inlineScripts} | ${j.gzipKb} |`);
	lines.push('');
	lines.push('| target | threshold | measured | result |');
	lines.push('|---|---|---|---|');
	for (const c of checks) lines.push(`| ${c.name} | ${c.threshold} | ${c.measured} | ${c.result} |`);
	console.log(`\n${lines.join('\n')}\n`);
	console.log(`Raw results: bench/results/kit-latest.json (${report.durationSec} s)`);
	return settings.strict && checks.some((c) => !c.pass) ? 1 : 0;
}

let exitCode = 1;
try {
	exitCode = await main();
} catch (error) {
	console.error(`\nBenchmark failed: ${error instanceof Error ? error.stack : error}`);
} finally {
	await runCleanups();
}
process.exit(exitCode);
