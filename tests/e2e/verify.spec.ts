/**
 * The credential verifier (/verifier, /en/verify) in a real browser: paste a credential, upload the baked
 * PNG and SVG, refuse a JPEG, a 50 MB upload and a PNG without credential with localized verdicts, open by
 * this app's own URL — axe reports nothing on every state.
 */
import { test, expect, msg, expectNoA11yViolations, screenshot } from './fixtures';
import { BASE_URL, E2E_BADGE_HOLDER } from './constants';

const AWARD = E2E_BADGE_HOLDER.awardId;
const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffd9', 'hex');

test.describe('credential verifier', () => {
	test('serves the credential, its baked images, the status list and the issuer keys', async ({ request }) => {
		const json = await request.get(`/attestations/${AWARD}/credential.json`);
		expect(json.status()).toBe(200);
		expect(json.headers()['content-type']).toContain('application/ld+json');
		expect(json.headers()['content-disposition']).toContain('attachment');
		const credential = await json.json();
		expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
		expect(credential.proof[0].cryptosuite).toBe('eddsa-rdfc-2022');
		const png = await request.get(`/attestations/${AWARD}/badge.png`);
		expect(png.headers()['content-type']).toBe('image/png');
		expect((await png.body()).includes(Buffer.from('openbadgecredential'))).toBe(true);
		const svg = await request.get(`/attestations/${AWARD}/badge.svg`);
		expect(await svg.text()).toContain('<openbadges:credential>');
		const list = await request.get(new URL(credential.credentialStatus.statusListCredential).pathname);
		expect(list.status()).toBe(200);
		expect((await list.json()).credentialSubject.encodedList).toMatch(/^u/);
		const did = await (await request.get('/.well-known/did.json')).json();
		expect(did.assertionMethod).toContain(credential.proof[0].verificationMethod);
		expect((await request.get('/attestations/00000000-0000-4000-8000-000000000000/credential.json')).status()).toBe(404);
	});

	test('FR: a pasted credential is valid; one changed character breaks the signature', async ({ page, request }) => {
		const text = await (await request.get(`/attestations/${AWARD}/credential.json`)).text();
		await page.goto('/verifier');
		await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
		await expectNoA11yViolations(page);
		await page.locator('#field-credential').fill(text);
		await page.getByRole('button', { name: msg('fr', 'attestations.verify.paste.submit') }).click();
		await expect(page.locator('#verdict-title')).toHaveText(msg('fr', 'attestations.verify.status.valid'));
		await expect(page.locator('.verdict')).toContainText(E2E_BADGE_HOLDER.name);
		await expect(page.locator('.verdict')).toContainText(msg('fr', 'attestations.verify.reason.evidence_matches'));
		await expectNoA11yViolations(page);
		await screenshot(page, 'verify-fr-valid');

		await page.locator('#field-credential').fill(text.replace('Explorateur', 'Explorateus'));
		await page.getByRole('button', { name: msg('fr', 'attestations.verify.paste.submit') }).click();
		await expect(page.locator('#verdict-title')).toHaveText(msg('fr', 'attestations.verify.status.invalid_signature'));
		await page.locator('#field-credential').fill('{"pas du json');
		await page.getByRole('button', { name: msg('fr', 'attestations.verify.paste.submit') }).click();
		await expect(page.locator('.verdict')).toContainText(msg('fr', 'attestations.verify.reason.json_invalid'));
		await expectNoA11yViolations(page);
	});

	test('FR: the baked PNG uploads and verifies; a JPEG is refused with a clear message', async ({ page, request }) => {
		const png = await (await request.get(`/attestations/${AWARD}/badge.png`)).body();
		await page.goto('/verifier');
		await page.locator('#field-badge').setInputFiles({ name: 'badge.png', mimeType: 'image/png', buffer: png });
		await page.getByRole('button', { name: msg('fr', 'attestations.verify.upload.submit') }).click();
		await expect(page.locator('#verdict-title')).toHaveText(msg('fr', 'attestations.verify.status.valid'));

		await page.locator('#field-badge').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: JPEG });
		const [response] = await Promise.all([
			page.waitForResponse((r) => r.request().method() === 'POST'),
			page.getByRole('button', { name: msg('fr', 'attestations.verify.upload.submit') }).click()
		]);
		expect(response.status()).toBe(415);
		await expect(page.getByRole('alert')).toHaveText(msg('fr', 'attestations.verify.problem.unsupported_type'));
		await expectNoA11yViolations(page);
		await screenshot(page, 'verify-fr-jpeg-refused');
	});

	test('EN: /en/verify in English; the baked SVG verifies; opening by this site’s URL works, other hosts are refused', async ({ page, request }) => {
		const svg = await (await request.get(`/attestations/${AWARD}/badge.svg`)).body();
		await page.goto('/en/verify');
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('en', 'attestations.verify.title'));
		await expectNoA11yViolations(page);
		await page.locator('#field-badge').setInputFiles({ name: 'badge.svg', mimeType: 'image/svg+xml', buffer: svg });
		await page.getByRole('button', { name: msg('en', 'attestations.verify.upload.submit') }).click();
		await expect(page.locator('#verdict-title')).toHaveText(msg('en', 'attestations.verify.status.valid'));
		await expect(page.locator('.verdict')).toContainText(msg('en', 'attestations.verify.summary.holder'));
		await expectNoA11yViolations(page);

		await page.locator('#field-url').fill(`${BASE_URL}/attestations/${AWARD}`);
		await page.getByRole('button', { name: msg('en', 'attestations.verify.url.submit') }).click();
		await expect(page.locator('#verdict-title')).toHaveText(msg('en', 'attestations.verify.status.valid'));
		await page.locator('#field-url').fill(`https://elsewhere.example/attestations/${AWARD}/credential.json`);
		await page.getByRole('button', { name: msg('en', 'attestations.verify.url.submit') }).click();
		await expect(page.getByRole('alert')).toHaveText(msg('en', 'attestations.verify.problem.url_other_host'));

		await page.setViewportSize({ width: 360, height: 800 });
		await page.goto('/en/verify');
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
		expect(overflow).toBe(false);
		await screenshot(page, 'verify-en-360');
	});

	test('bad uploads get localized verdicts with the right status, never a 500', async ({ request }) => {
		const post = (buffer: Buffer, mimeType: string, name: string) =>
			request.post('/verifier?/upload', { headers: { origin: BASE_URL, accept: 'text/html' }, multipart: { badge: { name, mimeType, buffer } } });
		const big = await post(Buffer.alloc(50 * 1024 * 1024, 1), 'image/png', 'big.png');
		expect(big.status()).toBe(413);
		expect(await big.text()).toContain(msg('fr', 'attestations.verify.problem.too_large'));
		// The badge artwork itself: a valid PNG that carries no credential.
		const plainPng = await (await request.get('/badges/explorateur.png')).body();
		const empty = await post(plainPng, 'image/png', 'plain.png');
		expect(empty.status()).toBe(422);
		expect(await empty.text()).toContain(msg('fr', 'attestations.verify.problem.no_credential'));
		const disguised = await post(JPEG, 'image/png', 'photo.png');
		expect(disguised.status()).toBe(415);
		// The same file part anywhere else is refused by the global guard.
		const elsewhere = await request.post('/mot-de-passe-oublie', { headers: { origin: BASE_URL, accept: 'text/html' }, multipart: { badge: { name: 'b.png', mimeType: 'image/png', buffer: plainPng } } });
		expect(elsewhere.status()).toBe(415);
	});
});
