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
 *
 * Direct RDFC-1.0 (the usual case, same result): each template quad is also compiled to its N-Quads line with
 * holes for slot values and blank node labels, escaped as rdf-canonize escapes. RDFC-1.0 then only needs the
 * first-degree hash of each blank node (its quads' lines with itself as _:a and the others as _:z, sorted,
 * SHA-256) and, when those hashes are all distinct, labels the nodes c14n0… in hash order and sorts the lines
 * (by subject, predicate, then the rest: the same order as whole lines). Equal first-degree hashes (which need
 * the N-degree step), quads that coincide once filled (a dataset keeps one) and unusual templates go through
 * rdf-canonize on the filled, deduplicated quads, as before; should a quad still repeat there, the generic
 * path answers.
 */
import { hash } from 'node:crypto';
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

/**
 * A document's shape as integer codes: structure marks, and for keys and shape literals (and numbers,
 * booleans, null) the id of that exact text (ids are never reused, across the three kinds). A string in a
 * literal position that is too long, or met once the id table is full, makes the shape unusable (the
 * generic path then answers): the codes stay one-to-one with shapes, and the table bounded.
 */
interface Shape {
	codes: Int32Array;
	hash: number;
	leaves: string[];
}

const OPEN_OBJECT = -1;
const CLOSE_OBJECT = -2;
const OPEN_ARRAY = -3;
const CLOSE_ARRAY = -4;
const LEAF = -5;
const KEY_IDS = new Map<string, number>();
const LITERAL_IDS = new Map<string, number>();
const SCALAR_IDS = new Map<string, number>();
const MAX_IDS = 8192;
const MAX_ID_SOURCE = 100;
let nextId = 0;
const MAX_CODES = 65536;
let scratch = new Int32Array(1024);

function idOf(ids: Map<string, number>, text: string): number {
	const id = ids.get(text);
	if (id !== undefined) return id;
	if (nextId >= MAX_IDS || text.length > MAX_ID_SOURCE) return -1;
	ids.set(text, nextId);
	return nextId++;
}

function shapeOf(doc: unknown): Shape | null {
	const leaves: string[] = [];
	let codes = scratch;
	let length = 0;
	const push = (code: number): boolean => {
		if (length === codes.length) {
			if (length >= MAX_CODES) return false;
			const grown = new Int32Array(length * 2);
			grown.set(codes);
			codes = scratch = grown;
		}
		codes[length++] = code;
		return true;
	};
	const walk = (v: unknown, literal: boolean, depth: number): boolean => {
		if (depth > MAX_DEPTH) return false;
		if (typeof v === 'string') {
			if (literal) {
				const id = idOf(LITERAL_IDS, v);
				return id >= 0 && push(id);
			}
			if (leaves.length >= MAX_LEAVES) return false;
			leaves.push(v);
			return push(LEAF);
		}
		if (v === null || typeof v === 'number' || typeof v === 'boolean') {
			const id = idOf(SCALAR_IDS, JSON.stringify(v));
			return id >= 0 && push(id);
		}
		if (Array.isArray(v)) {
			if (!push(OPEN_ARRAY)) return false;
			for (let i = 0; i < v.length; i++) if (!walk(v[i], literal, depth + 1)) return false;
			return push(CLOSE_ARRAY);
		}
		if (typeof v === 'object') {
			if (!push(OPEN_OBJECT)) return false;
			for (const k in v) {
				if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
				const id = idOf(KEY_IDS, k);
				if (id < 0 || !push(id) || !walk((v as Record<string, unknown>)[k], literal || SHAPE_KEYS.has(k), depth + 1)) return false;
			}
			return push(CLOSE_OBJECT);
		}
		return false;
	};
	if (!walk(doc, false, 0)) return null;
	let hash = 0x811c9dc5;
	for (let i = 0; i < length; i++) hash = Math.imul(hash ^ codes[i]!, 0x01000193);
	return { codes: codes.slice(0, length), hash, leaves };
}

function sameCodes(a: Int32Array, b: Int32Array): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
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
	/** the template compiled for direct RDFC-1.0; null when it has a shape the direct path does not handle */
	direct: DirectRdfc | null;
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
		return { quads, collisionGroups, iriSlots: [...kinds].filter(([, k]) => k === 'iri').map(([n]) => n), direct: compileDirect(quads, kinds) };
	} catch (e) {
		if (e instanceof TemplateMismatch) return null;
		throw e;
	}
}

