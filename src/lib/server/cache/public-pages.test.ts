/**
 * Rendered copies of public pages: which requests may read or fill a copy, which answers may be kept, and that
 * a registry write (invalidateRegistryCaches) or the TTL ends a copy.
 */
import { describe, expect, it } from 'vitest';
import { cachedPublicPage, keepPublicPage, publicPageKey } from './public-pages';
import { REGISTRY_CACHE_TTL_MS, invalidateRegistryCaches, registryGeneration } from './registry-cache';

function fakeCtx() {
	let now = Date.parse('2026-03-02T14:00:00Z');
	return { db: {} as never, now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

function event(over: { method?: string; route?: string | null; url?: string; cookies?: Record<string, string>; locale?: 'fr' | 'en'; params?: Record<string, string> } = {}) {
	const cookies = over.cookies ?? {};
	return {
		request: new Request(over.url ?? 'http://x/couverture', { method: over.method ?? 'GET' }),
		route: { id: over.route === undefined ? '/couverture' : over.route },
		url: new URL(over.url ?? 'http://x/couverture'),
		cookies: { get: (name: string) => cookies[name] },
		locals: { locale: over.locale ?? 'fr' },
		params: over.params ?? {}
	} as unknown as Parameters<typeof publicPageKey>[0];
}

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'";
function page(body: string, headers: Record<string, string> = {}, status = 200) {
	return new Response(body, { status, headers: { 'content-type': 'text/html', 'content-security-policy': CSP, 'cache-control': 'public, max-age=60', ...headers } });
}

describe('publicPageKey', () => {
	it('keys an anonymous GET of an allowed route by language, path and query', () => {
		expect(publicPageKey(event())).toBe('page:fr:/couverture');
		expect(publicPageKey(event({ url: 'http://x/couverture?q=j%C3%A9r%C3%B4me' }))).toBe('page:fr:/couverture?q=j%C3%A9r%C3%B4me');
		expect(publicPageKey(event({ url: 'http://x/en/coverage', locale: 'en' }))).toBe('page:en:/en/coverage');
		// The language cookie changes the language of the page, so it is part of the key.
		expect(publicPageKey(event({ locale: 'en', cookies: { sexto_locale: 'en' } }))).toBe('page:en:/couverture');
	});

	it('never for a request with a session cookie, another method, another route or a long query', () => {
		expect(publicPageKey(event({ cookies: { sexto_session: 'abc' } }))).toBeNull();
		expect(publicPageKey(event({ cookies: { sexto_session: '' } }))).toBeNull();
		expect(publicPageKey(event({ method: 'POST' }))).toBeNull();
		expect(publicPageKey(event({ method: 'HEAD' }))).toBeNull();
		expect(publicPageKey(event({ route: '/tableau-de-bord', url: 'http://x/tableau-de-bord' }))).toBeNull();
		expect(publicPageKey(event({ route: null, url: 'http://x/nowhere' }))).toBeNull();
		expect(publicPageKey(event({ url: `http://x/couverture?q=${'a'.repeat(300)}` }))).toBeNull();
	});

	it('keys a proof page by award, language and address; any query string (e.g. the renewal notice) is never copied', () => {
		const id = '0b7d3c1e-2f4a-4c5b-9d6e-7f8a9b0c1d2e';
		const proof = (over: Parameters<typeof event>[0]) => event({ route: '/attestations/[id]', params: { id }, ...over });
		expect(publicPageKey(proof({ url: `http://x/attestations/${id}` }))).toBe(`proof:${id}:fr:/attestations/${id}`);
		expect(publicPageKey(proof({ url: `http://x/en/attestations/${id}`, locale: 'en' }))).toBe(`proof:${id}:en:/en/attestations/${id}`);
		expect(publicPageKey(proof({ url: `http://x/attestations/${id}?renouvele=1` }))).toBeNull();
		expect(publicPageKey(proof({ url: `http://x/attestations/${id}`, cookies: { sexto_session: 'abc' } }))).toBeNull();
	});
});

describe('keepPublicPage / cachedPublicPage', () => {
	it('keeps a plain public page and serves the same bytes and headers until a registry write', async () => {
		const ctx = fakeCtx();
		const key = 'page:fr:/couverture';
		expect(cachedPublicPage(ctx, key)).toBeNull();
		const sent = await keepPublicPage(ctx, key, page('<h1>Couverture</h1>'), registryGeneration(ctx));
		expect(await sent.text()).toBe('<h1>Couverture</h1>');
		const hit = cachedPublicPage(ctx, key)!;
		expect(hit.status).toBe(200);
		expect(await hit.text()).toBe('<h1>Couverture</h1>');
		expect(hit.headers.get('content-security-policy')).toBe(CSP);
		expect(hit.headers.get('cache-control')).toBe('public, max-age=60');
		// Each hit is its own Response: the security headers added to one do not leak into the copy.
		hit.headers.set('x-frame-options', 'DENY');
		expect(cachedPublicPage(ctx, key)!.headers.has('x-frame-options')).toBe(false);

		invalidateRegistryCaches(ctx);
		expect(cachedPublicPage(ctx, key)).toBeNull();
	});

	it('drops a copy after the TTL', async () => {
		const ctx = fakeCtx();
		await keepPublicPage(ctx, 'k', page('x'), registryGeneration(ctx));
		ctx.advance(REGISTRY_CACHE_TTL_MS);
		expect(cachedPublicPage(ctx, 'k')).not.toBeNull();
		ctx.advance(1);
		expect(cachedPublicPage(ctx, 'k')).toBeNull();
	});

	it('does not keep a page rendered before a registry write that landed meanwhile', async () => {
		const ctx = fakeCtx();
		const generation = registryGeneration(ctx);
		invalidateRegistryCaches(ctx);
		const sent = await keepPublicPage(ctx, 'k', page('old'), generation);
		expect(await sent.text()).toBe('old');
		expect(cachedPublicPage(ctx, 'k')).toBeNull();
	});

	it('never keeps an answer with a nonce or hash in its CSP, a cookie, another status or another type', async () => {
		const ctx = fakeCtx();
		const g = registryGeneration(ctx);
		const refused: [string, Response][] = [
			['nonce', page('<script nonce="abc">1</script>', { 'content-security-policy': "script-src 'self' 'nonce-abc'" })],
			['hash', page('<script>1</script>', { 'content-security-policy': "script-src 'self' 'sha256-xyz='" })],
			['cookie', page('x', { 'set-cookie': 'a=b' })],
			['status', page('x', {}, 404)],
			['type', page('{}', { 'content-type': 'application/json' })]
		];
		for (const [key, response] of refused) {
			const sent = await keepPublicPage(ctx, key, response, g);
			expect(sent.status).toBe(response.status);
			expect(cachedPublicPage(ctx, key)).toBeNull();
		}
	});
});
