#!/usr/bin/env node
/**
 * `npm test`: every check and test suite in order, output streamed, then a per-step table and, as the
 * very last line, `N passed, N failed` (tests + checks). Exit 1 if anything failed.
 *
 *   1 check          npm run check (svelte-kit sync + svelte-check)      1 check
 *   2 lint           npx eslint .                                          1 check
 *   3 build          npx vite build (the db scale-out test and e2e use it) 1 check
 *   4 unit           vitest --project unit                                 tests
 *   5 db (sqlite)    TEST_DB=sqlite vitest --project db                    tests
 *   6 db (postgres)  TEST_DB=postgres vitest --project db                  tests (fails if PostgreSQL is down)
 *   7 e2e            playwright test                                       tests (fails if /usr/bin/chromium is missing)
 *
 * A step keeps going after another failed, so the summary is complete. A runner that reports 0 tests
 * counts as a failure (tests must not silently vanish), and so does a runner that exits non-zero while
 * its report shows no failed test (a crash, a file that failed to load).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = fileURLToPath(new URL('..', import.meta.url));
const reports = join(root, 'test-results', 'reports');
mkdirSync(reports, { recursive: true });

const CHROMIUM = '/usr/bin/chromium';
const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MINUTE = 60_000;

/** @type {import('node:child_process').ChildProcess | null} */
let current = null;
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
	process.on(signal, () => {
		if (current?.pid) killGroup(current.pid, 'SIGTERM');
		process.exit(130);
	});
}

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch {
		/* already gone */
	}
}

/** Runs a command in its own process group with inherited stdio; resolves to its exit code (or -1 on timeout). */
function run(cmd, args, { env = {}, timeoutMs }) {
	return new Promise((resolve) => {
		const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: 'inherit', detached: true });
		current = child;
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			console.error(`\n[test] ${cmd} ${args.join(' ')}: no result after ${timeoutMs / MINUTE} min, stopping it.`);
			killGroup(child.pid, 'SIGTERM');
			setTimeout(() => killGroup(child.pid, 'SIGKILL'), 10_000).unref();
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			current = null;
			console.error(`[test] cannot start ${cmd}: ${error.message}`);
			resolve(127);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			current = null;
			resolve(timedOut ? -1 : (code ?? (signal ? 128 : 1)));
		});
	});
}

function readJson(file) {
	try {
		return JSON.parse(readFileSync(file, 'utf8'));
	} catch {
		return null;
	}
}

/** Vitest 3 JSON reporter (Jest-compatible fields). */
function vitestCounts(file) {
	const r = readJson(file);
	if (!r) return null;
	const loadFailures = (r.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
	return {
		passed: r.numPassedTests ?? 0,
		failed: (r.numFailedTests ?? 0) + loadFailures,
		skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
		note: loadFailures ? `${loadFailures} file(s) failed to load` : ''
	};
}

/** Playwright JSON reporter. */
function playwrightCounts(file) {
	const r = readJson(file);
	if (!r?.stats) return null;
	const s = r.stats;
	const errors = (r.errors ?? []).length;
	return {
		passed: (s.expected ?? 0) + (s.flaky ?? 0),
		failed: (s.unexpected ?? 0) + errors,
		skipped: s.skipped ?? 0,
		note: [s.flaky ? `${s.flaky} flaky` : '', errors ? `${errors} global error(s)` : ''].filter(Boolean).join(', ')
	};
}

async function postgresReachable() {
	const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5_000 });
	try {
		await client.connect();
		await client.query('select 1');
		return true;
	} catch (error) {
		console.error(`[test] PostgreSQL unreachable at ${PG_ADMIN_URL.replace(/\/\/[^@/]*@/, '//…@')}: ${error.message}`);
		return false;
	} finally {
		await client.end().catch(() => {});
	}
}

/** @typedef {{ step: string, kind: 'check' | 'tests', passed: number, failed: number, skipped: number, seconds: number, note: string }} Row */
/** @type {Row[]} */
const rows = [];

function banner(title) {
	const line = '═'.repeat(Math.max(20, title.length + 4));
	console.log(`\n${line}\n  ${title}\n${line}`);
}

async function checkStep(step, cmd, args, timeoutMs) {
	banner(`${rows.length + 1}. ${step}: ${cmd} ${args.join(' ')}`);
	const started = Date.now();
	const code = await run(cmd, args, { timeoutMs });
	const ok = code === 0;
	rows.push({ step, kind: 'check', passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0, seconds: (Date.now() - started) / 1000, note: ok ? '' : code === -1 ? 'timed out' : `exit ${code}` });
	return ok;
}

