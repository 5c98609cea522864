/**
 * (f) An unknown route answers 404 with the localized error page inside the normal layout.
 */
import { BASE_URL } from './constants';
import { expect, expectNoA11yViolations, msg, test } from './fixtures';

for (const locale of ['fr', 'en'] as const) {
	test(`unknown route → localized 404 (${locale})`, async ({ page, context }) => {
		if (locale === 'en') await context.addCookies([{ name: 'sexto_locale', value: 'en', url: BASE_URL }]);
		const response = await page.goto('/cette-page-n-existe-pas');
		expect(response?.status()).toBe(404);
		await expect(page.locator('html')).toHaveAttribute('lang', locale);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg(locale, 'error.title', { status: 404 }));
		await expect(page.locator('main')).toContainText(msg(locale, 'error.404'));
		await expect(page).toHaveTitle(`${msg(locale, 'error.title', { status: 404 })} — Sexto`);
		// No internals leak on a 404 (only 5xx pages show a reference id).
		await expect(page.locator('main')).not.toContainText('ref ');
		await expect(page.getByRole('banner')).toBeVisible();
		await expectNoA11yViolations(page);
		await page.getByRole('link', { name: msg(locale, 'error.back_home') }).click();
		await expect(page).toHaveURL(`${BASE_URL}/`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg(locale, 'home.title'));
	});
}
