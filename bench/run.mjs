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
import autocannon from 'autocannon';
import pg from 'pg';
import http from 'node:http';
import os from 'node:os';
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { envNumber, freePort, median, stopChild, tail } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const floorDir = join(root, 'bench', 'floor');
const resultsDir = join(root, 'bench', 'results');
const env = process.env;

const num = (name, fallback) => envNumber(env, name, fallback);
const settings = {
	rounds: num('BENCH_ROUNDS', 5),
	duration: num('BENCH_DURATION', 2),
	warmup: num('BENCH_WARMUP', 2),
	rateDuration: num('BENCH_RATE_DURATION', 8),
	connections: num('BENCH_CONNECTIONS', 50),
	rate: num('BENCH_RATE', 200),
	rateConnections: num('BENCH_RATE_CONNECTIONS', 10),
	pgUrl: env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
	skipPg: env.BENCH_SKIP_PG === '1' || env.BENCH_SKIP_PG === 'true',
	strict: env.BENCH_STRICT === '1' || env.BENCH_STRICT === 'true',
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
const sextoEnv = {
	NODE_ENV: 'production',
	SEED_DEMO: 'false',
	FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
	BLIND_INDEX_KEY: randomBytes(32).toString('base64')
};

// The demo password lives in the TypeScript seed; read it from there so the two never disagree.
const demoSource = readFileSync(join(root, 'src/lib/server/db/seed/demo.ts'), 'utf8');
const DEMO_PASSWORD = /export const DEMO_PASSWORD = '([^']+)'/.exec(demoSource)?.[1];
if (!DEMO_PASSWORD) throw new Error('DEMO_PASSWORD not found in src/lib/server/db/seed/demo.ts');

// ---------------------------------------------------------------------------------------------
// Cleanup: every resource registers its undo; undone last-in first-out, on success, failure or signal.

const cleanups = [];
const children = new Set();
let cleaning;

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

