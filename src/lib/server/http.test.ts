import { describe, expect, it } from 'vitest';
import { safeNext } from './http';

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
