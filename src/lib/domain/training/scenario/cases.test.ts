/**
 * Every Architecte case file under content/training/cases/, played exhaustively by the scenario engine on
 * the protocol engine: every path ends, every scene and choice is reachable, every declared critical error
 * is reachable and detected (and nothing undeclared is), the best path passes, FR and EN exist for every
 * text, and named paths give the expected scores.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import defaultPackJson from '../../../../../content/protocol-packs/sexto-default/1.0.0.json';
import { parsePack } from '../../protocol/load';
import { apply, debrief, maxScore, offered, outcome, replay, start, type ScenarioState } from './engine';
import { loadCase } from './load';
import type { TrainingCase } from './schema';

const pack = parsePack(defaultPackJson, 'sexto-default 1.0.0');
const DIR = join(process.cwd(), 'content', 'training', 'cases');

const files = readdirSync(DIR, { withFileTypes: true })
	.filter((d) => d.isDirectory())
	.flatMap((d) => readdirSync(join(DIR, d.name)).filter((f) => f.endsWith('.json')).map((f) => `${d.name}/${f}`))
	.sort();

function load(file: string): { json: unknown; kase: TrainingCase } {
	const json: unknown = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
	const r = loadCase(json, (id, version) => (id === pack.id && version === pack.version ? pack : null));
	if (!r.ok) throw new Error(`${file}:\n${r.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`);
	return { json, kase: r.case };
}

/** Every complete path from the start (depth-first), with its final state. */
function allPaths(c: TrainingCase): { choices: string[]; state: ScenarioState }[] {
	const out: { choices: string[]; state: ScenarioState }[] = [];
	const limit = c.scenes.length; // an acyclic graph cannot need more choices than it has scenes
	const walk = (state: ScenarioState, choices: string[]) => {
		if (state.finished) {
			out.push({ choices, state });
			return;
		}
		if (choices.length > limit) throw new Error(`${c.id}: a path longer than the number of scenes (cycle?): ${choices.join(' → ')}`);
		const options = offered(c, state);
		if (options.length === 0) throw new Error(`${c.id}: dead end at ${state.sceneId}`);
		for (const ch of options) {
			const r = apply(c, pack, state, ch.id);
			if (!r.ok) throw new Error(`${c.id}: offered choice ${ch.id} refused (${r.code})`);
			walk(r.state, [...choices, ch.id]);
		}
	};
	walk(start(c, pack), []);
	return out;
}

/** Every `{ fr, en }` object of the file: both present, non-blank. Returns the paths of broken ones. */
function missingTranslations(value: unknown, path = '$'): string[] {
	if (Array.isArray(value)) return value.flatMap((v, i) => missingTranslations(v, `${path}[${i}]`));
	if (!value || typeof value !== 'object') return [];
	const o = value as Record<string, unknown>;
	const problems: string[] = [];
	if ('fr' in o || 'en' in o) {
		for (const l of ['fr', 'en']) if (typeof o[l] !== 'string' || (o[l] as string).trim() === '') problems.push(`${path}.${l}`);
		return problems;
	}
	return Object.entries(o).flatMap(([k, v]) => missingTranslations(v, `${path}.${k}`));
}

it('finds the three case files', () => {
	expect(files).toEqual(['echange-couple/1.0.0.json', 'partage-groupe-classe/1.0.0.json', 'sextorsion-adulte/1.0.0.json']);
});