function onCleanup(label, fn) {
	cleanups.push({ label, fn });
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
// Last resort if the process dies without running the async cleanups: no orphan servers.
process.on('exit', () => {
	for (const child of children) child.kill('SIGKILL');
});

// ---------------------------------------------------------------------------------------------
// Processes


/** Runs a command to completion; output is kept and shown only on failure (or streamed with `inherit`). */
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



/** Starts a long-running server (node <args>) on a free port of 127.0.0.1 and waits until `readyPath` answers 200. */
async function startServer(name, args, { cwd = root, extraEnv = {}, readyPath = '/' } = {}) {
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const childEnv = { ...env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ORIGIN: origin, SHUTDOWN_TIMEOUT: '1', ...extraEnv };
	const child = spawn(process.execPath, args(port), { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
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
	return { name, origin, child, log, stop: () => stopChild(child) };
}

// ---------------------------------------------------------------------------------------------
// Builds

function newest(path) {
	if (!existsSync(path)) return 0;
	const s = statSync(path);
	if (!s.isDirectory()) return /\.test\.ts$/.test(path) ? 0 : s.mtimeMs;
	return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), s.mtimeMs);
}

const viteBin = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const tsxBin = join(root, 'node_modules', '.bin', 'tsx');

async function ensureBuilds() {
	const appStamp = join(root, 'build', 'index.js');
	const appSources = Math.max(
		...['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'].map((p) => newest(join(root, p)))
	);
	if (!existsSync(appStamp) || statSync(appStamp).mtimeMs < appSources) {
		console.log('Building Sexto (build/ is missing or older than the sources)…');
		await runChild('vite build (app)', process.execPath, [viteBin, 'build', '--logLevel', 'warn'], { inherit: true });
	}
	// The floor is built from its own folder (SvelteKit and adapter-node read svelte.config.js and package.json
	// from the working directory); modules resolve from the root node_modules by walking up.
	const floorStamp = join(floorDir, 'build', 'index.js');
	const floorSources = Math.max(
		...['src', 'svelte.config.js', 'vite.config.js', 'package.json'].map((p) => newest(join(floorDir, p))),
		newest(join(root, 'package.json'))
	);
	if (!existsSync(floorStamp) || statSync(floorStamp).mtimeMs < floorSources) {
		console.log('Building the framework floor (bench/floor)…');
		await runChild('vite build (floor)', process.execPath, [viteBin, 'build', '--logLevel', 'warn'], { cwd: floorDir });
	}
}

// ---------------------------------------------------------------------------------------------
// Load


function summarise(r) {
	return {
		reqPerSec: Math.round((r['2xx'] / r.duration) * 10) / 10,
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

// CPU time of a server process (Linux /proc): CPU per request is far steadier than req/s on a shared machine.
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
		return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks; // utime + stime
	} catch {
		return null;
	}
}

/** One closed-loop throughput run: `connections` keep-alive connections, each sends its next request on an answer. */
async function cannon(target, duration) {
	const before = cpuMs(target.pid);
	const r = summarise(await autocannon({ url: target.url, headers: target.headers ?? {}, connections: settings.connections, duration }));
	const after = cpuMs(target.pid);
	r.serverCpuUsPerReq = before === null || after === null || !r.requests ? null : Math.round(((after - before) * 1000) / r.requests);
	return r;
}

/**
 * Throughput of every target, interleaved: a warm-up per target, then `rounds` rounds in which every target runs
 * `duration` seconds. A burst of load from a neighbour hits one slice of every target instead of one target;
 * the medians and the per-round ratios to the floor absorb it.
 */
async function throughputRounds(targets) {
	if (settings.warmup) {
		console.log(`  warm-up: ${settings.warmup} s per target`);
		for (const t of targets) await cannon(t, settings.warmup);
	}
	for (const t of targets) t.rounds = [];
	for (let round = 1; round <= settings.rounds; round++) {
		console.log(`  round ${round}/${settings.rounds}`);
		for (const t of targets) {
			const r = await cannon(t, settings.duration);
			t.rounds.push(r);
			console.log(
				`    ${t.label.padEnd(38)} ${String(Math.round(r.reqPerSec)).padStart(7)} req/s  p50 ${r.latencyMs.p50} ms  p99 ${r.latencyMs.p99} ms  server CPU ${r.serverCpuUsPerReq ?? '–'} µs/req${warn(r)}`
			);
		}
	}
}

/**
 * autocannon's overallRate: each of `rateConnections` connections may send rate/connections requests per
 * second. It sends them back to back at the start of each second, so this is a bursty 200 req/s (a
 * concurrency-10 burst every second). Its coordinated-omission correction assumes a 1 ms interval in this
 * mode (it backfills a 10 ms answer with 9, 8, … 1 ms samples), so it is turned off: raw latencies.
 */
async function atRateAutocannon(label, group, target) {
	const r = await autocannon({
		url: target.url,
		headers: target.headers ?? {},
		connections: settings.rateConnections,
		overallRate: settings.rate,
		duration: settings.rateDuration,
		ignoreCoordinatedOmission: true
	});
	const row = { label, group, url: target.url, method: `autocannon overallRate=${settings.rate}, ${settings.rateConnections} connections (bursty)`, ...summarise(r) };
	console.log(`  ${label.padEnd(40)} ${String(Math.round(row.reqPerSec)).padStart(5)} req/s  p50 ${row.latencyMs.p50} ms  p99 ${row.latencyMs.p99} ms${warn(row)}`);
	return row;
}

function percentile(sorted, p) {
	if (!sorted.length) return null;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Evenly paced open loop: one request every 1000/rate ms whatever the answers do, latency counted from
 * the scheduled send time (so a stall of the server, or of this generator, is not hidden).
 */
async function atRatePaced(label, group, target) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
	const total = Math.round(settings.rate * settings.rateDuration);
	const interval = 1000 / settings.rate;
	const latencies = [];
	let non2xx = 0;
	let errors = 0;
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
				const req = http.get(target.url, { agent, headers: target.headers ?? {}, timeout: 10_000 }, (res) => {
					res.resume();
					res.on('end', () => {
						latencies.push(performance.now() - scheduled);
						if (res.statusCode < 200 || res.statusCode > 299) non2xx++;
						finish();
					});
				});
				req.on('timeout', () => req.destroy(new Error('timeout')));
				req.on('error', () => {
					errors++;
					finish();
				});
			}
			if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
		};
		tick();
	});
	agent.destroy();
	latencies.sort((x, y) => x - y);
	const r2 = (v) => (v === null ? null : Math.round(v * 100) / 100);
	const row = {
		label,
		group,
		url: target.url,
		method: `paced open loop, one request every ${interval} ms`,
		reqPerSec: settings.rate,
		latencyMs: {
			avg: r2(latencies.reduce((x, y) => x + y, 0) / (latencies.length || 1)),
			p50: r2(percentile(latencies, 50)),
			p90: r2(percentile(latencies, 90)),
			p99: r2(percentile(latencies, 99)),
			max: r2(latencies.at(-1) ?? null)
		},
		requests: total,
		non2xx,
		errors,
		timeouts: 0,
		durationSec: settings.rateDuration
	};
	console.log(`  ${label.padEnd(40)} ${String(settings.rate).padStart(5)} req/s  p50 ${row.latencyMs.p50} ms  p99 ${row.latencyMs.p99} ms${warn(row)}`);
	return row;
}

