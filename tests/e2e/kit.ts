/**
 * Helpers shared by the kit specs (kit-*.spec.ts): opening a case through the real intake screen, and an
 * interaction counter for the "≤ 5 interactions from the intake screen to the call instruction" rule.
 *
 * What counts as one interaction: one tap on a control (a radio, a checkbox, a button, a link) or one
 * form submission. Typing the intake's own facts (who reported, how, the summary) is not counted: the
 * rule measures the way from the filled intake screen to the instruction, as PRODUCT.md §3 / issue 5 state
 * it ("submit intake, tick yes on adult involved, submit" = 3). The specs still log how many fields were
 * filled on the intake screen so the full cost is visible.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, mainSubmit, msg } from './fixtures';

export const PHONE = { width: 360, height: 740 } as const;

/** Counts the interactions a spec performs through it. */
export class Interactions {
	count = 0;
	readonly log: string[] = [];

	async check(locator: Locator, what: string): Promise<void> {
		await locator.check();
		this.count++;
		this.log.push(`tick ${what}`);
	}

	async click(locator: Locator, what: string): Promise<void> {
		await locator.click();
		this.count++;
		this.log.push(`tap ${what}`);
	}

	/** Taps a submit control and waits for the address the server redirects to. */
	async submit(page: Page, locator: Locator, what: string, to: RegExp): Promise<void> {
		await Promise.all([page.waitForURL(to), locator.click()]);
		this.count++;
		this.log.push(`submit ${what}`);
	}
}

export interface IntakeFacts {
	reportedBy?: string;
	channel?: string;
	category?: string;
	summary: string;
	images?: number;
	devices?: number;
}

/** Fills the intake screen (T0 is prefilled with now). Returns how many fields were touched. */
export async function fillIntake(page: Page, facts: IntakeFacts): Promise<number> {
	let touched = 0;
	await page.locator(`input[name="intake_reported_by"][value="${facts.reportedBy ?? 'depicted_student'}"]`).check();
	touched++;
	await page.locator(`input[name="intake_channel"][value="${facts.channel ?? 'in_person'}"]`).check();
	touched++;
	await page.locator(`input[name="intake_content_category"][value="${facts.category ?? 'nude'}"]`).check();
	touched++;
	await page.locator('#q-intake_summary').fill(facts.summary);
	touched++;
	if (facts.images !== undefined) {
		await page.locator('#field-imagesReported').fill(String(facts.images));
		touched++;
	}
	if (facts.devices !== undefined) {
		await page.locator('#field-devicesReported').fill(String(facts.devices));
		touched++;
	}
	return touched;
}

export const RED_FLAGS_STEP = /\/incidents\/([0-9a-f-]{36})\/etape\/red_flags$/;

/** The case id of the current /incidents/<id>/… address. */
export function caseIdOf(page: Page): string {
	const m = /\/incidents\/([0-9a-f-]{36})/.exec(new URL(page.url()).pathname);
	if (!m) throw new Error(`not a case address: ${page.url()}`);
	return m[1]!;
}

/** The step page's own "save" button (the red-flags step also has "none of these"). */
export function saveButton(page: Page) {
	return page.getByRole('button', { name: msg('fr', 'incidents.step.save') });
}

/** Opens a case from /incidents/nouveau and lands on the red-flags step; returns the case id. */
export async function openCase(page: Page, facts: IntakeFacts): Promise<string> {
	await page.goto('/incidents/nouveau');
	await fillIntake(page, facts);
	await Promise.all([page.waitForURL(RED_FLAGS_STEP), mainSubmit(page).click()]);
	return caseIdOf(page);
}

/** Horizontal overflow of the page in px (0 when nothing scrolls sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
	return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/**
 * What every kit screen shows and lacks: the permanent warning, the default pack's notice, no file input,
 * no image, no script.
 */
export async function expectKitBanner(page: Page, locale: 'fr' | 'en' = 'fr'): Promise<void> {
	await expect(page.locator('.kit-warning')).toHaveText(msg(locale, 'incidents.warning'));
	await expect(page.locator('.kit-pack-notice')).toHaveText(
		locale === 'fr' ? 'Trousse par défaut — à remplacer par la trousse officielle de votre territoire' : "Default pack — replace with your territory's official kit"
	);
	await expect(page.locator('input[type="file"]')).toHaveCount(0);
	await expect(page.locator('main img')).toHaveCount(0);
	// Server-rendered forms only: the kit screens ship no JavaScript (src/routes/incidents/+layout.ts).
	await expect(page.locator('script')).toHaveCount(0);
}

/** Today in Montréal, as a date input wants it. */
export function montrealToday(): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Montreal', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
