/**
 * (a) Every demo account signs in through the real form, lands on the dashboard with its name and
 * roles in its own language, and signs out. (b) A wrong password and an unknown email get the same
 * localized message and HTTP 401 (no account enumeration).
 */
import type { Page } from '@playwright/test';
import { BASE_URL } from './constants';
import { DEMO_PASSWORD, DEMO_USERS, expect, expectNoA11yViolations, logout, mainSubmit, msg, screenshot, test, type Locale } from './fixtures';

test.describe('sign in as each demo account', () => {
	for (const user of DEMO_USERS) {
		test(`${user.email} (${user.grants.map((g) => g.role).join(', ')})`, async ({ page }) => {
			// No language cookie yet: signing in adopts the account's language.
			const locale: Locale = user.locale;
			await page.goto('/connexion');
			await page.locator('#field-email').fill(user.email);
			await page.locator('#field-password').fill(DEMO_PASSWORD);
			await Promise.all([page.waitForURL((url) => url.pathname === '/tableau-de-bord'), mainSubmit(page).click()]);

			await expect(page.locator('html')).toHaveAttribute('lang', locale);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg(locale, 'dashboard.title'));
			await expect(page.locator('main')).toContainText(msg(locale, 'dashboard.hello', { name: user.name }));
			const roleHeadings = page.locator('main li.card h3');
			await expect(roleHeadings).toHaveCount(user.grants.length);
			const shown = (await roleHeadings.allInnerTexts()).sort();
			expect(shown).toEqual(user.grants.map((g) => msg(locale, `role.${g.role}`)).sort());
			await expectNoA11yViolations(page);
			if (user.email === 'direction@sexto.test') await screenshot(page, 'dashboard-fr-desktop');

			await logout(page);
			await expect(page.getByRole('status')).toHaveText(msg(locale, 'login.signed_out'));
			await expectNoA11yViolations(page);
			// The session is really gone: the dashboard sends back to sign-in.
			await page.goto('/tableau-de-bord');
			await expect(page).toHaveURL(`${BASE_URL}/connexion?next=%2Ftableau-de-bord`);
		});
	}
});

async function submitLogin(page: Page, email: string, password: string) {
	await page.goto('/connexion');
	await page.locator('#field-email').fill(email);
	await page.locator('#field-password').fill(password);
	const [response] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/connexion'),
		mainSubmit(page).click()
	]);
	await page.waitForLoadState('load');
	return response;
}

test.describe('refused sign-in', () => {
	for (const locale of ['fr', 'en'] as const) {
		test(`wrong password and unknown email give the same 401 message (${locale})`, async ({ page, context }) => {
			await context.addCookies([{ name: 'sexto_locale', value: locale, url: BASE_URL }]);
			const expected = msg(locale, 'login.error.invalid');

			const wrong = await submitLogin(page, 'direction@sexto.test', 'not-the-right-password');
			expect(wrong.status()).toBe(401);
			await expect(page).toHaveURL(`${BASE_URL}/connexion`);
			await expect(page.getByRole('alert')).toHaveText(expected);
			// What was typed is kept, except the password.
			await expect(page.locator('#field-email')).toHaveValue('direction@sexto.test');
			await expect(page.locator('#field-password')).toHaveValue('');
			await expectNoA11yViolations(page);
			const wrongBody = await page.locator('main').innerText();

			const unknown = await submitLogin(page, 'personne.inconnue@sexto.test', 'not-the-right-password');
			expect(unknown.status()).toBe(401);
			await expect(page.getByRole('alert')).toHaveText(expected);
			// The same page text: nothing tells the two cases apart.
			expect(await page.locator('main').innerText()).toBe(wrongBody);
		});
	}

	test('an empty form is refused with field errors (400)', async ({ page }) => {
		await page.goto('/connexion');
		const [response] = await Promise.all([
			page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/connexion'),
			mainSubmit(page).click()
		]);
		expect(response.status()).toBe(400);
		await expect(page.getByRole('alert')).toHaveText(msg('fr', 'form.error.summary'));
		await expect(page.locator('#field-email')).toHaveAttribute('aria-invalid', 'true');
		await expectNoA11yViolations(page);
	});
});
