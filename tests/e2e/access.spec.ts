/**
 * (h) Access control seen from the browser: a responder gets 403 on /audit and /equipe (and no links to
 * them); the privacy officer reads the audit log and verifies the hash chain.
 */
import { BASE_URL } from './constants';
import { expect, expectNoA11yViolations, loginAs, msg, test } from './fixtures';

test('a responder gets 403 on /audit and /equipe', async ({ page }) => {
	await loginAs(page, 'intervenant@sexto.test');
	const nav = page.getByRole('navigation');
	await expect(nav.getByRole('link', { name: msg('fr', 'layout.nav.dashboard') })).toBeVisible();
	await expect(nav.getByRole('link', { name: msg('fr', 'layout.nav.audit') })).toHaveCount(0);
	await expect(nav.getByRole('link', { name: msg('fr', 'layout.nav.team') })).toHaveCount(0);

	for (const path of ['/audit', '/equipe']) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(403);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'error.title', { status: 403 }));
		await expect(page.locator('main')).toContainText(msg('fr', 'error.403'));
		await expectNoA11yViolations(page);
	}

	// A forged form POST to the audit action is refused too.
	const post = await page.request.post('/audit?/verify', { form: {}, headers: { origin: BASE_URL, accept: 'text/html' } });
	expect(post.status()).toBe(403);
});

test('anonymous visitors are sent to sign-in from protected pages', async ({ page }) => {
	for (const path of ['/audit', '/equipe', '/tableau-de-bord']) {
		await page.goto(path);
		await expect(page).toHaveURL(`${BASE_URL}/connexion?next=${encodeURIComponent(path)}`);
	}
});

test('the privacy officer reads the audit log and verifies the chain', async ({ page }) => {
	await loginAs(page, 'rprp@sexto.test');
	await page.getByRole('navigation').getByRole('link', { name: msg('fr', 'layout.nav.audit') }).click();
	await expect(page).toHaveURL(`${BASE_URL}/audit`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'audit.title'));
	const table = page.getByRole('region', { name: msg('fr', 'audit.title') }).getByRole('table');
	await expect(table.getByRole('cell', { name: 'auth.login', exact: true }).first()).toBeVisible();
	await expectNoA11yViolations(page);

	await page.getByRole('button', { name: msg('fr', 'audit.verify') }).click();
	const status = page.getByRole('status');
	await expect(status).toHaveText(/^Chaîne intègre : \d+ entrées vérifiées\.$/);
	const rows = Number(/(\d+)/.exec((await status.textContent()) ?? '')?.[1]);
	expect(rows).toBeGreaterThan(10);
	await expect(status).toHaveText(msg('fr', 'audit.ok', { rows }));
	await expect(page.getByRole('alert')).toHaveCount(0);
	await expectNoA11yViolations(page);
});
