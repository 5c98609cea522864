/**
 * buildHandoffPacket(ctx, actor, { incidentId, locale }, meta) → HandoffPacket | null
 *
 * What the police receive (domain/incidents/handoff-packet.ts): school, responder, timeline, students and
 * their roles, red flags, the grid's suggestion with its reasons, every answered question in asking order,
 * the device log, police calls (file number) and the decision in force, with the pack version. Words and
 * counts only. Labels from the catalogs are in `locale`; pack texts carry both languages (`Localized`).
 *
 * Policy `incident:read` (the school side of the case, or the police side once handed off): `null` (→ 404)
 * otherwise. Audited as `incident.packet_viewed` (success or denied). The web view and the PDF render it.
 */
import type { RequestMeta } from '../context';
import type { Actor } from '../policy';
import { translate, type MessageKey } from '../../i18n';
import { formatDateTime } from '../../format';
import { findQuestion, orderedSteps, visibleQuestions, type AnswerValue } from '../../domain/protocol/engine';
import type { Localized, ProtocolPack, Question } from '../../domain/protocol/schema';
import { caseReference } from '../../domain/incidents/case';
import type { HandoffPacket } from '../../domain/incidents/handoff-packet';
import { auditRead } from './access';
import { readCaseFile, type CaseFile, type Opener } from './case-file';
import { INTAKE_QUESTIONS } from './intake';
import type { KitContext, Locale } from './types';

export async function buildHandoffPacket(ctx: KitContext, actor: Actor, input: { incidentId: string; locale: Locale }, meta: RequestMeta): Promise<HandoffPacket | null> {
	const file = await readCaseFile(ctx, actor, input.incidentId, 'incident.packet_viewed', meta, { packet: true });
	if (!file) return null;
	const locale: Locale = input.locale === 'en' ? 'en' : 'fr';
	const packet = packetOf(ctx, file, file.opener!, locale);
	await auditRead(ctx, actor, 'incident.packet_viewed', { type: 'incident', id: file.row.id }, meta, { locale });
	return packet;
}

