/**
 * A small flowing-layout engine over pdf-lib: a cursor that moves down the page, text wrapped to a width,
 * headings kept with what follows, key/value blocks and tables whose rows break across pages (a row too
 * tall for one page is split line by line; the table header is repeated on every page). Page decorations
 * (header, footer, "page x / y") are drawn at the end, when the page count is known.
 *
 * Text is cleaned before drawing: control characters removed, tabs as spaces, and any character the
 * font lacks replaced by "?" (a missing glyph would otherwise render as an empty box).
 */
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';
import { loadFonts } from './fonts';

export type PageSize = 'letter' | 'a4';
export const PAGE_SIZES: Record<PageSize, [number, number]> = { letter: [612, 792], a4: [595.28, 841.89] };

export type FontName = 'regular' | 'bold';

export interface TextStyle {
	font?: FontName;
	size?: number;
	color?: RGB;
}

export const COLORS = {
	text: rgb(0.1, 0.1, 0.12),
	muted: rgb(0.36, 0.38, 0.42),
	accent: rgb(0.09, 0.2, 0.4),
	rule: rgb(0.78, 0.8, 0.84),
	fill: rgb(0.92, 0.94, 0.97),
	banner: rgb(0.55, 0.08, 0.1),
	warnFill: rgb(1, 0.96, 0.86),
	warnRule: rgb(0.75, 0.55, 0.1),
	white: rgb(1, 1, 1)
};

const LINE = 1.32;
const BODY = 9;

// Glyph coverage of the embedded font, parsed once per process (the same bytes pdf-lib embeds).
type GlyphFont = { hasGlyphForCodePoint(cp: number): boolean };
let glyphFont: GlyphFont | undefined;
function coverage(): GlyphFont {
	glyphFont ??= cachingFontkit.create(loadFonts().regular) as unknown as GlyphFont;
	return glyphFont;
}

/**
 * fontkit parses a font lazily and caches what it parsed on the Font object; pdf-lib calls fontkit.create
 * for every document. Handing it the same parsed Font for the same bytes (loadFonts returns the same
 * arrays) saves most of the render time. Each document still gets its own subset (font.createSubset()).
 *
 * fontkit's `layout` still runs its (disabled) shaping pipeline on every call — feature setup, script
 * detection, glyph info — and pdf-lib calls it for every string it draws, only to read the glyph ids. With
 * shaping off the glyphs of a string depend on nothing else, so the run is kept per font and string for the
 * life of the process (bounded): labels, headings and column titles recur in every packet.
 */
type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
type ParsedFont = ReturnType<typeof fontkit.create>;
type GlyphRun = ReturnType<ParsedFont['layout']>;
const parsedFonts = new Map<Uint8Array, ParsedFont>();
const LAYOUTS_MAX = 20_000;
const cachingFontkit: Fontkit = {
	create(data: Uint8Array) {
		let font = parsedFonts.get(data);
		if (!font) {
			font = fontkit.create(data as Buffer);
			const layout = font.layout.bind(font);
			const runs = new Map<string, GlyphRun>();
			font.layout = (text, features) => {
				if (features !== (NO_SHAPING as unknown)) return layout(text, features);
				let run = runs.get(text);
				if (run === undefined) {
					run = layout(text, features);
					if (runs.size >= LAYOUTS_MAX) runs.clear();
					runs.set(text, run);
				}
				return run;
			};
			parsedFonts.set(data, font);
		}
		return font as unknown as ReturnType<Fontkit['create']>;
	}
};

/**
 * OpenType shaping off: pdf-lib draws glyph ids with their default advances (it ignores shaping positions),
 * the text is NFC (precomposed accents), and Latin needs no substitution. Shaping was most of the cost.
 * Ligatures stay off so "fi" in "Confidentiel" extracts as two letters.
 */
const NO_SHAPING = Object.fromEntries(['ccmp', 'locl', 'rlig', 'liga', 'clig', 'calt', 'dlig', 'rclt', 'kern', 'mark', 'mkmk', 'curs', 'dist', 'abvm', 'blwm'].map((f) => [f, false]));

// Advance widths at size 1, per font and word: wrapping measures the same words again and again.
const widthCache: Record<FontName, Map<string, number>> = { regular: new Map(), bold: new Map() };

