/**
 * (c) French by default; the header's language switch turns the page into English, and the choice is
 * kept on the next navigation, after a reload and in a new tab of the same browser profile.
 */
import { BASE_URL } from './constants';
import { expect, expectNoA11yViolations, msg, screenshot, test } from './fixtures';

test('French by default, English on request, remembered', async ({ page, context }) => {
	const home = await page.goto('/');
	expect(home?.status()).toBe(200);
	await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'home.title'));
	await expect(page.getByRole('link', { name: msg('fr', 'layout.skip') })).toBeAttached();
	await expectNoA11yViolations(page);
	await screenshot(page, 'home-fr-desktop');

	// The switch is a real form POST (works without JS) that comes back to the same page.
	const switchButton = page.locator('header').getByRole('button', { name: msg('fr', 'layout.language.switch') });
	await expect(switchButton).toHaveAttribute('lang', 'en');
	await Promise.all([page.waitForURL((url) => url.pathname === '/'), switchButton.click()]);
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('en', 'home.title'));
	await expect(page.locator('header').getByRole('button', { name: msg('en', 'layout.language.switch') })).toHaveAttribute('lang', 'fr');
	await expectNoA11yViolations(page);

	// Next navigation (client-side link).
	await page.locator('main').getByRole('link', { name: msg('en', 'home.cta.login') }).click();
	await expect(page).toHaveURL(/\/connexion$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('en', 'login.title'));
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByLabel(msg('en', 'login.email'))).toBeVisible();
	await expectNoA11yViolations(page);

	// A new page load, and a new tab.
	await page.reload();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('en', 'login.title'));
	const other = await context.newPage();
	await other.goto('/mot-de-passe-oublie');
	await expect(other.locator('html')).toHaveAttribute('lang', 'en');
	await expect(other.getByRole('heading', { level: 1 })).toHaveText(msg('en', 'forgot.title'));
	await expectNoA11yViolations(other);
	await other.close();

	// And back to French.
	await page.locator('header').getByRole('button', { name: msg('en', 'layout.language.switch') }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'login.title'));
	await expect(page).toHaveURL(/\/connexion$/);
});

test('sign-in page in English at 360 px', async ({ page, context }) => {
	await page.setViewportSize({ width: 360, height: 740 });
	await context.addCookies([{ name: 'sexto_locale', value: 'en', url: BASE_URL }]);
	await page.goto('/connexion');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('en', 'login.title'));
	await expectNoA11yViolations(page);
	await screenshot(page, 'login-en-360');
});
