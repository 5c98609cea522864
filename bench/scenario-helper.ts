/**
 * Helper of bench/scenario-engine.mjs (run with tsx): times the scenario engine in-process, on the three
 * case files and the default protocol pack, and prints one JSON line. Measured per call with
 * performance.now() (sub-microsecond resolution in Node):
 *   apply      one choice: protocol engine before and after (red flags, grid), critical errors, new state
 *   replay     a whole stored attempt replayed then one more choice — what the server does per POST
 *   baselines  in the same run: a no-op call (timer overhead) and JSON.parse of a case file
 * plus the CPU time per choice (process.cpuUsage over a batch of every choice, ROUNDS times): on a shared,
 * loaded machine the wall-clock tail mostly measures the scheduler; CPU time measures the engine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parsePack } from '../src/lib/domain/protocol/load';
import { apply, offered, replay, start, type ScenarioState } from '../src/lib/domain/training/scenario/engine';
import { loadCase } from '../src/lib/domain/training/scenario/load';
import type { TrainingCase } from '../src/lib/domain/training/scenario/schema';

const ROUNDS = Number(process.env.BENCH_SCENARIO_ROUNDS ?? 50);
const root = process.cwd();
const pack = parsePack(JSON.parse(readFileSync(join(root, 'content/protocol-packs/sexto-default/1.0.0.json'), 'utf8')));
const ids = ['echange-couple', 'partage-groupe-classe', 'sextorsion-adulte'];
const texts = ids.map((id) => readFileSync(join(root, 'content/training/cases', id, '1.0.0.json'), 'utf8'));
const cases: TrainingCase[] = texts.map((text) => {
	const r = loadCase(JSON.parse(text), (id, v) => (id === pack.id && v === pack.version ? pack : null));
	if (!r.ok) throw new Error(JSON.stringify(r.problems));
	return r.case;
});

// Every (state, choice) pair reachable in the three cases, and every full path (for the replay measure).
const steps: { c: TrainingCase; state: ScenarioState; choice: string }[] = [];
const paths: { c: TrainingCase; choices: string[] }[] = [];
for (const c of cases) {
	const walk = (state: ScenarioState, choices: string[]) => {
		if (state.finished) {
			paths.push({ c, choices });
			return;
		}
		for (const ch of offered(c, state)) {
			steps.push({ c, state, choice: ch.id });
			const r = apply(c, pack, state, ch.id);
			if (r.ok) walk(r.state, [...choices, ch.id]);
		}
	};
	walk(start(c, pack), []);
}

function stats(samples: number[]) {
	const s = [...samples].sort((a, b) => a - b);
	const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
	return { n: s.length, medianMs: at(0.5), p99Ms: at(0.99), maxMs: s[s.length - 1]! };
}

let sink = 0;
const noop = (x: number) => x + 1;
function time(fn: () => void): number {
	const t0 = performance.now();
	fn();
	return performance.now() - t0;
}

// Warm-up (JIT), not measured.
for (let i = 0; i < 20; i++) for (const s of steps) apply(s.c, pack, s.state, s.choice);

const applySamples: number[] = [];
const replaySamples: number[] = [];
const noopSamples: number[] = [];
const parseSamples: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
	for (const s of steps) {
		applySamples.push(time(() => void apply(s.c, pack, s.state, s.choice)));
		noopSamples.push(time(() => void (sink = noop(sink))));
	}
	for (const p of paths) {
		// the server's work for the last POST of an attempt: replay the stored choices, then apply the new one
		const stored = p.choices.slice(0, -1);
		const last = p.choices.at(-1)!;
		replaySamples.push(
			time(() => {
				const r = replay(p.c, pack, stored);
				if (r.ok) apply(p.c, pack, r.state, last);
			})
		);
	}
	for (const text of texts) parseSamples.push(time(() => void JSON.parse(text)));
}

// CPU time of the engine alone: the whole set of choices, ROUNDS times, in one batch.
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
for (let round = 0; round < ROUNDS; round++) for (const s of steps) apply(s.c, pack, s.state, s.choice);
const cpu = process.cpuUsage(cpu0);
const batchCalls = ROUNDS * steps.length;
const cpuPerChoiceMs = (cpu.user + cpu.system) / 1000 / batchCalls;
const wallPerChoiceMs = (performance.now() - wall0) / batchCalls;

console.log(
	JSON.stringify({
		batch: { calls: batchCalls, cpuPerChoiceMs, wallPerChoiceMs },
		// for each reachable choice, the median of its ROUNDS timings; then the distribution over the choices
		// (which choices are costly, with the scheduler's preemptions mostly filtered out)
		applyPerChoiceMedian: stats(steps.map((_, i) => stats(Array.from({ length: ROUNDS }, (_, r) => applySamples[r * steps.length + i]!)).medianMs)),
		noopPerChoiceMedian: stats(steps.map((_, i) => stats(Array.from({ length: ROUNDS }, (_, r) => noopSamples[r * steps.length + i]!)).medianMs)),
		node: process.version,
		rounds: ROUNDS,
		reachableChoices: steps.length,
		paths: paths.length,
		apply: stats(applySamples),
		replayThenApply: stats(replaySamples),
		baselineNoop: stats(noopSamples),
		baselineJsonParse: stats(parseSamples),
		sink
	})
);
