/**
 * Turns parsed JSON into a validated, frozen Architecte case, checked against the protocol pack it names
 * (pure: the caller reads the files). Problems come back as `path: message` lines.
 */
import { formatPath, type PackProblem } from '../../protocol/load';
import type { ProtocolPack } from '../../protocol/schema';
import { CaseSchema, crossCheckWithPack, type TrainingCase } from './schema';

export type CaseResult = { ok: true; case: TrainingCase } | { ok: false; problems: PackProblem[] };

function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const v of Object.values(value)) deepFreeze(v);
	}
	return value;
}

/** Validates a case; `packOf` finds the exact pack version it names (null when missing). */
export function loadCase(json: unknown, packOf: (id: string, version: string) => ProtocolPack | null): CaseResult {
	const parsed = CaseSchema.safeParse(json);
	if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
	const c = parsed.data;
	const pack = packOf(c.pack.id, c.pack.version);
	if (!pack) return { ok: false, problems: [{ path: 'pack', message: `protocol pack ${c.pack.id}@${c.pack.version} is missing` }] };
	const problems = crossCheckWithPack(c, pack).map((i) => ({ path: formatPath(i.path), message: i.message }));
	if (problems.length > 0) return { ok: false, problems };
	return { ok: true, case: deepFreeze(c) };
}

/** `echange-couple@1.0.0` */
export function caseKey(c: Pick<TrainingCase, 'id' | 'version'>): string {
	return `${c.id}@${c.version}`;
}
