/**
 * (g) The page frame at 360 px (small phone) and on a desktop: the skip link is the first thing the
 * keyboard reaches and moves focus to main; the four landmarks exist; nothing scrolls sideways at 360 px.
 */
import type { Page } from '@playwright/test';
import { DEMO_IDS } from '../../src/lib/server/db/seed/demo';
import { expect, expectNoA11yViolations, loginAs, msg, screenshot, test } from './fixtures';

const VIEWPORTS = [
	{ name: '360px', width: 360, height: 740 },
	{ name: 'desktop', width: 1280, height: 800 }
] as const;

const PUBLIC_PAGES = ['/', '/connexion', '/mot-de-passe-oublie', '/reinitialiser/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '/page-inconnue', '/couverture', '/en/coverage'];
const SIGNED_IN_PAGES = [
	'/tableau-de-bord',
	'/equipe',
	'/audit',
	'/registre',
	`/registre/services/${DEMO_IDS.policeCovered}`,
	'/ecoles',
	`/ecoles/${DEMO_IDS.schoolCovered}`,
	'/ecoles/importer'
];

async function checkFrame(page: Page, width: number) {
	// Landmarks: exactly one of each top-level region.
	await expect(page.getByRole('banner')).toHaveCount(1);
	await expect(page.getByRole('navigation')).toHaveCount(1);
	await expect(page.getByRole('main')).toHaveCount(1);
	await expect(page.getByRole('contentinfo')).toHaveCount(1);
	await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);

	// Skip link: first Tab stop, visible when focused, and Enter moves focus to main.
	await page.locator('body').focus();
	await page.keyboard.press('Tab');
	const locale = (await page.locator('html').getAttribute('lang')) === 'en' ? 'en' : 'fr';
	const skip = page.getByRole('link', { name: msg(locale, 'layout.skip') });
	await expect(skip).toBeFocused();
	const box = await skip.boundingBox();
	expect(box && box.y >= 0 && box.x >= 0 && box.x + box.width <= width).toBeTruthy();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('main')).toBeFocused();
	// The next Tab continues after the skip target (main's first control, if any), never back in the header.
	await page.keyboard.press('Tab');
	const where = await page.evaluate(() => {
		const active = document.activeElement;
		const firstInMain = document.querySelector(
			'main a[href], main button, main input:not([type="hidden"]), main select, main textarea, main [tabindex]:not([tabindex="-1"])'
		);
		return { inHeader: !!active?.closest('header'), isFirstInMain: !!firstInMain && active === firstInMain, mainHasControl: !!firstInMain };
	});
	expect(where.inHeader).toBe(false);
	if (where.mainHasControl) expect(where.isFirstInMain).toBe(true);

	// No horizontal scrolling.
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow, 'horizontal overflow in px').toBeLessThanOrEqual(0);
	await expectNoA11yViolations(page);
}

for (const vp of VIEWPORTS) {
	test.describe(`layout at ${vp.name}`, () => {
		test.use({ viewport: { width: vp.width, height: vp.height } });

		test('public pages', async ({ page }) => {
			for (const path of PUBLIC_PAGES) {
				await test.step(path, async () => {
					await page.goto(path);
					await checkFrame(page, vp.width);
				});
			}
			if (vp.width === 360) {
				await page.goto('/');
				await screenshot(page, 'home-fr-360');
				await page.keyboard.press('Tab');
				await screenshot(page, 'skip-link-focused-360');
			}
		});

		test('dashboards with the coverage card (covered and not covered)', async ({ page }) => {
			for (const [email, covered] of [
				['direction@sexto.test', true],
				['direction.lacvert@sexto.test', false]
			] as const) {
				await test.step(email, async () => {
					await loginAs(page, email);
					const card = page.locator('main .coverage-card');
					await expect(card).toHaveCount(1);
					await expect(card).toContainText(msg('fr', covered ? 'dashboard.coverage.covered_means' : 'dashboard.coverage.not_covered_means'));
					if (vp.width === 360) await screenshot(page, `dashboard-${covered ? 'covered' : 'not-covered'}-demo-360`);
					await checkFrame(page, vp.width);
					await page.context().clearCookies();
				});
			}
		});

		test('signed-in pages', async ({ page }) => {
			// The platform admin sees every page of the frame, with the widest header (all nav links).
			await loginAs(page, 'admin@sexto.test');
			for (const path of SIGNED_IN_PAGES) {
				await test.step(path, async () => {
					await page.goto(path);
					// The admin's account language is English: the frame is checked in English here.
					await expect(page.locator('html')).toHaveAttribute('lang', 'en');
					await checkFrame(page, vp.width);
				});
			}
			await test.step('an agreement page', async () => {
				await page.goto('/registre');
				const link = page.getByRole('region', { name: msg('en', 'registry.agreements') }).getByRole('link').first();
				await page.goto((await link.getAttribute('href')) ?? '/registre');
				await expect(page).toHaveURL(/\/registre\/ententes\/[0-9a-f-]{36}$/);
				await checkFrame(page, vp.width);
			});
			if (vp.width === 360) {
				await page.goto('/equipe');
				await screenshot(page, 'team-en-360');
			} else {
				await page.goto('/audit');
				await screenshot(page, 'audit-en-desktop');
			}
		});
	});
}
