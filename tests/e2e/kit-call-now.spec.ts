/**
 * The kit's urgent paths, on a 360 px phone, counted from the intake screen (see kit.ts for what counts):
 *   (c) a red flag (an adult involved): the "Call now" screen comes right after the red-flags step, with
 *       the number as a tel: link — 3 interactions (submit intake, tick "yes", submit);
 *   (b) a malicious redistribution in a class group chat (no red flag): the questionnaire's first step shows
 *       it, and the kit says "stop interviewing, secure the phone, call the police now" — 5 interactions.
 * Both assert ≤ 5 and log the exact sequence. Every screen visited goes through axe; screenshots at 360 px.
 */
import { expect, expectNoA11yViolations, loginAs, mainSubmit, msg, screenshot, test } from './fixtures';
import { expectKitBanner, fillIntake, horizontalOverflow, Interactions, PHONE, RED_FLAGS_STEP, saveButton } from './kit';

const MAX_INTERACTIONS = 5;

test.describe('kit: call now', () => {
	test.use({ viewport: PHONE });

	test('(c) an adult involved: "Call now" right after the red-flags step, ≤ 5 interactions, with a tel: link', async ({ page }) => {
		await loginAs(page, 'intervenant@sexto.test');
		await page.goto('/incidents/nouveau');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'incidents.new.title'));
		await expectKitBanner(page);
		await expectNoA11yViolations(page);
		expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
		const filled = await fillIntake(page, { reportedBy: 'depicted_student', channel: 'in_person', category: 'nude', summary: 'Une élève dit qu’un adulte rencontré en ligne lui demande des photos intimes.' });
		await screenshot(page, 'kit-intake-360');

		const n = new Interactions();
		await n.submit(page, mainSubmit(page), 'intake', RED_FLAGS_STEP);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Signaux d’alarme');
		await expectKitBanner(page);
		await expectNoA11yViolations(page);
		await screenshot(page, 'kit-red-flags-360');

		await n.check(page.locator('input[name="rf_adult"][value="yes"]'), 'adult involved: yes');
		await n.submit(page, saveButton(page), 'red flags', /\/appel$/);

		await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'incidents.call.title'));
		await expect(page.getByRole('heading', { name: msg('fr', 'incidents.stop.title') })).toBeVisible();
		const tel = page.locator('main a[href^="tel:"]').first();
		await expect(tel).toBeVisible();
		expect(await tel.getAttribute('href')).toBe('tel:911');
		await expect(page.locator('main')).toContainText('Adulte impliqué ou possiblement impliqué');
		// The pack's 3–4 things to do meanwhile.
		const meanwhile = page.locator('ol.meanwhile li');
		expect(await meanwhile.count()).toBeGreaterThanOrEqual(3);
		expect(await meanwhile.count()).toBeLessThanOrEqual(4);
		await expectKitBanner(page);
		await expectNoA11yViolations(page);
		expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
		await screenshot(page, 'kit-call-now-360');

		console.log(`(c) red flag: ${n.count} interactions from the intake screen (${n.log.join(' → ')}); ${filled} intake fields filled before`);
		expect(n.count).toBeLessThanOrEqual(MAX_INTERACTIONS);
		expect(n.count).toBe(3);

		// The rest of the kit stays available: the overview shows the stop box until the call is logged.
		await page.getByRole('link', { name: msg('fr', 'incidents.call.continue_optional') }).click();
		await expect(page).toHaveURL(/\/etape\/sharing$/);
		await page.goto(page.url().replace(/\/etape\/sharing$/, ''));
		await expect(page.locator('.stop-box')).toContainText(msg('fr', 'incidents.stop.title'));
		await expectNoA11yViolations(page);
		await screenshot(page, 'kit-overview-red-flag-360');
	});

	test('(b) malicious redistribution in a class group chat: "stop interviewing, call the police now" in ≤ 5 interactions', async ({ page }) => {
		await loginAs(page, 'intervenant@sexto.test');
		await page.goto('/incidents/nouveau');
		const filled = await fillIntake(page, {
			reportedBy: 'other_student',
			channel: 'in_person',
			category: 'nude',
			summary: 'Un élève rapporte qu’une photo intime d’une élève de 4e secondaire a été publiée dans le groupe Snapchat de la classe.'
		});

		const n = new Interactions();
		await n.submit(page, mainSubmit(page), 'intake', RED_FLAGS_STEP);
		// No red flag applies: "None of these" answers "no" to every one left unanswered.
		await n.submit(page, page.getByRole('button', { name: msg('fr', 'incidents.step.none_apply') }), 'red flags: none of these', /\/etape\/sharing$/);
		await expectNoA11yViolations(page);
		await n.check(page.locator('input[name="shared_beyond"][value="yes"]'), 'passed on to others: yes');
		// The follow-up question appears as soon as "yes" is ticked (CSS only: the kit screens ship no JavaScript).
		await expect(page.locator('input[name="consent_onward"][value="no"]')).toBeVisible();
		await n.check(page.locator('input[name="consent_onward"][value="no"]'), 'depicted student agreed: no');
		await screenshot(page, 'kit-sharing-360');
		await n.submit(page, saveButton(page), 'sharing', /\/appel$/);

		await expect(page.getByRole('heading', { name: msg('fr', 'incidents.stop.title') })).toBeVisible();
		await expect(page.locator('main')).toContainText(msg('fr', 'incidents.call.because_malicious'));
		await expect(page.locator('main a[href^="tel:"]').first()).toBeVisible();
		await expectKitBanner(page);
		await expectNoA11yViolations(page);
		await screenshot(page, 'kit-stop-malicious-360');

		console.log(`(b) malicious: ${n.count} interactions from the intake screen (${n.log.join(' → ')}); ${filled} intake fields filled before`);
		expect(n.count).toBeLessThanOrEqual(MAX_INTERACTIONS);

		// The overview says the same, with the grid's suggestion labelled as a suggestion for the prosecutor.
		await page.goto(page.url().replace(/\/appel$/, ''));
		await expect(page.locator('.stop-box')).toBeVisible();
		await expect(page.locator('#suggestion')).toContainText(msg('fr', 'packet.orientation.likely_malicious'));
		await expect(page.locator('#suggestion')).toContainText(msg('fr', 'packet.suggestion.notice'));
		await expectNoA11yViolations(page);
	});

	test('the red-flags step works without JavaScript: a "yes" still switches to "Call now"', async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE, locale: 'fr-CA' });
		const page = await context.newPage();
		await loginAs(page, 'intervenant@sexto.test');
		await page.goto('/incidents/nouveau');
		await fillIntake(page, { summary: 'Signalement fait sans JavaScript.' });
		await Promise.all([page.waitForURL(RED_FLAGS_STEP), mainSubmit(page).click()]);
		await page.locator('input[name="rf_coercion"][value="yes"]').check();
		await Promise.all([page.waitForURL(/\/appel$/), saveButton(page).click()]);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'incidents.call.title'));
		await expect(page.locator('main')).toContainText('Contrainte, menaces, sextorsion ou argent');
		await context.close();
	});

	test('in English: the same way to "Call now", every screen translated', async ({ page }) => {
		await loginAs(page, 'intervenant@sexto.test');
		await page.context().addCookies([{ name: 'sexto_locale', value: 'en', url: page.url() }]);
		await page.goto('/incidents/nouveau');
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('en', 'incidents.new.title'));
		await expectKitBanner(page, 'en');
		await expectNoA11yViolations(page);
		await fillIntake(page, { summary: 'A student says an adult met online keeps asking her for pictures.' });
		await Promise.all([page.waitForURL(RED_FLAGS_STEP), mainSubmit(page).click()]);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Red flags');
		await page.locator('input[name="rf_adult"][value="unknown"]').check();
		await Promise.all([page.waitForURL(/\/appel$/), page.getByRole('button', { name: msg('en', 'incidents.step.save') }).click()]);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('en', 'incidents.call.title'));
		await expect(page.getByRole('heading', { name: msg('en', 'incidents.stop.title') })).toBeVisible();
		await expect(page.locator('main')).toContainText('Adult involved or possibly involved');
		await expectKitBanner(page, 'en');
		await expectNoA11yViolations(page);
		await page.goto(page.url().replace(/\/appel$/, ''));
		await expect(page.getByRole('heading', { name: msg('en', 'incidents.suggestion.title') })).toBeVisible();
		await expectNoA11yViolations(page);
	});
});
