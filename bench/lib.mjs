/**
 * What the benchmarks of bench/ share: paths and settings, child processes and servers (stopped, and databases
 * dropped, on success, failure or Ctrl-C), builds, fresh databases, sign-in, the two load generators (autocannon's
 * closed loop and the paced open loop), server CPU from /proc, statistics, formatting, the results file and
 * Markdown tables. Each bench script keeps what it measures, its settings and its report.
 */
import autocannon from 'autocannon';
import pg from 'pg';
import http from 'node:http';
import os from 'node:os';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

// ---------------------------------------------------------------------------------------------
// Paths and settings

export const root = fileURLToPath(new URL('..', import.meta.url));
export const floorDir = join(root, 'bench', 'floor');
export const resultsDir = join(root, 'bench', 'results');
export const tsxBin = join(root, 'node_modules', '.bin', 'tsx');
const viteBin = join(root, 'node_modules', 'vite', 'bin', 'vite.js');

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** A positive number from the environment, or the fallback. */
export function envNumber(env, name, fallback) {
	const v = Number(env[name]);
	return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** envNumber() on process.env. */
export const num = (name, fallback) => envNumber(process.env, name, fallback);

/** An on/off setting: `1` or `true`. */
export const flag = (name) => process.env[name] === '1' || process.env[name] === 'true';

/**
 * The environment of every Sexto process of a run (seed CLI, helpers, servers): production, no demo seed at
 * start-up, fresh field keys for the fresh databases, plus `extra` (e.g. JOBS_ENABLED).
 */
export function sextoEnv(extra = {}) {
	return {
		NODE_ENV: 'production',
		SEED_DEMO: 'false',
		...extra,
		FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
		BLIND_INDEX_KEY: randomBytes(32).toString('base64')
	};
}

/** A child's full environment: ours, the run's Sexto settings and the database. */
export const dbEnv = (sexto, databaseUrl) => ({ ...process.env, ...sexto, DATABASE_URL: databaseUrl });

let demoPassword;
/** The demo password, read from the TypeScript seed so the two never disagree. */
function readDemoPassword() {
	if (demoPassword) return demoPassword;
	const source = readFileSync(join(root, 'src', 'lib', 'server', 'db', 'seed', 'demo.ts'), 'utf8');
	demoPassword = /export const DEMO_PASSWORD = '([^']+)'/.exec(source)?.[1];
	if (!demoPassword) throw new Error('DEMO_PASSWORD not found in src/lib/server/db/seed/demo.ts');
	return demoPassword;
}

// ---------------------------------------------------------------------------------------------
// Cleanup: every resource registers its undo; undone last-in first-out, on success, failure or signal.

const cleanups = [];
const children = new Set();
let cleaning;

export function onCleanup(label, fn) {
	cleanups.push({ label, fn });
}

export function runCleanups() {
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

/**
 * Runs a bench's `main()` (which returns the exit code) and exits: the cleanups run on success, failure, Ctrl-C or
 * SIGTERM, and no child outlives the process. A failure prints `\n<name> failed: <message>` (the stack with `stack`).
 */
export async function runBench(main, { name = 'Benchmark', stack = false } = {}) {
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
	let exitCode = 1;
	try {
		exitCode = await main();
	} catch (error) {
		console.error(`\n${name} failed: ${error instanceof Error ? (stack ? error.stack : error.message) : error}`);
	} finally {
		await runCleanups();
	}
	process.exit(exitCode);
}

/** A new temporary directory (SQLite files, CSVs), removed by the cleanups. */
export function tempDir(prefix) {
	const dir = mkdtempSync(join(os.tmpdir(), prefix));
	onCleanup('remove temp dir', () => rmSync(dir, { recursive: true, force: true }));
	return dir;
}

// ---------------------------------------------------------------------------------------------
// Processes

/** The last 30 lines of a child's output, for error messages. */
export function tail(lines) {
	return lines.slice(-30).join('\n');
}

/** A free TCP port on 127.0.0.1 (the benchmarks never listen elsewhere). */
export function freePort() {
	return new Promise((resolvePromise, reject) => {
		const srv = createServer();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolvePromise(port));
		});
	});
}

