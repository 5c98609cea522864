/**
 * (e) Managing the kit: a territory coordinator chooses the pack version of their police service's schools
 * (new cases use it, an open case keeps its own, the history shows who chose what; a stale screen gets a clear
 * conflict), a principal assigns a case to another responder of the school (shown on the case and the list),
 * two people saving the same text at once (nothing typed lost), and a tab closed mid-kit (reopen → saved
 * answers still there, the case says where to continue). Axe on every new screen, at 360 px too.
 */
import type { Browser, Page } from '@playwright/test';
import { BASE_URL, E2E_RESET_USER, E2E_SECOND_RESPONDER } from './constants';
import { expect, expectNoA11yViolations, loginAs, msg, screenshot, test } from './fixtures';
import { expectKitBanner, horizontalOverflow, openCase, PHONE, saveButton } from './kit';
import { DEMO_IDS } from '../../src/lib/server/db/seed/demo';

const NOTICE_FR = 'Trousse par défaut — à remplacer par la trousse officielle de votre territoire';

async function asUser(browser: Browser, email: string, viewport: { width: number; height: number } = PHONE, password?: string): Promise<Page> {
	const context = await browser.newContext({ baseURL: BASE_URL, locale: 'fr-CA', viewport });
	const page = await context.newPage();
	await loginAs(page, email, password);
	return page;
}

/** The pack version a case shows in its facts ("Trousse … (1.0.0)"). */
async function casePackVersion(page: Page, id: string): Promise<string> {
	await page.goto(`/incidents/${id}`);
	const text = await page.locator('dl.facts dd').filter({ hasText: /\(\d+\.\d+\.\d+\)$/ }).first().textContent();
	return /\((\d+\.\d+\.\d+)\)$/.exec(text ?? '')?.[1] ?? '';
}

async function activate(page: Page, version: string): Promise<void> {
	await page.locator(`input[name="pack"][value="sexto-default@${version}"]`).check();
	await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: msg('fr', 'kit.packs.submit') }).click()]);
}

