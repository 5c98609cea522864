/**
 * A small RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM, and either ";" (the
 * separator Excel uses in French locales) or "," detected from the header line. Pure; no I/O.
 */

export type CsvFailure = { ok: false; code: 'not_text' | 'empty' | 'unterminated_quote'; line: number };
export type CsvResult = { ok: true; separator: ';' | ','; rows: { line: number; cells: string[] }[] } | CsvFailure;

/** Decodes bytes as strict UTF-8 and refuses binary content (NUL or other control bytes). */
export function decodeText(bytes: Uint8Array): { ok: true; text: string } | { ok: false } {
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return { ok: false };
	}
	return looksBinary(text) ? { ok: false } : { ok: true, text };
}

export function looksBinary(text: string): boolean {
	// Tabs, CR and LF are fine; other C0 controls do not appear in a spreadsheet export.
	// eslint-disable-next-line no-control-regex
	return /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text);
}

export function parseCsv(input: string): CsvResult {
	const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
	if (looksBinary(text)) return { ok: false, code: 'not_text', line: 1 };
	const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
	if (!firstLine.trim()) return { ok: false, code: 'empty', line: 1 };
	const separator = count(firstLine, ';') > count(firstLine, ',') ? ';' : ',';

	const rows: { line: number; cells: string[] }[] = [];
	let cells: string[] = [];
	let cell = '';
	let inQuotes = false;
	let line = 1;
	let rowStartLine = 1;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i]!;
		if (inQuotes) {
			if (ch === '"') {
				if (text[i + 1] === '"') {
					cell += '"';
					i++;
				} else inQuotes = false;
			} else {
				if (ch === '\n') line++;
				cell += ch;
			}
			continue;
		}
		if (ch === '"' && cell === '') inQuotes = true;
		else if (ch === separator) {
			cells.push(cell);
			cell = '';
		} else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && text[i + 1] === '\n') i++;
			cells.push(cell);
			if (cells.some((c) => c.trim() !== '')) rows.push({ line: rowStartLine, cells });
			cells = [];
			cell = '';
			line++;
			rowStartLine = line;
		} else cell += ch;
	}
	if (inQuotes) return { ok: false, code: 'unterminated_quote', line: rowStartLine };
	cells.push(cell);
	if (cells.some((c) => c.trim() !== '')) rows.push({ line: rowStartLine, cells });
	if (rows.length === 0) return { ok: false, code: 'empty', line: 1 };
	return { ok: true, separator, rows };
}

function count(s: string, ch: string): number {
	let n = 0;
	for (const c of s) if (c === ch) n++;
	return n;
}