function packetOf(ctx: KitContext, file: CaseFile, opener: Opener, locale: Locale): HandoffPacket {
	const { row, pack, evaluation } = file;
	const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
	const studentName = new Map(file.students.map((s) => [s.id, s.name]));
	const stepTitle = new Map(pack.steps.map((s) => [s.id, s.title[locale]]));

	const timeline: HandoffPacket['timeline'] = [
		{ at: row.t0, event: t('kit.timeline.t0'), by: null },
		{ at: row.created_at, event: t('kit.timeline.opened'), by: file.user(row.opened_by)?.name ?? null },
		...file.steps.map((s) => ({ at: s.updatedAt, event: t('kit.timeline.step_saved', { step: stepTitle.get(s.stepId) ?? s.stepId }), by: file.user(s.updatedBy)?.name ?? null })),
		...file.devices.flatMap((d) => d.events.map((e) => ({ at: e.at, event: t('kit.timeline.custody', { device: d.deviceRef, event: t(`kit.custody_event.${e.event}`) }), by: e.byName }))),
		...file.policeCalls.map((p) => ({ at: p.calledAt, event: t('kit.timeline.police_call', { officer: p.officerName }), by: p.calledBy.name })),
		...file.decisions.map((d) => ({ at: d.enteredAt, event: t('kit.timeline.decision', { decision: t(`kit.decision.${d.decision}`) }), by: d.enteredBy.name })),
		...file.parentNotifications.filter((p) => p.at).map((p) => ({ at: p.at!, event: t('kit.timeline.parents_notified'), by: p.by.name })),
		...(row.closed_at ? [{ at: row.closed_at, event: t('kit.timeline.closed'), by: null }] : [])
	].sort((a, b) => a.at.localeCompare(b.at));

	const decision = file.decisions.at(-1) ?? null;
	return {
		incidentId: row.id,
		reference: caseReference(row.id, row.created_at),
		generatedAt: ctx.now().toISOString(),
		locale,
		pack: { id: pack.id, version: pack.version, title: pack.title, isDefault: pack.status === 'default' },
		school: { name: file.school.name, code: file.school.code, serviceCentre: file.school.serviceCentre, address: file.school.address },
		policeService: { nameFr: file.policeService.nameFr, nameEn: file.policeService.nameEn, emergencyPhone: file.policeService.emergencyPhone },
		responder: { name: file.user(row.opened_by)?.name ?? '', email: opener.email, role: opener.isResponder ? 'responder' : 'principal' },
		intake: {
			t0: row.t0,
			reporterKind: optionLabel(pack, INTAKE_QUESTIONS.reporterKind.id, row.reporter_kind, locale),
			reportChannel: optionLabel(pack, INTAKE_QUESTIONS.reportChannel.id, row.report_channel, locale),
			summary: file.summary,
			imagesReported: row.images_reported,
			devicesReported: row.devices_reported
		},
		timeline,
		redFlags: evaluation.redFlags.map((f) => ({ id: f.id, label: f.label, action: f.action })),
		suggestion: Object.keys(evaluation.answers).length === 0 ? null : { orientation: evaluation.suggestion.orientation, reasons: evaluation.suggestion.reasons.map((r) => ({ ruleId: r.ruleId, reason: r.reason })) },
		students: file.students.map((s) => ({ id: s.id, name: s.name, dateOfBirth: s.dateOfBirth, age: s.age, grade: s.grade, roles: s.roles.map((r) => t(`kit.student_role.${r}`)) })),
		answers: answeredQuestions(pack, evaluation.answers),
		devices: file.devices.map((d) => ({
			deviceRef: d.deviceRef,
			description: d.description,
			owner: d.owner.studentId ? (studentName.get(d.owner.studentId) ?? null) : d.owner.label,
			events: d.events.map((e) => ({
				event: t(`kit.custody_event.${e.event}`),
				at: e.at,
				byName: e.byName,
				state: t(`kit.device_state.${e.state}`),
				envelopeNo: e.envelopeNo,
				location: e.location,
				toOfficer: e.toName ? (e.toBadge ? `${e.toName} (${e.toBadge})` : e.toName) : null
			}))
		})),
		policeCalls: file.policeCalls.map((p) => ({ calledAt: p.calledAt, officerName: p.officerName, officerBadge: p.officerBadge, policeFileNumber: p.policeFileNumber, calledBy: p.calledBy.name })),
		decision: decision ? { decision: decision.decision, decidedOn: decision.decidedOn, conditions: decision.conditions } : null
	};
}

/** Every answered, visible question in asking order, with its value in words (both languages). */
export function answeredQuestions(pack: ProtocolPack, answers: Readonly<Record<string, AnswerValue>>): HandoffPacket['answers'] {
	const stepOf = new Map(orderedSteps(pack).map((s) => [s.id, s]));
	return visibleQuestions(pack, answers)
		.filter((q) => answers[q.id] !== undefined)
		.map((q) => ({ stepTitle: stepOf.get(q.step)!.title, question: q.label, value: displayValue(findQuestion(pack, q.id)!, answers[q.id]!) }));
}

/** The pack's label of a choice option (the intake copies are option ids of the pack). */
function optionLabel(pack: ProtocolPack, questionId: string, value: string, locale: Locale): string {
	const q = findQuestion(pack, questionId);
	const option = q && (q.type === 'choice' || q.type === 'multi_choice') ? q.options.find((o) => o.id === value) : undefined;
	return option ? option.label[locale] : value;
}

function both(make: (locale: Locale) => string): Localized {
	return { fr: make('fr'), en: make('en') };
}

export function displayValue(q: Question, value: AnswerValue): Localized {
	switch (q.type) {
		case 'yes_no':
			return both((l) => translate(l, value === 'yes' ? 'kit.answer.yes' : value === 'no' ? 'kit.answer.no' : 'kit.answer.unknown'));
		case 'choice': {
			const option = q.options.find((o) => o.id === value);
			return option ? option.label : both(() => String(value));
		}
		case 'multi_choice': {
			const chosen = Array.isArray(value) ? value : [value];
			return both((l) => q.options.filter((o) => chosen.includes(o.id)).map((o) => o.label[l]).join(', '));
		}
		case 'datetime':
			return both((l) => formatDateTime(String(value), l));
		case 'number':
			return both((l) => new Intl.NumberFormat(l === 'fr' ? 'fr-CA' : 'en-CA').format(Number(value)));
		case 'short_text':
			return both(() => String(value));
	}
}
