import { describe, expect, it } from 'vitest';
import { isHttpError } from '@sveltejs/kit';
import { z } from 'zod';
import { parseForm } from './forms';

const schema = z.object({ email: z.string().trim().min(1).max(254).pipe(z.email()), note: z.string().max(10).optional() });

async function statusOf(promise: Promise<unknown>): Promise<number | 'ok'> {
	try {
		await promise;
		return 'ok';
	} catch (e) {
		if (isHttpError(e)) return e.status;
		throw e;
	}
}

describe('parseForm — no media, ever', () => {
	it('refuses a multipart form that carries a file (an image) with 415', async () => {
		const form = new FormData();
		form.set('email', 'a@b.test');
		form.set('photo', new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' }), 'capture.png');
		const request = new Request('http://x.test/', { method: 'POST', body: form });
		expect(await statusOf(parseForm(request, schema))).toBe(415);
	});
	it('refuses an image body and JSON with 415', async () => {
		const png = new Request('http://x.test/', { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array([0x89, 0x50]) });
		expect(await statusOf(parseForm(png, schema))).toBe(415);
		const json = new Request('http://x.test/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		expect(await statusOf(parseForm(json, schema))).toBe(415);
	});
	it('accepts a multipart form made of text fields only', async () => {
		const form = new FormData();
		form.set('email', 'a@b.test');
		const result = await parseForm(new Request('http://x.test/', { method: 'POST', body: form }), schema);
		expect(result.ok).toBe(true);
	});
});

describe('parseForm — field errors as message keys', () => {
	const post = (body: string) => new Request('http://x.test/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
	it('maps empty, invalid and too-long fields to localized keys and echoes values', async () => {
		const r = await parseForm(post(`email=&note=${'x'.repeat(11)}`), schema);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors.email).toEqual({ key: 'form.error.required' });
		expect(r.errors.note).toEqual({ key: 'form.error.too_long', params: { max: 10 } });
		const bad = await parseForm(post('email=not-an-email'), schema);
		expect(!bad.ok && bad.errors.email).toEqual({ key: 'form.error.email' });
	});
	it('never echoes a password back', async () => {
		const r = await parseForm(post('email=&password=hunter2hunter2'), schema);
		expect(r.values).not.toHaveProperty('password');
	});
	it('handles a 100 KB field without failing', async () => {
		const r = await parseForm(post(`email=${'a'.repeat(100_000)}%40b.test`), schema);
		expect(!r.ok && r.errors.email).toEqual({ key: 'form.error.too_long', params: { max: 254 } });
	});
});
