import type { RequestHandler } from './$types';
import { getAppContext } from '$lib/server/app';
import { didDocument } from '$lib/server/credentials';

/** did:web document of the issuer: every signing key ever used, as Multikey (rotated keys stay published). */
export const GET: RequestHandler = () =>
	new Response(JSON.stringify(didDocument(getAppContext()), null, 2), {
		headers: { 'content-type': 'application/did+json; charset=utf-8', 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' }
	});