// ---------------------------------------------------------------------------------------------
// Sexto specifics

async function signIn(origin) {
	const res = await fetch(`${origin}/connexion`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email: settings.email, password: DEMO_PASSWORD }).toString()
	});
	await res.arrayBuffer();
	const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
	if (res.status !== 303 || !cookies.some((c) => c.startsWith('sexto_session='))) {
		throw new Error(`sign-in as ${settings.email} failed: HTTP ${res.status}, cookies: ${cookies.map((c) => c.split('=')[0]).join(', ')}`);
	}
	const cookie = cookies.join('; ');
	const check = await fetch(`${origin}/tableau-de-bord`, { headers: { cookie }, redirect: 'manual' });
	const html = await check.text();
	if (check.status !== 200 || !html.includes('Marc Gagnon')) throw new Error(`signed-in dashboard check failed: HTTP ${check.status}`);
	return cookie;
}

/**
 * gzip size of the JS a page loads: the modules named by its modulepreload hints (SvelteKit sends them in a
 * `Link` header; HTML <link> tags are read too), its <script src> and the modules its inline script imports,
 * plus anything those import statically (dynamic import() of other routes is not followed).
 */
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
		const code = readFileSync(fileOf(path), 'utf8');
		for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*["']([^"']+\.js)["']/g)) {
			const dep = new URL(m[1], `http://x${path}`).pathname;
			if (!all.has(dep)) {
				all.add(dep);
				queue.push(dep);
			}
		}
	}
	const files = [...all].sort().map((path) => {
		const buf = readFileSync(fileOf(path));
		return { path, bytes: buf.length, gzipBytes: gzipSync(buf, { level: 9 }).length, declared: declared.has(path) };
	});
	const sum = (k) => files.reduce((a, f) => a + f[k], 0);
	return {
		page: new URL(pageUrl).pathname,
		files: files.length,
		notPreloaded: files.filter((f) => !f.declared).length,
		bytes: sum('bytes'),
		gzipBytes: sum('gzipBytes'),
		gzipKb: Math.round(sum('gzipBytes') / 100) / 10,
		detail: files
	};
}

async function seed(databaseUrl) {
	await runChild('seed', tsxBin, ['src/cli/index.ts', 'seed'], { childEnv: { ...env, ...sextoEnv, DATABASE_URL: databaseUrl } });
}

