/**
 * Platform-admin registry: territories, police services and DPCP agreements. Every change is checked by
 * policy, validated against the domain rules, written with its history row and its audit row in one
 * transaction. Agreements are metadata only: no document is ever uploaded.
 */
import type { AppContext, RequestMeta } from '../context';
import { lockResource, isUniqueViolation, type Trx } from '../db';
import type { AgreementStatus, PoliceServiceKind, RegistryEntity } from '../db/schema';
import { appendAudit } from '../audit/log';
import { newId } from '../crypto/tokens';
import { authorize, type Actor } from '../policy';
import { checkAgreement } from '../../domain/coverage/coverage';
import type { FieldErrors } from '../../forms';
import { recordHistory } from './history';
import { agreementsOf } from './coverage';
import { invalidateRegistryCaches } from '../cache/registry-cache';

export type SaveResult = { ok: true; id: string } | { ok: false; errors: FieldErrors };

export interface TerritoryInput {
	nameFr: string;
	nameEn: string;
}
export interface PoliceServiceInput {
	code: string;
	nameFr: string;
	nameEn: string;
	kind: PoliceServiceKind;
	territoryId: string;
	kitContact: string | null;
	emergencyPhone: string | null;
}
export interface AgreementInput {
	policeServiceId: string;
	status: AgreementStatus;
	signedOn: string | null;
	effectiveFrom: string;
	effectiveTo: string | null;
	reference: string | null;
	note: string | null;
}

/** Writes a registry change, its history version and its audit row together. */
async function commitChange(
	ctx: AppContext,
	actor: Actor,
	meta: RequestMeta,
	entity: RegistryEntity,
	id: string,
	change: 'created' | 'updated',
	write: (trx: Trx, at: string) => Promise<WriteOutcome>
): Promise<SaveResult> {
	const now = ctx.now();
	try {
		const saved = await ctx.db.transaction().execute(async (trx) => {
			const outcome = await write(trx, now.toISOString());
			// Throwing rolls the whole transaction back: a refused change leaves nothing behind.
			if ('errors' in outcome) throw new Rejected(outcome.errors);
			const version = await recordHistory(trx, entity, id, change, actor.userId, outcome.snapshot, now);
			await appendAudit(trx, { actorId: actor.userId, action: change === 'created' ? 'registry.created' : 'registry.updated', targetType: entity, targetId: id, outcome: 'success', ip: meta.ip, details: { version } }, now);
			return { ok: true as const, id };
		});
		// Committed: this server's copies of registry data (names, coverage, public pages) go at once.
		invalidateRegistryCaches(ctx);
		return saved;
	} catch (error) {
		if (error instanceof Rejected) return { ok: false, errors: error.errors };
		if (isUniqueViolation(error)) return { ok: false, errors: { code: { key: 'registry.error.code_taken' } } };
		throw error;
	}
}

type WriteOutcome = { snapshot: object } | { errors: FieldErrors };

class Rejected extends Error {
	constructor(public readonly errors: FieldErrors) {
		super('rejected');
	}
}
function errors(e: FieldErrors): WriteOutcome {
	return { errors: e };
}

export async function saveTerritory(ctx: AppContext, actor: Actor, id: string | null, input: TerritoryInput, meta: RequestMeta): Promise<SaveResult> {
	authorize(actor, 'registry:manage', null);
	const territoryId = id ?? newId();
	return commitChange(ctx, actor, meta, 'territory', territoryId, id ? 'updated' : 'created', async (trx, at) => {
		if (id) {
			const r = await trx.updateTable('territories').set({ name_fr: input.nameFr, name_en: input.nameEn }).where('id', '=', id).executeTakeFirst();
			if (Number(r.numUpdatedRows) !== 1) return errors({ _form: { key: 'error.404' } });
		} else {
			await trx.insertInto('territories').values({ id: territoryId, name_fr: input.nameFr, name_en: input.nameEn, created_at: at }).execute();
		}
		return { snapshot: { nameFr: input.nameFr, nameEn: input.nameEn } };
	});
}

