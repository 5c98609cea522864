/**
 * A realistic hand-off packet for the PDF tests and the render-time measurement (not shipped content):
 * fictional school, people and facts, with the French accents and typography the PDF must keep.
 */
import type { HandoffPacket } from '../../domain/incidents/handoff-packet';

export const ROLE_LABELS = {
	fr: { depicted: 'Représenté·e sur l’image', produced: 'A produit l’image', sent: 'A envoyé', received: 'A reçu', redistributed: 'A redistribué', requested: 'A demandé l’image', witness: 'Témoin' },
	en: { depicted: 'Depicted', produced: 'Produced the image', sent: 'Sent', received: 'Received', redistributed: 'Redistributed', requested: 'Requested the image', witness: 'Witness' }
} as const;

export const POLICE_FILE = 'SPSJ-2026-004117';

/** A realistic packet, as server/incidents builds it: labels already in the packet's language. */
export function samplePacket(locale: 'fr' | 'en'): HandoffPacket {
	const r = ROLE_LABELS[locale];
	const fr = locale === 'fr';
	return {
		incidentId: '3f0c9a52-7f3a-4d1e-9a0b-5c2e8d7f3a11',
		reference: 'SX-2026-7F3A',
		generatedAt: '2026-03-03T15:42:00.000Z',
		locale,
		pack: { id: 'sexto-default', version: '1.0.0', title: { fr: 'Trousse SEXTO par défaut', en: 'Default SEXTO kit' }, isDefault: true },
		school: { name: 'École secondaire des Hauts-Bois', code: 'DEMO-001', serviceCentre: 'Centre de services scolaire de la Rivière-du-Nord', address: '1200, rue Élisabeth, Saint-Jérôme (Québec) J7Z 0A1' },
		policeService: { nameFr: 'Service de police de la Ville de Saint-Jérôme', nameEn: 'Saint-Jérôme Police Service', emergencyPhone: '911' },
		responder: { name: 'Isabelle Tremblay', email: 'intervenant@sexto.test', role: 'responder' },
		intake: {
			t0: '2026-03-02T15:05:00.000Z',
			reporterKind: fr ? 'Élève concerné·e (représenté·e sur l’image)' : 'The depicted student',
			reportChannel: fr ? 'En personne, au bureau de l’intervenante' : 'In person, at the responder’s office',
			summary: fr
				? 'Événement signalé à 10 h 05 à l’école : une élève de 3e secondaire dit qu’une photo intime d’elle circule depuis hier soir dans un groupe de discussion de sa classe. Elle l’avait envoyée à un élève de 4e secondaire à sa demande.\nAucune image n’a été vue par le personnel. Les deux téléphones ont été mis en mode avion et placés sous enveloppe scellée au bureau de la direction.'
				: 'Reported at 10:05 at school: a grade 9 student says an intimate photo of her has been circulating since last night in a group chat of her class. She had sent it to a grade 10 student at his request.\nNo image was viewed by staff. Both phones were put in airplane mode and sealed in envelopes in the principal’s office.',
			imagesReported: 2,
			devicesReported: 3
		},
		timeline: [
			{ at: '2026-03-02T15:05:00.000Z', event: fr ? 'L’école apprend les faits (T0)' : 'School learns of it (T0)', by: null },
			{ at: '2026-03-02T15:09:00.000Z', event: fr ? 'Dossier ouvert' : 'Case opened', by: 'Isabelle Tremblay' },
			{ at: '2026-03-02T15:14:00.000Z', event: fr ? 'Étape « Drapeaux rouges » enregistrée' : 'Step “Red flags” saved', by: 'Isabelle Tremblay' },
			{ at: '2026-03-02T15:20:00.000Z', event: fr ? 'Appareil D1 : saisi' : 'Device D1: seized', by: 'Marc Gagnon' },
			{ at: '2026-03-02T15:31:00.000Z', event: fr ? 'Appel à la police (agente Sophie Pouliot)' : 'Police called (officer Sophie Pouliot)', by: 'Marc Gagnon' },
			{ at: '2026-03-02T18:02:00.000Z', event: fr ? 'Appareil D1 : remis à la police' : 'Device D1: handed to police', by: 'Marc Gagnon' }
		],
		redFlags: [{ id: 'threats_or_extortion', label: { fr: 'Menaces ou chantage pour obtenir d’autres images', en: 'Threats or blackmail to obtain more images' }, action: 'call_police_liaison' }],
		suggestion: {
			orientation: 'likely_malicious',
			reasons: [
				{ ruleId: 'redistributed_to_group', reason: { fr: 'L’image a été transmise à un groupe, au-delà de la personne à qui elle était destinée.', en: 'The image was passed on to a group, beyond the person it was meant for.' } },
				{ ruleId: 'requested_insistently', reason: { fr: 'L’image a été demandée avec insistance.', en: 'The image was requested insistently.' } }
			]
		},
		students: [
			{ id: 's1', name: 'Léa Bélanger-Côté', dateOfBirth: '2011-05-14', age: 14, grade: fr ? '3e secondaire' : 'Secondary 3', roles: [r.depicted, r.produced, r.sent] },
			{ id: 's2', name: 'Zoé Lévesque', dateOfBirth: null, age: 15, grade: fr ? '4e secondaire' : 'Secondary 4', roles: [r.requested, r.received, r.redistributed] },
			{ id: 's3', name: 'Jérémie Gagné', dateOfBirth: '2011-09-02', age: null, grade: null, roles: [r.received] },
			{ id: 's4', name: 'Noémie Ouellet', dateOfBirth: null, age: null, grade: fr ? '3e secondaire' : 'Secondary 3', roles: [r.witness] }
		],
		answers: [
			{ stepTitle: { fr: 'Circonstances', en: 'Circumstances' }, question: { fr: 'L’image a-t-elle été transmise à d’autres personnes que le ou la destinataire?', en: 'Was the image passed on to people other than the recipient?' }, value: { fr: 'Oui', en: 'Yes' } },
			{ stepTitle: { fr: 'Circonstances', en: 'Circumstances' }, question: { fr: 'À combien de personnes environ?', en: 'To about how many people?' }, value: { fr: '12', en: '12' } },
			{ stepTitle: { fr: 'Circonstances', en: 'Circumstances' }, question: { fr: 'Quand l’image a-t-elle été envoyée pour la première fois?', en: 'When was the image first sent?' }, value: { fr: '1 mars 2026, 21 h 40', en: 'Mar 1, 2026, 9:40 p.m.' } },
			{ stepTitle: { fr: 'Relation entre les élèves', en: 'Relationship between the students' }, question: { fr: 'Y a-t-il eu des menaces, du chantage ou une demande d’argent?', en: 'Were there threats, blackmail or a demand for money?' }, value: { fr: 'Je ne sais pas', en: 'I don’t know' } },
			{ stepTitle: { fr: 'Relation entre les élèves', en: 'Relationship between the students' }, question: { fr: 'Les élèves étaient-ils en couple?', en: 'Were the students in a relationship?' }, value: { fr: 'Non', en: 'No' } }
		],
		devices: [
			{
				deviceRef: 'D1',
				description: fr ? 'Téléphone intelligent, coque bleue' : 'Smartphone, blue case',
				owner: 'Zoé Lévesque',
				events: [
					{ event: fr ? 'Saisi' : 'Seized', at: '2026-03-02T15:20:00.000Z', byName: 'Marc Gagnon', state: fr ? 'Mode avion' : 'Airplane mode', envelopeNo: 'ENV-0042', location: fr ? 'Coffre, bureau de la direction' : 'Safe, principal’s office', toOfficer: null },
					{ event: fr ? 'Remis à la police' : 'Handed to police', at: '2026-03-02T18:02:00.000Z', byName: 'Marc Gagnon', state: fr ? 'Éteint' : 'Off', envelopeNo: 'ENV-0042', location: null, toOfficer: 'Sophie Pouliot (4471)' }
				]
			},
			{
				deviceRef: 'D2',
				description: fr ? 'Tablette de l’école' : 'School tablet',
				owner: null,
				events: [{ event: fr ? 'Saisi' : 'Seized', at: '2026-03-02T15:25:00.000Z', byName: 'Isabelle Tremblay', state: fr ? 'Éteint' : 'Off', envelopeNo: null, location: fr ? 'Bureau de la direction' : 'Principal’s office', toOfficer: null }]
			}
		],
		policeCalls: [{ calledAt: '2026-03-02T15:31:00.000Z', officerName: 'Sophie Pouliot', officerBadge: '4471', policeFileNumber: POLICE_FILE, calledBy: 'Marc Gagnon' }],
		decision: null
	};
}
