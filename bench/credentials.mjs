#!/usr/bin/env node
/**
 * `npm run bench:credentials`: Open Badges credentials signed and verified per second on one core, next to
 * raw Ed25519 sign/verify (node:crypto) measured in the same process and the same run (interleaved rounds).
 * The work runs in one child process pinned to one CPU when `taskset` exists (one core, as the target says).
 *
 * Settings (environment, all optional): BENCH_SECONDS=2 BENCH_ROUNDS=3
 * Writes bench/results/credentials-latest.json and prints a Markdown table: rates per wall-clock second and per
 * CPU second of the process (the latter less sensitive to other processes sharing the core).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { root, tsxBin, writeResults } from './lib.mjs';

const helper = join(root, 'bench', 'credentials-helper.ts');
const pin = existsSync('/usr/bin/taskset') ? ['/usr/bin/taskset', ['-c', '0', tsxBin, helper]] : [tsxBin, [helper]];
const run = spawnSync(pin[0], pin[1], { cwd: root, env: process.env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
if (run.status !== 0) {
	console.error(run.stderr || run.stdout);
	process.exit(1);
}
const result = JSON.parse(run.stdout.trim().split('\n').pop());
const m = result.medians;
const c = result.cpuMedians;
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const pct = (a, b) => `${((a / b) * 100).toFixed(1)} %`;
const lines = [
	`Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} (${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}), one process${pin[0].endsWith('taskset') ? ' pinned to CPU 0' : ''}, ${result.rounds} interleaved rounds × ${result.seconds} s, medians.`,
	'',
	'| operation | per second (one core) | ratio to raw Ed25519 | per CPU second | ratio (CPU) |',
	'|---|---:|---:|---:|---:|',
	`| raw Ed25519 sign (node:crypto) | ${fmt(m.rawSign)} | 100 % | ${fmt(c.rawSign)} | 100 % |`,
	`| credential signed (eddsa-rdfc-2022) | ${fmt(m.credentialSign)} | ${pct(m.credentialSign, m.rawSign)} of sign | ${fmt(c.credentialSign)} | ${pct(c.credentialSign, c.rawSign)} |`,
	`| raw Ed25519 verify (node:crypto) | ${fmt(m.rawVerify)} | 100 % | ${fmt(c.rawVerify)} | 100 % |`,
	`| credential verified (full verifier, fast canonicalisation) | ${fmt(m.credentialVerify)} | ${pct(m.credentialVerify, m.rawVerify)} of verify | ${fmt(c.credentialVerify)} | ${pct(c.credentialVerify, c.rawVerify)} |`,
	`| credential verified (generic JSON-LD path, for comparison) | ${fmt(m.genericVerify)} | ${pct(m.genericVerify, m.rawVerify)} of verify | ${fmt(c.genericVerify)} | ${pct(c.genericVerify, c.rawVerify)} |`,
	'',
	`Credential: ${result.quadsPerCredential} N-Quads after canonicalisation. Target ≥ 2,000 verifications/s: ${m.credentialVerify >= 2000 ? 'met' : 'NOT met'} in this run (wall clock; ${c.credentialVerify >= 2000 ? 'met' : 'NOT met'} per CPU second).`,
	'Per CPU second: operations divided by the CPU time of the process (all its threads, on the pinned core) — other processes on the shared core inflate wall-clock time, not this.'
];
console.log(lines.join('\n'));
writeResults('credentials-latest.json', { at: new Date().toISOString(), load: os.loadavg(), ...result }, 2);
