/**
 * Validates a schools CSV (after parseCsv) into rows ready to insert, or per-row problems with line,
 * field and a reason code (translated by the page: `import.error.<code>`). All or nothing: the caller
 * writes only when there is no problem at all.
 */
import { parseCsv } from './csv';

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 10_000;

/** Accepted headers (French or English) → field. */
const HEADER_ALIASES: Record<string, SchoolField> = {
	code: 'code',
	nom: 'name',
	name: 'name',
	centre_de_services: 'serviceCentre',
	centre_de_services_ou_reseau: 'serviceCentre',
	service_centre: 'serviceCentre',
	adresse: 'address',
	address: 'address',
	langue: 'language',
	language: 'language',
	service_de_police: 'policeService',
	police_service: 'policeService'
};
export type SchoolField = 'code' | 'name' | 'serviceCentre' | 'address' | 'language' | 'policeService';
const REQUIRED: SchoolField[] = ['code', 'name', 'language', 'policeService'];
const LIMITS: Record<SchoolField, number> = { code: 32, name: 200, serviceCentre: 200, address: 300, language: 10, policeService: 32 };

export interface SchoolRow {
	line: number;
	code: string;
	name: string;
	serviceCentre: string | null;
	address: string | null;
	language: 'fr' | 'en';
	policeServiceCode: string;
}

export type ImportProblemCode =
	| 'too_large'
	| 'not_text'
	| 'empty'
	| 'unterminated_quote'
	| 'too_many_rows'
	| 'missing_column'
	| 'unknown_column'
	| 'wrong_cell_count'
	| 'required'
	| 'too_long'
	| 'invalid_code'
	| 'invalid_language'
	| 'unknown_police_service'
	| 'duplicate_in_file'
	| 'code_exists';

export interface ImportProblem {
	line: number;
	field: SchoolField | null;
	code: ImportProblemCode;
	/** the offending value, shortened, for the message */
	value?: string;
}

export interface ImportContext {
	/** police service codes that exist (and that the importer may use) */
	policeServiceCodes: ReadonlySet<string>;
	/** school codes already in the database */
	existingSchoolCodes: ReadonlySet<string>;
}

export type ImportPlan = { ok: true; rows: SchoolRow[] } | { ok: false; problems: ImportProblem[]; rowCount: number };

export function normaliseHeader(h: string): string {
	return h
		.trim()
		.toLowerCase()
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[\s-]+/g, '_');
}

export function planSchoolImport(text: string, byteLength: number, ctx: ImportContext): ImportPlan {
	if (byteLength > MAX_IMPORT_BYTES) return { ok: false, problems: [{ line: 0, field: null, code: 'too_large' }], rowCount: 0 };
	const csv = parseCsv(text);
	if (!csv.ok) return { ok: false, problems: [{ line: csv.line, field: null, code: csv.code }], rowCount: 0 };
	const [header, ...data] = csv.rows;
	if (!header) return { ok: false, problems: [{ line: 1, field: null, code: 'empty' }], rowCount: 0 };
	if (data.length > MAX_IMPORT_ROWS) return { ok: false, problems: [{ line: 0, field: null, code: 'too_many_rows' }], rowCount: data.length };

	const problems: ImportProblem[] = [];
	const columns: (SchoolField | null)[] = header.cells.map((h) => HEADER_ALIASES[normaliseHeader(h)] ?? null);
	header.cells.forEach((h, i) => {
		if (columns[i] === null && h.trim() !== '') problems.push({ line: header.line, field: null, code: 'unknown_column', value: h.slice(0, 60) });
	});
	for (const field of REQUIRED) {
		if (!columns.includes(field)) problems.push({ line: header.line, field, code: 'missing_column' });
	}
	if (problems.length) return { ok: false, problems, rowCount: data.length };

	const rows: SchoolRow[] = [];
	const seen = new Map<string, number>();
	for (const { line, cells } of data) {
		if (cells.length !== header.cells.length) {
			problems.push({ line, field: null, code: 'wrong_cell_count' });
			continue;
		}
		const v: Partial<Record<SchoolField, string>> = {};
		columns.forEach((field, i) => {
			if (field) v[field] = (cells[i] ?? '').trim();
		});
		const rowProblems: ImportProblem[] = [];
		for (const field of Object.keys(LIMITS) as SchoolField[]) {
			const value = v[field] ?? '';
			if (REQUIRED.includes(field) && value === '') rowProblems.push({ line, field, code: 'required' });
			else if (value.length > LIMITS[field]) rowProblems.push({ line, field, code: 'too_long' });
		}
		const code = (v.code ?? '').toUpperCase();
		const language = normaliseLanguage(v.language ?? '');
		const police = (v.policeService ?? '').toUpperCase();
		if (code && !/^[A-Z0-9][A-Z0-9_-]{0,31}$/.test(code)) rowProblems.push({ line, field: 'code', code: 'invalid_code', value: code.slice(0, 40) });
		if (v.language && !language) rowProblems.push({ line, field: 'language', code: 'invalid_language', value: v.language.slice(0, 20) });
		if (police && !ctx.policeServiceCodes.has(police)) rowProblems.push({ line, field: 'policeService', code: 'unknown_police_service', value: police.slice(0, 40) });
		if (code) {
			const first = seen.get(code);
			if (first !== undefined) rowProblems.push({ line, field: 'code', code: 'duplicate_in_file', value: String(first) });
			else seen.set(code, line);
			if (ctx.existingSchoolCodes.has(code)) rowProblems.push({ line, field: 'code', code: 'code_exists', value: code });
		}
		if (rowProblems.length) {
			problems.push(...rowProblems);
			continue;
		}
		rows.push({
			line,
			code,
			name: v.name!,
			serviceCentre: v.serviceCentre || null,
			address: v.address || null,
			language: language!,
			policeServiceCode: police
		});
	}
	if (data.length === 0) problems.push({ line: header.line, field: null, code: 'empty' });
	return problems.length ? { ok: false, problems, rowCount: data.length } : { ok: true, rows };
}

function normaliseLanguage(value: string): 'fr' | 'en' | null {
	const v = normaliseHeader(value);
	if (['fr', 'francais', 'french', 'fra'].includes(v)) return 'fr';
	if (['en', 'anglais', 'english', 'eng'].includes(v)) return 'en';
	return null;
}
