#!/usr/bin/env node
/**
 * `npm run bench:scenario` (issue 6): the time to evaluate one Architecte scenario choice in the engine
 * (target < 1 ms), median and p99 over every reachable choice of the three cases, repeated; next to two
 * baselines measured in the same run (a no-op call = timer overhead, JSON.parse of a case file), and the
 * server's per-POST work (replay of a stored attempt + one choice). Pure CPU: no database, no HTTP.
 * Also the CPU time per choice over a batch (robust to a loaded machine), and the load average of the run.
 * Settings: BENCH_SCENARIO_ROUNDS=50 (repetitions of the whole set). Writes bench/results/scenario-latest.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envNumber } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const rounds = envNumber(process.env, 'BENCH_SCENARIO_ROUNDS', 50);
const loadBefore = os.loadavg()[0];
const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['bench/scenario-helper.ts'], {
	cwd: root,
	env: { ...process.env, BENCH_SCENARIO_ROUNDS: String(rounds) },
	encoding: 'utf8'
});
if (r.status !== 0) {
	console.error(r.stderr || r.stdout);
	process.exit(1);
}
const result = JSON.parse(r.stdout.trim().split('\n').at(-1));
const machine = `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${result.node}, load average ${loadBefore.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}`;
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'scenario-latest.json'), JSON.stringify({ at: new Date().toISOString(), machine, ...result }, null, 2));

const us = (ms) => `${(ms * 1000).toFixed(1)} µs`;
const row = (name, s) => `| ${name} | ${s.n} | ${us(s.medianMs)} | ${us(s.p99Ms)} | ${us(s.maxMs)} |`;
console.log(`Scenario engine — ${machine}; ${result.reachableChoices} reachable choices and ${result.paths} complete paths over 3 cases, ${result.rounds} rounds\n`);
console.log('| measure | samples | median | p99 | max |');
console.log('|---|---|---|---|---|');
console.log(row('one choice (`apply`)', result.apply));
console.log(row('one choice, median of its runs — over the reachable choices', result.applyPerChoiceMedian));
console.log(row('replay a stored attempt + one choice', result.replayThenApply));
console.log(row('baseline: no-op call (timer overhead)', result.baselineNoop));
console.log(row('baseline: no-op, median of its runs — over the choices', result.noopPerChoiceMedian));
console.log(row('baseline: `JSON.parse` of a case file', result.baselineJsonParse));
console.log(`\nCPU time per choice over a batch of ${result.batch.calls} choices: ${us(result.batch.cpuPerChoiceMs)} (wall ${us(result.batch.wallPerChoiceMs)}).`);
const ok = result.apply.p99Ms < 1;
const okPerChoice = result.applyPerChoiceMedian.p99Ms < 1;
console.log(`Target < 1 ms per choice: raw samples ${ok ? 'met' : 'NOT met'} (p99 ${us(result.apply.p99Ms)}, median ${us(result.apply.medianMs)}); per-choice medians ${okPerChoice ? 'met' : 'NOT met'} (p99 ${us(result.applyPerChoiceMedian.p99Ms)}, max ${us(result.applyPerChoiceMedian.maxMs)}).`);
if (process.env.BENCH_STRICT === '1' && !ok) process.exit(1);