export function cleanText(value: string | null | undefined, multiline = false): string {
	if (value === null || value === undefined) return '';
	const font = coverage();
	let out = '';
	for (const ch of String(value).normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, ' ')) {
		const cp = ch.codePointAt(0)!;
		if (ch === '\n') out += multiline ? '\n' : ' ';
		else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0xfeff || (cp >= 0x200b && cp <= 0x200d)) continue;
		else out += font.hasGlyphForCodePoint(cp) ? ch : '?';
	}
	return multiline ? out.replace(/[ ]+\n/g, '\n').trim() : out.replace(/ {2,}/g, ' ').trim();
}

export interface Column {
	title: string;
	/** share of the available width */
	weight: number;
}

export interface TableOptions {
	size?: number;
	/** first column in bold (names) */
	boldFirst?: boolean;
}

export interface LayoutOptions {
	pageSize?: PageSize;
	/** room kept at the top of every page for the header drawn by finish() */
	headerHeight: number;
	footerHeight: number;
	margin?: number;
	title?: string;
	lang?: string;
}

export class PdfLayout {
	readonly pageWidth: number;
	readonly pageHeight: number;
	readonly left: number;
	readonly right: number;
	readonly top: number;
	readonly bottom: number;
	readonly pages: PDFPage[] = [];
	page!: PDFPage;
	/** top of the free space on the current page */
	y = 0;

	private constructor(
		readonly doc: PDFDocument,
		readonly fonts: Record<FontName, PDFFont>,
		readonly options: LayoutOptions & { margin: number; pageSize: PageSize }
	) {
		[this.pageWidth, this.pageHeight] = PAGE_SIZES[options.pageSize];
		this.left = options.margin;
		this.right = this.pageWidth - options.margin;
		this.top = this.pageHeight - options.margin - options.headerHeight;
		this.bottom = options.margin + options.footerHeight;
		this.addPage();
	}

	static async create(options: LayoutOptions): Promise<PdfLayout> {
		const doc = await PDFDocument.create();
		doc.registerFontkit(cachingFontkit);
		const files = loadFonts();
		// Subset: only the glyphs used are embedded (a few dozen KB instead of 1.4 MB).
		const [regular, bold] = await Promise.all([
			doc.embedFont(files.regular, { subset: true, features: NO_SHAPING }),
			doc.embedFont(files.bold, { subset: true, features: NO_SHAPING })
		]);
		if (options.title) doc.setTitle(options.title);
		if (options.lang) doc.setLanguage(options.lang);
		doc.setProducer('Sexto');
		doc.setCreator('Sexto');
		return new PdfLayout(doc, { regular, bold }, { margin: 42, pageSize: 'letter', ...options });
	}

	get width(): number {
		return this.right - this.left;
	}

	addPage(): void {
		this.page = this.doc.addPage([this.pageWidth, this.pageHeight]);
		this.pages.push(this.page);
		this.y = this.top;
	}

	/** Room left on this page. */
	get room(): number {
		return this.y - this.bottom;
	}

	get pageCapacity(): number {
		return this.top - this.bottom;
	}

	/** Starts a new page unless `height` fits below the cursor. */
	ensure(height: number): void {
		const held = this.held.reduce((sum, h) => sum + h.height, 0);
		if (height + held > this.room && this.y < this.top) this.addPage();
		this.release();
	}

	/**
	 * Headings are held back until the content that follows them is placed: if that content moves to
	 * the next page, the heading moves with it (never a heading alone at the bottom of a page).
	 */
	private held: { height: number; draw: () => void }[] = [];

	private release(): void {
		const held = this.held;
		this.held = [];
		for (const h of held) h.draw();
	}

	measure(text: string, font: FontName, size: number): number {
		const cache = widthCache[font];
		let w = cache.get(text);
		if (w === undefined) {
			w = this.fonts[font].widthOfTextAtSize(text, 1);
			if (cache.size > 20_000) cache.clear();
			cache.set(text, w);
		}
		return w * size;
	}

	/** Greedy wrapping on spaces (no-break spaces hold); a word wider than the line is cut. Keeps paragraph breaks. */
	wrap(text: string, width: number, style: TextStyle = {}): string[] {
		const font = style.font ?? 'regular';
		const size = style.size ?? BODY;
		const space = this.measure(' ', font, size);
		const lines: string[] = [];
		for (const paragraph of text.split('\n')) {
			let line = '';
			let lineWidth = 0;
			for (const word of paragraph.split(' ')) {
				if (word === '') continue;
				const w = this.measure(word, font, size);
				if (line && lineWidth + space + w <= width) {
					line += ' ' + word;
					lineWidth += space + w;
					continue;
				}
				if (line) lines.push(line);
				if (w <= width) {
					line = word;
					lineWidth = w;
					continue;
				}
				// A single word wider than the line (an address, a long reference): cut it by characters.
				let piece = '';
				for (const ch of word) {
					if (piece && this.measure(piece + ch, font, size) > width) {
						lines.push(piece);
						piece = ch;
					} else piece += ch;
				}
				line = piece;
				lineWidth = this.measure(piece, font, size);
			}
			lines.push(line);
		}
		return lines;
	}

