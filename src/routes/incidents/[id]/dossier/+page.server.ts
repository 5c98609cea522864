import type { PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { requireSignedIn } from '$lib/server/http';
import { buildHandoffPacket } from '$lib/server/incidents';
import { notFound, requestMeta } from '$lib/server/kit-http';
import { packRegistry } from '$lib/server/protocol/packs';

export const load: PageServerLoad = async (event) => {
	const { actor } = requireSignedIn(event);
	// The packet is its own audited read (`incident.packet_viewed`); a case the person may not read is a 404.
	const packet = await buildHandoffPacket(getAppContext(), actor, { incidentId: event.params.id, locale: event.locals.locale }, requestMeta(event));
	if (!packet) notFound();
	const pack = packRegistry().get(packet.pack.id, packet.pack.version);
	return {
		kitPack: { ...packet.pack, notice: pack?.notice ?? null },
		kase: { id: packet.incidentId, reference: packet.reference, schoolName: packet.school.name },
		packet
	};
};
