/**
 * The Architecte cases shipped with the app: `content/training/cases/<case id>/<version>.json`, read and
 * validated once (against the exact protocol pack each names), then served from memory. Like protocol
 * packs, a published file is never edited: attempts name the case version they were played with, so old
 * versions stay in the folder. Resolved from `process.cwd()` for the same reason as packs.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compareVersions } from '../../../domain/protocol/load';
import { isPackId, isSemver } from '../../../domain/protocol/version';
import { caseKey, loadCase } from '../../../domain/training/scenario/load';
import type { TrainingCase } from '../../../domain/training/scenario/schema';
import { packRegistry, type PackRegistry } from '../../protocol/packs';

export const CASES_DIR = join('content', 'training', 'cases');

export interface CaseRegistry {
	/** the current (highest) version of every case, in `order` */
	current(): TrainingCase[];
	/** one exact version (what an attempt recorded), or null */
	get(id: string, version: string): TrainingCase | null;
	/** the current version of a case, or null */
	latest(id: string): TrainingCase | null;
}

export class CaseLoadError extends Error {
	constructor(public readonly problems: string[]) {
		super(`Training cases could not be loaded:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
		this.name = 'CaseLoadError';
	}
}

export function casesDirectory(root: string = process.cwd()): string {
	return resolve(root, CASES_DIR);
}

export function loadCaseRegistry(dir: string = casesDirectory(), packs: PackRegistry = packRegistry()): CaseRegistry {
	const problems: string[] = [];
	const cases: TrainingCase[] = [];
	let folders: string[];
	try {
		// eslint-disable-next-line security/detect-non-literal-fs-filename -- the fixed cases directory
		folders = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name);
	} catch (e) {
		throw new CaseLoadError([`cannot read ${dir}: ${(e as Error).message} (the server must start in the project root)`]);
	}
	for (const folder of folders.sort()) {
		if (!isPackId(folder)) {
			problems.push(`${folder}/: folder name is not a case id (kebab-case)`);
			continue;
		}
		// eslint-disable-next-line security/detect-non-literal-fs-filename -- a sub-folder of the cases directory
		const files = readdirSync(join(dir, folder)).filter((n) => n.endsWith('.json'));
		for (const name of files.sort()) {
			const rel = `${folder}/${name}`;
			const version = name.slice(0, -'.json'.length);
			if (!isSemver(version)) {
				problems.push(`${rel}: file name must be <version>.json`);
				continue;
			}
			let json: unknown;
			try {
				// eslint-disable-next-line security/detect-non-literal-fs-filename -- a file of the cases directory
				json = JSON.parse(readFileSync(join(dir, folder, name), 'utf8'));
			} catch (e) {
				problems.push(`${rel}: not valid JSON (${(e as Error).message})`);
				continue;
			}
			const result = loadCase(json, (id, v) => packs.get(id, v));
			if (!result.ok) {
				problems.push(...result.problems.map((p) => `${rel}: ${p.path}: ${p.message}`));
				continue;
			}
			if (result.case.id !== folder || result.case.version !== version) {
				problems.push(`${rel}: declares ${caseKey(result.case)}, but its path says ${folder}@${version}`);
				continue;
			}
			cases.push(result.case);
		}
	}
	if (problems.length > 0) throw new CaseLoadError(problems);
	const byKey = new Map(cases.map((c) => [caseKey(c), c]));
	const latest = new Map<string, TrainingCase>();
	for (const c of cases) {
		const known = latest.get(c.id);
		if (!known || compareVersions(c.version, known.version) > 0) latest.set(c.id, c);
	}
	const current = [...latest.values()].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
	return {
		current: () => [...current],
		get: (id, version) => byKey.get(caseKey({ id, version })) ?? null,
		latest: (id) => latest.get(id) ?? null
	};
}

let cached: CaseRegistry | undefined;

/** The cases of this installation, read from disk on first use and kept for the life of the process. */
export function caseRegistry(): CaseRegistry {
	cached ??= loadCaseRegistry();
	return cached;
}