	lineHeight(size: number = BODY): number {
		return size * LINE;
	}

	/** Draws one line whose top is `top` (baseline placed from the font size). */
	drawLine(text: string, x: number, top: number, style: TextStyle = {}, page: PDFPage = this.page): void {
		if (!text) return;
		const size = style.size ?? BODY;
		page.drawText(text, { x, y: top - size * 0.95, size, font: this.fonts[style.font ?? 'regular'], color: style.color ?? COLORS.text });
	}

	drawRight(text: string, right: number, top: number, style: TextStyle = {}, page: PDFPage = this.page): void {
		const size = style.size ?? BODY;
		this.drawLine(text, right - this.measure(text, style.font ?? 'regular', size), top, style, page);
	}

	paragraph(text: string, style: TextStyle = {}, indent = 0): void {
		const size = style.size ?? BODY;
		const lh = this.lineHeight(size);
		for (const line of this.wrap(cleanText(text, true), this.width - indent, style)) {
			this.ensure(lh);
			this.drawLine(line, this.left + indent, this.y, style);
			this.y -= lh;
		}
	}

	/** Section title with a rule, kept with what follows (see `held`). */
	heading(text: string): void {
		const size = 11.5;
		const line = cleanText(text);
		this.held.push({
			height: 10 + size * 1.35 + 6,
			draw: () => {
				if (this.y < this.top) this.y -= 10;
				this.drawLine(line, this.left, this.y, { font: 'bold', size, color: COLORS.accent });
				this.y -= size * 1.35;
				this.page.drawLine({ start: { x: this.left, y: this.y }, end: { x: this.right, y: this.y }, thickness: 0.8, color: COLORS.accent });
				this.y -= 6;
			}
		});
	}

	/** A caption inside a section, with an optional muted note under it; kept with what follows, like headings. */
	subheading(text: string, note?: string): void {
		const size = 9.5;
		const noteSize = 8.5;
		const lines = this.wrap(cleanText(text), this.width, { font: 'bold', size });
		const noteLines = note ? this.wrap(cleanText(note), this.width, { size: noteSize }) : [];
		this.held.push({
			height: 4 + lines.length * this.lineHeight(size) + noteLines.length * this.lineHeight(noteSize) + 1,
			draw: () => {
				this.y -= 4;
				for (const line of lines) {
					this.drawLine(line, this.left, this.y, { font: 'bold', size, color: COLORS.text });
					this.y -= this.lineHeight(size);
				}
				for (const line of noteLines) {
					this.drawLine(line, this.left, this.y, { size: noteSize, color: COLORS.muted });
					this.y -= this.lineHeight(noteSize);
				}
				this.y -= 1;
			}
		});
	}

	/** A boxed notice (tinted background, coloured left rule). */
	notice(text: string, style: TextStyle = {}): void {
		const size = style.size ?? 8.5;
		const lh = this.lineHeight(size);
		const pad = 5;
		const lines = this.wrap(cleanText(text, true), this.width - 2 * pad - 3, { ...style, size });
		const height = lines.length * lh + 2 * pad;
		this.ensure(Math.min(height, this.pageCapacity));
		this.page.drawRectangle({ x: this.left, y: this.y - height, width: this.width, height, color: COLORS.warnFill });
		this.page.drawRectangle({ x: this.left, y: this.y - height, width: 2.5, height, color: COLORS.warnRule });
		let top = this.y - pad;
		for (const line of lines) {
			this.drawLine(line, this.left + pad + 3, top, { ...style, size });
			top -= lh;
		}
		this.y -= height + 4;
	}

	/** Label / value rows (label column on the left), values wrapped; long values continue on the next page. */
	keyValues(rows: readonly (readonly [string, string])[], labelWidth = 150): void {
		const size = BODY;
		const lh = this.lineHeight(size);
		const gap = 8;
		for (const [label, value] of rows) {
			const labelLines = this.wrap(cleanText(label), labelWidth, { font: 'bold', size: 8.5 });
			const valueLines = this.wrap(cleanText(value, true) || '—', this.width - labelWidth - gap, { size });
			const total = Math.max(labelLines.length, valueLines.length);
			// A row that fits on a page is not split.
			this.ensure(total * lh <= this.pageCapacity ? total * lh : lh);
			for (let i = 0; i < total; i++) {
				this.ensure(lh);
				if (labelLines[i]) this.drawLine(labelLines[i]!, this.left, this.y, { font: 'bold', size: 8.5, color: COLORS.muted });
				if (valueLines[i]) this.drawLine(valueLines[i]!, this.left + labelWidth + gap, this.y, { size });
				this.y -= lh;
			}
			this.y -= 2;
		}
	}