let TERMS: Set<string> | null = null;
/** the defined terms that contain a colon (none in the bundled contexts): only those can equal a whole IRI */
let COLON_TERMS: Set<string> | null = null;
// What jsonld keeps verbatim as an absolute IRI in both @id and @vocab positions (and N-Quads can carry unescaped).
const PLAIN_IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;

function plainIri(value: string): boolean {
	if (!PLAIN_IRI.test(value)) return false;
	TERMS ??= definedTerms();
	COLON_TERMS ??= new Set([...TERMS].filter((t) => t.includes(':')));
	// A term, or a compact IRI whose prefix is a term ("xsd:string"), would be expanded by the context.
	return !TERMS.has(value.slice(0, value.indexOf(':'))) && !(COLON_TERMS.size > 0 && COLON_TERMS.has(value));
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

function iriSlotsPlain(template: Template, leaves: string[]): boolean {
	for (const slot of template.iriSlots) if (!plainIri(leaves[slot]!)) return false;
	return true;
}

function allDistinct(leaves: string[]): boolean {
	return new Set(leaves).size === leaves.length;
}

/** The template's quads filled with the leaves (iriSlotsPlain must hold), as a dataset: duplicates dropped. */
function instantiate(template: Template, leaves: string[]): Quad[] {
	const quads: Quad[] = template.quads.map(([s, p, o, g]) => ({ subject: fill(s, leaves), predicate: fill(p, leaves), object: fill(o, leaves), graph: fill(g, leaves) }));
	// The template's quads are distinct, and stay distinct while every slot value is distinct. Otherwise two
	// quads with the same predicate and graph may coincide (e.g. the same evidence twice): a dataset keeps one.
	if (allDistinct(leaves)) return quads;
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

// ---------------------------------------------------------------------------------------------
// Direct RDFC-1.0 on a template (see the header). Escaping and ordering as rdf-canonize (NQuads.js, RDFC10Sync.js).

const RDF_LANGSTRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';
const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
// N-Quads escapes control characters: these classes name them on purpose (as rdf-canonize's do).
// eslint-disable-next-line no-control-regex -- the characters N-Quads literals escape
const LITERAL_SPECIAL = /[\u0000-\u001F\u007F"\\]/;
// eslint-disable-next-line no-control-regex -- the characters N-Quads IRIs escape
const IRI_SPECIAL = /[\u0000-\u0020<>"{}|^`\\]/g;
const uchar = (c: string) => '\\u' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
const LITERAL_ESCAPES = Array.from({ length: 0x80 }, (_, n) => {
	const c = String.fromCharCode(n);
	const echar: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', '"': '\\"', '\\': '\\\\' };
	return LITERAL_SPECIAL.test(c) ? (echar[c] ?? uchar(c)) : null;
});

function escapeLiteral(s: string): string {
	const first = s.search(LITERAL_SPECIAL);
	if (first < 0) return s;
	let out = s.slice(0, first);
	let from = first;
	for (let i = first; i < s.length; i++) {
		const c = s.charCodeAt(i);
		const escaped = c < 0x80 ? LITERAL_ESCAPES[c] : null;
		if (escaped) {
			out += s.slice(from, i) + escaped;
			from = i + 1;
		}
	}
	return out + s.slice(from);
}

function escapeIri(s: string): string {
	return s.search(IRI_SPECIAL) < 0 ? s : s.replace(IRI_SPECIAL, uchar);
}

/** Part of an N-Quads line: verbatim text, a slot's escaped value (n ≥ 0) or a blank node's label (-1 - node). */
type Part = string | number;

/**
 * Each line is subject + middle + rest: "<subject> " or "_:label ", "<predicate> ", then the object, the graph
 * and " .\n". Those subject and predicate tokens are prefix-free (none is the start of another: escaped IRIs
 * hold no ">" or space, labels no space), so lines sort as (subject token, predicate token, rest) do.
 */
interface DirectRdfc {
	subjects: Part[];
	/** the distinct subject parts, and each line's index among them */
	subjectGroups: Part[];
	groupOf: number[];
	middles: string[];
	/** rank of each line's predicate among the template's predicates, in code unit order */
	predicateRanks: number[];
	predicateCount: number;
	rests: Part[][];
	/** per slot: true when it holds an IRI */
	iriSlot: boolean[];
	/**
	 * per blank node: the lines of the quads it occurs in as subject, object or graph (each quad once), with
	 * itself as _:a and every other blank node as _:z (Hash First Degree Quads): those without slots as text,
	 * sorted, and the others as parts
	 */
	nodeLines: { fixed: string[]; slotted: Part[][] }[];
}

/** Null when a quad has a shape the direct path does not take (the filled quads then go to rdf-canonize). */
function compileDirect(quads: QuadTemplate[], kinds: Map<number, 'iri' | 'literal'>): DirectRdfc | null {
	const nodes = new Map<string, number>();
	const nodeQuads: number[][] = [];
	const subjects: Part[] = [];
	const middles: string[] = [];
	const rests: Part[][] = [];
	for (const [q, [s, p, o, g]] of quads.entries()) {
		let parts: Part[] = [];
		const text = (t: string) => {
			if (typeof parts[parts.length - 1] === 'string') parts[parts.length - 1] += t;
			else parts.push(t);
		};
		const node = (label: string) => {
			// jsonld labels every blank node b<n>; rdf-canonize would keep a label starting with its c14n prefix
			if (!/^b\d+$/.test(label)) return false;
			let n = nodes.get(label);
			if (n === undefined) {
				n = nodeQuads.length;
				nodes.set(label, n);
				nodeQuads.push([]);
			}
			if (nodeQuads[n]!.at(-1) !== q) nodeQuads[n]!.push(q);
			text('_:');
			parts.push(-1 - n);
			return true;
		};
		// subject, object, graph: an IRI (fixed or slot) or a blank node; the object may also be a literal
		const resource = (t: TermTemplate): boolean => {
			if ('slot' in t) {
				if (t.termType !== 'NamedNode') return false;
				text('<');
				parts.push(t.slot);
				text('>');
				return true;
			}
			if (t.fixed.termType === 'BlankNode') return node(t.fixed.value);
			if (t.fixed.termType !== 'NamedNode') return false;
			text(`<${escapeIri(t.fixed.value)}>`);
			return true;
		};
		const literal = (t: TermTemplate): boolean => {
			const datatype = 'slot' in t ? t.datatype : t.fixed.datatype;
			const language = 'slot' in t ? t.language : t.fixed.language;
			if (!datatype || datatype.termType !== 'NamedNode') return false;
			text('"');
			if ('slot' in t) parts.push(t.slot);
			else text(escapeLiteral(t.fixed.value));
			text('"');
			if (datatype.value === RDF_LANGSTRING) {
				if (language) text(`@${language}`);
			} else if (datatype.value !== XSD_STRING) text(`^^<${escapeIri(datatype.value)}>`);
			return true;
		};
		if (!resource(s)) return null;
		// The subject as one part: its text ("<iri> "), its slot or its blank node (the token is made at run time).
		if (parts.length === 1 && typeof parts[0] === 'string') subjects.push(parts[0] + ' ');
		else if (parts.length === 3 && typeof parts[1] === 'number') subjects.push(parts[1]); // "<" slot ">"
		else if (parts.length === 2 && typeof parts[1] === 'number') subjects.push(parts[1]); // "_:" node
		else return null;
		if (!('fixed' in p) || p.fixed.termType !== 'NamedNode') return null;
		middles.push(`<${escapeIri(p.fixed.value)}> `);
		parts = [];
		const objectIsLiteral = 'slot' in o ? o.termType === 'Literal' : o.fixed.termType === 'Literal';
		if (!(objectIsLiteral ? literal(o) : resource(o))) return null;
		if (!('fixed' in g) || g.fixed.termType !== 'DefaultGraph') {
			text(' ');
			if (!resource(g)) return null;
		}
		text(' .\n');
		rests.push(parts);
	}
	const predicates = [...new Set(middles)].sort();
	const rank = new Map(predicates.map((m, i) => [m, i]));
	const nodeLines = nodeQuads.map((quadsOfNode, n) => {
		const lines = quadsOfNode.map((q) => {
			const line: Part[] = [];
			const subject = subjects[q]!;
			const parts: Part[] = typeof subject === 'string' ? [subject] : subject >= 0 ? ['<', subject, '> '] : ['_:', subject, ' '];
			for (const part of [...parts, middles[q]!, ...rests[q]!]) {
				const text = typeof part === 'string' ? part : part < 0 ? (part === -1 - n ? 'a' : 'z') : null;
				if (text === null) line.push(part);
				else if (typeof line[line.length - 1] === 'string') line[line.length - 1] += text;
				else line.push(text);
			}
			return line;
		});
		const fixed = lines.filter((line) => line.length === 1 && typeof line[0] === 'string').map((line) => line[0] as string);
		return { fixed: fixed.sort(), slotted: lines.filter((line) => !(line.length === 1 && typeof line[0] === 'string')) };
	});
	const subjectGroups = [...new Set(subjects)];
	const group = new Map(subjectGroups.map((part, i) => [part, i]));
	const iriSlot: boolean[] = [];
	for (const [slot, kind] of kinds) iriSlot[slot] = kind === 'iri';
	return {
		subjects,
		subjectGroups,
		groupOf: subjects.map((part) => group.get(part)!),
		middles,
		predicateRanks: middles.map((m) => rank.get(m)!),
		predicateCount: predicates.length,
		rests,
		iriSlot,
		nodeLines
	};
}

function render(parts: Part[], values: string[], labels: string[]): string {
	let line = '';
	for (let i = 0; i < parts.length; i++) {
		const part = parts[i]!;
		line += typeof part === 'string' ? part : part >= 0 ? values[part]! : labels[-1 - part]!;
	}
	return line;
}

/** A subject token, with its space: fixed "<iri> ", a slot's "<iri> " or a blank node's "_:label ". */
function subjectText(subject: Part, values: string[], labels: string[], slotTokens: string[]): string {
	if (typeof subject === 'string') return subject;
	if (subject < 0) return '_:' + labels[-1 - subject]! + ' ';
	return (slotTokens[subject] ??= '<' + values[subject]! + '> ');
}

/**
 * Left to rdf-canonize on the filled quads, deduplicated: a first-degree hash repeats (the N-degree step is
 * needed), or two filled quads coincide (e.g. the same evidence twice) and a dataset holds one copy.
 */
const VIA_RDF_CANONIZE = 1;

const NO_LABELS: string[] = [];
const CANONICAL_LABELS: string[] = [];
const canonicalLabel = (k: number) => (CANONICAL_LABELS[k] ??= `c14n${k}`);

/** RDFC-1.0 N-Quads of the template filled with the leaves (IRI slots plain). */
function canonizeDirect(direct: DirectRdfc, leaves: string[]): string | typeof VIA_RDF_CANONIZE {
	const values = new Array<string>(leaves.length);
	for (let i = 0; i < leaves.length; i++) values[i] = direct.iriSlot[i] ? escapeIri(leaves[i]!) : escapeLiteral(leaves[i]!);
	const { subjects, middles, rests } = direct;
	const slotTokens: string[] = [];
	const count = direct.nodeLines.length;
	// Hash First Degree Quads: each node's lines (itself _:a, the others _:z), sorted, joined, SHA-256.
	const hashes = new Array<string>(count);
	const order = new Array<number>(count);
	for (let n = 0; n < count; n++) {
		const { fixed, slotted } = direct.nodeLines[n]!;
		const lines = fixed.slice();
		// Each slotted line into its place among the sorted ones (a handful of lines per node).
		for (let i = 0; i < slotted.length; i++) {
			const line = render(slotted[i]!, values, NO_LABELS);
			let at = lines.length;
			while (at > 0 && lines[at - 1]! > line) at--;
			lines.splice(at, 0, line);
		}
		const input = lines.length === 1 ? lines[0]! : lines.join('');
		hashes[n] = hash('sha256', input, 'hex');
		order[n] = n;
	}
	// Canonical labels in the order of the (unique) hashes; a repeated hash needs Hash N-Degree Quads.
	order.sort((a, b) => (hashes[a]! < hashes[b]! ? -1 : hashes[a]! > hashes[b]! ? 1 : 0));
	const labels = new Array<string>(count);
	for (let k = 0; k < count; k++) {
		if (k > 0 && hashes[order[k]!] === hashes[order[k - 1]!]) return VIA_RDF_CANONIZE;
		labels[order[k]!] = canonicalLabel(k);
	}
	// The lines, sorted by (subject, predicate rank, rest): the code unit order of whole lines (see DirectRdfc).
	// Subjects are ranked once per distinct subject part (equal texts share a rank).
	const { subjectGroups, groupOf, predicateRanks, predicateCount } = direct;
	const groupCount = subjectGroups.length;
	const groupText = new Array<string>(groupCount);
	const groupOrder = new Array<number>(groupCount);
	for (let g = 0; g < groupCount; g++) {
		groupText[g] = subjectText(subjectGroups[g]!, values, labels, slotTokens);
		groupOrder[g] = g;
	}
	groupOrder.sort((a, b) => (groupText[a]! < groupText[b]! ? -1 : groupText[a]! > groupText[b]! ? 1 : 0));
	const groupRank = new Array<number>(groupCount);
	for (let k = 0, r = 0; k < groupCount; k++) {
		if (k > 0 && groupText[groupOrder[k]!] !== groupText[groupOrder[k - 1]!]) r++;
		groupRank[groupOrder[k]!] = r;
	}
	const total = subjects.length;
	const restOf = new Array<string>(total);
	const keys = new Array<number>(total);
	// key × total + line: a numeric sort orders by key, then lines with equal keys are ordered by their rest
	const packed = new Float64Array(total);
	for (let i = 0; i < total; i++) {
		restOf[i] = render(rests[i]!, values, labels);
		keys[i] = groupRank[groupOf[i]!]! * predicateCount + predicateRanks[i]!;
		packed[i] = keys[i]! * total + i;
	}
	packed.sort();
	const lineOrder = new Array<number>(total);
	for (let k = 0; k < total; k++) lineOrder[k] = packed[k]! % total;
	const byRest = (a: number, b: number) => (restOf[a]! < restOf[b]! ? -1 : restOf[a]! > restOf[b]! ? 1 : 0);
	for (let start = 0; start < total; ) {
		let end = start + 1;
		while (end < total && keys[lineOrder[end]!] === keys[lineOrder[start]!]) end++;
		if (end - start > 1) {
			const run = lineOrder.slice(start, end).sort(byRest);
			for (let k = 0; k < run.length; k++) {
				// Canonical labels are one-to-one, so equal lines are equal quads (the hashes above counted them twice).
				if (k > 0 && restOf[run[k]!] === restOf[run[k - 1]!]) return VIA_RDF_CANONIZE;
				lineOrder[start + k] = run[k]!;
			}
		}
		start = end;
	}
	let out = '';
	for (let k = 0; k < total; k++) {
		const i = lineOrder[k]!;
		out += groupText[groupOf[i]!]! + middles[i]! + restOf[i]!;
	}
	return out;
}

/** True when the canonical N-Quads repeat a line (the filled quads were not a dataset). */
function hasRepeatedLine(nquads: string): boolean {
	const lines = nquads.split('\n');
	for (let i = 1; i < lines.length; i++) if (lines[i] === lines[i - 1] && lines[i] !== '') return true;
	return false;
}

const MAX_TEMPLATES = 256;
// Promises, so concurrent first uses of a shape share one build. By hash of the codes, then compared exactly.
interface TemplateEntry {
	codes: Int32Array;
	template: Promise<Template | null>;
}
const templates = new Map<number, TemplateEntry[]>();
const templateOrder: TemplateEntry[] = [];

function templateOf(shape: Shape, doc: unknown): Promise<Template | null> {
	const bucket = templates.get(shape.hash);
	if (bucket) for (const entry of bucket) if (sameCodes(entry.codes, shape.codes)) return entry.template;
	const entry = { codes: shape.codes, template: buildTemplate(doc, shape.leaves.length) };
	canonizeStats.templatesBuilt++;
	if (templateOrder.length >= MAX_TEMPLATES) {
		const oldest = templateOrder.shift()!;
		for (const [hash, entries] of templates) {
			const at = entries.indexOf(oldest);
			if (at < 0) continue;
			entries.splice(at, 1);
			if (entries.length === 0) templates.delete(hash);
			break;
		}
	}
	templateOrder.push(entry);
	if (bucket) bucket.push(entry);
	else templates.set(shape.hash, [entry]);
	return entry.template;
}

/** fast: template used (direct: of which by the direct RDFC-1.0, the rest by rdf-canonize on the filled quads) */
export const canonizeStats = { fast: 0, direct: 0, generic: 0, templatesBuilt: 0 };

/** RDFC-1.0 canonical N-Quads of a JSON-LD document (fast path when the shape allows it). */
export async function canonize(doc: unknown): Promise<string> {
	const shape = shapeOf(doc);
	if (shape) {
		const template = await templateOf(shape, doc);
		if (template && iriSlotsPlain(template, shape.leaves)) {
			const direct = template.direct ? canonizeDirect(template.direct, shape.leaves) : VIA_RDF_CANONIZE;
			if (typeof direct === 'string') {
				canonizeStats.fast++;
				canonizeStats.direct++;
				return direct;
			}
			const nquads = rdfc(instantiate(template, shape.leaves));
			// A coincidence instantiate did not foresee: the generic path decides.
			if (!hasRepeatedLine(nquads)) {
				canonizeStats.fast++;
				return nquads;
			}
		}
	}
	canonizeStats.generic++;
	return canonizeGeneric(doc);
}

export function clearTemplates(): void {
	templates.clear();
	templateOrder.length = 0;
}
