/** Read models for the registry pages (admin) — policy checked here, not in routes. */
import type { AppContext } from '../context';
import { authorize, type Actor } from '../policy';
import { agreementInForce, quebecDay } from '../../domain/coverage/coverage';
import { historyOf } from './history';

export async function registryOverview(ctx: AppContext, actor: Actor) {
	authorize(actor, 'registry:manage', null);
	const [territories, services, agreements] = await Promise.all([
		ctx.db.selectFrom('territories').selectAll().orderBy('name_fr').execute(),
		ctx.db.selectFrom('police_services').selectAll().orderBy('name_fr').execute(),
		ctx.db.selectFrom('agreements').selectAll().orderBy('effective_from', 'desc').execute()
	]);
	const today = quebecDay(ctx.now());
	return {
		territories,
		services: services.map((s) => {
			const own = agreements.filter((a) => a.police_service_id === s.id);
			const inForce = agreementInForce(
				own.map((a) => ({ id: a.id, status: a.status, effectiveFrom: a.effective_from, effectiveTo: a.effective_to })),
				today
			);
			return { ...s, coveredSince: inForce?.effectiveFrom ?? null };
		}),
		agreements
	};
}

export async function policeServiceDetail(ctx: AppContext, actor: Actor, id: string) {
	authorize(actor, 'registry:manage', null);
	const service = await ctx.db.selectFrom('police_services').selectAll().where('id', '=', id).executeTakeFirst();
	if (!service) return null;
	const [agreements, territories, history] = await Promise.all([
		ctx.db.selectFrom('agreements').selectAll().where('police_service_id', '=', id).orderBy('effective_from', 'desc').execute(),
		ctx.db.selectFrom('territories').select(['id', 'name_fr', 'name_en']).orderBy('name_fr').execute(),
		historyOf(ctx.db, 'police_service', id)
	]);
	return { service, agreements, territories, history };
}

export async function agreementDetail(ctx: AppContext, actor: Actor, id: string) {
	authorize(actor, 'registry:manage', null);
	const agreement = await ctx.db.selectFrom('agreements').selectAll().where('id', '=', id).executeTakeFirst();
	if (!agreement) return null;
	const [service, history] = await Promise.all([
		ctx.db.selectFrom('police_services').select(['id', 'name_fr', 'name_en']).where('id', '=', agreement.police_service_id).executeTakeFirstOrThrow(),
		historyOf(ctx.db, 'agreement', id)
	]);
	return { agreement, service, history };
}
