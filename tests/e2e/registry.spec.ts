/**
 * (i) Issue 4 in a real browser: the territory registry gates the kit.
 *
 * The scenario chain (serial, one shared set of unique names so reruns on the same database never collide):
 * the platform admin creates a territory, a police service in it and an active DPCP agreement (refusing an end
 * before the start and an overlapping active agreement on the way), then a school served by that service; the
 * admin invites a coordinator for the service, who invites the school's principal; the principal's dashboard
 * says "covered". The admin suspends the agreement: the same dashboard, reloaded, says "not covered", while the
 * school and the principal's role are untouched, and the agreement keeps two versions of history.
 *
 * Every page visited goes through axe (0 violations). Screenshots at 360 px go to test-results/screenshots/.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { formatDay } from '../../src/lib/format';
import { translateCount, type MessageKey } from '../../src/lib/i18n/index';
import { BASE_URL } from './constants';
import { expect, expectNoA11yViolations, loginAs, mainSubmit, msg, screenshot, test } from './fixtures';
import { linkIn, waitForMail } from './mail';

const PHONE = { width: 360, height: 740 } as const;

/** A catalog string about `count` things, with the singular variant when it applies, as the page renders it. */
function msgN(locale: 'fr' | 'en', key: MessageKey, count: number): string {
	return translateCount(locale, key, count);
}

/** A fresh browser profile (no cookies), as a person opening their invitation for the first time. */
async function freshContext(browser: Browser): Promise<BrowserContext> {
	return browser.newContext({ baseURL: BASE_URL, locale: 'fr-CA' });
}

/** Horizontal overflow of the page in px (0 when nothing scrolls sideways). */
async function horizontalOverflow(page: Page): Promise<number> {
	return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Opens the invitation link in `page` (a fresh context), chooses a password and signs in. */
async function acceptInvitation(page: Page, link: string, email: string, password: string): Promise<void> {
	await page.goto(link);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'invite.accept.title'));
	await expect(page.locator('main')).toContainText(email);
	await page.locator('#field-password').fill(password);
	await page.locator('#field-confirm').fill(password);
	await Promise.all([page.waitForURL((url) => url.pathname === '/connexion'), mainSubmit(page).click()]);
	await expect(page.getByRole('status')).toHaveText(msg('fr', 'login.welcome_invited'));
	await loginAs(page, email, password);
}

/** Every id on the page is unique (two forms sharing `field-nameFr` would label the wrong input). */
async function expectUniqueIds(page: Page): Promise<void> {
	const duplicates = await page.evaluate(() => {
		const seen = new Map<string, number>();
		for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
		return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
	});
	expect(duplicates, `duplicate ids on ${page.url()}`).toEqual([]);
}

/** The row of a table (inside `scope`) that contains `text`. */
function rowWith(scope: Page | ReturnType<Page['locator']>, text: string) {
	return scope.getByRole('row').filter({ hasText: text });
}

