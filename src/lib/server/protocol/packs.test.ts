import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluate } from '../../domain/protocol/engine';
import { loadPackRegistry, PackLoadError, packRegistry, packsDirectory, PACKS_DIR } from './packs';

const real = JSON.parse(readFileSync(join(packsDirectory(), 'sexto-default', '1.0.0.json'), 'utf8'));
const dirs: string[] = [];

function packsDir(files: Record<string, unknown>): string {
	const dir = mkdtempSync(join(tmpdir(), 'sexto-packs-'));
	dirs.push(dir);
	for (const [path, content] of Object.entries(files)) {
		mkdirSync(join(dir, path, '..'), { recursive: true });
		writeFileSync(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content));
	}
	return dir;
}

const version = (v: string, extra: Record<string, unknown> = {}) => ({ ...real, version: v, ...extra });

afterEach(() => {
	for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the packs shipped in content/protocol-packs/', () => {
	it('resolve from the working directory (the project root, also when running build/)', () => {
		expect(packsDirectory('/srv/sexto')).toBe(join('/srv/sexto', PACKS_DIR));
		expect(packsDirectory()).toBe(join(process.cwd(), 'content', 'protocol-packs'));
	});
	it('load and validate, once', () => {
		const registry = packRegistry();
		expect(registry).toBe(packRegistry());
		expect(registry.list()).toContainEqual(expect.objectContaining({ id: 'sexto-default', version: '1.0.0', status: 'default', file: 'sexto-default/1.0.0.json' }));
		// the installation's default is the newest usable version (police services may pin another: ADR 015)
		const pack = registry.defaultPack();
		expect(pack).toBe(registry.get('sexto-default', '1.1.0'));
		expect(evaluate(pack, {}).next?.stepId).toBe('red_flags');
	});
	it('sexto-default 1.1.0 revises wording only: same steps, questions, options, conditions, red flags and grid rules as 1.0.0', () => {
		const registry = packRegistry();
		const shape = (version: string) => {
			const p = registry.get('sexto-default', version)!;
			return {
				steps: p.steps.map((s) => [s.id, s.kind]),
				questions: p.questions.map((q) => [q.id, q.step, q.type, q.required ?? null, JSON.stringify(q.showWhen ?? null), 'options' in q ? (q.options ?? []).map((o) => o.id) : []]),
				redFlags: p.redFlags.map((f) => [f.id, f.action, JSON.stringify(f.when)]),
				gridRules: p.gridRules.map((r) => [r.id, r.points, JSON.stringify(r.when)])
			};
		};
		expect(shape('1.1.0')).toEqual(shape('1.0.0'));
		const a = registry.get('sexto-default', '1.0.0')!;
		const b = registry.get('sexto-default', '1.1.0')!;
		expect(b.notice).toEqual(a.notice);
		expect(b.steps.find((s) => s.id === 'devices')!.guidance.fr).not.toBe(a.steps.find((s) => s.id === 'devices')!.guidance.fr);
	});
});

describe('loadPackRegistry', () => {
	it('lists packs by id, newest version first; `latest` skips drafts and retired versions', () => {
		const dir = packsDir({
			'sexto-default/1.0.0.json': version('1.0.0'),
			'sexto-default/1.10.0.json': version('1.10.0'),
			'sexto-default/1.2.0.json': version('1.2.0'),
			'sexto-default/2.0.0-draft.1.json': version('2.0.0-draft.1', { status: 'draft' }),
			'sexto-default/3.0.0.json': version('3.0.0', { status: 'retired' }),
			'abc-territory/1.0.0.json': { ...real, id: 'abc-territory', status: 'official', notice: undefined },
			'README.md': '# not a pack',
			'sexto-default/notes.txt': 'ignored'
		});
		const registry = loadPackRegistry(dir);
		expect(registry.list().map((p) => `${p.id}@${p.version}`)).toEqual([
			'abc-territory@1.0.0',
			'sexto-default@3.0.0',
			'sexto-default@2.0.0-draft.1',
			'sexto-default@1.10.0',
			'sexto-default@1.2.0',
			'sexto-default@1.0.0'
		]);
		expect(registry.latest('sexto-default')?.version).toBe('1.10.0');
		expect(registry.defaultPack().version).toBe('1.10.0');
		expect(registry.list()[0]?.notice).toBeNull();
	});
	it('an incident recorded with an older version still finds it after a newer one is added', () => {
		const registry = loadPackRegistry(packsDir({ 'sexto-default/1.0.0.json': version('1.0.0'), 'sexto-default/1.1.0.json': version('1.1.0') }));
		expect(registry.latest('sexto-default')?.version).toBe('1.1.0');
		expect(registry.get('sexto-default', '1.0.0')?.version).toBe('1.0.0');
		expect(registry.get('sexto-default', '0.9.0')).toBeNull();
		expect(registry.get('other', '1.0.0')).toBeNull();
	});
	it('refuses the whole set when one pack is broken, naming the file and the path', () => {
		const broken = version('1.1.0');
		broken.redFlags = [{ ...real.redFlags[0], when: { q: 'ghost', eq: 'yes' } }];
		const dir = packsDir({
			'sexto-default/1.0.0.json': version('1.0.0'),
			'sexto-default/1.1.0.json': broken,
			'sexto-default/1.2.0.json': '{ not json',
			'sexto-default/1.3.0.json': version('1.4.0'),
			'sexto-default/latest.json': version('1.0.0'),
			'Bad Folder/1.0.0.json': version('1.0.0')
		});
		try {
			loadPackRegistry(dir);
			expect.unreachable();
		} catch (e) {
			expect(e).toBeInstanceOf(PackLoadError);
			expect((e as PackLoadError).problems).toEqual([
				'Bad Folder/: folder name is not a pack id (kebab-case)',
				'sexto-default/1.1.0.json: redFlags[0].when.q: unknown question "ghost"',
				expect.stringMatching(/^sexto-default\/1\.2\.0\.json: not valid JSON/),
				'sexto-default/1.3.0.json: declares sexto-default@1.4.0, but its path says sexto-default@1.3.0',
				'sexto-default/latest.json: file name must be <version>.json, e.g. 1.0.0.json'
			]);
		}
	});
	it('says where it looked when the directory is missing', () => {
		expect(() => loadPackRegistry('/nonexistent/sexto/content/protocol-packs')).toThrow(/cannot read .*start in the project root/);
	});
	it('defaultPack() fails clearly when there is no usable default pack', () => {
		const registry = loadPackRegistry(packsDir({ 'sexto-default/1.0.0.json': version('1.0.0', { status: 'draft' }) }));
		expect(() => registry.defaultPack()).toThrow(/no usable version of sexto-default/);
	});
});