/** SIGTERM, then SIGKILL after 5 s. */
export function stopChild(child) {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolvePromise) => {
		const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
		child.once('exit', () => {
			clearTimeout(timer);
			resolvePromise();
		});
		child.kill('SIGTERM');
	});
}

/** Runs a command to completion and resolves to its output lines; shown only on failure (or streamed with `inherit`). */
export function runChild(label, cmd, args, { cwd = root, childEnv = process.env, inherit = false } = {}) {
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

/**
 * Starts a long-running server (`node <args(port)>`, by default build/index.js of `cwd`) on a free port of
 * 127.0.0.1, stopped by the cleanups, and waits until `readyPath` answers 200. Keeps the last 200 lines of its output.
 */
export async function startServer(name, { args = () => ['build/index.js'], cwd = root, extraEnv = {}, readyPath = '/' } = {}) {
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const childEnv = { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ORIGIN: origin, SHUTDOWN_TIMEOUT: '1', ...extraEnv };
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
	return { name, origin, child, pid: child.pid, log };
}

/** The SvelteKit floor (bench/floor/build, its hello page at /). */
export const startFloor = () => startServer('floor', { cwd: floorDir });

/** Sexto (build/index.js) on `databaseUrl` with the run's Sexto environment; ready when /healthz answers 200. */
export const startApp = (name, sexto, databaseUrl) => startServer(name, { extraEnv: { ...sexto, DATABASE_URL: databaseUrl }, readyPath: '/healthz' });

// ---------------------------------------------------------------------------------------------
// Builds

function newest(path) {
	if (!existsSync(path)) return 0;
	const s = statSync(path);
	if (!s.isDirectory()) return /\.test\.ts$/.test(path) ? 0 : s.mtimeMs;
	return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), s.mtimeMs);
}

/**
 * Makes sure build/ (Sexto) and bench/floor/build/ (the floor) are there. Per build: `stale` builds it when missing
 * or older than its sources, `missing` only when missing, `required` throws when missing.
 */
export async function ensureBuilds({ app = 'stale', floor = 'stale' } = {}) {
	const builds = [
		{
			mode: app,
			name: 'Sexto',
			dir: root,
			out: 'build/',
			sources: () => Math.max(...['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'].map((p) => newest(join(root, p)))),
			hint: 'run `npm run build` first'
		},
		{
			// Built from its own folder (SvelteKit and adapter-node read svelte.config.js and package.json from the
			// working directory); modules resolve from the root node_modules by walking up.
			mode: floor,
			name: 'the framework floor',
			dir: floorDir,
			out: 'bench/floor/build/',
			sources: () => Math.max(...['src', 'svelte.config.js', 'vite.config.js', 'package.json'].map((p) => newest(join(floorDir, p))), newest(join(root, 'package.json'))),
			hint: 'run `npm run bench` once (it builds the floor)'
		}
	];
	for (const b of builds) {
		const stamp = join(b.dir, 'build', 'index.js');
		const present = existsSync(stamp);
		if (b.mode === 'required' && !present) throw new Error(`${b.out}index.js is missing: ${b.hint}`);
		const stale = b.mode === 'stale' && present && statSync(stamp).mtimeMs < b.sources();
		if (present && !stale) continue;
		console.log(`Building ${b.name} (${b.out} is ${present ? 'older than its sources' : 'missing'})…`);
		await runChild(`vite build (${b.dir === root ? 'app' : 'floor'})`, process.execPath, [viteBin, 'build', '--logLevel', 'warn'], { cwd: b.dir, inherit: b.dir === root });
	}
}

// ---------------------------------------------------------------------------------------------
// Databases

/** `postgres://user:secret@host/db` → `postgres://…@host/db`, for reports. */
export const redactUrl = (url) => url.replace(/\/\/[^@]*@/, '//…@');

async function adminQuery(pgUrl, text) {
	const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 5000 });
	await c.connect();
	try {
		await c.query(text);
	} finally {
		await c.end();
	}
}

