import { describe, expect, it } from 'vitest';
import { refusesMedia, safeNext } from './http';

describe('safeNext (where to go after signing in)', () => {
	it.each([
		['/tableau-de-bord', '/tableau-de-bord'],
		['/equipe?x=1#haut', '/equipe?x=1#haut'],
		['/invitation/abc?next=//evil.example', '/invitation/abc?next=//evil.example']
	])('keeps the same-site path %s', (next, expected) => {
		expect(safeNext(next)).toBe(expected);
	});

	it.each([
		null,
		undefined,
		'',
		'tableau-de-bord',
		'https://evil.example/',
		'//evil.example/path',
		'/\\evil.example',
		'\\\\evil.example',
		'javascript:alert(1)',
		// browsers drop tabs and newlines, then read "//evil.example"
		'/\t/evil.example',
		'/\n/evil.example',
		'/\r\n/evil.example',
		// dot segments that normalise to "//evil.example"
		'/.//evil.example',
		'/a/..//evil.example',
		'/%2e//evil.example'
	])('refuses %j and falls back to the dashboard', (next) => {
		expect(safeNext(next)).toBe('/tableau-de-bord');
	});

	it('uses the given fallback', () => {
		expect(safeNext('https://evil.example', '/')).toBe('/');
		expect(safeNext(null, '/')).toBe('/');
	});

	it('never returns anything that leaves the site', () => {
		for (const next of ['/ok', '/\t/x.example', '/.//x.example', '//x.example', '/\\x.example', '/%09/x.example']) {
			const target = new URL(safeNext(next), 'https://sexto.example');
			expect(target.origin).toBe('https://sexto.example');
		}
	});
});

describe('refusesMedia (the global no-media guard)', () => {
	it('lets a multipart upload through only on the credential verifier', () => {
		expect(refusesMedia('POST', '/verifier', 'multipart/form-data; boundary=x')).toBe(false);
		expect(refusesMedia('POST', '/en/verify', 'multipart/form-data; boundary=x')).toBe(false);
		expect(refusesMedia('POST', '/connexion', 'multipart/form-data; boundary=x')).toBe(true);
		expect(refusesMedia('POST', '/verifier/x', 'multipart/form-data; boundary=x')).toBe(true);
	});
	it('refuses image, video and audio bodies everywhere, the verifier included', () => {
		for (const path of ['/verifier', '/connexion', '/incidents/nouveau']) {
			expect(refusesMedia('POST', path, 'image/png')).toBe(true);
			expect(refusesMedia('PUT', path, 'video/mp4')).toBe(true);
		}
		expect(refusesMedia('POST', '/connexion', 'application/x-www-form-urlencoded')).toBe(false);
		expect(refusesMedia('GET', '/verifier', 'image/png')).toBe(false);
	});
});
