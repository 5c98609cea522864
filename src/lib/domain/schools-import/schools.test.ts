import { describe, expect, it } from 'vitest';
import { parseCsv, decodeText } from './csv';
import { MAX_IMPORT_BYTES, planSchoolImport, type ImportContext } from './schools';

const ctx: ImportContext = { policeServiceCodes: new Set(['SPSJ', 'RIPLV']), existingSchoolCodes: new Set(['DEMO-001']) };
const plan = (text: string) => planSchoolImport(text, Buffer.byteLength(text), ctx);

describe('parseCsv', () => {
	it('detects ";" and handles quotes, doubled quotes, CRLF, BOM and accents', () => {
		const r = parseCsv('\uFEFFcode;nom\r\nA1;"École ""Le Phare""; Lévis"\r\nA2;Polyvalente\r\n');
		expect(r).toEqual({
			ok: true,
			separator: ';',
			rows: [
				{ line: 1, cells: ['code', 'nom'] },
				{ line: 2, cells: ['A1', 'École "Le Phare"; Lévis'] },
				{ line: 3, cells: ['A2', 'Polyvalente'] }
			]
		});
	});
	it('detects ","', () => {
		const r = parseCsv('code,name\nA,B');
		expect(r.ok && r.separator).toBe(',');
	});
	it('keeps line numbers right across quoted newlines', () => {
		const r = parseCsv('code,address\nA,"1 rue X\napp. 2"\nB,y');
		expect(r.ok && r.rows.map((x) => x.line)).toEqual([1, 2, 4]);
	});
	it('reports an unterminated quote with its line', () => {
		expect(parseCsv('code,name\nA,"open\nB,c')).toEqual({ ok: false, code: 'unterminated_quote', line: 2 });
	});
	it('refuses binary content', () => {
		expect(decodeText(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toEqual({ ok: false });
		expect(decodeText(new Uint8Array([0xff, 0xfe, 0x41]))).toEqual({ ok: false });
		expect(parseCsv('code\u0000,name')).toMatchObject({ ok: false, code: 'not_text' });
	});
});

describe('planSchoolImport', () => {
	const header = 'code;nom;centre_de_services;adresse;langue;service_de_police';
	it('accepts a good file with French headers and accented values', () => {
		const r = plan(`${header}\nA-1;École secondaire Jean-Éudes;CSS de Montréal;123 rue Saint-Denis, Montréal;fr;spsj\nB-2;Westmount High;EMSB;;anglais;SPSJ\n`);
		expect(r).toEqual({
			ok: true,
			rows: [
				{ line: 2, code: 'A-1', name: 'École secondaire Jean-Éudes', serviceCentre: 'CSS de Montréal', address: '123 rue Saint-Denis, Montréal', language: 'fr', policeServiceCode: 'SPSJ' },
				{ line: 3, code: 'B-2', name: 'Westmount High', serviceCentre: 'EMSB', address: null, language: 'en', policeServiceCode: 'SPSJ' }
			]
		});
	});
	it('accepts English headers with "," separator', () => {
		const r = plan('code,name,language,police_service\nX1,Some School,en,RIPLV');
		expect(r.ok).toBe(true);
	});
	it('refuses wrong columns before reading rows', () => {
		const r = plan('code;nom;couleur\nA;B;rouge');
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.problems).toContainEqual({ line: 1, field: null, code: 'unknown_column', value: 'couleur' });
			expect(r.problems).toContainEqual({ line: 1, field: 'language', code: 'missing_column' });
			expect(r.problems).toContainEqual({ line: 1, field: 'policeService', code: 'missing_column' });
		}
	});
	it('reports every bad row with line, field and reason, and returns no rows', () => {
		const r = plan(
			[header, 'OK-1;Bonne école;;;fr;SPSJ', ';Sans code;;;fr;SPSJ', 'D-1;Doublon A;;;fr;SPSJ', 'D-1;Doublon B;;;fr;SPSJ', 'DEMO-001;Existe déjà;;;fr;SPSJ', 'P-1;Police inconnue;;;fr;NOPE', 'L-1;Langue;;;klingon;SPSJ', 'short;row'].join('\n')
		);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.rowCount).toBe(8);
		expect(r.problems).toEqual([
			{ line: 3, field: 'code', code: 'required' },
			{ line: 5, field: 'code', code: 'duplicate_in_file', value: '4' },
			{ line: 6, field: 'code', code: 'code_exists', value: 'DEMO-001' },
			{ line: 7, field: 'policeService', code: 'unknown_police_service', value: 'NOPE' },
			{ line: 8, field: 'language', code: 'invalid_language', value: 'klingon' },
			{ line: 9, field: null, code: 'wrong_cell_count' }
		]);
	});
	it('refuses over-long values', () => {
		const r = plan(`${header}\nA;${'x'.repeat(201)};;;fr;SPSJ`);
		expect(!r.ok && r.problems).toEqual([{ line: 2, field: 'name', code: 'too_long' }]);
	});
	it('refuses a file over the size limit without parsing it', () => {
		expect(planSchoolImport('code', MAX_IMPORT_BYTES + 1, ctx)).toEqual({ ok: false, problems: [{ line: 0, field: null, code: 'too_large' }], rowCount: 0 });
	});
	it('refuses a header-only file', () => {
		expect(plan(header).ok).toBe(false);
	});
});
