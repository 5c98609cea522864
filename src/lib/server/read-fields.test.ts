import { describe, expect, it } from 'vitest';
import { isHttpError } from '@sveltejs/kit';
import { echoFields, fieldList, fieldText, looksLikeMedia, readFields } from './forms';

function post(body: URLSearchParams | FormData): Request {
	return new Request('http://x.test/', { method: 'POST', body });
}

async function statusOf(promise: Promise<unknown>): Promise<number | 'ok'> {
	try {
		await promise;
		return 'ok';
	} catch (e) {
		if (isHttpError(e)) return e.status;
		throw e;
	}
}

describe('readFields — every value of a form, no media', () => {
	it('keeps a repeated name as a list (multi-choice answers, role checkboxes)', async () => {
		const fields = await readFields(post(new URLSearchParams([['roles', 'sent'], ['roles', 'received'], ['name', 'Léa'], ['one', 'x']])));
		expect(fields).toEqual({ roles: ['sent', 'received'], name: 'Léa', one: 'x' });
		expect(fieldList(fields, 'roles')).toEqual(['sent', 'received']);
		expect(fieldList(fields, 'one')).toEqual(['x']);
		expect(fieldList(fields, 'none')).toEqual([]);
		expect(fieldText(fields, 'roles')).toBe('sent');
		expect(fieldText(fields, 'none')).toBe('');
	});
	it('refuses a file part with 415', async () => {
		const form = new FormData();
		form.set('name', 'Léa');
		form.set('photo', new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' }), 'capture.png');
		expect(await statusOf(readFields(post(form)))).toBe(415);
	});
	it('refuses a picture pasted as text (data: URI, base64 image) with 415', async () => {
		expect(await statusOf(readFields(post(new URLSearchParams({ note: 'voir data:image/jpeg;base64,/9j/4AAQSkZJRg' }))))).toBe(415);
		const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
		expect(await statusOf(readFields(post(new URLSearchParams({ note: png }))))).toBe(415);
		expect(looksLikeMedia('Une photo en sous-vêtements, envoyée par Snapchat.')).toBe(false);
	});
	it('echoes back what was typed, without secrets, cut to 2,000 characters', () => {
		expect(echoFields({ name: 'x'.repeat(2100), password: 'secret', roles: ['a', 'b'] })).toEqual({ name: 'x'.repeat(2000), roles: ['a', 'b'] });
	});
});