/** Why the PostgreSQL part of a run is skipped (BENCH_SKIP_PG, or the admin URL does not answer), or null. */
export async function pgSkipReason({ skipPg, pgUrl }) {
	if (skipPg) return 'BENCH_SKIP_PG';
	try {
		await adminQuery(pgUrl, 'select 1');
		return null;
	} catch (error) {
		const reason = `PostgreSQL unavailable at ${redactUrl(pgUrl)}: ${error instanceof Error ? error.message : error}`;
		console.log(`Skipping PostgreSQL: ${reason}`);
		return reason;
	}
}

/** A new, empty database `sexto_bench_<random>` next to `pgUrl`, dropped WITH (FORCE) by the cleanups (said unless `quiet`). */
export async function createPgDatabase(pgUrl, { quiet = false } = {}) {
	const name = `sexto_bench_${randomBytes(6).toString('hex')}`;
	await adminQuery(pgUrl, `CREATE DATABASE "${name}"`);
	onCleanup(`drop ${name}`, async () => {
		await adminQuery(pgUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
		if (!quiet) console.log(`Dropped PostgreSQL database ${name}.`);
	});
	const url = new URL(pgUrl);
	url.pathname = `/${name}`;
	return { name, url: url.toString() };
}

/** Migrates and seeds the demo through the real CLI (`tsx src/cli/index.ts seed`); resolves to its output lines. */
export const seedDemo = (databaseUrl, sexto, label = 'seed') => runChild(label, tsxBin, ['src/cli/index.ts', 'seed'], { childEnv: dbEnv(sexto, databaseUrl) });

/**
 * A fresh database, migrated and seeded: a SQLite file in `tmp` (removed with it), or a new PostgreSQL database
 * (its drop announced unless `quiet`). Resolves to its URL and the seed's output lines.
 */
export async function freshDb(dialect, { tmp, pgUrl, sexto, quiet = true }) {
	const url = dialect === 'sqlite' ? `sqlite:${join(tmp, `sexto_bench_${randomBytes(6).toString('hex')}.db`)}` : (await createPgDatabase(pgUrl, { quiet })).url;
	const seedOutput = await seedDemo(url, sexto, `seed (${dialect})`);
	return { url, seedOutput };
}

// ---------------------------------------------------------------------------------------------
// HTTP

/** Signs in as a demo account through the real form; resolves to the session's `cookie` header. */
export async function signIn(origin, email) {
	const res = await fetch(`${origin}/connexion`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, password: readDemoPassword() }).toString()
	});
	await res.arrayBuffer();
	const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
	if (res.status !== 303 || !cookies.some((c) => c.startsWith('sexto_session='))) {
		throw new Error(`sign-in as ${email} failed: HTTP ${res.status}, cookies: ${cookies.map((c) => c.split('=')[0]).join(', ')}`);
	}
	return cookies.join('; ');
}

/**
 * The JS a page makes the browser load: the modules named by its modulepreload hints (SvelteKit sends them in a
 * `Link` header; HTML <link> tags are read too), its <script src> and the modules its inline script imports, plus
 * anything those import statically (dynamic import() of other routes is not followed), read from `clientDir`.
 * Resolves to the page's path, its count of inline scripts, the files (sorted) with raw and gzip (level 9) sizes,
 * `declared` when the page names them itself, and their totals (kB = 1,000 bytes, as Vite prints them).
 */
export async function clientJs(pageUrl, clientDir, headers = {}) {
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
	const files = [...all].sort().map((path) => {
		const buf = readFileSync(fileOf(path));
		return { path, bytes: buf.length, gzipBytes: gzipSync(buf, { level: 9 }).length, declared: declared.has(path) };
	});
	const sum = (k) => files.reduce((a, f) => a + f[k], 0);
	return { page: new URL(pageUrl).pathname, inlineScripts, files, bytes: sum('bytes'), gzipBytes: sum('gzipBytes'), gzipKb: Math.round(sum('gzipBytes') / 100) / 10 };
}

