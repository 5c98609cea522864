import type { RequestHandler } from './$types';
import { credentialForVisitor, downloadHeaders, fileName } from '$lib/server/credentials-http';
import { bakedPng } from '$lib/server/credentials';

/** The badge artwork with the signed credential baked in (iTXt "openbadgecredential"). */
export const GET: RequestHandler = async ({ params, locals }) => {
	const found = await credentialForVisitor(params.id, locals.actor, locals.locale);
	return new Response(Buffer.from(bakedPng(found.award.level, found.json)), { headers: downloadHeaders('image/png', fileName(found, 'png')) });
};
