/**
 * RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD documents, offline.
 *
 * Generic path: jsonld.toRDF (expansion with the bundled contexts, safe mode) → rdf-canonize RDFC-1.0.
 *
 * Fast path (same result, proven by tests on many generated documents): JSON-LD expansion depends only on
 * the document's *shape* — its keys, array structure, contexts, types and a few enumerated values — while
 * the other strings only flow into literals or IRIs. For each shape we run the generic expansion once on a
 * copy whose strings are unique sentinels, and keep the resulting quads as a template with slots. Later
 * documents of that shape fill the slots (deduplicating quads, as a dataset does) and go through the same
 * real RDFC-1.0 canonicalisation. Whenever a value could expand differently from its sentinel (an IRI slot
 * holding a relative IRI, a compact IRI, a term or a blank node id), the generic path is used instead.
 */
import jsonld, { type Quad, type RdfTerm } from 'jsonld';
import { _canonizeSync } from 'rdf-canonize';
import { definedTerms, documentLoader, UnknownContextError } from './document-loader';

const JSONLD_OPTIONS = { documentLoader, safe: true } as const;
const RDFC = { algorithm: 'RDFC-1.0' as const };

export class CanonicalizationError extends Error {
	constructor(
		public readonly kind: 'unknown_context' | 'malformed',
		message: string
	) {
		super(message);
		this.name = 'CanonicalizationError';
	}
}

function mapError(e: unknown): CanonicalizationError {
	for (let cur: unknown = e, depth = 0; cur && depth < 8; depth++) {
		if (cur instanceof UnknownContextError) return new CanonicalizationError('unknown_context', cur.message);
		const c = cur as { cause?: unknown; details?: { cause?: unknown } };
		cur = c.details?.cause ?? c.cause;
	}
	const name = (e as { name?: string })?.name ?? 'Error';
	const message = (e as { message?: string })?.message ?? '';
	return new CanonicalizationError('malformed', `${name}: ${message}`.slice(0, 300));
}

async function toDataset(doc: unknown): Promise<Quad[]> {
	try {
		return await jsonld.toRDF(doc, JSONLD_OPTIONS);
	} catch (e) {
		throw mapError(e);
	}
}

function rdfc(dataset: Quad[]): string {
	return _canonizeSync(dataset, RDFC);
}

/** The reference path: full JSON-LD expansion, then RDFC-1.0. */
export async function canonizeGeneric(doc: unknown): Promise<string> {
	return rdfc(await toDataset(doc));
}

// ---------------------------------------------------------------------------------------------
// Shapes and templates

/** Keys whose string values change the expansion (types, contexts, @vocab-typed enumerations): part of the shape. */
const SHAPE_KEYS = new Set([
	'@context', 'type', '@type', '@language', '@direction', '@version', '@vocab', '@base', '@container',
	'proofPurpose', 'cryptosuite', 'statusPurpose', 'achievementType', 'identityType', 'resultType', 'alignmentType'
]);
const MAX_LEAVES = 4000;
const MAX_DEPTH = 40;

interface Shape {
	key: string;
	leaves: string[];
}

function shapeOf(doc: unknown): Shape | null {
	const leaves: string[] = [];
	let key = '';
	const walk = (v: unknown, literal: boolean, depth: number): boolean => {
		if (depth > MAX_DEPTH) return false;
		if (typeof v === 'string') {
			if (literal) key += JSON.stringify(v);
			else {
				if (leaves.length >= MAX_LEAVES) return false;
				leaves.push(v);
				key += '?';
			}
			return true;
		}
		if (v === null || typeof v === 'number' || typeof v === 'boolean') {
			key += JSON.stringify(v);
			return true;
		}
		if (Array.isArray(v)) {
			key += '[';
			for (const x of v) {
				if (!walk(x, literal, depth + 1)) return false;
				key += ',';
			}
			key += ']';
			return true;
		}
		if (typeof v === 'object') {
			key += '{';
			for (const k in v as Record<string, unknown>) {
				if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
				key += JSON.stringify(k) + ':';
				if (!walk((v as Record<string, unknown>)[k], literal || SHAPE_KEYS.has(k), depth + 1)) return false;
				key += ',';
			}
			key += '}';
			return true;
		}
		return false;
	};
	return walk(doc, false, 0) ? { key, leaves } : null;
}