// ---------------------------------------------------------------------------------------------
// Load

// CPU time of a server process (Linux /proc): CPU per request is far steadier than req/s on a shared machine.
let clockTicks;
/** CPU time (user + system, ms) process `pid` has used so far; null when unknown. */
export function cpuMs(pid) {
	if (clockTicks === undefined) {
		try {
			clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
		} catch {
			clockTicks = 100; // the usual value
		}
	}
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks; // utime + stime
	} catch {
		return null;
	}
}

/**
 * One autocannon run on `target` ({ url, headers? }) with `options` (connections, duration, …): by default a closed
 * loop, each connection sends its next request on an answer. Resolves to autocannon's result plus
 * `serverCpuUsPerReq`, the CPU µs per answer of the server process `target.pid` (null without one). Throws when
 * `target.server` (a startServer() result) died during the run.
 */
export async function cannon(target, options) {
	const before = target.pid ? cpuMs(target.pid) : null;
	const r = await autocannon({ url: target.url, headers: target.headers ?? {}, ...options });
	const after = target.pid ? cpuMs(target.pid) : null;
	if (target.server && target.server.child.exitCode !== null) throw new Error(`${target.server.name} died (code ${target.server.child.exitCode})\n${tail(target.server.log)}`);
	r.serverCpuUsPerReq = before === null || after === null || !r.requests.total ? null : Math.round(((after - before) * 1000) / r.requests.total);
	return r;
}

/** Answers per second, to one decimal. */
export const perSecond = (count, seconds) => Math.round((count / seconds) * 10) / 10;

/**
 * Throughput of every target, interleaved: a warm-up of `warmup` s per target, then `rounds` rounds in which every
 * target runs `duration` s. A burst of load from a neighbour hits one slice of every target instead of one target;
 * the medians and the per-round ratios to the floor absorb it. `measure(target, seconds)` runs one slice; its
 * results go to `target.rounds`, each also to `onResult(round, target, result)`; `onRound(round)` starts a round.
 */
export async function interleavedRounds(targets, { warmup, rounds, duration, measure, onRound = () => {}, onResult = () => {} }) {
	if (warmup) for (const t of targets) await measure(t, warmup);
	for (const t of targets) t.rounds = [];
	for (let round = 1; round <= rounds; round++) {
		onRound(round);
		for (const t of targets) {
			const r = await measure(t, duration);
			t.rounds.push(r);
			onResult(round, t, r);
		}
	}
}

/**
 * The console lines of a closed-loop interleavedRounds run whose slices are { reqPerSec, latencyMs, serverCpuUsPerReq }:
 * "round k/n", then one line per target and slice; `warn(result)` appends what went wrong ('' when nothing).
 */
export function roundLines(rounds, { labelWidth = 40, warn = () => '' } = {}) {
	return {
		onRound: (round) => console.log(`  round ${round}/${rounds}`),
		onResult: (round, t, r) =>
			console.log(`    ${t.label.padEnd(labelWidth)} ${String(Math.round(r.reqPerSec)).padStart(7)} req/s  p50 ${r.latencyMs.p50} ms  p99 ${r.latencyMs.p99} ms  server CPU ${r.serverCpuUsPerReq ?? '–'} µs/req${warn(r)}`)
	};
}

/**
 * Throughput of public or signed-in pages (`targets`, the floor first) at `settings.connections` connections, in
 * interleaved rounds, one line per slice (labels padded to `labelWidth`). A round is { reqPerSec, p50, p99,
 * cpuUsPerReq (when the target has a `pid`), bad }. Resolves to one summary per page: medians over the rounds,
 * `vsFloor` (and `vsFloorCpu`, floor CPU over page CPU) = median of the per-round ratios.
 */
