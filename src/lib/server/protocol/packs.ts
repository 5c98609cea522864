/**
 * The protocol packs shipped with the app: `content/protocol-packs/<pack id>/<version>.json`, read and
 * validated once, then served from memory (packs are immutable; a new version is a new file).
 *
 * Where the files are: resolved from `process.cwd()`, not from this module's location, because the app
 * runs from the bundled `build/` (where `import.meta.url` points inside build/server/chunks/…) and the CLI
 * and tests run from `src/`. Every entry point starts in the project root: `npm start` spawns
 * `node build/index.js` with `cwd` = project root (scripts/start.mjs), and so do `npm run sexto` and
 * Vitest. A deployment must therefore ship `content/` next to `build/` and start the server from there.
 *
 * A pack that fails validation stops the load with every problem listed (a broken pack must never be
 * skipped silently: incidents name the version they ran with).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { compareVersions, loadPack, packKey, PackError } from '../../domain/protocol/load';
import { type Localized, type PackStatus, type ProtocolPack } from '../../domain/protocol/schema';
import { isPackId, isSemver } from '../../domain/protocol/version';

export const PACKS_DIR = join('content', 'protocol-packs');
export const DEFAULT_PACK_ID = 'sexto-default';
const MAX_PACK_BYTES = 2 * 1024 * 1024;

export interface PackSummary {
	id: string;
	version: string;
	status: PackStatus;
	title: Localized;
	notice: Localized | null;
	/** path relative to the packs directory, e.g. `sexto-default/1.0.0.json` */
	file: string;
}

export interface PackRegistry {
	/** every pack, by id, newest version first */
	list(): PackSummary[];
	/** one exact version (what an incident recorded), or null */
	get(id: string, version: string): ProtocolPack | null;
	/** the highest version of a pack that is not a draft or retired, or null */
	latest(id: string): ProtocolPack | null;
	/** the project's default pack (latest usable version of `sexto-default`) */
	defaultPack(): ProtocolPack;
}

export class PackLoadError extends Error {
	constructor(public readonly problems: string[]) {
		super(`Protocol packs could not be loaded:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
		this.name = 'PackLoadError';
	}
}

/** The packs directory for a project root (default: the working directory, see the module comment). */
export function packsDirectory(root: string = process.cwd()): string {
	return resolve(root, PACKS_DIR);
}

const USABLE: readonly PackStatus[] = ['default', 'official'];

/** Reads and validates every pack under `dir` (synchronously: done once at boot). */
export function loadPackRegistry(dir: string = packsDirectory()): PackRegistry {
	const problems: string[] = [];
	const packs: { pack: ProtocolPack; file: string }[] = [];
	let entries: string[];
	try {
		// eslint-disable-next-line security/detect-non-literal-fs-filename -- the fixed packs directory
		entries = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name);
	} catch (e) {
		throw new PackLoadError([`cannot read ${dir}: ${(e as Error).message} (the server must start in the project root)`]);
	}
	for (const packDir of entries.sort()) {
		if (!isPackId(packDir)) {
			problems.push(`${packDir}/: folder name is not a pack id (kebab-case)`);
			continue;
		}
		const folder = join(dir, packDir);
		// eslint-disable-next-line security/detect-non-literal-fs-filename -- a sub-folder of the packs directory
		const files = readdirSync(folder, { withFileTypes: true }).filter((d) => d.isFile() && d.name.endsWith('.json')).map((d) => d.name);
		for (const name of files.sort()) {
			const file = join(folder, name);
			const rel = relative(dir, file).split('\\').join('/');
			const version = name.slice(0, -'.json'.length);
			if (!isSemver(version)) {
				problems.push(`${rel}: file name must be <version>.json, e.g. 1.0.0.json`);
				continue;
			}
			// eslint-disable-next-line security/detect-non-literal-fs-filename -- a file of the packs directory
			if (statSync(file).size > MAX_PACK_BYTES) {
				problems.push(`${rel}: larger than ${MAX_PACK_BYTES} bytes`);
				continue;
			}
			let json: unknown;
			try {
				// eslint-disable-next-line security/detect-non-literal-fs-filename -- a file of the packs directory
				json = JSON.parse(readFileSync(file, 'utf8'));
			} catch (e) {
				problems.push(`${rel}: not valid JSON (${(e as Error).message})`);
				continue;
			}
			const result = loadPack(json);
			if (!result.ok) {
				problems.push(...result.problems.map((p) => `${rel}: ${p.path}: ${p.message}`));
				continue;
			}
			const { pack } = result;
			if (pack.id !== packDir || pack.version !== version) {
				problems.push(`${rel}: declares ${packKey(pack)}, but its path says ${packDir}@${version}`);
				continue;
			}
			packs.push({ pack, file: rel });
		}
	}
	if (problems.length > 0) throw new PackLoadError(problems);
	return registryOf(packs);
}

function registryOf(entries: readonly { pack: ProtocolPack; file: string }[]): PackRegistry {
	const sorted = [...entries].sort((a, b) => a.pack.id.localeCompare(b.pack.id) || compareVersions(b.pack.version, a.pack.version));
	const byKey = new Map(sorted.map((e) => [packKey(e.pack), e.pack]));
	const summaries: PackSummary[] = sorted.map(({ pack, file }) => ({
		id: pack.id,
		version: pack.version,
		status: pack.status,
		title: pack.title,
		notice: pack.notice ?? null,
		file
	}));
	const latest = (id: string) => sorted.find((e) => e.pack.id === id && USABLE.includes(e.pack.status))?.pack ?? null;
	return {
		list: () => summaries.map((s) => ({ ...s })),
		get: (id, version) => byKey.get(packKey({ id, version })) ?? null,
		latest,
		defaultPack() {
			const pack = latest(DEFAULT_PACK_ID);
			if (!pack) throw new PackError([{ path: '(root)', message: `no usable version of ${DEFAULT_PACK_ID} under ${PACKS_DIR}` }]);
			return pack;
		}
	};
}

let cached: PackRegistry | undefined;

/** The packs of this installation, read from disk on first use and kept for the life of the process. */
export function packRegistry(): PackRegistry {
	cached ??= loadPackRegistry();
	return cached;
}
