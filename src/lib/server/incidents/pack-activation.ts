/**
 * Kit packs per police service (ADR 015): which protocol pack version the schools a police service serves run
 * their new cases with. Chosen by the territory coordinator of that police service (policy `pack:manage`),
 * among the usable packs shipped in content/protocol-packs/ (status default or official). Append-only history
 * in `pack_activations`; every activation is audited (`protocol_pack.activated`, refusals as `denied`).
 * Cases already opened keep the pack id + version they were opened with (incidents.pack_id / pack_version).
 *
 *   activePackFor(ctx, db, policeServiceId) → { pack, activation | null }     no row → the installation's default
 *   packSettings(ctx, actor, { policeServiceId }) → PackSettings | null         null: no such police service;
 *                                                                                ForbiddenError without pack:manage
 *   managedPoliceServices(ctx, actor) → the police services whose packs the actor may choose
 *   activatePack(ctx, actor, { policeServiceId, packId, packVersion, expectedActivation }, meta)
 *     → { ok: true, activation } | not_found | invalid | conflict (someone activated another version meanwhile)
 */
import type { RequestMeta } from '../context';
import type { DbOrTrx } from '../db';
import { lockResource } from '../db';
import { appendAudit, recordAudit } from '../audit/log';
import { authorize, can, type Actor } from '../policy';
import { placeOfScope } from '../accounts/places';
import { newId } from '../crypto/tokens';
import type { Localized, ProtocolPack } from '../../domain/protocol/schema';
import { IntakeShapeError, intakeStepOf } from './intake';
import { packsOf } from './access';
import { invalid, NOT_FOUND, type Invalid, type KitContext, type NotFound } from './types';

export interface PackActivation {
	/** 1, 2, 3… for this police service */
	number: number;
	packId: string;
	packVersion: string;
	activatedAt: string;
	activatedBy: string | null;
}

export interface PackChoice {
	id: string;
	version: string;
	title: Localized;
	notice: Localized | null;
	isDefault: boolean;
	active: boolean;
}

export interface PackSettings {
	policeService: { id: string; nameFr: string; nameEn: string };
	/** what new cases of this police service's schools run with now */
	active: PackChoice;
	/** true when no one has chosen yet (the installation's default applies) */
	inherited: boolean;
	/** the activation number the page was built from (0 when none), for conflict detection */
	activationNumber: number;
	choices: PackChoice[];
	history: PackActivation[];
}

export type ActivatePackResult = { ok: true; activation: PackActivation } | NotFound | Invalid | { ok: false; reason: 'conflict'; current: PackActivation | null };

const choiceOf = (pack: Pick<ProtocolPack, 'id' | 'version' | 'title' | 'notice' | 'status'>, active: boolean): PackChoice => ({
	id: pack.id,
	version: pack.version,
	title: pack.title,
	notice: pack.notice ?? null,
	isDefault: pack.status === 'default',
	active
});

async function activations(db: DbOrTrx, policeServiceId: string): Promise<PackActivation[]> {
	const rows = await db
		.selectFrom('pack_activations')
		.leftJoin('users', 'users.id', 'pack_activations.activated_by')
		.select(['pack_activations.version', 'pack_activations.pack_id', 'pack_activations.pack_version', 'pack_activations.activated_at', 'users.display_name'])
		.where('pack_activations.police_service_id', '=', policeServiceId)
		.orderBy('pack_activations.version', 'desc')
		.execute();
	return rows.map((r) => ({ number: r.version, packId: r.pack_id, packVersion: r.pack_version, activatedAt: r.activated_at, activatedBy: r.display_name }));
}

/**
 * The pack new cases of this police service's schools are opened with. An activation naming a file that is no
 * longer shipped is a deployment error (the server refuses to guess), like an incident's missing pack.
 */
export async function activePackFor(ctx: KitContext, db: DbOrTrx, policeServiceId: string): Promise<{ pack: ProtocolPack; activation: PackActivation | null }> {
	const row = await db
		.selectFrom('pack_activations')
		.select(['version', 'pack_id', 'pack_version', 'activated_at'])
		.where('police_service_id', '=', policeServiceId)
		.orderBy('version', 'desc')
		.limit(1)
		.executeTakeFirst();
	const packs = packsOf(ctx);
	if (!row) return { pack: packs.defaultPack(), activation: null };
	const pack = packs.get(row.pack_id, row.pack_version);
	if (!pack) throw new Error(`protocol pack ${row.pack_id}@${row.pack_version} is active for police service ${policeServiceId} but missing under content/protocol-packs/`);
	return { pack, activation: { number: row.version, packId: row.pack_id, packVersion: row.pack_version, activatedAt: row.activated_at, activatedBy: null } };
}