const SENTINEL_PREFIX = 'urn:x-sexto-slot:';
const SENTINEL = /^urn:x-sexto-slot:(\d+)$/;

function withSentinels(doc: unknown): unknown {
	let i = 0;
	const walk = (v: unknown, literal: boolean): unknown => {
		if (typeof v === 'string') return literal ? v : SENTINEL_PREFIX + i++;
		if (Array.isArray(v)) return v.map((x) => walk(x, literal));
		if (v && typeof v === 'object') {
			return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x, literal || SHAPE_KEYS.has(k))]));
		}
		return v;
	};
	return walk(doc, false);
}

type TermTemplate = { fixed: RdfTerm } | { slot: number; termType: 'NamedNode' | 'Literal'; datatype?: RdfTerm['datatype']; language?: string };
type QuadTemplate = [TermTemplate, TermTemplate, TermTemplate, TermTemplate];
interface Template {
	quads: QuadTemplate[];
	/** indices of quads that share predicate and graph: only these can ever coincide once the slots are filled */
	collisionGroups: number[][];
	/** slots that hold IRIs: their values must be plain absolute IRIs for the template to apply */
	iriSlots: number[];
}

class TemplateMismatch extends Error {}

function compileTerm(term: RdfTerm, kinds: Map<number, 'iri' | 'literal'>): TermTemplate {
	const m = SENTINEL.exec(term.value);
	if (term.datatype?.value.includes(SENTINEL_PREFIX) || term.language?.includes(SENTINEL_PREFIX)) throw new TemplateMismatch();
	if (!m) {
		if (term.value.includes(SENTINEL_PREFIX)) throw new TemplateMismatch();
		return { fixed: term };
	}
	if (term.termType !== 'NamedNode' && term.termType !== 'Literal') throw new TemplateMismatch();
	const slot = Number(m[1]);
	const kind = term.termType === 'NamedNode' ? 'iri' : 'literal';
	if (kinds.get(slot) && kinds.get(slot) !== kind) throw new TemplateMismatch();
	kinds.set(slot, kind);
	return term.termType === 'Literal'
		? { slot, termType: 'Literal', datatype: term.datatype, ...(term.language ? { language: term.language } : {}) }
		: { slot, termType: 'NamedNode' };
}

async function buildTemplate(doc: unknown, leafCount: number): Promise<Template | null> {
	let dataset: Quad[];
	try {
		dataset = await jsonld.toRDF(withSentinels(doc), JSONLD_OPTIONS);
	} catch {
		return null; // the generic path will report the real error
	}
	const kinds = new Map<number, 'iri' | 'literal'>();
	try {
		const quads = dataset.map(
			(q) => [compileTerm(q.subject, kinds), compileTerm(q.predicate, kinds), compileTerm(q.object, kinds), compileTerm(q.graph, kinds)] as QuadTemplate
		);
		// Every string must land somewhere, as exactly itself: otherwise this shape is not templatable.
		if (kinds.size !== leafCount) return null;
		const groups = new Map<string, number[]>();
		quads.forEach(([, p, , g], i) => {
			const key = 'fixed' in p && 'fixed' in g ? `${p.fixed.value}\u0000${g.fixed.termType}${g.fixed.value}` : '*';
			groups.set(key, [...(groups.get(key) ?? []), i]);
		});
		const wildcard = groups.get('*');
		const collisionGroups = wildcard ? [quads.map((_, i) => i)] : [...groups.values()].filter((g) => g.length > 1);
		return { quads, collisionGroups, iriSlots: [...kinds].filter(([, k]) => k === 'iri').map(([n]) => n) };
	} catch (e) {
		if (e instanceof TemplateMismatch) return null;
		throw e;
	}
}

