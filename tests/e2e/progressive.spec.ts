/**
 * On a poor phone connection the page arrives long before its JavaScript. What a person types or picks
 * before the app hydrates must survive hydration, and forms must work before any JavaScript runs.
 */
import type { Page } from '@playwright/test';
import { BASE_URL } from './constants';
import { expect, loginAs, mainSubmit, msg, test } from './fixtures';

/** Holds every app script until `release()` is called. */
async function holdScripts(page: Page) {
	let release!: () => void;
	const gate = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/_app/immutable/**', async (route) => {
		await gate;
		await route.continue();
	});
	return release;
}

async function waitForHydration(page: Page) {
	// SvelteKit's client marks the history entry when it starts; hydration follows once its modules are in.
	await page.waitForFunction(() => !!history.state && 'sveltekit:history' in history.state);
	await page.waitForLoadState('networkidle');
	await page.waitForTimeout(500);
}

test('the sign-in page ships no JavaScript at all and signs in with a plain form post', async ({ page }) => {
	const scripts: string[] = [];
	page.on('request', (request) => {
		if (request.resourceType() === 'script') scripts.push(request.url());
	});
	await page.goto('/connexion');
	await page.waitForLoadState('networkidle');
	await expect(page.locator('script')).toHaveCount(0);
	expect(scripts).toEqual([]);
	await page.locator('#field-email').fill('direction@sexto.test');
	await page.locator('#field-password').fill('Sexto-demo-2026');
	await Promise.all([page.waitForURL((url) => url.pathname === '/tableau-de-bord'), mainSubmit(page).click()]);
});

test('choices in the invitation form made before the JavaScript arrives are kept', async ({ page }) => {
	await loginAs(page, 'direction@sexto.test');
	const release = await holdScripts(page);
	await page.goto('/equipe', { waitUntil: 'domcontentloaded' });
	const form = page.locator('form[action="?/invite"]');
	await form.getByLabel(msg('fr', 'team.invite.email')).fill('avant.hydratation@sexto.test');
	await form.getByLabel(msg('fr', 'team.invite.name')).fill('Avant Hydratation');
	const role = form.getByLabel(msg('fr', 'team.invite.role'));
	const options = await role.locator('option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
	const last = options[options.length - 1] ?? '';
	await role.selectOption(last);
	release();
	await waitForHydration(page);
	await expect(form.getByLabel(msg('fr', 'team.invite.email'))).toHaveValue('avant.hydratation@sexto.test');
	await expect(form.getByLabel(msg('fr', 'team.invite.name'))).toHaveValue('Avant Hydratation');
	await expect(role).toHaveValue(last);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('sign in, switch language and sign out', async ({ page }) => {
		await page.goto('/connexion');
		await page.locator('#field-email').fill('apprenant@sexto.test');
		await page.locator('#field-password').fill('Sexto-demo-2026');
		await mainSubmit(page).click();
		await expect(page).toHaveURL(`${BASE_URL}/tableau-de-bord`);
		await expect(page.locator('main')).toContainText(msg('fr', 'dashboard.hello', { name: 'Émilie Roy' }));
		await page.locator('header').getByRole('button', { name: msg('fr', 'layout.language.switch') }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page).toHaveURL(`${BASE_URL}/tableau-de-bord`);
		await page.locator('header').getByRole('button', { name: msg('en', 'layout.nav.logout') }).click();
		await expect(page).toHaveURL(`${BASE_URL}/connexion?notice=signed_out`);
		await expect(page.getByRole('status')).toHaveText(msg('en', 'login.signed_out'));
	});
});