describe.each(files)('case %s', (file) => {
	const { json, kase } = load(file);
	const paths = allPaths(kase);

	it('is valid against its schema and its protocol pack, with a title in FR and EN', () => {
		expect(kase.pack).toEqual({ id: pack.id, version: pack.version });
		expect(`${kase.id}/${kase.version}.json`).toBe(file);
	});

	it('has French and English text for every node (no missing translation)', () => {
		expect(missingTranslations(json)).toEqual([]);
		// and the schema's localized objects are all there: every scene, choice, critical error, debrief point
		for (const s of kase.scenes) {
			expect(s.title.fr && s.title.en && s.narrative.fr && s.narrative.en).toBeTruthy();
			for (const ch of s.choices) expect(ch.label.fr && ch.label.en && ch.feedback.fr && ch.feedback.en).toBeTruthy();
		}
	});

	it('ends on every path (exhaustive exploration, no cycle), reaching every scene and every choice', () => {
		expect(paths.length).toBeGreaterThan(5);
		const scenes = new Set(paths.flatMap((p) => [...p.state.path.map((s) => s.sceneId), p.state.sceneId]));
		expect([...scenes].sort()).toEqual(kase.scenes.map((s) => s.id).sort());
		const choices = new Set(paths.flatMap((p) => p.state.path.map((s) => `${s.sceneId}.${s.choiceId}`)));
		expect([...choices].sort()).toEqual(kase.scenes.flatMap((s) => s.choices.map((ch) => `${s.id}.${ch.id}`)).sort());
		for (const p of paths) expect(offered(kase, p.state)).toEqual([]);
	});

	it('reaches and detects every declared critical error, and only declared ones', () => {
		const detected = new Set(paths.flatMap((p) => p.state.critical));
		expect([...detected].sort()).toEqual(kase.criticalErrors.map((e) => e.id).sort());
		for (const p of paths) {
			const o = outcome(kase, p.state);
			if (p.state.critical.length > 0) expect(o.passed).toBe(false);
			expect(o.passed).toBe(p.state.critical.length === 0 && p.state.score >= kase.passScore);
		}
	});

	it('has a best path that passes with the maximum score, and a pass mark below it', () => {
		const best = Math.max(...paths.map((p) => p.state.score));
		expect(maxScore(kase)).toBe(best);
		expect(kase.passScore).toBeLessThanOrEqual(best);
		expect(paths.some((p) => outcome(kase, p.state).passed && p.state.score === best)).toBe(true);
		// a careless path without any critical error still fails on the score
		expect(paths.some((p) => p.state.critical.length === 0 && !outcome(kase, p.state).passed)).toBe(true);
	});

	it('gives a full debrief at the end of every path', () => {
		for (const p of paths.slice(0, 50)) {
			const d = debrief(kase, pack, p.state)!;
			expect(d.steps.map((s) => s.choiceId)).toEqual(p.choices);
			expect(d.steps.reduce((n, s) => n + s.points, 0)).toBe(d.score);
			expect(d.keyPoints.length).toBeGreaterThanOrEqual(2);
		}
	});
});

// ---------------------------------------------------------------------------------------------------------
// Named paths: the score and the verdict a reviewer can check by hand in the case file.

const NAMED: Record<string, { name: string; choices: string[]; score: number; passed: boolean; critical: string[] }[]> = {
	'echange-couple': [
		{ name: 'model answer', choices: ['ecouter', 'verifier_signaux', 'rencontrer_samuel', 'securiser', 'appeler_police', 'soutien'], score: 18, passed: true, critical: [] },
		{ name: 'one slip (settles at school)', choices: ['ecouter', 'verifier_signaux', 'rencontrer_samuel', 'securiser', 'regler_ecole', 'soutien'], score: 15, passed: true, critical: [] },
		{ name: 'two slips', choices: ['sermon', 'sauter_signaux', 'rencontrer_samuel', 'securiser', 'appeler_police', 'soutien'], score: 12, passed: false, critical: [] },
		{ name: 'looks at the picture', choices: ['voir_image', 'verifier_signaux', 'rencontrer_samuel', 'securiser', 'appeler_police', 'soutien'], score: 15, passed: false, critical: ['viewed_images'] },
		{ name: 'searches the phone, forwards the picture', choices: ['ecouter', 'verifier_signaux', 'fouiller', 'transferer', 'appeler_police', 'soutien'], score: 12, passed: false, critical: ['acted_as_police', 'copied_images'] }
	],
	'partage-groupe-classe': [
		{ name: 'model answer', choices: ['accueillir', 'verifier', 'appeler', 'soutenir', 'sceller'], score: 15, passed: true, critical: [] },
		{ name: 'questions the ex-boyfriend after the kit said stop', choices: ['accueillir', 'verifier', 'convoquer_thomas', 'appeler_maintenant', 'soutenir', 'sceller'], score: 13, passed: false, critical: ['interviewed_suspected_author'] },
		{ name: 'asks for a screenshot, blames the victim', choices: ['capture', 'verifier', 'appeler', 'reprocher', 'sceller'], score: 9, passed: false, critical: ['copied_images', 'blamed_student'] },
		{ name: 'no critical error but too many slips', choices: ['accueillir', 'passer', 'appeler', 'renvoyer', 'sceller'], score: 10, passed: false, critical: [] }
	],
	'sextorsion-adulte': [
		{ name: 'model answer', choices: ['rassurer', 'cocher', 'appeler', 'preserver', 'securite'], score: 15, passed: true, critical: [] },
		{ name: 'finishes the questionnaire before calling', choices: ['rassurer', 'cocher', 'finir_kit', 'appeler_enfin', 'preserver', 'securite'], score: 13, passed: false, critical: ['delayed_call'] },
		{ name: 'writes to the adult', choices: ['rassurer', 'cocher', 'repondre', 'appeler_enfin', 'preserver', 'securite'], score: 13, passed: false, critical: ['contacted_adult'] },
		{ name: 'waits for the parents (red flag already fired)', choices: ['rassurer', 'attendre_parents', 'appeler', 'preserver', 'securite'], score: 12, passed: false, critical: ['delayed_call'] },
		{ name: 'deletes the evidence, only calls the parents', choices: ['rassurer', 'cocher', 'appeler', 'tout_effacer', 'parents_seulement'], score: 11, passed: false, critical: [] }
	]
};