let TERMS: Set<string> | null = null;
// What jsonld keeps verbatim as an absolute IRI in both @id and @vocab positions (and N-Quads can carry unescaped).
const PLAIN_IRI = /^([A-Za-z][A-Za-z0-9+.-]*):[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;

function plainIri(value: string): boolean {
	const m = PLAIN_IRI.exec(value);
	if (!m) return false;
	TERMS ??= definedTerms();
	// A term, or a compact IRI whose prefix is a term ("xsd:string"), would be expanded by the context.
	return !TERMS.has(value) && !TERMS.has(m[1]!);
}

function fill(t: TermTemplate, leaves: string[]): RdfTerm {
	if ('fixed' in t) return t.fixed;
	const value = leaves[t.slot]!;
	if (t.termType === 'NamedNode') return { termType: 'NamedNode', value };
	return t.language ? { termType: 'Literal', value, datatype: t.datatype, language: t.language } : { termType: 'Literal', value, datatype: t.datatype };
}

function termKey(t: RdfTerm): string {
	return `${t.termType}\u0000${t.value}\u0000${t.datatype?.value ?? ''}\u0000${t.language ?? ''}`;
}

function instantiate(template: Template, leaves: string[]): Quad[] | null {
	for (const slot of template.iriSlots) if (!plainIri(leaves[slot]!)) return null;
	const quads: Quad[] = template.quads.map(([s, p, o, g]) => ({ subject: fill(s, leaves), predicate: fill(p, leaves), object: fill(o, leaves), graph: fill(g, leaves) }));
	// The template's quads are distinct, and stay distinct while every slot value is distinct. Otherwise two
	// quads with the same predicate and graph may coincide (e.g. the same evidence twice): a dataset keeps one.
	if (new Set(leaves).size === leaves.length) return quads;
	const drop = new Set<number>();
	for (const group of template.collisionGroups) {
		const seen = new Set<string>();
		for (const i of group) {
			const q = quads[i]!;
			const key = termKey(q.subject) + '\u0001' + termKey(q.predicate) + '\u0001' + termKey(q.object) + '\u0001' + termKey(q.graph);
			if (seen.has(key)) drop.add(i);
			else seen.add(key);
		}
	}
	return drop.size ? quads.filter((_, i) => !drop.has(i)) : quads;
}

const MAX_TEMPLATES = 256;
// Promises, so concurrent first uses of a shape share one build.
const templates = new Map<string, Promise<Template | null>>();

export const canonizeStats = { fast: 0, generic: 0, templatesBuilt: 0 };

/** RDFC-1.0 canonical N-Quads of a JSON-LD document (fast path when the shape allows it). */
export async function canonize(doc: unknown): Promise<string> {
	const shape = shapeOf(doc);
	if (shape) {
		let pending = templates.get(shape.key);
		if (pending === undefined) {
			pending = buildTemplate(doc, shape.leaves.length);
			canonizeStats.templatesBuilt++;
			if (templates.size >= MAX_TEMPLATES) templates.delete(templates.keys().next().value!);
			templates.set(shape.key, pending);
		}
		const template = await pending;
		const dataset = template && instantiate(template, shape.leaves);
		if (dataset) {
			canonizeStats.fast++;
			return rdfc(dataset);
		}
	}
	canonizeStats.generic++;
	return canonizeGeneric(doc);
}

/** Synchronous fast path only (null when the shape has no template yet or does not apply): for benchmarks. */
export async function templateFor(doc: unknown): Promise<boolean> {
	const shape = shapeOf(doc);
	return Boolean(shape && (await templates.get(shape.key)));
}

export function clearTemplates(): void {
	templates.clear();
}
