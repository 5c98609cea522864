/**
 * The hand-off PDF: a valid PDF (header, re-loadable by pdf-lib, pages), French accents and the key facts
 * present in the extracted text (pdftotext from poppler-utils), FR and EN labels, the confidentiality
 * notice and "page x / y" on every page, and a large packet that paginates. Writes the rendered files to
 * test-results/pdf/ (and PNG previews when pdftoppm is there) for a human look.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { HandoffPacket } from '../../domain/incidents/handoff-packet';
import { renderHandoffPdf } from './handoff-pdf';
import { cleanText } from './layout';
import { POLICE_FILE, ROLE_LABELS, samplePacket } from './test-fixtures';

const OUT = join(process.cwd(), 'test-results', 'pdf');
const PDFTOTEXT = ['/usr/bin/pdftotext', '/usr/local/bin/pdftotext'].find((p) => existsSync(p)) ?? null;
const PDFTOPPM = ['/usr/bin/pdftoppm', '/usr/local/bin/pdftoppm'].find((p) => existsSync(p)) ?? null;

function largePacket(): HandoffPacket {
	const base = samplePacket('fr');
	const roles = Object.values(ROLE_LABELS.fr);
	return {
		...base,
		students: Array.from({ length: 60 }, (_, i) => ({ id: `s${i}`, name: `Élève ${i + 1} Côté`, dateOfBirth: '2011-05-14', age: 14, grade: '3e secondaire', roles: [roles[i % roles.length]!, roles[(i + 3) % roles.length]!] })),
		answers: Array.from({ length: 200 }, (_, i) => ({
			stepTitle: { fr: `Étape ${Math.floor(i / 40) + 1} — questions détaillées`, en: `Step ${Math.floor(i / 40) + 1}` },
			question: { fr: `Question ${i + 1} : l’événement s’est-il produit à l’école ou à l’extérieur, pendant les heures de classe?`, en: `Question ${i + 1}` },
			value: { fr: i % 7 === 0 ? 'Réponse longue : '.concat('détail important à consigner, '.repeat(12)) : 'Oui', en: 'Yes' }
		})),
		intake: { ...base.intake, summary: 'Résumé très long. '.repeat(400) },
		decision: { decision: 'impulsive', decidedOn: '2026-03-04', conditions: 'Rencontre avec les parents, engagement écrit de suppression, suivi par l’intervenante pendant trois mois.' }
	};
}

/** The text of the PDF with runs of white space (line breaks included) folded to one space. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

function pdfText(bytes: Uint8Array, name: string): string {
	mkdirSync(OUT, { recursive: true });
	const file = join(OUT, `${name}.pdf`);
	writeFileSync(file, bytes);
	// Reading order (no -layout): the wrapped lines of one table cell come out together.
	return execFileSync(PDFTOTEXT!, ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

async function assertValidPdf(bytes: Uint8Array): Promise<PDFDocument> {
	expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
	const doc = await PDFDocument.load(bytes);
	expect(doc.getPageCount()).toBeGreaterThan(0);
	return doc;
}

// Text assertions need poppler's pdftotext; on a machine without it they are skipped, saying why.
const withText = PDFTOTEXT ? it : it.skip;
if (!PDFTOTEXT) console.warn('[handoff-pdf.test] pdftotext (poppler-utils) not found: text-extraction assertions skipped.');

// Generous timeout: the first render of a process parses the fonts (and the machine may be busy).
describe('renderHandoffPdf', { timeout: 30_000 }, () => {
	it('renders a valid PDF in French and in English (Letter by default, A4 on request)', async () => {
		for (const locale of ['fr', 'en'] as const) {
			const doc = await assertValidPdf(await renderHandoffPdf(samplePacket(locale)));
			const { width, height } = doc.getPage(0).getSize();
			expect([Math.round(width), Math.round(height)]).toEqual([612, 792]);
			expect(doc.getTitle()).toContain('SX-2026-7F3A');
		}
		const a4 = await assertValidPdf(await renderHandoffPdf(samplePacket('fr'), { pageSize: 'a4' }));
		expect(Math.round(a4.getPage(0).getSize().height)).toBe(842);
	});

	it('embeds a subset font, not the whole 1.4 MB of DejaVu', async () => {
		const bytes = await renderHandoffPdf(samplePacket('fr'));
		expect(bytes.length).toBeLessThan(200_000);
	});

	withText('French: accents intact, police file number, every role label, sections and labels from the catalog', async () => {
		const text = flat(pdfText(await renderHandoffPdf(samplePacket('fr')), 'handoff-fr'));
		for (const word of ['Élève', 'Événement', 'à l’école', 'Québec', 'Léa Bélanger-Côté', 'Zoé Lévesque', 'Jérémie Gagné', 'Saint-Jérôme', 'Téléphone intelligent']) expect(text).toContain(word);
		expect(text).toContain(POLICE_FILE);
		for (const role of Object.values(ROLE_LABELS.fr)) expect(text).toContain(role);
		for (const label of ['Dossier de remise à la police', 'Chronologie', 'Drapeaux rouges', 'Élèves et rôles', 'Appareils — chaîne de possession', 'Appels à la police', 'N° de dossier de police', 'Décision du DPCP', 'Réf. SX-2026-7F3A', '(heure de Montréal)']) {
			expect(text).toContain(label);
		}
		expect(text).toContain('2 images signalées sur 3 appareils');
		// the grid suggests; it never decides
		expect(text).toContain('Plutôt malveillant (suggestion)');
		expect(text).toMatch(/Ce n’est pas un verdict/);
		expect(text).toContain('Appeler le policier ou la policière liaison');
		expect(text).toContain('Trousse par défaut — remplacez-la par la trousse officielle de votre territoire.');
		expect(text).toContain('Aucune décision inscrite');
		// Montréal time: 15:42 UTC is 10 h 42 in March (EST)
		expect(text).toMatch(/3 mars 2026, 10 h 42/);
	});

	withText('English: English labels, same facts', async () => {
		const text = flat(pdfText(await renderHandoffPdf(samplePacket('en')), 'handoff-en'));
		expect(text).toContain(POLICE_FILE);
		for (const role of Object.values(ROLE_LABELS.en)) expect(text).toContain(role);
		for (const label of ['Police hand-off packet', 'Students and roles', 'Police file number', 'Devices — chain of custody', 'Ref. SX-2026-7F3A', 'Montréal time', 'Default pack — replace with your territory’s official kit.', 'Likely malicious (suggestion)', 'It is not a verdict']) {
			expect(text).toContain(label);
		}
		expect(text).toContain('2 images reported on 3 devices');
		expect(text).toContain('Léa Bélanger-Côté');
		expect(text).not.toContain('Chronologie');
	});

	withText('every page carries the confidentiality notice (both languages), the reference and "page x / y"', async () => {
		const bytes = await renderHandoffPdf(largePacket());
		const doc = await assertValidPdf(bytes);
		const pages = doc.getPageCount();
		const text = pdfText(bytes, 'handoff-large');
		const perPage = text.split('\f').filter((p) => p.trim() !== '').map(flat);
		expect(perPage).toHaveLength(pages);
		perPage.forEach((page, i) => {
			expect(page).toContain('Confidentiel — renseignements concernant des mineurs');
			expect(page).toContain('Confidential — information about minors');
			expect(page).toContain('SX-2026-7F3A');
			expect(page).toContain(`page ${i + 1} / ${pages}`);
		});
	});

	withText('a 60-student, 200-answer packet paginates and loses nothing', async () => {
		const bytes = await renderHandoffPdf(largePacket());
		const doc = await assertValidPdf(bytes);
		expect(doc.getPageCount()).toBeGreaterThan(8);
		const text = flat(pdfText(bytes, 'handoff-large'));
		for (let i = 1; i <= 60; i++) expect(text).toContain(`Élève ${i} Côté`);
		for (let i = 1; i <= 200; i++) expect(text).toContain(`Question ${i} :`);
		expect(text).toContain('Geste impulsif — mesures extrajudiciaires');
		expect(text).toContain(POLICE_FILE);
	});

	it('empty sections say so instead of disappearing', async () => {
		const p = samplePacket('fr');
		const bytes = await renderHandoffPdf({ ...p, redFlags: [], suggestion: null, students: [], answers: [], devices: [], policeCalls: [], timeline: [], pack: { ...p.pack, isDefault: false } });
		await assertValidPdf(bytes);
		if (!PDFTOTEXT) return;
		const text = flat(pdfText(bytes, 'handoff-empty'));
		for (const s of ['Aucun drapeau rouge.', 'Aucun élève inscrit.', 'Aucune réponse enregistrée.', 'Aucun appareil saisi.', 'Aucun appel à la police inscrit.', 'Aucune suggestion']) expect(text).toContain(s);
		expect(text).not.toContain('Trousse par défaut');
	});

	it('text hostile to layout (no spaces, control characters, glyphs the font lacks) still renders', async () => {
		const p = samplePacket('fr');
		const bytes = await renderHandoffPdf({
			...p,
			intake: { ...p.intake, summary: `${'x'.repeat(900)}\u0000\u0007 fin\ttab ${String.fromCodePoint(0x1f9ff)}` },
			school: { ...p.school, address: 'https://exemple.qc.ca/'.concat('chemin/'.repeat(40)) }
		});
		await assertValidPdf(bytes);
		expect(cleanText('a\u0000b\u0007c\td')).toBe('abc d');
	});

	it('writes the French sample and PNG previews to test-results/pdf/ (for a human look)', async () => {
		const bytes = await renderHandoffPdf(samplePacket('fr'));
		mkdirSync(OUT, { recursive: true });
		writeFileSync(join(OUT, 'handoff-fr.pdf'), bytes);
		if (!PDFTOPPM) return;
		for (const f of ['handoff-fr-1.png', 'handoff-fr-2.png', 'handoff-fr-3.png']) rmSync(join(OUT, f), { force: true });
		execFileSync(PDFTOPPM, ['-png', '-r', '80', join(OUT, 'handoff-fr.pdf'), join(OUT, 'handoff-fr')]);
		expect(existsSync(join(OUT, 'handoff-fr-1.png'))).toBe(true);
	});
});
