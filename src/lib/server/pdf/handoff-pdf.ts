/**
 * renderHandoffPdf(packet) → the hand-off packet as a PDF (pdf-lib, DejaVu Sans embedded and subset so
 * French accents render and extract as text). Letter portrait by default (A4 on request).
 *
 * Every page: the Sexto name, the packet reference, the generation time (Montréal), the confidentiality
 * notice in both languages, "page x / y". Sections in the order the police read them: school, responder,
 * police service, intake, timeline, red flags, the grid's suggestion (labelled as a suggestion for the
 * prosecutor, never a verdict), students and roles, answers, device chain of custody, police calls (file
 * number), decision, pack. Labels come from the catalogs (`packet.*`); the packet's own strings (names,
 * timeline events, role and custody labels) are already in the packet's language and drawn as given.
 *
 * Words and counts only: the one drawing that is not text is the vector logo.
 */
import type { PDFPage } from 'pdf-lib';
import type { HandoffPacket } from '../../domain/incidents/handoff-packet';
import type { Localized } from '../../domain/protocol/schema';
import { formatDateTime, formatDay } from '../../format';
import { isMessageKey, translate, translateCount, type Locale, type MessageKey, type Params } from '../../i18n';
import { cleanText, COLORS, PdfLayout, type PageSize } from './layout';

export interface RenderOptions {
	pageSize?: PageSize;
}

const HEADER_HEIGHT = 58;
const NBSP = '\u00a0';
const FOOTER_HEIGHT = 16;

