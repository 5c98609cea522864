import type { RequestHandler } from './$types';
import { credentialForVisitor, downloadHeaders, fileName } from '$lib/server/credentials-http';

/** The signed OpenBadgeCredential (JSON-LD), as a download. */
export const GET: RequestHandler = async ({ params, locals }) => {
	const found = await credentialForVisitor(params.id, locals.actor, locals.locale);
	return new Response(JSON.stringify(found.credential, null, 2) + '\n', { headers: downloadHeaders('application/ld+json; charset=utf-8', fileName(found, 'json')) });
};
