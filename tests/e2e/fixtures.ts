/**
 * Helpers shared by the specs: sign-in, the accessibility gate, translated strings, screenshots.
 * Every page a spec visits goes through expectNoA11yViolations (WCAG 2.0/2.1 A+AA and 2.2 AA).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { translate, type Locale, type MessageKey, type Params } from '../../src/lib/i18n/index';
import { DEMO_PASSWORD, DEMO_USERS, type DemoUser } from '../../src/lib/server/db/seed/demo';
import { SCREENSHOT_DIR } from './constants';

export { expect, DEMO_PASSWORD, DEMO_USERS, type DemoUser, type Locale };
export const test = base;

export const A11Y_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** A catalog string, exactly as the app renders it. */
export function msg(locale: Locale, key: MessageKey, params?: Params): string {
	return translate(locale, key, params);
}

/** The submit button of the page's own form (the header also has form buttons: language, sign-out). */
export function mainSubmit(page: Page) {
	return page.locator('main form button[type="submit"]');
}

/** Runs axe on the current page and fails with a readable list if anything is found. */
export async function expectNoA11yViolations(page: Page): Promise<void> {
	const results = await new AxeBuilder({ page }).withTags(A11Y_TAGS).analyze();
	const report = results.violations.map(
		(v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`).join('\n')}`
	);
	expect(report, `axe violations on ${page.url()}`).toEqual([]);
}

/** Signs in through the real form and waits for the dashboard. */
export async function loginAs(page: Page, email: string, password: string = DEMO_PASSWORD): Promise<void> {
	await page.goto('/connexion');
	await page.locator('#field-email').fill(email);
	await page.locator('#field-password').fill(password);
	await Promise.all([page.waitForURL((url) => url.pathname === '/tableau-de-bord'), mainSubmit(page).click()]);
}

/** Signs out with the header button and waits for the sign-in page with its notice. */
export async function logout(page: Page): Promise<void> {
	const locale = (await page.locator('html').getAttribute('lang')) === 'en' ? 'en' : 'fr';
	await Promise.all([
		page.waitForURL((url) => url.pathname === '/connexion'),
		page.locator('header').getByRole('button', { name: msg(locale, 'layout.nav.logout') }).click()
	]);
}

export async function screenshot(page: Page, name: string): Promise<string> {
	mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const path = join(SCREENSHOT_DIR, `${name}.png`);
	await page.screenshot({ path, fullPage: true });
	return path;
}
