// Minimal typings for the two JSON-LD / RDF libraries (they ship none).
declare module 'jsonld' {
	export interface RdfTerm {
		termType: 'NamedNode' | 'BlankNode' | 'Literal' | 'DefaultGraph';
		value: string;
		datatype?: { termType: 'NamedNode'; value: string };
		language?: string;
	}
	export interface Quad {
		subject: RdfTerm;
		predicate: RdfTerm;
		object: RdfTerm;
		graph: RdfTerm;
	}
	export interface RemoteDocument {
		contextUrl: string | null;
		documentUrl: string;
		document: unknown;
	}
	export interface JsonLdOptions {
		documentLoader?: (url: string) => Promise<RemoteDocument>;
		safe?: boolean;
		base?: string | null;
		format?: string;
		algorithm?: string;
	}
	const jsonld: {
		toRDF(input: unknown, options?: JsonLdOptions): Promise<Quad[]>;
		canonize(input: unknown, options?: JsonLdOptions): Promise<string>;
		expand(input: unknown, options?: JsonLdOptions): Promise<unknown[]>;
	};
	export default jsonld;
}
declare module 'rdf-canonize' {
	import type { Quad } from 'jsonld';
	export function canonize(dataset: Quad[], options: { algorithm: 'RDFC-1.0'; maxWorkFactor?: number }): Promise<string>;
	export function _canonizeSync(dataset: Quad[], options: { algorithm: 'RDFC-1.0'; maxWorkFactor?: number }): string;
}
