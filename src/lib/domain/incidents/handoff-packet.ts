/**
 * What the police receive: the hand-off packet (HTML view and PDF, FR or EN). A plain, decrypted,
 * already-authorised read model built by server/incidents and rendered by server/pdf and the web view.
 * It describes images only in words and counts: there is no field that could hold media.
 */
import type { Localized, Orientation, RedFlagAction } from '../protocol/schema';

export interface HandoffPacket {
	incidentId: string;
	/** short human reference shown on every page, e.g. "SX-2026-7F3A" */
	reference: string;
	generatedAt: string;
	locale: 'fr' | 'en';
	pack: { id: string; version: string; title: Localized; isDefault: boolean };
	school: { name: string; code: string; serviceCentre: string | null; address: string | null };
	policeService: { nameFr: string; nameEn: string; emergencyPhone: string | null };
	responder: { name: string; email: string; role: 'responder' | 'principal' };
	intake: {
		t0: string;
		reporterKind: string;
		reportChannel: string;
		summary: string;
		imagesReported: number | null;
		devicesReported: number | null;
	};
	timeline: { at: string; event: string; by: string | null }[];
	redFlags: { id: string; label: Localized; action: RedFlagAction }[];
	suggestion: { orientation: Orientation; reasons: { ruleId: string; reason: Localized }[] } | null;
	students: {
		id: string;
		name: string;
		dateOfBirth: string | null;
		age: number | null;
		grade: string | null;
		roles: string[];
	}[];
	/** every answered question of the pack, in asking order, with its label and displayed value */
	answers: { stepTitle: Localized; question: Localized; value: Localized }[];
	devices: {
		deviceRef: string;
		description: string;
		owner: string | null;
		events: {
			event: string;
			at: string;
			byName: string;
			state: string;
			envelopeNo: string | null;
			location: string | null;
			toOfficer: string | null;
		}[];
	}[];
	policeCalls: { calledAt: string; officerName: string; officerBadge: string | null; policeFileNumber: string | null; calledBy: string }[];
	decision: { decision: 'impulsive' | 'malicious'; decidedOn: string; conditions: string | null } | null;
}