describe.each(Object.entries(NAMED))('named paths of %s', (id, named) => {
	const { kase } = load(`${id}/1.0.0.json`);
	it.each(named)('$name → $score points', ({ choices, score, passed, critical }) => {
		const r = replay(kase, pack, choices);
		if (!r.ok) throw new Error(`refused at ${r.at}: ${r.code}`);
		expect(r.state.finished).toBe(true);
		const o = outcome(kase, r.state);
		expect(o).toMatchObject({ score, passed });
		expect(o.critical).toEqual(critical);
	});
});

describe('the protocol engine decides the derived critical errors', () => {
	const { kase: groupChat } = load('partage-groupe-classe/1.0.0.json');
	const { kase: sextortion } = load('sextorsion-adulte/1.0.0.json');

	it('says "stop interviewing" once the group-chat facts are known, so questioning the author is critical', () => {
		const r = replay(groupChat, pack, ['accueillir', 'verifier']);
		if (!r.ok) throw new Error(r.code);
		const step = apply(groupChat, pack, r.state, 'convoquer_thomas');
		if (!step.ok) throw new Error(step.code);
		expect(step.step.critical).toEqual(['interviewed_suspected_author']);
		expect(r.state.path.at(-1)!.protocol).toMatchObject({ orientation: 'likely_malicious', stopInterviewing: true, callNow: false });
	});

	it('fires the sextortion red flag from the first scene, so any delay is critical; the self-harm flag asks for 911', () => {
		const first = start(sextortion, pack);
		const r = apply(sextortion, pack, first, 'rassurer');
		if (!r.ok) throw new Error(r.code);
		expect(r.step.protocol.redFlags).toContain('coercion_sextortion');
		expect(r.step.protocol.callNow).toBe(true);
		const end = replay(sextortion, pack, ['rassurer', 'cocher', 'appeler', 'preserver']);
		if (!end.ok) throw new Error(end.code);
		expect(end.state.path.at(-1)!.protocol.actions[0]).toBe('call_911');
	});
});

describe('refusals', () => {
	const { kase } = load('sextorsion-adulte/1.0.0.json');

	it('refuses a choice the current scene does not offer (forged), and never mutates the state', () => {
		const s = start(kase, pack);
		const frozen = JSON.stringify(s);
		expect(apply(kase, pack, s, 'appeler')).toEqual({ ok: false, code: 'not_offered' });
		expect(apply(kase, pack, s, 'nope')).toEqual({ ok: false, code: 'not_offered' });
		const ok = apply(kase, pack, s, 'rassurer');
		expect(ok.ok).toBe(true);
		expect(JSON.stringify(s)).toBe(frozen);
	});

	it('refuses any choice on a finished scenario, and has no debrief before the end', () => {
		const r = replay(kase, pack, ['rassurer', 'cocher', 'appeler', 'preserver', 'securite']);
		if (!r.ok) throw new Error(r.code);
		expect(apply(kase, pack, r.state, 'rassurer')).toEqual({ ok: false, code: 'finished' });
		expect(replay(kase, pack, ['rassurer', 'cocher', 'appeler', 'preserver', 'securite', 'rassurer'])).toEqual({ ok: false, code: 'finished', at: 5 });
		expect(debrief(kase, pack, start(kase, pack))).toBeNull();
	});
});
