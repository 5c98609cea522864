/**
 * (d) Who reaches a case, and how the kit refuses without leaking: another school's principal gets the 404
 * page on every address of the case (its existence never shows); a responder of the case cannot reach the
 * DPCP decision screen; the police see nothing before the hand-off; an uncovered school gets 911 / police
 * instead of the intake form. Plus two edits of one step at once: a clear conflict, nothing overwritten,
 * nothing typed lost. And no media: a picture pasted into a kit field is refused with 415.
 */
import type { Browser, Page } from '@playwright/test';
import { BASE_URL } from './constants';
import { expect, expectNoA11yViolations, loginAs, msg, test } from './fixtures';
import { expectKitBanner, openCase, PHONE, saveButton } from './kit';

async function asUser(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext({ baseURL: BASE_URL, locale: 'fr-CA', viewport: PHONE });
	const page = await context.newPage();
	await loginAs(page, email);
	return page;
}

async function expectStatusPage(page: Page, path: string, status: number): Promise<void> {
	const response = await page.goto(path);
	expect(response?.status(), path).toBe(status);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'error.title', { status }));
	await expect(page.locator('main')).toContainText(msg('fr', status === 404 ? 'error.404' : 'error.403'));
	await expect(page.locator('.kit-warning')).toHaveCount(0);
}

test.describe('kit (d): access to a case', () => {
	let caseId = '';

	test.beforeAll(async ({ browser }) => {
		const page = await asUser(browser, 'intervenant@sexto.test');
		caseId = await openCase(page, { summary: 'Dossier pour les vérifications d’accès.' });
		await page.context().close();
	});

	test('another school’s principal gets the 404 page on every address of the case', async ({ browser }) => {
		const page = await asUser(browser, 'direction.lacvert@sexto.test');
		for (const sub of ['', '/etape/red_flags', '/appel', '/eleves', '/appareils', '/remise', '/dossier', '/decision', '/suivi', '/fermeture']) {
			await expectStatusPage(page, `/incidents/${caseId}${sub}`, 404);
		}
		await expectNoA11yViolations(page);
		expect((await page.request.get(`/incidents/${caseId}/dossier.pdf`)).status()).toBe(404);
		// A write posted anyway: the same 404, nothing stored.
		const write = await page.request.post(`/incidents/${caseId}/eleves?/add`, { headers: { origin: BASE_URL, accept: 'text/html' }, form: { name: 'Intrus', age: '15', roles: 'witness' } });
		expect(write.status()).toBe(404);
		await page.context().close();
	});

	test('a responder of the case cannot reach the decision screen; the police see nothing before the hand-off', async ({ browser }) => {
		const responder = await asUser(browser, 'intervenant@sexto.test');
		await expectStatusPage(responder, `/incidents/${caseId}/decision`, 403);
		await expectNoA11yViolations(responder);
		const forged = await responder.request.post(`/incidents/${caseId}/decision`, { headers: { origin: BASE_URL, accept: 'text/html' }, form: { decision: 'impulsive', decidedOn: '2026-01-01' } });
		expect(forged.status()).toBe(403);
		await responder.context().close();

		const police = await asUser(browser, 'policier@sexto.test');
		await expectStatusPage(police, `/incidents/${caseId}`, 404);
		await police.goto('/incidents');
		await expect(police.locator('main')).not.toContainText(caseId.slice(0, 4).toUpperCase());
		await police.context().close();
	});

	test('an uncovered school: no intake form, 911 and the police service instead', async ({ browser }) => {
		const page = await asUser(browser, 'direction.lacvert@sexto.test');
		await page.goto('/incidents');
		await expect(page.getByRole('link', { name: msg('fr', 'incidents.new') })).toHaveCount(0);
		await expect(page.locator('main')).toContainText(msg('fr', 'incidents.uncovered.why'));
		await expect(page.locator('main a[href="tel:911"]')).toBeVisible();
		await expectKitBanner(page);
		await expectNoA11yViolations(page);
		await page.goto('/incidents/nouveau');
		await expect(page.locator('main form')).toHaveCount(0);
		await expect(page.locator('main a[href="tel:911"]')).toBeVisible();
		await expectNoA11yViolations(page);
		await page.context().close();
	});

	test('people who never read case content have no kit: no link, 403', async ({ browser }) => {
		const page = await asUser(browser, 'coordination@sexto.test');
		await expect(page.locator('header').getByRole('link', { name: msg('fr', 'layout.nav.incidents') })).toHaveCount(0);
		await expectStatusPage(page, '/incidents', 403);
		await expectStatusPage(page, `/incidents/${caseId}`, 404);
		await page.context().close();
	});

	test('two people save the same step: a clear conflict, the other’s answers shown, what was typed kept', async ({ browser }) => {
		const responder = await asUser(browser, 'intervenant@sexto.test');
		const principal = await asUser(browser, 'direction@sexto.test');
		const id = await openCase(responder, { summary: 'Deux personnes remplissent la même étape.' });
		await responder.goto(`/incidents/${id}/etape/sharing`);
		await principal.goto(`/incidents/${id}/etape/sharing`);

		// The principal saves first.
		await principal.locator('input[name="shared_beyond"][value="no"]').check();
		await principal.locator('input[name="share_method"][value="private_message"]').check();
		await principal.locator('input[name="platform"][value="instagram"]').check();
		await Promise.all([principal.waitForURL(/\/etape\/context$/), saveButton(principal).click()]);

		// The responder, on the page shown before that save, answers differently and saves.
		await responder.locator('input[name="shared_beyond"][value="no"]').check();
		await responder.locator('input[name="share_method"][value="group_chat"]').check();
		await responder.locator('input[name="platform"][value="snapchat"]').check();
		await Promise.all([responder.waitForLoadState('load'), saveButton(responder).click()]);
		await expect(responder).toHaveURL(/\/etape\/sharing$/);
		const conflict = responder.locator('section.conflict');
		await expect(conflict).toContainText(msg('fr', 'kit.error.conflict'));
		await expect(conflict).toContainText('Marc Gagnon');
		await expect(conflict).toContainText('Instagram');
		// What the responder ticked is still ticked.
		await expect(responder.locator('input[name="share_method"][value="group_chat"]')).toBeChecked();
		await expect(responder.locator('input[name="platform"][value="snapchat"]')).toBeChecked();
		await expect(responder.locator('input[name="platform"][value="instagram"]')).not.toBeChecked();
		await expectKitBanner(responder);
		await expectNoA11yViolations(responder);

		// Saving again, knowingly, replaces the principal's answers.
		await Promise.all([responder.waitForURL(/\/etape\/context$/), saveButton(responder).click()]);
		await responder.goto(`/incidents/${id}/etape/sharing`);
		await expect(responder.locator('input[name="platform"][value="snapchat"]')).toBeChecked();
		await responder.context().close();
		await principal.context().close();
	});

	test('a picture pasted into a kit field is refused with 415, nothing stored', async ({ browser }) => {
		const page = await asUser(browser, 'intervenant@sexto.test');
		const response = await page.request.post(`/incidents/${caseId}/eleves?/add`, {
			headers: { origin: BASE_URL, accept: 'text/html' },
			form: { name: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', age: '15', roles: 'witness' }
		});
		expect(response.status()).toBe(415);
		expect(await response.text()).toContain(msg('fr', 'error.415'));
		await page.goto(`/incidents/${caseId}/eleves`);
		await expect(page.locator('main')).toContainText(msg('fr', 'incidents.students.none'));
		await page.context().close();
	});
});
