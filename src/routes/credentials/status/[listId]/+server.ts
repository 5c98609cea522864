import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getAppContext } from '$lib/server/app';
import { statusListCredential } from '$lib/server/credentials';

/** The signed BitstringStatusListCredential, built from the records at each request (a revocation shows at once). */
export const GET: RequestHandler = async ({ params }) => {
	const credential = await statusListCredential(getAppContext(), params.listId);
	if (!credential) error(404, { message: 'not found', code: 'error.404' });
	return new Response(JSON.stringify(credential), { headers: { 'content-type': 'application/ld+json; charset=utf-8', 'cache-control': 'no-store' } });
};
