/**
 * Rendered copies of public pages, served to anonymous visitors without running the load or the render again:
 * - the coverage list (/couverture, /en/coverage), built only from registry data;
 * - public proof pages (/attestations/<id>, /en/attestations/<id>), kept with that page's facts copy
 *   (attestations/proof.ts: same TTL, dropped by the same settings/profile/renewal/revocation forgets, never past
 *   the instant the badge's status changes), and only for the bare address (no query string).
 *
 * A copy is kept and served only when all of these hold (docs/decisions/014-…):
 * - GET on an allowed route, and the request carries no session cookie (a signed-in visitor, or one with a stale
 *   cookie to clear, always goes through the normal path);
 * - the answer is a 200 HTML page with no Set-Cookie and no CSP nonce or hash (no inline script or style: a
 *   nonce must never be replayed), so every anonymous visitor would have received the same bytes;
 * - the key is the language of the answer + the path + the raw query (the page echoes the query in its forms),
 *   at most MAX_QUERY characters of query.
 * Coverage copies live as the other registry copies (registry-cache.ts): REGISTRY_CACHE_TTL_MS, and cleared at once
 * by a registry write on this server. The security headers are added on every answer (hooks).
 */
import type { RequestEvent } from '@sveltejs/kit';
import type { AppContext } from '../context';
import { SESSION_COOKIE } from '../auth/sessions';
import { registryGeneration, registryPeek, registryStore } from './registry-cache';
import { keepProofHtml, peekProofHtml, proofCopiesGeneration } from '../attestations/proof';

const PROOF_ROUTE = '/attestations/[id]';
export const PUBLIC_PAGE_ROUTES: ReadonlySet<string> = new Set(['/couverture', PROOF_ROUTE]);
const PROOF_KEY = /^proof:([^:]+):/;
const MAX_QUERY = 200;

interface CachedPage {
	status: number;
	headers: [string, string][];
	body: string;
}

type Ctx = Pick<AppContext, 'db' | 'now'>;

/** The copy's key for this request, or null when this request must not read or fill a copy. */
export function publicPageKey(event: Pick<RequestEvent, 'request' | 'route' | 'url' | 'cookies' | 'locals'> & Partial<Pick<RequestEvent, 'params'>>): string | null {
	if (event.request.method !== 'GET') return null;
	if (!event.route.id || !PUBLIC_PAGE_ROUTES.has(event.route.id)) return null;
	if (event.cookies.get(SESSION_COOKIE) !== undefined) return null;
	if (event.route.id === PROOF_ROUTE) {
		const id = event.params?.id;
		return id && event.url.search === '' ? `proof:${id}:${event.locals.locale}:${event.url.pathname}` : null;
	}
	if (event.url.search.length > MAX_QUERY) return null;
	return `page:${event.locals.locale}:${event.url.pathname}${event.url.search}`;
}

/** Read before rendering a page that may be kept: a forget or registry write meanwhile means the render is not kept. */
export function pageCopyGeneration(ctx: Ctx, key: string): number {
	return PROOF_KEY.test(key) ? proofCopiesGeneration(ctx) : registryGeneration(ctx);
}

/** A fresh Response from the copy, or null. */
export function cachedPublicPage(ctx: Ctx, key: string): Response | null {
	const proof = PROOF_KEY.exec(key);
	const page = proof ? peekProofHtml<CachedPage>(ctx, proof[1]!, key) : registryPeek<CachedPage>(ctx, key);
	return page ? new Response(page.body, { status: page.status, headers: page.headers }) : null;
}

/**
 * Keeps a copy of `response` when it qualifies and returns a Response to send (the original body has been read).
 * `generation` is registryGeneration() read before the page was rendered: a registry write meanwhile wins.
 */
export async function keepPublicPage(ctx: Ctx, key: string, response: Response, generation: number): Promise<Response> {
	const h = response.headers;
	if (response.status !== 200 || h.has('set-cookie') || !(h.get('content-type') ?? '').startsWith('text/html')) return response;
	const csp = h.get('content-security-policy') ?? '';
	if (/'(nonce|sha\d{3})-/.test(csp)) return response;
	const body = await response.text();
	const page: CachedPage = { status: response.status, headers: [...h], body };
	const proof = PROOF_KEY.exec(key);
	if (proof) keepProofHtml(ctx, proof[1]!, key, page, generation);
	else registryStore(ctx, key, page, generation);
	return new Response(body, { status: page.status, headers: page.headers });
}