test.describe('kit (e): packs per police service, assignment, simultaneous edits', () => {
	// Several browsers and many pages per test on a shared machine: more time than the default minute.
	test.describe.configure({ timeout: 240_000 });

	test('the coordinator activates a pack version: new cases use it, an open case keeps its own, with history and conflicts', async ({ browser }) => {
		const responder = await asUser(browser, 'intervenant@sexto.test');
		const before = await openCase(responder, { summary: 'Dossier ouvert avant le changement de trousse.' });
		const versionBefore = await casePackVersion(responder, before);
		expect(versionBefore).toBe('1.1.0');

		const coordinator = await asUser(browser, 'coordination@sexto.test', { width: 1280, height: 900 });
		await coordinator.goto('/tableau-de-bord');
		await coordinator.getByRole('link', { name: msg('fr', 'layout.nav.packs') }).click();
		await expect(coordinator).toHaveURL(/\/registre\/trousses$/);
		await expect(coordinator.locator('main')).toContainText(NOTICE_FR);
		await expect(coordinator.locator('main h3')).toHaveCount(1);
		await expect(coordinator.locator('script')).toHaveCount(0);
		await expectNoA11yViolations(coordinator);
		await coordinator.locator(`a[href="/registre/trousses/${DEMO_IDS.policeCovered}"]`).click();
		await expect(coordinator.getByRole('heading', { level: 1 })).toContainText('Trousse de');
		await expect(coordinator.locator('.kit-pack-notice')).toHaveText(NOTICE_FR);
		await expect(coordinator.locator('main')).toContainText(msg('fr', 'kit.packs.inherited'));
		await expectNoA11yViolations(coordinator);

		// A second tab of the same screen, left open: it will be stale.
		const stale = await coordinator.context().newPage();
		await stale.goto(`/registre/trousses/${DEMO_IDS.policeCovered}`);

		await activate(coordinator, '1.0.0');
		await expect(coordinator.locator('[role="status"]')).toHaveText(msg('fr', 'kit.packs.activated', { version: '1.0.0' }));
		await coordinator.goto(`/registre/trousses/${DEMO_IDS.policeCovered}`);
		await expect(coordinator.locator('main ol li')).toHaveCount(1);
		await expect(coordinator.locator('main ol li').first()).toContainText('Julie Forgues');
		await expect(coordinator.locator('main ol li').first()).toContainText('1.0.0');
		await screenshot(coordinator, 'kit-packs-desktop');
		await coordinator.setViewportSize(PHONE);
		expect(await horizontalOverflow(coordinator)).toBe(0);
		await screenshot(coordinator, 'kit-packs-phone');
		await expectNoA11yViolations(coordinator);

		// The stale tab chooses too: a clear conflict, nothing changed.
		await activate(stale, '1.0.0');
		await expect(stale.locator('main')).toContainText(msg('fr', 'kit.packs.error.conflict'));
		await expectNoA11yViolations(stale);

		// New case: 1.0.0; the case opened before keeps 1.1.0 and still saves.
		const after = await openCase(responder, { summary: 'Dossier ouvert après le changement de trousse.' });
		expect(await casePackVersion(responder, after)).toBe('1.0.0');
		expect(await casePackVersion(responder, before)).toBe('1.1.0');
		await responder.goto(`/incidents/${before}/etape/intent`);
		await responder.locator('input[name="threats"][value="no"]').check();
		await responder.locator('input[name="prior_incidents"][value="no"]').check();
		await Promise.all([responder.waitForURL((url) => !url.pathname.endsWith('/etape/intent')), saveButton(responder).click()]);
		await expectKitBanner(responder);

		// Back to the newest version, so the service ends as it started for the other specs.
		await coordinator.goto(`/registre/trousses/${DEMO_IDS.policeCovered}`);
		await activate(coordinator, '1.1.0');
		await expect(coordinator.locator('[role="status"]')).toHaveText(msg('fr', 'kit.packs.activated', { version: '1.1.0' }));
		await coordinator.context().close();
		await responder.context().close();
	});

	test('only coordinators (and the admin) reach the packs screens, each for their own police service', async ({ browser }) => {
		const principal = await asUser(browser, 'direction@sexto.test');
		expect((await principal.goto('/registre/trousses'))?.status()).toBe(403);
		await expect(principal.getByRole('link', { name: msg('fr', 'layout.nav.packs') })).toHaveCount(0);
		expect((await principal.goto(`/registre/trousses/${DEMO_IDS.policeCovered}`))?.status()).toBe(403);
		const post = await principal.request.post(`/registre/trousses/${DEMO_IDS.policeCovered}`, { headers: { origin: BASE_URL, accept: 'text/html' }, form: { pack: 'sexto-default@1.0.0', _activation: '0' } });
		expect(post.status()).toBe(403);
		await principal.context().close();

		const coordinator = await asUser(browser, 'coordination@sexto.test');
		expect((await coordinator.goto(`/registre/trousses/${DEMO_IDS.policeOther}`))?.status()).toBe(403);
		expect((await coordinator.goto('/registre/trousses/pas-un-service'))?.status()).toBe(404);
		await expectNoA11yViolations(coordinator);
		await coordinator.context().close();
	});

	test('the principal assigns a case to another responder of the school; shown on the case and in the list', async ({ browser }) => {
		const responder = await asUser(browser, 'intervenant@sexto.test');
		const id = await openCase(responder, { summary: 'Dossier à confier à une autre personne.' });
		await responder.goto(`/incidents/${id}`);
		await expect(responder.getByRole('link', { name: msg('fr', 'kit.assign.change') })).toHaveCount(0);
		expect((await responder.goto(`/incidents/${id}/responsable`))?.status()).toBe(403);

		const principal = await asUser(browser, 'direction@sexto.test');
		await principal.goto(`/incidents/${id}`);
		await principal.getByRole('link', { name: msg('fr', 'kit.assign.change') }).click();
		await expect(principal).toHaveURL(`${BASE_URL}/incidents/${id}/responsable`);
		await expect(principal.locator('main')).toContainText(msg('fr', 'kit.assign.current_opener', { name: 'Isabelle Tremblay' }));
		await expectKitBanner(principal);
		await expectNoA11yViolations(principal);
		await principal.getByLabel(E2E_SECOND_RESPONDER.name).check();
		await Promise.all([principal.waitForLoadState('load'), principal.getByRole('button', { name: msg('fr', 'kit.assign.submit') }).click()]);
		await expect(principal.locator('[role="status"]')).toHaveText(msg('fr', 'kit.assign.done', { name: E2E_SECOND_RESPONDER.name }));
		expect(await horizontalOverflow(principal)).toBe(0);
		await screenshot(principal, 'kit-assign-phone');
		await expectNoA11yViolations(principal);

		await principal.goto(`/incidents/${id}`);
		await expect(principal.locator('dl.facts').first()).toContainText(E2E_SECOND_RESPONDER.name);
		await principal.goto('/incidents');
		const row = principal.locator('tr', { has: principal.locator(`a[href="/incidents/${id}"]`) });
		await expect(row).toContainText(E2E_SECOND_RESPONDER.name);
		await expectNoA11yViolations(principal);

		// The new owner can open the case now.
		// seed-extra.ts gives the e2e-only accounts the e2e password
		const second = await asUser(browser, E2E_SECOND_RESPONDER.email, PHONE, E2E_RESET_USER.password);
		expect((await second.goto(`/incidents/${id}`))?.status()).toBe(200);
		await second.context().close();
		await principal.context().close();
		await responder.context().close();
	});

	test('two people edit the same text at once: the second sees the conflict and what they typed is still there', async ({ browser }) => {
		const responder = await asUser(browser, 'intervenant@sexto.test');
		const principal = await asUser(browser, 'direction@sexto.test');
		const id = await openCase(responder, { summary: 'Résumé de départ.' });
		await responder.goto(`/incidents/${id}/etape/intake`);
		await principal.goto(`/incidents/${id}/etape/intake`);

		await principal.locator('#q-intake_summary').fill('Résumé corrigé par la direction.');
		await Promise.all([principal.waitForURL((url) => !url.pathname.endsWith('/etape/intake')), saveButton(principal).click()]);

		const typed = 'Résumé complété par l’intervenante : la photo circule depuis hier soir dans deux groupes.';
		await responder.locator('#q-intake_summary').fill(typed);
		await Promise.all([responder.waitForLoadState('load'), saveButton(responder).click()]);
		await expect(responder).toHaveURL(/\/etape\/intake$/);
		const conflict = responder.locator('section.conflict');
		await expect(conflict).toContainText(msg('fr', 'kit.error.conflict'));
		await expect(conflict).toContainText('Marc Gagnon');
		await expect(conflict).toContainText('Résumé corrigé par la direction.');
		await expect(responder.locator('#q-intake_summary')).toHaveValue(typed);
		await expectNoA11yViolations(responder);
		await responder.context().close();
		await principal.context().close();
	});

	test('a tab closed mid-kit: reopening the case shows every saved answer and where to continue', async ({ browser }) => {
		const first = await asUser(browser, 'intervenant@sexto.test');
		const id = await openCase(first, { summary: 'Onglet fermé en cours de route.' });
		await first.goto(`/incidents/${id}/etape/sharing`);
		await first.locator('input[name="shared_beyond"][value="no"]').check();
		await first.locator('input[name="share_method"][value="private_message"]').check();
		await first.locator('input[name="platform"][value="snapchat"]').check();
		await Promise.all([first.waitForURL(/\/etape\/context$/), saveButton(first).click()]);
		// On the next step, something is ticked, then the tab (the whole browser context) is closed.
		await first.locator('input[name="origin"][value="self"]').check();
		await first.context().close();

		const again = await asUser(browser, 'intervenant@sexto.test');
		await again.goto(`/incidents/${id}`);
		await expect(again.getByRole('link', { name: /Continuer|Continue/ }).first()).toBeVisible();
		await again.goto(`/incidents/${id}/etape/sharing`);
		await expect(again.locator('input[name="share_method"][value="private_message"]')).toBeChecked();
		await expect(again.locator('input[name="platform"][value="snapchat"]')).toBeChecked();
		await again.goto(`/incidents/${id}/etape/intake`);
		await expect(again.locator('#q-intake_summary')).toHaveValue('Onglet fermé en cours de route.');
		await again.context().close();
	});
});
