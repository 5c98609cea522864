/**
 * A deliberately tiny Markdown subset for training modules, parsed into plain data that components render
 * element by element (never `{@html}`): a module can never inject markup, scripts or styles.
 *
 *   # Title                (first line, exactly one)
 *   ## Heading / ### Sub-heading
 *   paragraphs (consecutive lines joined)
 *   - bullet items / 1. numbered items
 *   > a callout (consecutive lines joined)
 *   **strong** and *emphasis* inside any text
 *
 * Anything else that looks like markup is refused with the line number: raw HTML (`<tag`), images (`![`),
 * links (`[text](url)`), code fences, tables, deeper headings. Content files are authored in the repo, so a
 * refusal is a build-time problem found by the schema test, not something a visitor ever sees.
 */

export interface Span {
	text: string;
	strong?: true;
	em?: true;
}

export type Block =
	| { type: 'heading'; level: 2 | 3; spans: Span[] }
	| { type: 'paragraph'; spans: Span[] }
	| { type: 'callout'; spans: Span[] }
	| { type: 'list'; ordered: boolean; items: Span[][] };

export interface MarkdownDoc {
	title: string;
	blocks: Block[];
}

export interface MarkdownProblem {
	line: number;
	message: string;
}

export type MarkdownResult = { ok: true; doc: MarkdownDoc } | { ok: false; problems: MarkdownProblem[] };

const FORBIDDEN: { re: RegExp; message: string }[] = [
	{ re: /<\s*[a-z!/?]/i, message: 'raw HTML is not allowed' },
	{ re: /!\[/, message: 'images are not allowed (no media, ever)' },
	{ re: /\[[^\]]*\]\([^)]*\)/, message: 'links are not allowed' },
	{ re: /^```|^~~~/, message: 'code blocks are not allowed' },
	{ re: /^\s*\|/, message: 'tables are not allowed' },
	{ re: /^#{4,}\s/, message: 'only #, ## and ### headings are allowed' },
	{ re: /`/, message: 'inline code is not allowed' }
];

/** `**strong**` and `*em*` (not nested); an unmatched marker stays as text. */
export function parseInline(text: string): Span[] {
	const spans: Span[] = [];
	const re = /\*\*([^*]+)\*\*|\*([^*]+)\*/g;
	let last = 0;
	for (let m = re.exec(text); m; m = re.exec(text)) {
		if (m.index > last) spans.push({ text: text.slice(last, m.index) });
		if (m[1] !== undefined) spans.push({ text: m[1], strong: true });
		else spans.push({ text: m[2]!, em: true });
		last = m.index + m[0].length;
	}
	if (last < text.length) spans.push({ text: text.slice(last) });
	return spans;
}

export function parseMarkdown(source: string): MarkdownResult {
	const lines = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
	const problems: MarkdownProblem[] = [];
	const blocks: Block[] = [];
	let title: string | null = null;
	let para: string[] = [];
	let quote: string[] = [];
	let list: { ordered: boolean; items: string[] } | null = null;

	const flush = () => {
		if (para.length) blocks.push({ type: 'paragraph', spans: parseInline(para.join(' ')) });
		if (quote.length) blocks.push({ type: 'callout', spans: parseInline(quote.join(' ')) });
		if (list) blocks.push({ type: 'list', ordered: list.ordered, items: list.items.map(parseInline) });
		para = [];
		quote = [];
		list = null;
	};

	lines.forEach((raw, index) => {
		const lineNo = index + 1;
		const line = raw.trimEnd();
		const bad = FORBIDDEN.find((f) => f.re.test(line));
		if (bad) {
			problems.push({ line: lineNo, message: bad.message });
			return;
		}
		if (line.trim() === '') return flush();
		let m: RegExpExecArray | null;
		if ((m = /^#\s+(.+)$/.exec(line))) {
			flush();
			if (title !== null || blocks.length) problems.push({ line: lineNo, message: 'the title (# …) must be the first line and appear once' });
			else title = m[1]!.trim();
			return;
		}
		if ((m = /^(##|###)\s+(.+)$/.exec(line))) {
			flush();
			blocks.push({ type: 'heading', level: m[1] === '##' ? 2 : 3, spans: parseInline(m[2]!.trim()) });
			return;
		}
		if ((m = /^>\s?(.*)$/.exec(line))) {
			if (para.length || list) flush();
			quote.push(m[1]!.trim());
			return;
		}
		const bullet = /^[-*]\s+(.+)$/.exec(line);
		const numbered = /^\d+\.\s+(.+)$/.exec(line);
		if (bullet || numbered) {
			const ordered = !!numbered;
			if (para.length || quote.length || (list && list.ordered !== ordered)) flush();
			list ??= { ordered, items: [] };
			list.items.push((bullet ?? numbered)![1]!.trim());
			return;
		}
		if (/^\s+\S/.test(raw) && list) {
			// continuation of the previous list item
			list.items[list.items.length - 1] += ' ' + line.trim();
			return;
		}
		if (quote.length || list) flush();
		para.push(line.trim());
	});
	flush();
	if (title === null) problems.push({ line: 1, message: 'a module starts with its title (# …)' });
	if (blocks.length === 0) problems.push({ line: 1, message: 'a module needs some content' });
	return problems.length ? { ok: false, problems } : { ok: true, doc: { title: title!, blocks } };
}

/** The shape of a document (block types and list lengths): FR and EN versions of a module must match. */
export function docShape(doc: MarkdownDoc): string {
	return doc.blocks.map((b) => (b.type === 'list' ? `list${b.ordered ? 'o' : 'u'}${b.items.length}` : b.type === 'heading' ? `h${b.level}` : b.type)).join(',');
}
