/**
 * Demo data for `npm start` on SQLite (and `npm run seed` on PostgreSQL). Fictional schools and
 * people; the Saint-Jérôme police service is named because SEXTO was born there (PROTOCOL.md §1),
 * the second service is fictional so no real force is shown as lacking an agreement.
 */
import type { DB } from '../index';
import type { Role, ScopeType } from '../schema';
import { appendAudit } from '../../audit/log';
import { hashPassword } from '../../crypto/password';
import { newId } from '../../crypto/tokens';

export const DEMO_PASSWORD = 'Sexto-demo-2026';

export const DEMO_IDS = {
	territoryCovered: '7b0b1a52-0000-4000-8000-000000000001',
	territoryOther: '7b0b1a52-0000-4000-8000-000000000002',
	policeCovered: '7b0b1a52-0000-4000-8000-000000000011',
	policeOther: '7b0b1a52-0000-4000-8000-000000000012',
	schoolCovered: '7b0b1a52-0000-4000-8000-000000000021',
	schoolOther: '7b0b1a52-0000-4000-8000-000000000022'
} as const;

export interface DemoUser {
	email: string;
	name: string;
	locale: 'fr' | 'en';
	grants: { role: Role; scopeType: ScopeType; scopeId: string | null }[];
}

const S1 = DEMO_IDS.schoolCovered;
export const DEMO_USERS: DemoUser[] = [
	{ email: 'intervenant@sexto.test', name: 'Isabelle Tremblay', locale: 'fr', grants: [{ role: 'responder', scopeType: 'school', scopeId: S1 }, { role: 'learner', scopeType: 'school', scopeId: S1 }] },
	{ email: 'direction@sexto.test', name: 'Marc Gagnon', locale: 'fr', grants: [{ role: 'principal', scopeType: 'school', scopeId: S1 }] },
	{ email: 'policier@sexto.test', name: 'Sophie Pouliot', locale: 'fr', grants: [{ role: 'police_liaison', scopeType: 'police_service', scopeId: DEMO_IDS.policeCovered }] },
	{ email: 'procureur@sexto.test', name: 'Louis Bénard', locale: 'fr', grants: [{ role: 'dpcp_prosecutor', scopeType: 'territory', scopeId: DEMO_IDS.territoryCovered }] },
	{ email: 'formateur@sexto.test', name: 'Nadia Cool', locale: 'fr', grants: [{ role: 'trainer_evaluator', scopeType: 'platform', scopeId: null }] },
	{ email: 'coordination@sexto.test', name: 'Julie Forgues', locale: 'fr', grants: [{ role: 'territory_coordinator', scopeType: 'police_service', scopeId: DEMO_IDS.policeCovered }] },
	{ email: 'rprp@sexto.test', name: 'Karim Ouellette', locale: 'fr', grants: [{ role: 'privacy_officer', scopeType: 'platform', scopeId: null }] },
	{ email: 'admin@sexto.test', name: 'Alex Admin', locale: 'en', grants: [{ role: 'platform_admin', scopeType: 'platform', scopeId: null }] },
	{ email: 'apprenant@sexto.test', name: 'Émilie Roy', locale: 'fr', grants: [{ role: 'learner', scopeType: 'school', scopeId: S1 }] },
	{ email: 'direction.lacvert@sexto.test', name: 'Paul Lavoie', locale: 'fr', grants: [{ role: 'principal', scopeType: 'school', scopeId: DEMO_IDS.schoolOther }] }
];

/** Idempotent: does nothing when users already exist. Returns whether it seeded. */
export async function seedDemo(db: DB, now = new Date()): Promise<boolean> {
	const existing = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
	if (existing) return false;
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const at = now.toISOString();
	await db.transaction().execute(async (trx) => {
		await trx
			.insertInto('territories')
			.values([
				{ id: DEMO_IDS.territoryCovered, name_fr: 'Saint-Jérôme (Laurentides)', name_en: 'Saint-Jérôme (Laurentides)', created_at: at },
				{ id: DEMO_IDS.territoryOther, name_fr: 'Lac-Vert (territoire fictif)', name_en: 'Lac-Vert (fictional territory)', created_at: at }
			])
			.execute();
		await trx
			.insertInto('police_services')
			.values([
				{ id: DEMO_IDS.policeCovered, code: 'SPSJ', territory_id: DEMO_IDS.territoryCovered, name_fr: 'Service de police de la Ville de Saint-Jérôme', name_en: 'Saint-Jérôme Police Service', kind: 'municipal', kit_contact: 'Agent·e liaison SEXTO (démo)', emergency_phone: '911', created_at: at, updated_at: at },
				{ id: DEMO_IDS.policeOther, code: 'RIPLV', territory_id: DEMO_IDS.territoryOther, name_fr: 'Régie intermunicipale de police du Lac-Vert (fictive)', name_en: 'Lac-Vert Intermunicipal Police (fictional)', kind: 'intermunicipal', kit_contact: null, emergency_phone: '911', created_at: at, updated_at: at }
			])
			.execute();
		await trx
			.insertInto('agreements')
			.values([
				{ id: newId(), police_service_id: DEMO_IDS.policeCovered, status: 'active', signed_on: '2016-10-15', effective_from: '2016-11-01', effective_to: null, reference: 'DEMO-SJ-2016', note: 'Données de démonstration', created_at: at, updated_at: at },
				{ id: newId(), police_service_id: DEMO_IDS.policeOther, status: 'draft', signed_on: null, effective_from: '2027-01-01', effective_to: null, reference: 'DEMO-LV-DRAFT', note: 'Données de démonstration', created_at: at, updated_at: at }
			])
			.execute();
		await trx
			.insertInto('schools')
			.values([
				{ id: DEMO_IDS.schoolCovered, police_service_id: DEMO_IDS.policeCovered, code: 'DEMO-001', name: 'École secondaire des Hauts-Bois (fictive)', service_centre: 'Centre de services scolaire de la Rivière-du-Nord', address: 'Saint-Jérôme (QC)', language: 'fr', created_at: at, updated_at: at },
				{ id: DEMO_IDS.schoolOther, police_service_id: DEMO_IDS.policeOther, code: 'DEMO-002', name: 'Polyvalente du Lac-Vert (fictive)', service_centre: 'Centre de services scolaire du Lac-Vert (fictif)', address: 'Lac-Vert (QC)', language: 'fr', created_at: at, updated_at: at }
			])
			.execute();
		for (const u of DEMO_USERS) {
			const userId = newId();
			await trx.insertInto('users').values({ id: userId, email: u.email, display_name: u.name, password_hash: passwordHash, locale: u.locale, created_at: at, disabled_at: null }).execute();
			for (const g of u.grants) {
				const membershipId = newId();
				await trx.insertInto('memberships').values({ id: membershipId, user_id: userId, role: g.role, scope_type: g.scopeType, scope_id: g.scopeId, created_at: at, created_by: null }).execute();
				await appendAudit(trx, { actorId: null, action: 'membership.granted', targetType: 'user', targetId: userId, outcome: 'success', details: { role: g.role, scopeType: g.scopeType, scopeId: g.scopeId, membershipId, source: 'seed' } }, now);
			}
		}
	});
	return true;
}
