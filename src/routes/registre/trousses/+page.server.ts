import type { PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { requireSignedIn } from '$lib/server/http';
import { can } from '$lib/server/policy';
import { managedPoliceServices } from '$lib/server/incidents';
import { forbidden } from '$lib/server/kit-http';
import { packRegistry } from '$lib/server/protocol/packs';

/** The police services whose kit pack the signed-in coordinator (or admin) chooses, with the version in force. */
export const load: PageServerLoad = async (event) => {
	const { actor } = requireSignedIn(event);
	if (!can(actor, 'packs:view', null)) forbidden();
	const services = await managedPoliceServices(getAppContext(), actor);
	const packs = packRegistry();
	return {
		services: services.map((s) => {
			const pack = packs.get(s.active.id, s.active.version)!;
			return { id: s.id, nameFr: s.nameFr, nameEn: s.nameEn, active: { version: pack.version, title: pack.title, notice: pack.notice ?? null } };
		})
	};
};
