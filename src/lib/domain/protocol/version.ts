/**
 * Pack ids and semantic versions (semver.org 2.0.0). Parsed by hand rather than with one big regular
 * expression: short, linear, and readable.
 */

const CORE = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;
const IDENTIFIER = /^[0-9A-Za-z-]{1,32}$/;
const NUMERIC = /^\d+$/;
const PACK_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface SemVer {
	major: number;
	minor: number;
	patch: number;
	/** pre-release identifiers (`1.1.0-draft.2` → ['draft', '2']); empty for a release */
	pre: string[];
}

/** Parses `1.2.3`, `1.2.3-draft.1`, `1.2.3+build.5`; null when not a semantic version. */
export function parseSemver(value: string): SemVer | null {
	if (value.length > 128) return null;
	const [main = '', build, ...more] = value.split('+');
	if (more.length > 0 || (build !== undefined && !build.split('.').every((id) => IDENTIFIER.test(id)))) return null;
	const dash = main.indexOf('-');
	const core = CORE.exec(dash < 0 ? main : main.slice(0, dash));
	if (!core) return null;
	const pre = dash < 0 ? [] : main.slice(dash + 1).split('.');
	// Numeric pre-release identifiers have no leading zero.
	if (!pre.every((id) => IDENTIFIER.test(id) && !(NUMERIC.test(id) && id.length > 1 && id.startsWith('0')))) return null;
	return { major: Number(core[1]), minor: Number(core[2]), patch: Number(core[3]), pre };
}

export function isSemver(value: string): boolean {
	return parseSemver(value) !== null;
}

/** Pack ids are kebab-case: `sexto-default`, `spvm-2025`. */
export function isPackId(value: string): boolean {
	return PACK_ID.test(value) && !value.endsWith('-') && !value.includes('--');
}

/**
 * Semver precedence (semver.org §11): major.minor.patch numerically; a pre-release sorts before its
 * release; pre-release identifiers compare numerically when numeric, numeric before alphanumeric;
 * build metadata is ignored. Throws on a string that is not a version.
 */
export function compareVersions(a: string, b: string): number {
	const x = parseSemver(a);
	const y = parseSemver(b);
	if (!x) throw new Error(`not a semantic version: ${a}`);
	if (!y) throw new Error(`not a semantic version: ${b}`);
	const core = x.major - y.major || x.minor - y.minor || x.patch - y.patch;
	if (core !== 0) return Math.sign(core);
	if (x.pre.length === 0 || y.pre.length === 0) return Math.sign(y.pre.length - x.pre.length);
	for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
		const p = x.pre[i];
		const q = y.pre[i];
		if (p === undefined) return -1;
		if (q === undefined) return 1;
		const pn = NUMERIC.test(p);
		const qn = NUMERIC.test(q);
		if (pn && qn && Number(p) !== Number(q)) return Math.sign(Number(p) - Number(q));
		if (pn !== qn) return pn ? -1 : 1;
		if (p !== q) return p < q ? -1 : 1;
	}
	return 0;
}