/**
 * A test runner step. `precondition` returns null when the step may run, or the reason it cannot (the step
 * then counts as 1 failure). Counts come from the runner's JSON report.
 */
async function testStep(step, { cmd, args, env = {}, report, counts, timeoutMs, precondition }) {
	banner(`${rows.length + 1}. ${step}: ${Object.entries(env).filter(([k]) => k === 'TEST_DB').map(([k, v]) => `${k}=${v} `).join('')}${cmd} ${args.join(' ')}`);
	const started = Date.now();
	const blocked = precondition ? await precondition() : null;
	if (blocked) {
		console.error(`[test] ${step}: not run: ${blocked}`);
		rows.push({ step, kind: 'tests', passed: 0, failed: 1, skipped: 0, seconds: (Date.now() - started) / 1000, note: `not run: ${blocked}` });
		return;
	}
	rmSync(report, { force: true });
	const code = await run(cmd, args, { env, timeoutMs });
	const c = counts(report);
	const seconds = (Date.now() - started) / 1000;
	const notes = [];
	let { passed, failed, skipped } = c ?? { passed: 0, failed: 0, skipped: 0 };
	if (c?.note) notes.push(c.note);
	if (code === -1) notes.push('timed out');
	if (!c) {
		notes.push('no JSON report');
		failed += 1;
	} else if (passed + failed === 0) {
		notes.push('0 tests ran');
		failed += 1;
	} else if (code !== 0 && failed === 0) {
		notes.push(`exit ${code} with no failed test`);
		failed += 1;
	}
	rows.push({ step, kind: 'tests', passed, failed, skipped, seconds, note: notes.join('; ') });
}

const t0 = Date.now();
const vitest = (project, file) => ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${file}`];

await checkStep('check', 'npm', ['run', 'check'], 15 * MINUTE);
await checkStep('lint', 'npx', ['eslint', '.'], 15 * MINUTE);
const built = await checkStep('build', 'npx', ['vite', 'build'], 15 * MINUTE);

const unitReport = join(reports, 'vitest-unit.json');
await testStep('unit', { cmd: 'npx', args: vitest('unit', unitReport), report: unitReport, counts: vitestCounts, timeoutMs: 15 * MINUTE });

const sqliteReport = join(reports, 'vitest-db-sqlite.json');
await testStep('db (sqlite)', { cmd: 'npx', args: vitest('db', sqliteReport), env: { TEST_DB: 'sqlite' }, report: sqliteReport, counts: vitestCounts, timeoutMs: 20 * MINUTE });

const pgReport = join(reports, 'vitest-db-postgres.json');
await testStep('db (postgres)', {
	cmd: 'npx',
	args: vitest('db', pgReport),
	env: { TEST_DB: 'postgres' },
	report: pgReport,
	counts: vitestCounts,
	timeoutMs: 20 * MINUTE,
	precondition: async () => ((await postgresReachable()) ? null : 'PostgreSQL is not reachable')
});

const e2eReport = join(reports, 'playwright.json');
await testStep('e2e', {
	cmd: 'npx',
	args: ['playwright', 'test', '--reporter=list,json'],
	env: { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport },
	report: e2eReport,
	counts: playwrightCounts,
	timeoutMs: 25 * MINUTE,
	precondition: async () => {
		if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install -y chromium)`;
		if (!built) return 'the build failed';
		return null;
	}
});

// Summary.
const header = ['step', 'kind', 'passed', 'failed', 'skipped', 'time', 'note'];
const table = rows.map((r) => [r.step, r.kind, String(r.passed), String(r.failed), String(r.skipped), `${r.seconds.toFixed(1)}s`, r.note]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const fmt = (cells) => cells.map((c, i) => (i >= 2 && i <= 5 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
const passed = rows.reduce((n, r) => n + r.passed, 0);
const failed = rows.reduce((n, r) => n + r.failed, 0);

console.log(`\n${'─'.repeat(60)}\nSummary (${((Date.now() - t0) / MINUTE).toFixed(1)} min)\n`);
console.log(fmt(header));
console.log(fmt(widths.map((w) => '-'.repeat(w))));
for (const row of table) console.log(fmt(row));
console.log('');
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