export async function pageThroughput(targets, settings, { labelWidth }) {
	const measure = async (t, duration) => {
		const r = await cannon(t, { connections: settings.connections, duration });
		const round = { reqPerSec: perSecond(r['2xx'], r.duration), p50: r.latency.p50, p99: r.latency.p99 };
		if (t.pid) round.cpuUsPerReq = r.serverCpuUsPerReq;
		round.bad = r.non2xx + r.errors + r.timeouts;
		return round;
	};
	const onResult = (round, t, r) => {
		const cpu = 'cpuUsPerReq' in r ? `  CPU ${r.cpuUsPerReq ?? '–'} µs/req` : '';
		console.log(`  round ${round} ${t.label.padEnd(labelWidth)} ${String(Math.round(r.reqPerSec)).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms${cpu}${r.bad ? `  ⚠ ${r.bad} bad` : ''}`);
	};
	await interleavedRounds(targets, { ...settings, measure, onResult });
	const floor = targets[0];
	return targets.map((t) => {
		const page = { key: t.key, label: t.label, htmlKb: t.htmlKb ?? null, reqPerSec: medianOf(t.rounds, (r) => r.reqPerSec), p50: medianOf(t.rounds, (r) => r.p50), p99: medianOf(t.rounds, (r) => r.p99) };
		const cpu = t.rounds.some((r) => 'cpuUsPerReq' in r);
		if (cpu) page.cpuUsPerReq = medianOf(t.rounds, (r) => r.cpuUsPerReq);
		page.vsFloor = medianRatio(t.rounds, floor.rounds, (r) => r.reqPerSec);
		if (cpu) page.vsFloorCpu = medianCostRatio(t.rounds, floor.rounds, (r) => r.cpuUsPerReq);
		page.bad = t.rounds.reduce((a, r) => a + r.bad, 0);
		page.rounds = t.rounds.map((r) => Math.round(r.reqPerSec));
		return page;
	});
}

/**
 * Evenly paced open loop: one request every 1000/rate ms for `duration` s whatever the answers do, latency counted
 * from the scheduled send time (so a stall of the server, or of this generator, is not hidden). A target is a GET
 * (`url`, `headers`; success = 2xx) or, with `post()` → { path, body }, a form POST from `origin` (success = 303).
 * Resolves to the request count, the interval, the answers with another status, the errors and timeouts, the
 * requests resent once after a reused keep-alive socket was reset, and the latency in ms (rounded to 0.01) of every answer.
 */
export async function pacedOpenLoop(target, { rate, duration }) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
	const total = Math.round(rate * duration);
	const interval = 1000 / rate;
	const latencies = [];
	let wrongStatus = 0;
	let errors = 0;
	let resent = 0;
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
				const post = target.post?.();
				const headers = { ...(target.headers ?? {}), ...(post ? { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', origin: target.origin, 'content-length': Buffer.byteLength(post.body) } : {}) };
				const url = post ? new URL(post.path, target.url) : target.url;
				const send = (retried) => {
					const req = http.request(url, { method: post ? 'POST' : 'GET', agent, headers, timeout: 10_000 }, (res) => {
						res.resume();
						res.on('end', () => {
							latencies.push(performance.now() - scheduled);
							if (post ? res.statusCode !== 303 : res.statusCode < 200 || res.statusCode > 299) wrongStatus++;
							finish();
						});
					});
					req.on('timeout', () => req.destroy(new Error('timeout')));
					req.on('error', (error) => {
						// A kept-alive socket the server closed (its idle timeout) just as this request reused it: the
						// request never reached the server. Browsers resend it; so do we, once, timed from the first send.
						if (!retried && req.reusedSocket && error.code === 'ECONNRESET') {
							resent++;
							return send(true);
						}
						errors++;
						finish();
					});
					req.end(post ? post.body : undefined);
				};
				send(false);
			}
			if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
		};
		tick();
	});
	agent.destroy();
	latencies.sort((x, y) => x - y);
	const r2 = (v) => (v === null || v === undefined ? null : Math.round(v * 100) / 100);
	return {
		requests: total,
		interval,
		wrongStatus,
		errors,
		resent,
		latencyMs: {
			avg: r2(latencies.reduce((x, y) => x + y, 0) / (latencies.length || 1)),
			p50: r2(percentile(latencies, 50)),
			p90: r2(percentile(latencies, 90)),
			p99: r2(percentile(latencies, 99)),
			max: r2(latencies.at(-1))
		}
	};
}