export async function renderHandoffPdf(packet: HandoffPacket, options: RenderOptions = {}): Promise<Uint8Array> {
	const locale: Locale = packet.locale === 'en' ? 'en' : 'fr';
	const other: Locale = locale === 'fr' ? 'en' : 'fr';
	const t = (key: MessageKey, params?: Params) => translate(locale, key, params);
	const tn = (key: MessageKey, count: number) => translateCount(locale, key, count);
	const loc = (text: Localized) => text[locale] || text[other];
	const when = (iso: string | null | undefined) => {
		if (!iso) return t('packet.none');
		if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return formatDay(iso, locale).replace(/ /g, NBSP);
		// "2 mars 2026, 10 h 20": may wrap after the comma only, never inside the date or the time.
		return Number.isNaN(Date.parse(iso)) ? iso : formatDateTime(iso, locale).replace(/ /g, NBSP).replace(`,${NBSP}`, ', ');
	};
	const orNone = (value: string | number | null | undefined) => (value === null || value === undefined || value === '' ? t('packet.none') : String(value));

	const l = await PdfLayout.create({
		pageSize: options.pageSize ?? 'letter',
		headerHeight: HEADER_HEIGHT,
		footerHeight: FOOTER_HEIGHT,
		title: `${t('packet.title')} — ${packet.reference}`,
		lang: locale === 'fr' ? 'fr-CA' : 'en-CA'
	});

	// Title block and the standing warning.
	l.drawLine(cleanText(t('packet.title')), l.left, l.y, { font: 'bold', size: 16, color: COLORS.accent });
	l.y -= 24;
	const fileNumbers = [...new Set(packet.policeCalls.map((c) => c.policeFileNumber).filter((n): n is string => !!n))];
	if (fileNumbers.length > 0) {
		l.keyValues([[t('packet.col.police_file'), fileNumbers.join(', ')]]);
		l.y -= 2;
	}
	l.notice(t('packet.no_media'));

	l.heading(t('packet.section.school'));
	l.keyValues([
		[t('packet.school.name'), packet.school.name],
		[t('packet.school.code'), packet.school.code],
		[t('packet.school.service_centre'), orNone(packet.school.serviceCentre)],
		[t('packet.school.address'), orNone(packet.school.address)]
	]);

	l.heading(t('packet.section.responder'));
	l.keyValues([
		[t('packet.responder.name'), packet.responder.name],
		[t('packet.responder.email'), packet.responder.email],
		[t('packet.responder.role'), t(packet.responder.role === 'principal' ? 'role.principal' : 'role.responder')]
	]);

	l.heading(t('packet.section.police_service'));
	l.keyValues([
		[t('packet.police.name'), locale === 'fr' ? packet.policeService.nameFr : packet.policeService.nameEn],
		[t('packet.police.emergency'), orNone(packet.policeService.emergencyPhone)]
	]);

	const { intake } = packet;
	const images = intake.imagesReported === null ? t('packet.intake.images_unknown') : tn('packet.intake.images', intake.imagesReported);
	const devices = intake.devicesReported === null ? t('packet.intake.devices_unknown') : tn('packet.intake.devices', intake.devicesReported);
	l.heading(t('packet.section.intake'));
	l.keyValues([
		[t('packet.intake.t0'), when(intake.t0)],
		[t('packet.intake.reporter'), orNone(intake.reporterKind)],
		[t('packet.intake.channel'), orNone(intake.reportChannel)],
		[t('packet.intake.media'), `${images} ${devices}`],
		[t('packet.intake.summary'), orNone(intake.summary)]
	]);

	l.heading(t('packet.section.timeline'));
	if (packet.timeline.length === 0) l.paragraph(t('packet.none'));
	else
		l.table(
			[
				{ title: t('packet.col.when'), weight: 2.2 },
				{ title: t('packet.col.event'), weight: 5 },
				{ title: t('packet.col.by'), weight: 2.4 }
			],
			packet.timeline.map((e) => [when(e.at), e.event, orNone(e.by)])
		);

	l.heading(t('packet.section.red_flags'));
	if (packet.redFlags.length === 0) l.paragraph(t('packet.red_flags.none'));
	else
		l.table(
			[
				{ title: t('packet.col.red_flag'), weight: 6 },
				{ title: t('packet.col.action'), weight: 3 }
			],
			packet.redFlags.map((f) => [loc(f.label), actionLabel(locale, f.action)])
		);

	l.heading(t('packet.section.suggestion'));
	l.notice(t('packet.suggestion.notice'));
	if (!packet.suggestion) l.paragraph(t('packet.suggestion.none'));
	else {
		const key = `packet.orientation.${packet.suggestion.orientation}`;
		l.keyValues([
			[t('packet.suggestion.orientation'), isMessageKey(key) ? t(key) : packet.suggestion.orientation],
			[t('packet.suggestion.reasons'), packet.suggestion.reasons.length ? packet.suggestion.reasons.map((r) => `• ${loc(r.reason)}`).join('\n') : t('packet.none')]
		]);
	}

	l.heading(t('packet.section.students'));
	if (packet.students.length === 0) l.paragraph(t('packet.students.none'));
	else
		l.table(
			[
				{ title: t('packet.col.student'), weight: 3 },
				{ title: t('packet.col.birth_age'), weight: 2.4 },
				{ title: t('packet.col.grade'), weight: 1.4 },
				{ title: t('packet.col.roles'), weight: 3.6 }
			],
			packet.students.map((s) => [
				s.name,
				[s.dateOfBirth ? when(s.dateOfBirth) : null, s.age !== null ? tn('packet.student.age', s.age) : null].filter(Boolean).join(' — ') || t('packet.none'),
				orNone(s.grade),
				s.roles.join(', ') || t('packet.none')
			]),
			{ boldFirst: true }
		);

	l.heading(t('packet.section.answers'));
	if (packet.answers.length === 0) l.paragraph(t('packet.answers.none'));
	else {
		const groups: { title: string; rows: string[][] }[] = [];
		for (const a of packet.answers) {
			const title = loc(a.stepTitle);
			if (groups.at(-1)?.title !== title) groups.push({ title, rows: [] });
			groups.at(-1)!.rows.push([loc(a.question), loc(a.value)]);
		}
		for (const g of groups) {
			l.subheading(g.title);
			l.table(
				[
					{ title: t('packet.col.question'), weight: 6 },
					{ title: t('packet.col.answer'), weight: 4 }
				],
				g.rows
			);
		}
	}

	l.heading(t('packet.section.devices'));
	if (packet.devices.length === 0) l.paragraph(t('packet.devices.none'));
	const custodyColumns = [
		{ title: t('packet.col.custody_event'), weight: 2 },
		{ title: t('packet.col.when'), weight: 2.1 },
		{ title: t('packet.col.by'), weight: 2 },
		{ title: t('packet.col.state'), weight: 1.4 },
		{ title: t('packet.col.envelope'), weight: 1.5 },
		{ title: t('packet.col.location'), weight: 2.1 },
		{ title: t('packet.col.to_officer'), weight: 2.1 }
	];
	for (const d of packet.devices) {
		const rows = d.events.map((e) => [e.event, when(e.at), e.byName, e.state, orNone(e.envelopeNo), orNone(e.location), orNone(e.toOfficer)]);
		l.subheading(t('packet.device.heading', { ref: d.deviceRef, description: d.description }), d.owner ? t('packet.device.owner', { owner: d.owner }) : undefined);
		l.table(custodyColumns, rows, { size: 8 });
	}

	l.heading(t('packet.section.police_calls'));
	if (packet.policeCalls.length === 0) l.paragraph(t('packet.police_calls.none'));
	else
		l.table(
			[
				{ title: t('packet.col.called_at'), weight: 2.2 },
				{ title: t('packet.col.officer'), weight: 2.2 },
				{ title: t('packet.col.badge'), weight: 1.2 },
				{ title: t('packet.col.police_file'), weight: 2.8 },
				{ title: t('packet.col.called_by'), weight: 2.2 }
			],
			packet.policeCalls.map((c) => [when(c.calledAt), c.officerName, orNone(c.officerBadge), orNone(c.policeFileNumber), c.calledBy]),
			{ size: 8.5 }
		);

	l.heading(t('packet.section.decision'));
	if (!packet.decision) l.paragraph(t('packet.decision.none'));
	else
		l.keyValues([
			[t('packet.decision.label'), t(packet.decision.decision === 'malicious' ? 'packet.decision.malicious' : 'packet.decision.impulsive')],
			[t('packet.decision.decided_on'), when(packet.decision.decidedOn)],
			[t('packet.decision.conditions'), orNone(packet.decision.conditions)]
		]);

	l.heading(t('packet.section.pack'));
	l.keyValues([[t('packet.pack.label'), t('packet.pack.value', { title: loc(packet.pack.title), id: packet.pack.id, version: packet.pack.version })]]);
	if (packet.pack.isDefault) l.notice(t('packet.pack.default'));

	// Header and footer on every page, now that the page count is known.
	const confidential = `${translate(locale, 'packet.confidential')} / ${translate(other, 'packet.confidential')}`;
	const reference = cleanText(t('packet.reference', { reference: packet.reference }));
	const generated = cleanText(t('packet.generated_at', { at: when(packet.generatedAt) }));
	const subtitle = cleanText(t('packet.title'));
	l.decorate((page, index, count) => decoratePage(l, page, { confidential, reference, generated, subtitle, pageLabel: t('packet.page', { page: index + 1, pages: count }) }));

	return l.save();
}