/** Seeds a fresh database with the demo, starts build/index.js on it and signs in once. */
async function startSexto(dialect, databaseUrl) {
	await seed(databaseUrl);
	const app = await startServer(`sexto-${dialect}`, () => ['build/index.js'], {
		extraEnv: { ...sextoEnv, DATABASE_URL: databaseUrl },
		readyPath: '/healthz'
	});
	const cookie = await signIn(app.origin);
	return { dialect, app, signedIn: { cookie } };
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

// ---------------------------------------------------------------------------------------------
// Report

const pct = (v) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(v < 0.1 ? 1 : 0)} %`);
const fmt = (v) => (v === null || v === undefined ? '–' : String(Math.round(v * 100) / 100));

function markdown(report) {
	const m = report.machine;
	const s = report.settings;
	const lines = [];
	lines.push(`Run ${report.date} — ${m.cpus} × ${m.cpuModel}, Node ${m.node}, load average ${m.loadAvgStart.join(' / ')} → ${m.loadAvgEnd.join(' / ')}`);
	lines.push(
		`Throughput: autocannon, ${s.connections} connections, ${s.warmup} s warm-up, then ${s.rounds} interleaved rounds of ${s.duration} s per target; medians over the rounds; ratios = median of the per-round ratios.`
	);
	lines.push('');
	lines.push('| target | req/s | p50 ms | p99 ms | vs floor | vs bare | server CPU µs/req | vs floor (CPU) | rounds (req/s) | non-2xx/errors |');
	lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---|---:|');
	for (const r of report.throughput) {
		lines.push(
			`| ${r.label} | ${Math.round(r.reqPerSec)} | ${fmt(r.latencyMs.p50)} | ${fmt(r.latencyMs.p99)} | ${pct(r.vsFloor)} | ${pct(r.vsBare)} | ${fmt(r.serverCpuUsPerReq)} | ${pct(r.cpuVsFloor)} | ${r.rounds.map((x) => Math.round(x.reqPerSec)).join(', ')} | ${r.bad} |`
		);
	}
	lines.push('');
	lines.push(`| signed-in dashboard at ${s.rate} req/s | method | p50 ms | p90 ms | p99 ms | max ms | non-2xx/errors |`);
	lines.push('|---|---|---:|---:|---:|---:|---:|');
	for (const r of report.rate) {
		lines.push(`| ${r.label} | ${r.method} | ${fmt(r.latencyMs.p50)} | ${fmt(r.latencyMs.p90)} | ${fmt(r.latencyMs.p99)} | ${fmt(r.latencyMs.max)} | ${badCount(r)} |`);
	}
	lines.push('');
	lines.push('| client JS | files | raw kB | gzip kB |');
	lines.push('|---|---:|---:|---:|');
	for (const [name, js] of Object.entries(report.clientJs)) {
		lines.push(`| ${name} (${js.page}) | ${js.files} | ${(js.bytes / 1000).toFixed(1)} | ${js.gzipKb} |`);
	}
	lines.push('');
	lines.push('| target | threshold | measured | result |');
	lines.push('|---|---|---|---|');
	for (const c of report.checks) lines.push(`| ${c.name} | ${c.threshold} | ${c.measured} | ${c.result} |`);
	return lines.join('\n');
}

function check(name, threshold, measured, pass) {
	return { name, threshold, measured, pass, result: pass === null ? 'skipped' : pass ? 'PASS' : 'FAIL' };
}

// ---------------------------------------------------------------------------------------------

async function main() {
	const t0 = Date.now();
	const loadAvgStart = os.loadavg().map((v) => Math.round(v * 100) / 100);
	await ensureBuilds();

	const tmp = mkdtempSync(join(os.tmpdir(), 'sexto-bench-'));
	onCleanup('remove temp dir', () => rmSync(tmp, { recursive: true, force: true }));

	console.log('\nStarting servers');
	const bare = await startServer('bare', (port) => ['bench/bare.mjs', String(port)]);
	const floor = await startServer('floor', () => ['build/index.js'], { cwd: floorDir });
	const apps = [await startSexto('sqlite', `sqlite:${join(tmp, 'bench.db')}`)];
	let pgSkipped = settings.skipPg ? 'BENCH_SKIP_PG' : null;
	if (!pgSkipped) {
		let db;
		try {
			db = await createPgDatabase();
		} catch (error) {
			pgSkipped = `PostgreSQL unavailable at ${settings.pgUrl.replace(/\/\/[^@]*@/, '//…@')}: ${error instanceof Error ? error.message : error}`;
			console.log(`Skipping PostgreSQL: ${pgSkipped}`);
		}
		if (db) apps.push(await startSexto('postgres', db.url));
	}
	console.log(`  ${['bare', 'floor', ...apps.map((a) => `sexto-${a.dialect}`)].join(', ')} listening on 127.0.0.1; signed in as ${settings.email}`);

	const clientJsReport = {
		floor: await clientJs(`${floor.origin}/`, join(floorDir, 'build', 'client')),
		signIn: await clientJs(`${apps[0].app.origin}/connexion`, join(root, 'build', 'client'))
	};

	const targets = [
		{ key: 'bare', label: 'bare node:http', group: 'baseline', url: `${bare.origin}/`, pid: bare.child.pid },
		{ key: 'floor', label: 'floor: SvelteKit hello page', group: 'baseline', url: `${floor.origin}/`, pid: floor.child.pid }
	];
	for (const { dialect, app, signedIn } of apps) {
		const pid = app.child.pid;
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
	const throughputReport = targets.map((t) => {
		const ratio = (base) => median(t.rounds.map((r, i) => r.reqPerSec / base.rounds[i].reqPerSec));
		return {
			key: t.key,
			label: t.label,
			group: t.group,
			url: t.url,
			signedIn: Boolean(t.headers),
			reqPerSec: median(t.rounds.map((r) => r.reqPerSec)),
			latencyMs: { p50: median(t.rounds.map((r) => r.latencyMs.p50)), p99: median(t.rounds.map((r) => r.latencyMs.p99)) },
			vsFloor: ratio(byKey.floor),
			vsBare: ratio(byKey.bare),
			serverCpuUsPerReq: median(t.rounds.map((r) => r.serverCpuUsPerReq)),
			// Floor's server CPU per request over this target's: steadier than req/s, but blind to PostgreSQL's own CPU.
			cpuVsFloor: median(t.rounds.map((r, i) => (r.serverCpuUsPerReq && byKey.floor.rounds[i].serverCpuUsPerReq ? byKey.floor.rounds[i].serverCpuUsPerReq / r.serverCpuUsPerReq : null))),
			bad: t.rounds.reduce((a, r) => a + badCount(r), 0),
			rounds: t.rounds
		};
	});
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
	const signInKb = clientJsReport.signIn.gzipKb;
	const floorKb = clientJsReport.floor.gzipKb;
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
		machine: {
			cpus: os.cpus().length,
			cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown',
			memGb: Math.round(os.totalmem() / 2 ** 30),
			node: process.versions.node,
			platform: `${os.platform()} ${os.release()}`,
			loadAvgStart,
			loadAvgEnd: os.loadavg().map((v) => Math.round(v * 100) / 100)
		},
		versions: Object.fromEntries(['@sveltejs/kit', 'svelte', '@sveltejs/adapter-node', 'vite', 'autocannon'].map((n) => [n, pkgVersion(n)])),
		settings: { ...settings, pgUrl: settings.pgUrl.replace(/\/\/[^@]*@/, '//…@') },
		targets: TARGETS,
		postgresSkipped: pgSkipped,
		throughput: throughputReport,
		rate,
		clientJs: clientJsReport,
		checks
	};
	mkdirSync(resultsDir, { recursive: true });
	writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(report, null, '\t') + '\n');
	console.log(`\n${markdown(report)}\n`);
	console.log(`Raw results: bench/results/latest.json (${report.durationSec} s)`);
	const failed = checks.filter((c) => c.pass === false);
	return settings.strict && failed.length ? 1 : 0;
}

let exitCode = 1;
try {
	exitCode = await main();
} catch (error) {
	console.error(`\nBenchmark failed: ${error instanceof Error ? error.message : error}`);
} finally {
	await runCleanups();
}
process.exit(exitCode);