// ---------------------------------------------------------------------------------------------
// Statistics

export function median(values) {
	const v = values.filter((x) => x !== null && x !== undefined).sort((x, y) => x - y);
	if (!v.length) return null;
	const mid = Math.floor(v.length / 2);
	return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** The p-th percentile (nearest rank) of sorted values; null when empty. */
export function percentile(sorted, p) {
	if (!sorted.length) return null;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Median over a target's rounds of one measure. */
export const medianOf = (rounds, pick) => median(rounds.map(pick));

/** Median of the per-round ratios target / base of a measure taken in the same rounds (req/s vs the floor). */
export const medianRatio = (rounds, baseRounds, pick) => median(rounds.map((r, i) => pick(r) / pick(baseRounds[i])));

/** The same for a cost (CPU per request), inverted so that higher is better: base / target; rounds missing it skipped. */
export const medianCostRatio = (rounds, baseRounds, pick) => median(rounds.map((r, i) => (pick(r) && pick(baseRounds[i]) ? pick(baseRounds[i]) / pick(r) : null)));

// ---------------------------------------------------------------------------------------------
// Report

/** A ratio as a whole percentage ("58 %"); '–' when missing. */
export const pct = (v) => (v === null || v === undefined ? '–' : `${Math.round(v * 100)} %`);

/** A ratio as a percentage, one decimal below 10 % ("7.5 %", "58 %"); '–' when missing. */
export const pctFine = (v) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(v < 0.1 ? 1 : 0)} %`);

/** A number rounded to `decimals` (2 by default); '–' when missing. */
export const fmt = (v, decimals = 2) => (v === null || v === undefined ? '–' : String(Math.round(v * 10 ** decimals) / 10 ** decimals));

/** The load average (1, 5, 15 min), to two decimals. */
export const loadAvg = () => os.loadavg().map((v) => Math.round(v * 100) / 100);

/** The `machine` block of a results file, the load average at the start and now; `full` adds memory and platform. */
export function machineInfo(loadAvgStart, { full = false } = {}) {
	const cpus = os.cpus();
	return {
		cpus: cpus.length,
		cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
		...(full ? { memGb: Math.round(os.totalmem() / 2 ** 30) } : {}),
		node: process.versions.node,
		...(full ? { platform: `${os.platform()} ${os.release()}` } : {}),
		loadAvgStart,
		loadAvgEnd: loadAvg()
	};
}

/** The first line of a report: when, on what, and the load average over the run. */
export function runLine(report) {
	const m = report.machine;
	return `Run ${report.date} — ${m.cpus} × ${m.cpuModel}, Node ${m.node}, load average ${m.loadAvgStart.join(' / ')} → ${m.loadAvgEnd.join(' / ')}`;
}

/** Writes bench/results/<file> (JSON, tab-indented unless told otherwise); returns its path from the repository root. */
export function writeResults(file, data, indent = '\t') {
	mkdirSync(resultsDir, { recursive: true });
	writeFileSync(join(resultsDir, file), JSON.stringify(data, null, indent) + '\n');
	return `bench/results/${file}`;
}

/** Markdown table lines. `align` has a letter per column: `l`, or `r` for numbers; `rows` are arrays of cells. */
export function mdTable(header, align, rows) {
	const line = (cells) => `| ${cells.map(String).join(' | ')} |`;
	return [line(header), `|${[...align].map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`, ...rows.map(line)];
}

/** A target check as results files hold it. */
export const check = (name, threshold, measured, pass) => ({ name, threshold, measured, pass, result: pass === null ? 'skipped' : pass ? 'PASS' : 'FAIL' });

/** The table of target checks ({ name, threshold, measured, pass, result? }). */
export const checksTable = (checks) => mdTable(['target', 'threshold', 'measured', 'result'], 'llll', checks.map((c) => [c.name, c.threshold, c.measured, c.result ?? (c.pass ? 'PASS' : 'FAIL')]));