function actionLabel(locale: Locale, action: string): string {
	const key = `packet.action.${action}`;
	return isMessageKey(key) ? translate(locale, key) : action;
}

function decoratePage(l: PdfLayout, page: PDFPage, text: { confidential: string; reference: string; generated: string; subtitle: string; pageLabel: string }): void {
	const margin = l.left;
	const top = l.pageHeight - 34;

	// Logo: a navy tile with a white S (vector, no image).
	const tile = 24;
	page.drawRectangle({ x: margin, y: top - tile, width: tile, height: tile, color: COLORS.accent });
	const s = 'S';
	const sWidth = l.measure(s, 'bold', 17);
	l.drawLine(s, margin + (tile - sWidth) / 2, top - 3, { font: 'bold', size: 17, color: COLORS.white }, page);

	l.drawLine('Sexto', margin + tile + 8, top - 1, { font: 'bold', size: 14, color: COLORS.accent }, page);
	l.drawLine(text.subtitle, margin + tile + 8, top - 17, { size: 8, color: COLORS.muted }, page);
	l.drawRight(text.reference, l.right, top - 1, { font: 'bold', size: 10, color: COLORS.text }, page);
	l.drawRight(text.generated, l.right, top - 16, { size: 7.5, color: COLORS.muted }, page);

	// Confidentiality band, both languages, on every page.
	const bandTop = top - tile - 6;
	const bandHeight = 14;
	page.drawRectangle({ x: margin, y: bandTop - bandHeight, width: l.width, height: bandHeight, color: COLORS.banner });
	let size = 8;
	while (size > 5.5 && l.measure(text.confidential, 'bold', size) > l.width - 12) size -= 0.25;
	const width = l.measure(text.confidential, 'bold', size);
	l.drawLine(text.confidential, margin + (l.width - width) / 2, bandTop - (bandHeight - size) / 2 + 0.5, { font: 'bold', size, color: COLORS.white }, page);

	// Footer.
	const footY = l.bottom - 8;
	page.drawLine({ start: { x: margin, y: footY }, end: { x: l.right, y: footY }, thickness: 0.5, color: COLORS.rule });
	l.drawLine(`Sexto · ${text.reference}`, margin, footY - 3, { size: 7.5, color: COLORS.muted }, page);
	l.drawRight(text.pageLabel, l.right, footY - 3, { size: 7.5, color: COLORS.muted }, page);
}