	private prepareTable(columns: readonly Column[], rows: readonly (readonly string[])[], options: TableOptions) {
		const size = options.size ?? 8.5;
		const lh = this.lineHeight(size);
		const pad = 3;
		const totalWeight = columns.reduce((s, c) => s + c.weight, 0);
		const widths = columns.map((c) => (c.weight / totalWeight) * this.width);
		const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((s, w) => s + w, 0));
		const fontOf = (i: number): FontName => (options.boldFirst && i === 0 ? 'bold' : 'regular');
		const headerLines = columns.map((c, i) => this.wrap(cleanText(c.title), widths[i]! - 2 * pad, { font: 'bold', size }));
		const headerHeight = Math.max(...headerLines.map((l) => l.length)) * lh + 2 * pad;
		const cells = rows.map((row) => columns.map((_, i) => this.wrap(cleanText(row[i] ?? '', true) || '—', widths[i]! - 2 * pad, { size, font: fontOf(i) })));
		const rowLines = cells.map((row) => Math.max(...row.map((c) => c.length)));
		const height = headerHeight + rowLines.reduce((s, n) => s + n * lh + 2 * pad, 0);
		return { size, lh, pad, widths, xs, fontOf, headerLines, headerHeight, cells, rowLines, height };
	}

	/**
	 * A table with wrapped cells and a header repeated on every page. Rows stay whole when they fit on a
	 * page; a short table (under 40 % of a page) is not split at all.
	 */
	table(columns: readonly Column[], rows: readonly (readonly string[])[], options: TableOptions = {}): void {
		const { size, lh, pad, xs, fontOf, headerLines, headerHeight, cells, rowLines, height } = this.prepareTable(columns, rows, options);

		const drawHeader = () => {
			this.page.drawRectangle({ x: this.left, y: this.y - headerHeight, width: this.width, height: headerHeight, color: COLORS.fill });
			headerLines.forEach((lines, i) => lines.forEach((line, k) => this.drawLine(line, xs[i]! + pad, this.y - pad - k * lh, { font: 'bold', size, color: COLORS.accent })));
			this.y -= headerHeight;
			this.page.drawLine({ start: { x: this.left, y: this.y }, end: { x: this.right, y: this.y }, thickness: 0.6, color: COLORS.accent });
		};
		const newPage = () => {
			this.addPage();
			drawHeader();
		};

		if (height <= this.pageCapacity * 0.4) this.ensure(height);
		// The header never sits alone at the bottom of a page.
		else this.ensure(headerHeight + Math.min(rowLines[0] ?? 1, 3) * lh + 2 * pad);
		drawHeader();

		cells.forEach((row, r) => {
			const total = rowLines[r]!;
			const capacity = Math.floor((this.pageCapacity - headerHeight - 2 * pad) / lh);
			if (total * lh + 2 * pad > this.room && total <= capacity) newPage();
			let offset = 0;
			while (offset < total) {
				let fit = Math.floor((this.room - 2 * pad) / lh);
				if (fit < 1) {
					newPage();
					fit = Math.floor((this.room - 2 * pad) / lh);
				}
				const n = Math.min(fit, total - offset);
				row.forEach((lines, i) => {
					for (let k = 0; k < n; k++) {
						const line = lines[offset + k];
						if (line) this.drawLine(line, xs[i]! + pad, this.y - pad - k * lh, { size, font: fontOf(i) });
					}
				});
				this.y -= n * lh + 2 * pad;
				this.page.drawLine({ start: { x: this.left, y: this.y }, end: { x: this.right, y: this.y }, thickness: 0.4, color: COLORS.rule });
				offset += n;
				if (offset < total) newPage();
			}
		});
		this.y -= 6;
	}

	/** Draws the decorations of every page (called once, when the page count is final). */
	decorate(draw: (page: PDFPage, index: number, count: number) => void): void {
		this.pages.forEach((page, i) => draw(page, i, this.pages.length));
	}

	async save(): Promise<Uint8Array> {
		this.release();
		return this.doc.save({ useObjectStreams: true });
	}
}
