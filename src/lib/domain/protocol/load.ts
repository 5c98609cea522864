/**
 * Turns parsed JSON into a validated, frozen protocol pack (pure: the caller reads the file). Problems come
 * back as `path: message` lines, e.g. `redFlags[2].when.any[0].q: unknown question "rf_adlt"`.
 */
import { ProtocolPackSchema, type ProtocolPack } from './schema';

export interface PackProblem {
	/** e.g. `questions[3].options` ("(root)" for the pack itself) */
	path: string;
	message: string;
}

export type PackResult = { ok: true; pack: ProtocolPack } | { ok: false; problems: PackProblem[] };

export class PackError extends Error {
	constructor(
		public readonly problems: PackProblem[],
		source = 'protocol pack'
	) {
		super(`Invalid ${source}:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`);
		this.name = 'PackError';
	}
}

export function formatPath(path: readonly PropertyKey[]): string {
	if (path.length === 0) return '(root)';
	return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`), '');
}

function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const v of Object.values(value)) deepFreeze(v);
	}
	return value;
}

/** Validates a pack; the result is deep-frozen (packs are shared by every incident and simulation). */
export function loadPack(json: unknown): PackResult {
	const parsed = ProtocolPackSchema.safeParse(json);
	if (!parsed.success) {
		return { ok: false, problems: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
	}
	return { ok: true, pack: deepFreeze(parsed.data) };
}

/** Same as loadPack, throwing a PackError that lists every problem. */
export function parsePack(json: unknown, source?: string): ProtocolPack {
	const result = loadPack(json);
	if (!result.ok) throw new PackError(result.problems, source);
	return result.pack;
}

/** `sexto-default@1.0.0`: how incidents and logs name the pack they ran with. */
export function packKey(pack: Pick<ProtocolPack, 'id' | 'version'>): string {
	return `${pack.id}@${pack.version}`;
}

export { compareVersions } from './version';
