import { describe, expect, it } from 'vitest';
import defaultPackJson from '../../../../content/protocol-packs/sexto-default/1.0.0.json';
import { compareVersions, formatPath, loadPack, PackError, packKey, parsePack, type PackProblem } from './load';
import { ConditionSchema, ProtocolPackSchema } from './schema';
import { isPackId, isSemver, parseSemver } from './version';
import { testPackJson } from './test-fixtures';

/** A deep copy of the default pack as plain JSON, to break on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests mutate arbitrary parts of the JSON
const broken = (): any => structuredClone(defaultPackJson);

function problemsOf(json: unknown): PackProblem[] {
	const r = loadPack(json);
	if (r.ok) throw new Error('expected the pack to be refused');
	return r.problems;
}

function expectProblem(json: unknown, path: string, message: RegExp | string) {
	const problems = problemsOf(json);
	expect(problems, JSON.stringify(problems, null, 1)).toContainEqual({ path, message: typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message) });
}

describe('the default pack', () => {
	it('is accepted by the schema', () => {
		const r = loadPack(defaultPackJson);
		expect(r.ok ? [] : r.problems).toEqual([]);
	});
	it('comes back deep-frozen', () => {
		const pack = parsePack(defaultPackJson);
		expect(Object.isFrozen(pack)).toBe(true);
		expect(Object.isFrozen(pack.questions[0])).toBe(true);
		expect(Object.isFrozen(pack.redFlags[0]?.meanwhile)).toBe(true);
		expect(packKey(pack)).toBe('sexto-default@1.0.0');
	});
	it('the synthetic test pack is valid too', () => expect(loadPack(testPackJson()).ok).toBe(true));
});

describe('broken packs are refused with a clear path', () => {
	it('a condition naming a question that does not exist', () => {
		const p = broken();
		p.redFlags[2].when = { any: [{ q: 'rf_adlt', in: ['yes'] }] };
		expectProblem(p, 'redFlags[2].when.any[0].q', 'unknown question "rf_adlt"');
	});
	it('an `answered` naming a question that does not exist', () => {
		const p = broken();
		p.gridRules[0].when = { not: { answered: 'ghost' } };
		expectProblem(p, 'gridRules[0].when.not.answered', 'unknown question "ghost"');
	});
	it('a condition naming an option that does not exist', () => {
		const p = broken();
		p.gridRules[0].when = { q: 'relationship', eq: 'married' };
		expectProblem(p, 'gridRules[0].when.eq', /"married" is not a value of choice question "relationship"/);
	});
	it('includes on a multi_choice option that does not exist', () => {
		const p = broken();
		p.redFlags[2].when = { q: 'recipients', includes: 'teachers' };
		expectProblem(p, 'redFlags[2].when.includes', /"teachers" is not a value/);
	});
	it('"unknown" on a yes/no question that does not allow it', () => {
		const p = broken();
		p.redFlags[0].when = { q: 'rf_immediate_danger', in: ['yes', 'unknown'] };
		expectProblem(p, 'redFlags[0].when.in[1]', /"unknown" is not a value of yes_no question/);
	});
	it('an operator that does not fit the question type', () => {
		const p = broken();
		p.gridRules[0].when = { all: [{ q: 'relationship', lt: 3 }, { q: 'recipients', eq: 'friends' }, { q: 'age_depicted', includes: 'x' }] };
		const problems = problemsOf(p);
		expect(problems).toContainEqual({ path: 'gridRules[0].when.all[0].lt', message: expect.stringMatching(/lt needs a number question/) });
		expect(problems).toContainEqual({ path: 'gridRules[0].when.all[1].eq', message: expect.stringMatching(/use includes/) });
		expect(problems).toContainEqual({ path: 'gridRules[0].when.all[2].includes', message: expect.stringMatching(/needs a multi_choice/) });
	});
	it('a duplicate question id', () => {
		const p = broken();
		p.questions[1].id = p.questions[0].id;
		expectProblem(p, 'questions[1].id', `duplicate question id "${p.questions[0].id}" (first at index 0)`);
	});
	it('duplicate red flag, grid rule, step and option ids', () => {
		const p = broken();
		p.redFlags[1].id = p.redFlags[0].id;
		p.gridRules[3].id = p.gridRules[2].id;
		p.steps[5].id = p.steps[4].id;
		p.questions[1].options[2].id = p.questions[1].options[0].id;
		const paths = problemsOf(p).map((x) => x.path);
		expect(paths).toEqual(expect.arrayContaining(['redFlags[1].id', 'gridRules[3].id', 'steps[5].id', 'questions[1].options[2].id']));
	});
	it('a choice question without options', () => {
		const p = broken();
		const i = p.questions.findIndex((q: { type: string }) => q.type === 'choice');
		delete p.questions[i].options;
		expectProblem(p, `questions[${i}].options`, /expected array/);
	});
	it('a choice question with a single option, and options on a number question', () => {
		const p = broken();
		const i = p.questions.findIndex((q: { type: string }) => q.type === 'multi_choice');
		p.questions[i].options = p.questions[i].options.slice(0, 1);
		const n = p.questions.findIndex((q: { type: string }) => q.type === 'number');
		p.questions[n].options = [];
		const paths = problemsOf(p).map((x) => x.path);
		expect(paths).toContain(`questions[${i}].options`);
		expect(paths).toContain(`questions[${n}]`); // unrecognized key "options"
	});
	it('an unknown red flag action', () => {
		const p = broken();
		p.redFlags[0].action = 'call_parents';
		expectProblem(p, 'redFlags[0].action', /call_911|Invalid option/);
	});
	it('an unknown question type and an unknown step', () => {
		const p = broken();
		p.questions[0].type = 'slider';
		expectProblem(p, 'questions[0].type', /Invalid discriminator value/);
		const q = broken();
		q.questions[0].step = 'nowhere';
		expectProblem(q, 'questions[0].step', 'unknown step "nowhere"');
	});
	it('a showWhen reading a question asked later', () => {
		const p = broken();
		const i = p.questions.findIndex((q: { id: string }) => q.id === 'shared_beyond');
		p.questions[i].showWhen = { q: 'devices_secured', eq: 'yes' };
		expectProblem(p, `questions[${i}].showWhen.q`, /may only read questions asked before "shared_beyond"/);
	});
	it('a showWhen reading its own question', () => {
		const p = broken();
		const i = p.questions.findIndex((q: { id: string }) => q.id === 'threats');
		p.questions[i].showWhen = { answered: 'threats' };
		expectProblem(p, `questions[${i}].showWhen.answered`, /asked before "threats"/);
	});
	it('a condition with two operators, or none', () => {
		const p = broken();
		p.gridRules[0].when = { q: 'age_depicted', lt: 13, gt: 1 };
		expectProblem(p, 'gridRules[0].when', /exactly one of/);
		expect(ConditionSchema.safeParse({ all: [{ q: 'a', eq: 'b' }], any: [{ q: 'a', eq: 'b' }] }).success).toBe(false);
		expect(ConditionSchema.safeParse({ q: 'a' }).success).toBe(false);
		expect(ConditionSchema.safeParse({ q: 'a', equals: 'b' }).success).toBe(false);
		expect(ConditionSchema.safeParse({ not: { all: [{ answered: 'a' }, { q: 'b', gte: 2 }] } }).success).toBe(true);
	});
	it('not exactly one red-flags step', () => {
		const p = broken();
		p.steps[0].kind = 'red_flags';
		expectProblem(p, 'steps', /exactly one step of kind "red_flags" \(found 2\)/);
	});
	it('a step with no question', () => {
		const p = broken();
		p.steps.push({ id: 'empty', kind: 'questions', title: { fr: 'Vide', en: 'Empty' }, guidance: { fr: 'x', en: 'x' } });
		expectProblem(p, 'steps[6]', 'step "empty" has no question');
	});
	it('a default pack without its "replace me" notice', () => {
		const p = broken();
		delete p.notice;
		expectProblem(p, 'notice', /to be replaced by the official kit/);
	});
	it('a missing translation', () => {
		const p = broken();
		delete p.questions[3].guidance.en;
		p.redFlags[0].meanwhile[1].fr = '   ';
		const paths = problemsOf(p).map((x) => x.path);
		expect(paths).toEqual(expect.arrayContaining(['questions[3].guidance.en', 'redFlags[0].meanwhile[1].fr']));
	});
	it('too few or too many "meanwhile" steps', () => {
		const p = broken();
		p.redFlags[0].meanwhile = p.redFlags[0].meanwhile.slice(0, 2);
		p.redFlags[1].meanwhile = [...p.redFlags[2].meanwhile, ...p.redFlags[2].meanwhile];
		const paths = problemsOf(p).map((x) => x.path);
		expect(paths).toEqual(expect.arrayContaining(['redFlags[0].meanwhile', 'redFlags[1].meanwhile']));
	});
	it('a bad version, id, grid orientation, weight, or min > max', () => {
		const p = broken();
		p.version = '1.0';
		p.id = 'Sexto Default';
		p.gridRules[0].points = 'guilty';
		p.gridRules[1].weight = 7;
		const paths = problemsOf(p).map((x) => x.path);
		expect(paths).toEqual(expect.arrayContaining(['version', 'id', 'gridRules[0].points', 'gridRules[1].weight']));
		const q = broken();
		const n = q.questions.findIndex((x: { type: string }) => x.type === 'number');
		q.questions[n].min = 50;
		q.questions[n].max = 10;
		expectProblem(q, `questions[${n}].min`, 'min (50) is greater than max (10)');
	});
	it('unknown keys anywhere', () => {
		const p = broken();
		p.redFlags[0].severity = 'high';
		expectProblem(p, 'redFlags[0]', /Unrecognized key/i);
	});
	it('parsePack throws a PackError listing every problem', () => {
		const p = broken();
		p.version = 'x';
		p.questions[0].required = 'yes';
		try {
			parsePack(p, 'bad.json');
			expect.unreachable();
		} catch (e) {
			expect(e).toBeInstanceOf(PackError);
			expect((e as PackError).message).toMatch(/Invalid bad\.json:\n {2}- version: .*\n {2}- questions\[0\]\.required/);
		}
	});
	it('the raw schema reports the same issues', () => {
		expect(ProtocolPackSchema.safeParse({}).success).toBe(false);
	});
});

describe('helpers', () => {
	it('formatPath', () => {
		expect(formatPath([])).toBe('(root)');
		expect(formatPath(['redFlags', 2, 'when', 'all', 0, 'q'])).toBe('redFlags[2].when.all[0].q');
	});
	it('compareVersions follows semver precedence', () => {
		const sorted = ['1.10.0', '1.2.0', '1.0.0-alpha', '1.0.0', '1.0.0-alpha.10', '1.0.0-alpha.2', '1.0.0-beta', '2.0.0', '1.0.0+build.5'].sort(compareVersions);
		expect(sorted).toEqual(['1.0.0-alpha', '1.0.0-alpha.2', '1.0.0-alpha.10', '1.0.0-beta', '1.0.0', '1.0.0+build.5', '1.2.0', '1.10.0', '2.0.0']);
		expect(() => compareVersions('1', '1.0.0')).toThrow(/not a semantic version/);
	});
	it('semantic versions and pack ids', () => {
		expect(parseSemver('1.2.3-draft.4+b.5')).toEqual({ major: 1, minor: 2, patch: 3, pre: ['draft', '4'] });
		for (const v of ['1.0.0', '0.0.1', '10.20.30', '1.1.0-draft.2', '1.0.0-0.3.7', '1.0.0+20250101']) expect(isSemver(v), v).toBe(true);
		for (const v of ['1.0', '01.0.0', '1.0.0-', '1.0.0-01', '1.0.0+', '1.0.0-a..b', 'v1.0.0', '1.0.0+a+b', '']) expect(isSemver(v), v).toBe(false);
		for (const id of ['sexto-default', 'spvm-2025', 'a']) expect(isPackId(id), id).toBe(true);
		for (const id of ['Sexto', 'sexto--default', 'sexto-', '-sexto', 'sexto_default', '']) expect(isPackId(id), id).toBe(false);
	});
});