/** Packs a coordinator may activate: usable (default or official) and able to open cases (intake questions). */
function usablePacks(ctx: KitContext): ProtocolPack[] {
	const packs = packsOf(ctx);
	return packs
		.list()
		.filter((s) => s.status === 'default' || s.status === 'official')
		.map((s) => packs.get(s.id, s.version)!)
		.filter((p) => {
			try {
				intakeStepOf(p);
				return true;
			} catch (error) {
				if (error instanceof IntakeShapeError) return false;
				throw error;
			}
		});
}

export async function managedPoliceServices(ctx: KitContext, actor: Actor): Promise<{ id: string; nameFr: string; nameEn: string; active: { id: string; version: string } }[]> {
	if (!can(actor, 'packs:view', null)) return [];
	const rows = await ctx.db.selectFrom('police_services').select(['id', 'name_fr', 'name_en', 'territory_id']).orderBy('name_fr').execute();
	const mine = rows.filter((r) => can(actor, 'pack:manage', { policeServiceId: r.id, territoryId: r.territory_id }));
	return Promise.all(
		mine.map(async (r) => {
			const { pack } = await activePackFor(ctx, ctx.db, r.id);
			return { id: r.id, nameFr: r.name_fr, nameEn: r.name_en, active: { id: pack.id, version: pack.version } };
		})
	);
}

export async function packSettings(ctx: KitContext, actor: Actor, input: { policeServiceId: string }): Promise<PackSettings | null> {
	const place = typeof input.policeServiceId === 'string' ? await placeOfScope(ctx.db, 'police_service', input.policeServiceId) : null;
	if (!place) return null;
	authorize(actor, 'pack:manage', place);
	const service = await ctx.db.selectFrom('police_services').select(['id', 'name_fr', 'name_en']).where('id', '=', input.policeServiceId).executeTakeFirstOrThrow();
	const [{ pack, activation }, history] = await Promise.all([activePackFor(ctx, ctx.db, input.policeServiceId), activations(ctx.db, input.policeServiceId)]);
	return {
		policeService: { id: service.id, nameFr: service.name_fr, nameEn: service.name_en },
		active: choiceOf(pack, true),
		inherited: activation === null,
		activationNumber: activation?.number ?? 0,
		choices: usablePacks(ctx).map((p) => choiceOf(p, p.id === pack.id && p.version === pack.version)),
		history
	};
}

export async function activatePack(
	ctx: KitContext,
	actor: Actor,
	input: { policeServiceId: string; packId: string; packVersion: string; expectedActivation: number },
	meta: RequestMeta
): Promise<ActivatePackResult> {
	const place = typeof input.policeServiceId === 'string' ? await placeOfScope(ctx.db, 'police_service', input.policeServiceId) : null;
	if (!place) return NOT_FOUND;
	const denied = (reason: string) =>
		recordAudit(ctx.db, { actorId: actor.userId, action: 'protocol_pack.activated', targetType: 'police_service', targetId: input.policeServiceId, outcome: 'denied', ip: meta.ip, details: { reason } }, ctx.now());
	if (!can(actor, 'pack:manage', place)) {
		await denied('forbidden');
		authorize(actor, 'pack:manage', place);
	}
	const pack = usablePacks(ctx).find((p) => p.id === input.packId && p.version === input.packVersion);
	if (!pack) {
		await denied('not_usable');
		return invalid({ pack: { key: 'kit.packs.error.not_usable' } });
	}
	const now = ctx.now();
	const result = await ctx.db.transaction().execute(async (trx): Promise<ActivatePackResult> => {
		// Two coordinators choosing at the same moment get activation n and n + 1 (or a conflict), never a collision.
		await lockResource(trx, `pack_activations:${input.policeServiceId}`);
		const current = await activePackFor(ctx, trx, input.policeServiceId);
		const number = current.activation?.number ?? 0;
		if (number !== input.expectedActivation) return { ok: false, reason: 'conflict', current: current.activation };
		if (current.pack.id === pack.id && current.pack.version === pack.version) return invalid({ pack: { key: 'kit.packs.error.already_active' } });
		const activation = { number: number + 1, packId: pack.id, packVersion: pack.version, activatedAt: now.toISOString(), activatedBy: actor.userId };
		await trx
			.insertInto('pack_activations')
			.values({ id: newId(), police_service_id: input.policeServiceId, version: activation.number, pack_id: pack.id, pack_version: pack.version, activated_by: actor.userId, activated_at: activation.activatedAt })
			.execute();
		await appendAudit(
			trx,
			{
				actorId: actor.userId,
				action: 'protocol_pack.activated',
				targetType: 'police_service',
				targetId: input.policeServiceId,
				outcome: 'success',
				ip: meta.ip,
				details: { packId: pack.id, packVersion: pack.version, previousPackId: current.pack.id, previousPackVersion: current.pack.version, activation: activation.number }
			},
			now
		);
		return { ok: true, activation };
	});
	if (!result.ok) await denied(result.reason === 'conflict' ? 'conflict' : 'already_active');
	return result;
}