test.describe.serial('registry scenario: agreement → school → coordinator → principal → suspension', () => {
	const suffix = `${Date.now().toString(36).slice(-4)}${Math.random().toString(36).slice(2, 5)}`.toUpperCase();
	const territory = { fr: `Territoire E2E ${suffix} (fictif)`, en: `E2E territory ${suffix} (fictional)` };
	const service = { code: `E2E${suffix}`, fr: `Service de police E2E ${suffix} (fictif)`, en: `E2E ${suffix} Police Service (fictional)` };
	const school = { code: `E2E-${suffix}`, name: `École secondaire E2E ${suffix} (fictive)` };
	const effectiveFrom = '2020-01-01';
	const coordinator = { email: `coordination.${suffix.toLowerCase()}@sexto.test`, name: `Coralie Coordination ${suffix}`, password: 'Phrase-coordination-e2e-2026' };
	const principal = { email: `direction.${suffix.toLowerCase()}@sexto.test`, name: `Patrice Direction ${suffix}`, password: 'Phrase-direction-e2e-2026' };

	let serviceId = '';
	let agreementId = '';
	let schoolId = '';
	let coordinatorLink = '';
	let principalLink = '';
	// The principal's browser stays open between the "covered" and the "not covered" steps (it reloads).
	let principalContext: BrowserContext | null = null;
	let principalPage: Page | null = null;

	test.afterAll(async () => {
		await principalContext?.close();
	});

	test('the admin creates a territory, a police service, an active agreement and a school', async ({ page }) => {
		// The admin's account is English: the registry is checked in English.
		await loginAs(page, 'admin@sexto.test');
		await page.getByRole('navigation').getByRole('link', { name: msg('en', 'layout.nav.registry') }).click();
		await expect(page).toHaveURL(`${BASE_URL}/registre`);
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('en', 'registry.title'));
		await expectUniqueIds(page);
		await expectNoA11yViolations(page);

		await test.step('territory', async () => {
			const panel = page.getByRole('region', { name: msg('en', 'registry.new_territory') });
			await panel.getByLabel(msg('en', 'registry.field.name_fr')).fill(territory.fr);
			await panel.getByLabel(msg('en', 'registry.field.name_en')).fill(territory.en);
			await panel.getByRole('button', { name: msg('en', 'registry.save') }).click();
			await expect(page.getByRole('region', { name: msg('en', 'registry.new_territory') }).getByRole('status')).toHaveText(msg('en', 'registry.created'));
			await expect(page.getByRole('region', { name: msg('en', 'registry.territories') })).toContainText(territory.en);
		});

		await test.step('police service', async () => {
			const panel = page.getByRole('region', { name: msg('en', 'registry.new_police_service') });
			await panel.getByLabel(msg('en', 'registry.field.code'), { exact: true }).fill(service.code.toLowerCase());
			await panel.getByLabel(msg('en', 'registry.field.name_fr')).fill(service.fr);
			await panel.getByLabel(msg('en', 'registry.field.name_en')).fill(service.en);
			await panel.getByLabel(msg('en', 'registry.field.kind')).selectOption({ label: msg('en', 'kind.municipal') });
			await panel.getByLabel(msg('en', 'registry.field.territory')).selectOption({ label: territory.en });
			await panel.getByLabel(msg('en', 'registry.field.emergency_phone')).fill('911');
			await panel.getByRole('button', { name: msg('en', 'registry.save') }).click();
			await expect(page.getByRole('region', { name: msg('en', 'registry.new_police_service') }).getByRole('status')).toHaveText(msg('en', 'registry.created'));
			// The code is stored in capitals; the service is not covered yet.
			const row = rowWith(page.getByRole('region', { name: msg('en', 'registry.police_services') }).getByRole('table'), service.en);
			await expect(row.getByRole('cell').first()).toHaveText(service.code);
			await expect(row).toContainText(msg('en', 'registry.not_covered_now'));
			const href = await row.getByRole('link', { name: service.en }).getAttribute('href');
			serviceId = /\/registre\/services\/([0-9a-f-]{36})$/.exec(href ?? '')?.[1] ?? '';
			expect(serviceId, 'new police service id').not.toBe('');
		});

		const agreementForm = () => page.getByRole('region', { name: msg('en', 'registry.new_agreement') });
		const agreementRows = () => rowWith(page.getByRole('region', { name: msg('en', 'registry.agreements') }).getByRole('table'), service.en);

		await test.step('agreement ending before it starts: field error, nothing created', async () => {
			const panel = agreementForm();
			await panel.getByLabel(msg('en', 'registry.field.police_service')).selectOption({ label: service.en });
			await panel.getByLabel(msg('en', 'registry.field.status')).selectOption({ label: msg('en', 'status.active') });
			await panel.getByLabel(msg('en', 'registry.field.effective_from')).fill(effectiveFrom);
			await panel.getByLabel(msg('en', 'registry.field.effective_to')).fill('2019-06-30');
			await panel.getByLabel(msg('en', 'registry.field.reference')).fill(`E2E-${suffix}-BAD`);
			await panel.getByRole('button', { name: msg('en', 'registry.save') }).click();
			await expect(agreementForm().getByRole('alert')).toHaveText(msg('en', 'form.error.summary'));
			await expect(page.locator('#field-effectiveTo-error')).toHaveText(msg('en', 'registry.error.ends_before_start'));
			await expect(page.locator('#field-effectiveTo')).toHaveAttribute('aria-invalid', 'true');
			// What was typed comes back, so it can be corrected.
			await expect(page.locator('#field-effectiveFrom')).toHaveValue(effectiveFrom);
			await expect(agreementRows()).toHaveCount(0);
			await expectNoA11yViolations(page);
		});

		await test.step('active agreement from a past date, no end', async () => {
			const panel = agreementForm();
			await panel.getByLabel(msg('en', 'registry.field.police_service')).selectOption({ label: service.en });
			await panel.getByLabel(msg('en', 'registry.field.status')).selectOption({ label: msg('en', 'status.active') });
			await panel.getByLabel(msg('en', 'registry.field.signed_on')).fill('2019-12-15');
			await panel.getByLabel(msg('en', 'registry.field.effective_from')).fill(effectiveFrom);
			await panel.getByLabel(msg('en', 'registry.field.effective_to')).fill('');
			await panel.getByLabel(msg('en', 'registry.field.reference')).fill(`E2E-${suffix}`);
			await panel.getByRole('button', { name: msg('en', 'registry.save') }).click();
			await expect(agreementForm().getByRole('status')).toHaveText(msg('en', 'registry.created'));
			await expect(agreementRows()).toHaveCount(1);
			await expect(agreementRows()).toContainText(`${effectiveFrom} → …`);
			const href = await agreementRows().getByRole('link', { name: msg('en', 'status.active') }).getAttribute('href');
			agreementId = /\/registre\/ententes\/([0-9a-f-]{36})$/.exec(href ?? '')?.[1] ?? '';
			expect(agreementId, 'new agreement id').not.toBe('');
			const serviceRow = rowWith(page.getByRole('region', { name: msg('en', 'registry.police_services') }).getByRole('table'), service.en);
			await expect(serviceRow).toContainText(msg('en', 'schools.covered_since', { date: effectiveFrom }));
		});

		await test.step('a second active agreement overlapping the first is refused', async () => {
			const panel = agreementForm();
			await panel.getByLabel(msg('en', 'registry.field.police_service')).selectOption({ label: service.en });
			await panel.getByLabel(msg('en', 'registry.field.status')).selectOption({ label: msg('en', 'status.active') });
			await panel.getByLabel(msg('en', 'registry.field.effective_from')).fill('2024-09-01');
			await panel.getByLabel(msg('en', 'registry.field.reference')).fill(`E2E-${suffix}-OVERLAP`);
			await panel.getByRole('button', { name: msg('en', 'registry.save') }).click();
			await expect(page.locator('#field-status-error')).toHaveText(msg('en', 'registry.error.overlaps_active'));
			await expect(agreementRows()).toHaveCount(1);
			await expectNoA11yViolations(page);
			await screenshot(page, 'registry-overlap-error-en-desktop');
		});

		await test.step('the police service page lists its agreement and its history', async () => {
			await page.goto(`/registre/services/${serviceId}`);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(service.en);
			await expect(page.getByRole('region', { name: msg('en', 'registry.agreements') }).getByRole('listitem')).toHaveCount(1);
			await expect(page.locator('#field-code')).toHaveValue(service.code);
			await expect(page.locator('ol.history > li')).toHaveCount(1);
			await expectNoA11yViolations(page);
		});

		await test.step('a school served by the new police service', async () => {
			await page.getByRole('navigation').getByRole('link', { name: msg('en', 'layout.nav.schools') }).click();
			await expect(page).toHaveURL(`${BASE_URL}/ecoles`);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('en', 'schools.title'));
			await expectNoA11yViolations(page);
			const panel = page.getByRole('region', { name: msg('en', 'schools.new') });
			await panel.getByLabel(msg('en', 'schools.field.name')).fill(school.name);
			await panel.getByLabel(msg('en', 'schools.field.code')).fill(school.code);
			await panel.getByLabel(msg('en', 'schools.field.service_centre')).fill('Centre de services scolaire E2E (fictif)');
			await panel.getByLabel(msg('en', 'schools.field.address')).fill('1, rue de l’Essai, Québec (QC)');
			await panel.getByLabel(msg('en', 'schools.field.language')).selectOption({ label: msg('en', 'schools.language.fr') });
			await panel.getByLabel(msg('en', 'registry.field.police_service')).selectOption({ label: service.en });
			await panel.getByRole('button', { name: msg('en', 'registry.save') }).click();
			await expect(page.getByRole('region', { name: msg('en', 'schools.new') }).getByRole('status')).toHaveText(msg('en', 'registry.created'));
			const row = rowWith(page.getByRole('region', { name: msg('en', 'schools.title') }).getByRole('table'), school.code);
			await expect(row).toContainText(school.name);
			await expect(row).toContainText(service.en);
			await expect(row).toContainText(msg('en', 'schools.covered_since', { date: effectiveFrom }));
			const href = await row.getByRole('link', { name: school.name }).getAttribute('href');
			schoolId = /\/ecoles\/([0-9a-f-]{36})$/.exec(href ?? '')?.[1] ?? '';
			expect(schoolId, 'new school id').not.toBe('');
			await expectNoA11yViolations(page);
		});

		await test.step('the school page', async () => {
			await page.goto(`/ecoles/${schoolId}`);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(school.name);
			await expect(page.locator('#field-code')).toHaveValue(school.code);
			await expect(page.locator('ol.history > li')).toHaveCount(1);
			await expectNoA11yViolations(page);
		});
	});

	test('the admin invites a coordinator, who invites the principal; the principal’s school is covered', async ({ page, browser }) => {
		expect(schoolId, 'set by the previous test').not.toBe('');

		await test.step('the admin invites a territory coordinator for the new police service', async () => {
			await loginAs(page, 'admin@sexto.test');
			await page.goto('/equipe');
			const since = Date.now();
			const form = page.locator('form[action="?/invite"]');
			await form.getByLabel(msg('en', 'team.invite.email')).fill(coordinator.email);
			await form.getByLabel(msg('en', 'team.invite.name')).fill(coordinator.name);
			await form.getByLabel(msg('en', 'team.invite.role')).selectOption({ label: msg('en', 'role.territory_coordinator') });
			await form.getByLabel(msg('en', 'team.invite.scope')).selectOption({ label: `${msg('en', 'scope.police_service')} — ${service.en}` });
			await form.getByRole('button', { name: msg('en', 'team.invite.submit') }).click();
			await expect(page.getByRole('status')).toHaveText(msg('en', 'team.invite.sent', { email: coordinator.email, days: 7 }));
			const mail = await waitForMail(coordinator.email, { since });
			// The admin writes in English: the invitation is in the inviter's language.
			expect(mail.subject).toBe(msg('en', 'mail.invite.subject'));
			expect(mail.text).toContain(msg('en', 'role.territory_coordinator'));
			expect(mail.text).toContain(service.en);
			coordinatorLink = linkIn(mail, '/invitation/');
		});

		const coordinatorContext = await freshContext(browser);
		try {
			const c = await coordinatorContext.newPage();
			await test.step('the coordinator accepts, signs in and invites a principal for the new school', async () => {
				await acceptInvitation(c, coordinatorLink, coordinator.email, coordinator.password);
				await expect(c.locator('main li.card h3')).toHaveText([msg('fr', 'role.territory_coordinator')]);
				await expect(c.locator('main li.card')).toContainText(service.fr);

				// Their schools: the new one, and nothing from Saint-Jérôme.
				await c.goto('/ecoles');
				const table = c.getByRole('region', { name: msg('fr', 'schools.title') }).getByRole('table');
				await expect(table.getByRole('row')).toHaveCount(2);
				await expect(rowWith(table, school.code)).toContainText(msg('fr', 'schools.covered_since', { date: effectiveFrom }));

				await c.getByRole('navigation').getByRole('link', { name: msg('fr', 'layout.nav.team') }).click();
				await expect(c).toHaveURL(`${BASE_URL}/equipe`);
				const since = Date.now();
				const form = c.locator('form[action="?/invite"]');
				await form.getByLabel(msg('fr', 'team.invite.email')).fill(principal.email);
				await form.getByLabel(msg('fr', 'team.invite.name')).fill(principal.name);
				await form.getByLabel(msg('fr', 'team.invite.role')).selectOption({ label: msg('fr', 'role.principal') });
				await form.getByLabel(msg('fr', 'team.invite.scope')).selectOption({ label: `${msg('fr', 'scope.school')} — ${school.name}` });
				await form.getByRole('button', { name: msg('fr', 'team.invite.submit') }).click();
				await expect(c.getByRole('status')).toHaveText(msg('fr', 'team.invite.sent', { email: principal.email, days: 7 }));
				await expectNoA11yViolations(c);
				const mail = await waitForMail(principal.email, { since });
				expect(mail.subject).toBe(msg('fr', 'mail.invite.subject'));
				expect(mail.text).toContain(coordinator.name);
				expect(mail.text).toContain(msg('fr', 'role.principal'));
				expect(mail.text).toContain(school.name);
				principalLink = linkIn(mail, '/invitation/');
			});
		} finally {
			await coordinatorContext.close();
		}

		await test.step('the principal accepts and sees “covered” on the dashboard', async () => {
			principalContext = await freshContext(browser);
			principalPage = await principalContext.newPage();
			const p = principalPage;
			await acceptInvitation(p, principalLink, principal.email, principal.password);
			await expect(p.locator('main')).toContainText(msg('fr', 'dashboard.hello', { name: principal.name }));
			const card = p.getByRole('region', { name: `${msg('fr', 'dashboard.coverage.title')} — ${school.name}` });
			await expect(card.locator('.coverage-status')).toHaveText(msg('fr', 'dashboard.coverage.covered', { date: formatDay(effectiveFrom, 'fr'), service: service.fr }));
			await expect(card).toContainText(msg('fr', 'dashboard.coverage.covered_means'));
			await expect(p.locator('main li.card h3')).toHaveText([msg('fr', 'role.principal')]);
			await expect(p.locator('main li.card')).toContainText(school.name);
			await expectNoA11yViolations(p);
		});
	});

	test('suspending the agreement: “not covered”, nothing hidden, two versions of history', async ({ page }) => {
		expect(agreementId, 'set by the first test').not.toBe('');
		expect(principalPage, 'set by the previous test').not.toBeNull();
		const p = principalPage!;

		await test.step('the admin suspends the agreement', async () => {
			await loginAs(page, 'admin@sexto.test');
			await page.goto(`/registre/ententes/${agreementId}`);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${msg('en', 'registry.agreements')} — ${service.en}`);
			await expect(page.locator('ol.history > li')).toHaveCount(1);
			await expectNoA11yViolations(page);
			await page.getByLabel(msg('en', 'registry.field.status')).selectOption({ label: msg('en', 'status.suspended') });
			await mainSubmit(page).click();
			await expect(page.getByRole('status')).toHaveText(msg('en', 'registry.saved'));
			await expect(page.locator('main .lead')).toHaveText(`${msg('en', 'status.suspended')} — ${effectiveFrom} → …`);
			const versions = page.getByRole('region', { name: msg('en', 'registry.history') }).locator('ol.history > li');
			await expect(versions).toHaveCount(2);
			// Newest first.
			await expect(versions.nth(0).locator('summary')).toContainText(`Version 2 — ${msg('en', 'registry.history.updated')}`);
			await expect(versions.nth(1).locator('summary')).toContainText(`Version 1 — ${msg('en', 'registry.history.created')}`);
			for (const v of [0, 1]) await expect(versions.nth(v).locator('summary')).toContainText('Alex Admin');
			// Each version keeps its snapshot: version 2 is suspended, version 1 was active.
			await versions.nth(0).locator('summary').click();
			await versions.nth(1).locator('summary').click();
			await expect(versions.nth(0).locator('dl')).toContainText('suspended');
			await expect(versions.nth(1).locator('dl')).toContainText('active');
			await expect(versions.nth(1).locator('dl')).not.toContainText('suspended');
			await expectNoA11yViolations(page);
			await screenshot(page, 'agreement-history-en-desktop');
		});

		await test.step('the principal reloads the dashboard: not covered', async () => {
			await p.setViewportSize(PHONE);
			await p.reload();
			const card = p.getByRole('region', { name: `${msg('fr', 'dashboard.coverage.title')} — ${school.name}` });
			await expect(card.locator('.coverage-status')).toHaveText(msg('fr', 'dashboard.coverage.not_covered', { service: service.fr }));
			await expect(card).toContainText(msg('fr', 'dashboard.coverage.not_covered_means'));
			// The principal's role is unchanged.
			await expect(p.locator('main li.card h3')).toHaveText([msg('fr', 'role.principal')]);
			await expect(p.locator('main li.card')).toContainText(school.name);
			expect(await horizontalOverflow(p), 'horizontal overflow at 360 px').toBeLessThanOrEqual(0);
			await expectNoA11yViolations(p);
			await screenshot(p, 'dashboard-not-covered-fr-360');

			// Still on the team page with the same role.
			await p.goto('/equipe');
			await expect(rowWith(p.getByRole('region', { name: msg('fr', 'team.members') }).getByRole('table'), principal.email)).toContainText(msg('fr', 'role.principal'));
		});

		await test.step('the school still exists, now not covered', async () => {
			await page.goto(`/ecoles?q=${encodeURIComponent(school.code)}`);
			const row = rowWith(page.getByRole('region', { name: msg('en', 'schools.title') }).getByRole('table'), school.code);
			await expect(row).toContainText(msg('en', 'schools.not_covered'));
			await page.goto('/registre');
			const serviceRow = rowWith(page.getByRole('region', { name: msg('en', 'registry.police_services') }).getByRole('table'), service.en);
			await expect(serviceRow).toContainText(msg('en', 'registry.not_covered_now'));
			const response = await page.goto(`/ecoles/${schoolId}`);
			expect(response?.status()).toBe(200);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(school.name);
		});
	});
});

test.describe('schools import by pasted CSV (Saint-Jérôme coordinator)', () => {
	test('a bad row saves nothing; a good file is previewed then committed; another service’s code is refused', async ({ page }) => {
		const suffix = `${Date.now().toString(36).slice(-4)}${Math.random().toString(36).slice(2, 5)}`.toUpperCase();
		const header = 'code;nom;centre_de_services;adresse;langue;service_de_police';
		const rows = [
			`IMP-${suffix}-1;École secondaire de l’Érablière ${suffix} (fictive);Centre de services scolaire de la Rivière-du-Nord;"12, rue des Érables, Saint-Jérôme";fr;SPSJ`,
			`IMP-${suffix}-2;Académie Sainte-Thérèse-des-Pins ${suffix} (fictive);Réseau privé;455, boulevard du Curé-Labelle, Saint-Jérôme;fr;SPSJ`,
			`IMP-${suffix}-3;Laurentian Heights ${suffix} High School (fictional);Sir Wilfrid Laurier School Board;"88 Maple Street, Saint-Jérôme";en;SPSJ`
		];
		const good = [header, ...rows].join('\n');
		const duplicate = [header, rows[0], rows[1], rows[1]!.replace(`Académie`, 'Collège')].join('\n');
		const csvField = page.getByLabel(msg('fr', 'import.field.csv'));
		const previewButton = page.getByRole('button', { name: msg('fr', 'import.preview') });
		const commitButton = page.getByRole('button', { name: msgN('fr', 'import.commit', 3) });
		const problems = page.getByRole('region', { name: msg('fr', 'import.col.reason') }).getByRole('table');
		const nothingSaved = async () => {
			await page.goto(`/ecoles?q=${encodeURIComponent(`IMP-${suffix}`)}`);
			await expect(page.locator('main')).toContainText(msg('fr', 'schools.none'));
		};

		await loginAs(page, 'coordination@sexto.test');
		await page.goto('/ecoles');
		await page.getByRole('link', { name: msg('fr', 'schools.import') }).click();
		await expect(page).toHaveURL(`${BASE_URL}/ecoles/importer`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'import.title'));
		// Only the coordinator's own police service may be named.
		await expect(page.locator('main')).toContainText('— SPSJ');
		await expect(page.locator('main')).not.toContainText('RIPLV');
		await expectNoA11yViolations(page);

		await test.step('a duplicate code: the problems table, no commit button, nothing saved', async () => {
			await csvField.fill(duplicate);
			await previewButton.click();
			await expect(page.getByRole('alert')).toHaveText(msgN('fr', 'import.problems', 1));
			// One problem is singular in French.
			await expect(page.getByRole('alert')).toHaveText('1 problème trouvé : rien n’a été importé.');
			await expect(problems.getByRole('row')).toHaveCount(2);
			await expect(problems.getByRole('row').nth(1).getByRole('cell')).toHaveText(['4', msg('fr', 'import.field.code'), msg('fr', 'import.error.duplicate_in_file', { value: '3' })]);
			await expect(commitButton).toHaveCount(0);
			// The pasted text comes back for correction.
			await expect(csvField).toHaveValue(duplicate);
			await expectNoA11yViolations(page);
			await page.setViewportSize(PHONE);
			expect(await horizontalOverflow(page), 'horizontal overflow at 360 px').toBeLessThanOrEqual(0);
			await expectNoA11yViolations(page);
			await screenshot(page, 'import-problems-fr-360');
			await page.setViewportSize({ width: 1280, height: 800 });
			await nothingSaved();
		});

		await test.step('a good file: preview of 3, then a commit that finds the file changed saves nothing', async () => {
			await page.goto('/ecoles/importer');
			await csvField.fill(good);
			await previewButton.click();
			await expect(page.getByRole('status')).toHaveText(msgN('fr', 'import.ready', 3));
			const preview = page.getByRole('region', { name: msgN('fr', 'import.ready', 3) }).getByRole('table');
			await expect(preview.getByRole('row')).toHaveCount(4);
			await expect(preview).toContainText(`École secondaire de l’Érablière ${suffix} (fictive)`);
			await expect(commitButton).toBeVisible();
			await expectNoA11yViolations(page);
			// All or nothing: the text is edited after the preview to add a bad row; the commit re-checks it.
			await csvField.fill(`${good}\nIMP-${suffix}-4;Sans langue;;;xx;SPSJ`);
			await commitButton.click();
			await expect(page.getByRole('alert')).toHaveText(msgN('fr', 'import.problems', 1));
			await expect(problems.getByRole('row').nth(1).getByRole('cell')).toHaveText(['5', msg('fr', 'import.field.language'), msg('fr', 'import.error.invalid_language', { value: 'xx' })]);
			await nothingSaved();
		});

		await test.step('the good file, committed', async () => {
			await page.goto('/ecoles/importer');
			await csvField.fill(good);
			await previewButton.click();
			await expect(page.getByRole('status')).toHaveText(msgN('fr', 'import.ready', 3));
			await commitButton.click();
			await expect(page.getByRole('status')).toHaveText(msgN('fr', 'import.done', 3));
			await expectNoA11yViolations(page);
			await page.goto(`/ecoles?q=${encodeURIComponent(`IMP-${suffix}`)}`);
			const table = page.getByRole('region', { name: msg('fr', 'schools.title') }).getByRole('table');
			await expect(table.getByRole('row')).toHaveCount(4);
			for (let i = 1; i <= 3; i++) await expect(rowWith(table, `IMP-${suffix}-${i}`)).toContainText(msg('fr', 'schools.covered_since', { date: '2016-11-01' }));
			await expect(table).toContainText(`Laurentian Heights ${suffix} High School (fictional)`);
		});

		await test.step('naming another police service (RIPLV) is refused', async () => {
			await page.goto('/ecoles/importer');
			await csvField.fill(['code,name,service_centre,address,language,police_service', `IMP-${suffix}-9,École du Lac ${suffix} (fictive),,,fr,RIPLV`].join('\n'));
			await previewButton.click();
			await expect(page.getByRole('alert')).toHaveText(msgN('fr', 'import.problems', 1));
			await expect(problems.getByRole('row').nth(1).getByRole('cell')).toHaveText(['2', msg('fr', 'import.field.policeService'), msg('fr', 'import.error.unknown_police_service', { value: 'RIPLV' })]);
			await expect(page.getByRole('button', { name: /^Importer/ })).toHaveCount(0);
			await expectNoA11yViolations(page);
			await page.goto(`/ecoles?q=${encodeURIComponent(`IMP-${suffix}-9`)}`);
			await expect(page.locator('main')).toContainText(msg('fr', 'schools.none'));
		});
	});
});
