/** The case format refuses broken cases with a readable path: cycles, dangling scenes, undeclared errors, bad answers. */
import { describe, expect, it } from 'vitest';
import defaultPackJson from '../../../../../content/protocol-packs/sexto-default/1.0.0.json';
import { parsePack } from '../../protocol/load';
import { loadCase } from './load';

const pack = parsePack(defaultPackJson, 'sexto-default 1.0.0');
const L = (s: string) => ({ fr: `${s} (fr)`, en: `${s} (en)` });
const choice = (id: string, next: string, extra: Record<string, unknown> = {}) => ({ id, label: L(id), feedback: L(id), action: 'other', points: 1, next, ...extra });

function minimal(): Record<string, unknown> & { scenes: Record<string, unknown>[] } {
	return {
		format: 1,
		id: 'cas-test',
		version: '1.0.0',
		order: 1,
		pack: { id: 'sexto-default', version: '1.0.0' },
		title: L('t'),
		summary: L('s'),
		notice: L('n'),
		start: 'a',
		passScore: 1,
		criticalErrors: [{ id: 'viewed_images', label: L('v'), explanation: L('v') }],
		scenes: [
			{ id: 'a', title: L('a'), narrative: L('a'), choices: [choice('go', 'b'), choice('look', 'b', { action: 'view_images', points: 0 })] },
			{ id: 'b', title: L('b'), narrative: L('b') }
		],
		debrief: [L('d1'), L('d2')]
	};
}
const problems = (json: unknown) => {
	const r = loadCase(json, (id, v) => (id === pack.id && v === pack.version ? pack : null));
	return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
};

describe('case schema', () => {
	it('accepts a minimal case', () => {
		expect(problems(minimal())).toEqual([]);
	});

	it('refuses a cycle and an unreachable scene', () => {
		const c = minimal();
		c.scenes = [
			{ id: 'a', title: L('a'), narrative: L('a'), choices: [choice('go', 'b')] },
			{ id: 'b', title: L('b'), narrative: L('b'), choices: [choice('back', 'a'), choice('end', 'c')] },
			{ id: 'c', title: L('c'), narrative: L('c') },
			{ id: 'lost', title: L('l'), narrative: L('l') }
		];
		const p = problems(c);
		expect(p.some((x) => x.includes('cycle: a → b → a'))).toBe(true);
		expect(p.some((x) => x.includes('scene "lost" cannot be reached'))).toBe(true);
	});

	it('refuses an unknown next scene, an undeclared critical error and a missing English text', () => {
		const c = minimal();
		c.scenes[0] = { id: 'a', title: { fr: 'seulement en français' }, narrative: L('a'), choices: [choice('go', 'zz', { critical: 'contacted_adult' })] };
		const p = problems(c);
		expect(p).toContain('scenes[0].title.en: Invalid input: expected string, received undefined');
		const c2 = minimal();
		c2.scenes[0] = { id: 'a', title: L('a'), narrative: L('a'), choices: [choice('go', 'zz', { critical: 'contacted_adult' })] };
		expect(problems(c2)).toEqual(
			expect.arrayContaining(['scenes[0].choices[0].next: unknown next scene "zz"', 'scenes[0].choices[0].critical: critical error "contacted_adult" is not declared by the case'])
		);
	});

	it('checks answers and steps against the protocol pack through the protocol engine', () => {
		const c = minimal();
		c.scenes[0] = { id: 'a', title: L('a'), narrative: L('a'), protocolStep: 'nowhere', choices: [choice('go', 'b', { answers: { rf_adult: 'maybe', not_a_question: 'yes' } })] };
		expect(problems(c)).toEqual([
			'scenes[0].protocolStep: unknown protocol step "nowhere"',
			'scenes[0].choices[0].answers.rf_adult: answer to "rf_adult" refused by the protocol engine (not_an_option)',
			'scenes[0].choices[0].answers.not_a_question: unknown question "not_a_question" of sexto-default@1.0.0'
		]);
	});

	it('refuses a case whose pack version is missing', () => {
		const c = minimal();
		c.pack = { id: 'sexto-default', version: '9.9.9' };
		expect(problems(c)).toEqual(['pack: protocol pack sexto-default@9.9.9 is missing']);
	});
});
