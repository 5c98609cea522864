/**
 * No media, ever: whatever route a request targets, a file part (an image), an image body or a
 * cross-type body is refused with a localized 415 page, and nothing is stored.
 */
import { test, expect, msg, loginAs } from './fixtures';
import { BASE_URL } from './constants';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

test.describe('no media, ever', () => {
	test('a sign-in form posted with an image file part is refused with 415 and a French explanation', async ({ request }) => {
		const response = await request.post('/connexion', {
			headers: { origin: BASE_URL, accept: 'text/html' },
			multipart: { email: 'direction@sexto.test', password: 'x', photo: { name: 'capture.png', mimeType: 'image/png', buffer: PNG } }
		});
		expect(response.status()).toBe(415);
		expect(await response.text()).toContain(msg('fr', 'error.415'));
	});

	test('an image body is refused with 415 on a form route', async ({ request }) => {
		const response = await request.post('/mot-de-passe-oublie', {
			headers: { origin: BASE_URL, accept: 'text/html', 'content-type': 'image/png' },
			data: PNG
		});
		expect(response.status()).toBe(415);
	});

	test('a signed-in coordinator cannot smuggle a file into the schools import', async ({ page }) => {
		await loginAs(page, 'coordination@sexto.test');
		const response = await page.request.post('/ecoles/importer?/preview', {
			headers: { origin: BASE_URL, accept: 'text/html' },
			multipart: { csv: { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('ffd8ffe000104a464946', 'hex') } }
		});
		expect(response.status()).toBe(415);
		// The page offers no file input anywhere.
		await page.goto('/ecoles/importer');
		await expect(page.locator('input[type="file"]')).toHaveCount(0);
	});
});
