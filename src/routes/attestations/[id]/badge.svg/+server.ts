import type { RequestHandler } from './$types';
import { credentialForVisitor, downloadHeaders, fileName } from '$lib/server/credentials-http';
import { bakedSvg } from '$lib/server/credentials';

/** The badge artwork (SVG) with the signed credential in an <openbadges:credential> element. */
export const GET: RequestHandler = async ({ params, locals }) => {
	const found = await credentialForVisitor(params.id, locals.actor, locals.locale);
	return new Response(bakedSvg(found.award.level, found.json), { headers: downloadHeaders('image/svg+xml; charset=utf-8', fileName(found, 'svg')) });
};
