import type { RequestHandler } from './$types';

/** Liveness: the process answers. */
export const GET: RequestHandler = () =>
	new Response(JSON.stringify({ status: 'ok' }), { headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