export async function savePoliceService(ctx: AppContext, actor: Actor, id: string | null, input: PoliceServiceInput, meta: RequestMeta): Promise<SaveResult> {
	authorize(actor, 'registry:manage', null);
	const serviceId = id ?? newId();
	const code = input.code.trim().toUpperCase();
	return commitChange(ctx, actor, meta, 'police_service', serviceId, id ? 'updated' : 'created', async (trx, at) => {
		const territory = await trx.selectFrom('territories').select('id').where('id', '=', input.territoryId).executeTakeFirst();
		if (!territory) return errors({ territoryId: { key: 'registry.error.unknown_territory' } });
		const clash = await trx.selectFrom('police_services').select('id').where('code', '=', code).where('id', '!=', serviceId).executeTakeFirst();
		if (clash) return errors({ code: { key: 'registry.error.code_taken' } });
		const values = { code, name_fr: input.nameFr, name_en: input.nameEn, kind: input.kind, territory_id: input.territoryId, kit_contact: input.kitContact, emergency_phone: input.emergencyPhone, updated_at: at };
		if (id) {
			const r = await trx.updateTable('police_services').set(values).where('id', '=', id).executeTakeFirst();
			if (Number(r.numUpdatedRows) !== 1) return errors({ _form: { key: 'error.404' } });
		} else {
			await trx.insertInto('police_services').values({ id: serviceId, created_at: at, ...values }).execute();
		}
		return { snapshot: { code, nameFr: input.nameFr, nameEn: input.nameEn, kind: input.kind, territoryId: input.territoryId, kitContact: input.kitContact, emergencyPhone: input.emergencyPhone } };
	});
}

/**
 * Creates or edits an agreement. Refuses an end before the start and two active agreements whose periods
 * overlap for one police service (checked under a per-service lock). Suspending or ending an agreement
 * only changes coverage from now on: no record is hidden or deleted.
 */
export async function saveAgreement(ctx: AppContext, actor: Actor, id: string | null, input: AgreementInput, meta: RequestMeta): Promise<SaveResult> {
	authorize(actor, 'registry:manage', null);
	const agreementId = id ?? newId();
	return commitChange(ctx, actor, meta, 'agreement', agreementId, id ? 'updated' : 'created', async (trx, at) => {
		const service = await trx.selectFrom('police_services').select('id').where('id', '=', input.policeServiceId).executeTakeFirst();
		if (!service) return errors({ policeServiceId: { key: 'registry.error.unknown_police_service' } });
		if (id) {
			const existing = await trx.selectFrom('agreements').select('police_service_id').where('id', '=', id).executeTakeFirst();
			if (!existing) return errors({ _form: { key: 'error.404' } });
			// An agreement belongs to one police service for life; a different service needs a new agreement.
			if (existing.police_service_id !== input.policeServiceId) return errors({ policeServiceId: { key: 'registry.error.agreement_service_fixed' } });
		}
		await lockResource(trx, `agreements:${input.policeServiceId}`);
		const others = await agreementsOf(trx, input.policeServiceId);
		const problems = checkAgreement({ id: agreementId, status: input.status, effectiveFrom: input.effectiveFrom, effectiveTo: input.effectiveTo, signedOn: input.signedOn }, others);
		if (problems.length) {
			const e: FieldErrors = {};
			for (const p of problems) {
				e[p.field] = { key: p.code === 'invalid_date' ? 'form.error.invalid' : `registry.error.${p.code}` };
			}
			return errors(e);
		}
		const values = { status: input.status, signed_on: input.signedOn, effective_from: input.effectiveFrom, effective_to: input.effectiveTo, reference: input.reference, note: input.note, updated_at: at };
		if (id) await trx.updateTable('agreements').set(values).where('id', '=', id).execute();
		else await trx.insertInto('agreements').values({ id: agreementId, police_service_id: input.policeServiceId, created_at: at, ...values }).execute();
		return { snapshot: { ...input } };
	});
}
