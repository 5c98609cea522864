import type { RequestHandler } from './$types';
import { getAppContext } from '$lib/server/app';
import { issuerProfile } from '$lib/server/credentials';

/** Open Badges issuer Profile, with the same published keys as /.well-known/did.json. */
export const GET: RequestHandler = () =>
	new Response(JSON.stringify(issuerProfile(getAppContext()), null, 2), {
		headers: { 'content-type': 'application/ld+json; charset=utf-8', 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' }
	});
