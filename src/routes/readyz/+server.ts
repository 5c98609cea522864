import type { RequestHandler } from './$types';
import { getAppContext } from '$lib/server/app';
import { ping } from '$lib/server/db';

/** Readiness: the database answers. A load balancer stops routing here on 503. */
export const GET: RequestHandler = async () => {
	const ctx = getAppContext();
	try {
		await ping(ctx.db);
		return new Response(JSON.stringify({ status: 'ready', database: ctx.dialect }), {
			headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }
		});
	} catch {
		return new Response(JSON.stringify({ status: 'unavailable', database: ctx.dialect }), {
			status: 503,
			headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }
		});
	}
};
