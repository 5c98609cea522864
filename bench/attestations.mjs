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
import autocannon from 'autocannon';
import pg from 'pg';
import http from 'node:http';
import os from 'node:os';
import { spawn, execFileSync } from 'node:child_process';
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
const viteBin = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const env = process.env;

const num = (name, fallback) => envNumber(env, name, fallback);
const settings = {
	rounds: num('BENCH_ROUNDS', 3),
	duration: num('BENCH_DURATION', 3),
	warmup: num('BENCH_WARMUP', 2),
	connections: num('BENCH_CONNECTIONS', 50),
	rate: num('BENCH_RATE', 200),
	rateDuration: num('BENCH_RATE_DURATION', 8),
	pgUrl: env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
	skipPg: env.BENCH_SKIP_PG === '1' || env.BENCH_SKIP_PG === 'true',
	strict: env.BENCH_STRICT === '1' || env.BENCH_STRICT === 'true'
};
const TARGET_VS_FLOOR = 0.6;

const sextoEnv = {
	NODE_ENV: 'production',
	SEED_DEMO: 'false',
	JOBS_ENABLED: 'false',
	LOG_LEVEL: 'warn',
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

function runChild(label, cmd, args, { childEnv = env, cwd = root } = {}) {
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

/** node build/index.js in `cwd` on a free port of 127.0.0.1, ready when `readyPath` answers 200. */
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
	return { name, origin, pid: child.pid };
}

async function ensureBuilds() {
	if (!existsSync(join(root, 'build', 'index.js'))) {
		console.log('Building Sexto (build/ is missing)…');
		await runChild('vite build (app)', process.execPath, [viteBin, 'build', '--logLevel', 'warn']);
	}
	if (!existsSync(join(floorDir, 'build', 'index.js'))) {
		console.log('Building the framework floor (bench/floor)…');
		await runChild('vite build (floor)', process.execPath, [viteBin, 'build', '--logLevel', 'warn'], { cwd: floorDir });
	}
}

// ---------------------------------------------------------------------------------------------
// Databases

async function adminQuery(text) {
	const c = new pg.Client({ connectionString: settings.pgUrl, connectionTimeoutMillis: 5000 });
	await c.connect();
	try {
		await c.query(text);
	} finally {
		await c.end();
	}
}

/** A fresh, migrated and seeded database; returns its URL and the demo attestation's path printed by the seed. */
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
	const out = await runChild(`seed (${dialect})`, tsxBin, ['src/cli/index.ts', 'seed'], { childEnv: { ...env, ...sextoEnv, DATABASE_URL: url } });
	const path = out.map((l) => /Demo public attestation: (\/attestations\/[0-9a-f-]{36})/.exec(l)?.[1]).find(Boolean);
	if (!path) throw new Error(`seed (${dialect}) printed no demo attestation:\n${tail(out)}`);
	return { url, path };
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

async function cannon(target, duration) {
	const before = cpuMs(target.pid);
	const r = await autocannon({ url: target.url, connections: settings.connections, duration });
	const after = cpuMs(target.pid);
	return {
		reqPerSec: Math.round((r['2xx'] / r.duration) * 10) / 10,
		p50: r.latency.p50,
		p99: r.latency.p99,
		cpuUsPerReq: before === null || after === null || !r.requests.total ? null : Math.round(((after - before) * 1000) / r.requests.total),
		bad: r.non2xx + r.errors + r.timeouts
	};
}

function percentile(sorted, p) {
	if (!sorted.length) return null;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Evenly paced open loop at settings.rate req/s; latency from the scheduled send time (stalls are not hidden). */
async function paced(target) {
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
				const req = http.get(target.url, { agent, timeout: 10_000 }, (res) => {
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
	const r2 = (v) => (v === null ? null : Math.round(v * 100) / 100);
	return { p50: r2(percentile(latencies, 50)), p90: r2(percentile(latencies, 90)), p99: r2(percentile(latencies, 99)), max: r2(latencies.at(-1) ?? null), requests: total, bad };
}

// ---------------------------------------------------------------------------------------------

const pct = (v) => (v === null || v === undefined ? '–' : `${Math.round(v * 100)} %`);

async function main() {
	const t0 = Date.now();
	const loadAvgStart = os.loadavg().map((v) => Math.round(v * 100) / 100);
	await ensureBuilds();
	const tmp = mkdtempSync(join(os.tmpdir(), 'sexto-bench-attestations-'));
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

	const floor = await startServer('floor', { cwd: floorDir });
	const targets = [{ key: 'floor', label: 'floor: SvelteKit hello page', url: `${floor.origin}/`, pid: floor.pid }];
	for (const d of dialects) {
		const db = await freshDb(d, tmp);
		const app = await startServer(`sexto-${d}`, { extraEnv: { ...sextoEnv, DATABASE_URL: db.url }, readyPath: '/healthz' });
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
	for (const t of targets) await cannon(t, settings.warmup);
	for (const t of targets) t.rounds = [];
	for (let round = 1; round <= settings.rounds; round++) {
		for (const t of targets) {
			const r = await cannon(t, settings.duration);
			t.rounds.push(r);
			console.log(`  round ${round} ${t.label.padEnd(34)} ${String(Math.round(r.reqPerSec)).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  CPU ${r.cpuUsPerReq ?? '–'} µs/req${r.bad ? `  ⚠ ${r.bad} bad` : ''}`);
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
		cpuUsPerReq: median(t.rounds.map((r) => r.cpuUsPerReq)),
		vsFloor: median(t.rounds.map((r, i) => r.reqPerSec / floorT.rounds[i].reqPerSec)),
		vsFloorCpu: median(t.rounds.map((r, i) => (r.cpuUsPerReq && floorT.rounds[i].cpuUsPerReq ? floorT.rounds[i].cpuUsPerReq / r.cpuUsPerReq : null))),
		bad: t.rounds.reduce((a, r) => a + r.bad, 0),
		rounds: t.rounds.map((r) => Math.round(r.reqPerSec))
	}));

	console.log(`\n2. Latency at a constant ${settings.rate} req/s (paced open loop, ${settings.rateDuration} s each)`);
	const latency = [];
	for (const t of targets) {
		const r = await paced(t);
		latency.push({ key: t.key, label: t.label, ...r });
		console.log(`  ${t.label.padEnd(34)} p50 ${r.p50} ms  p90 ${r.p90} ms  p99 ${r.p99} ms  max ${r.max} ms${r.bad ? `  ⚠ ${r.bad} bad` : ''}`);
	}

	const checks = pages
		.filter((p) => p.key !== 'floor')
		.map((p) => ({ name: `proof page ${p.key} vs floor (req/s)`, threshold: `≥ ${pct(TARGET_VS_FLOOR)}`, measured: pct(p.vsFloor), pass: p.bad === 0 && p.vsFloor >= TARGET_VS_FLOOR }));

	const report = {
		date: new Date().toISOString(),
		durationSec: Math.round((Date.now() - t0) / 1000),
		machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown', node: process.versions.node, loadAvgStart, loadAvgEnd: os.loadavg().map((v) => Math.round(v * 100) / 100) },
		settings: { ...settings, pgUrl: settings.pgUrl.replace(/\/\/[^@]*@/, '//…@') },
		postgresSkipped: pgSkipped,
		pages,
		latency,
		checks
	};
	mkdirSync(resultsDir, { recursive: true });
	writeFileSync(join(resultsDir, 'attestations-latest.json'), JSON.stringify(report, null, '\t') + '\n');

	const m = report.machine;
	const lines = [`Run ${report.date} — ${m.cpus} × ${m.cpuModel}, Node ${m.node}, load average ${m.loadAvgStart.join(' / ')} → ${m.loadAvgEnd.join(' / ')}`, ''];
	lines.push('| page | req/s | p50 ms | p99 ms | vs floor | server CPU µs/req | vs floor (CPU) | HTML kB | rounds req/s | bad |', '|---|---:|---:|---:|---:|---:|---:|---:|---|---:|');
	for (const p of pages) lines.push(`| ${p.label} | ${Math.round(p.reqPerSec)} | ${p.p50} | ${p.p99} | ${pct(p.vsFloor)} | ${p.cpuUsPerReq ?? '–'} | ${pct(p.vsFloorCpu)} | ${p.htmlKb ?? '–'} | ${p.rounds.join(', ')} | ${p.bad} |`);
	lines.push('', `| at ${settings.rate} req/s (paced) | p50 ms | p90 ms | p99 ms | max ms | bad |`, '|---|---:|---:|---:|---:|---:|');
	for (const l of latency) lines.push(`| ${l.label} | ${l.p50} | ${l.p90} | ${l.p99} | ${l.max} | ${l.bad} |`);
	lines.push('', '| target | threshold | measured | result |', '|---|---|---|---|');
	for (const c of checks) lines.push(`| ${c.name} | ${c.threshold} | ${c.measured} | ${c.pass ? 'PASS' : 'FAIL'} |`);
	if (pgSkipped) lines.push('', `PostgreSQL skipped: ${pgSkipped}`);
	console.log(`\n${lines.join('\n')}\n`);
	return settings.strict && checks.some((c) => !c.pass) ? 1 : 0;
}

main()
	.then(async (code) => {
		await runCleanups();
		process.exit(code);
	})
	.catch(async (error) => {
		console.error(error instanceof Error ? error.stack : error);
		await runCleanups();
		process.exit(1);
	});
