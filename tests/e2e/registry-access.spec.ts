/**
 * (j) Registry tenancy and the public coverage page, seen from the browser.
 * - The Saint-Jérôme coordinator never sees Lac-Vert's school: not in /ecoles, and its address answers 404
 *   (its existence does not leak). A principal and a responder get 403 on /registre and /ecoles.
 * - /couverture (French) and /en/coverage (English) list the police services with an agreement in force,
 *   are searchable without accents, and the language switch moves between the two addresses.
 */
import { DEMO_IDS } from '../../src/lib/server/db/seed/demo';
import { BASE_URL } from './constants';
import { expect, expectNoA11yViolations, loginAs, msg, screenshot, test, type Locale } from './fixtures';

const LAC_VERT_SCHOOL = 'Polyvalente du Lac-Vert (fictive)';

test('the Saint-Jérôme coordinator cannot see Lac-Vert’s school', async ({ page }) => {
	await loginAs(page, 'coordination@sexto.test');
	await page.getByRole('navigation').getByRole('link', { name: msg('fr', 'layout.nav.schools') }).click();
	await expect(page).toHaveURL(`${BASE_URL}/ecoles`);
	const table = page.getByRole('region', { name: msg('fr', 'schools.title') }).getByRole('table');
	await expect(table).toContainText('École secondaire des Hauts-Bois (fictive)');
	await expect(page.locator('main')).not.toContainText(LAC_VERT_SCHOOL);
	await expect(page.locator('main')).not.toContainText('DEMO-002');
	// The new-school form offers only the coordinator's own police service.
	await expect(page.getByLabel(msg('fr', 'registry.field.police_service')).locator('option')).toHaveText(['Service de police de la Ville de Saint-Jérôme']);
	await expectNoA11yViolations(page);

	// Searching for it finds nothing either.
	await page.getByRole('searchbox', { name: msg('fr', 'schools.search') }).fill('lac-vert');
	await page.getByRole('button', { name: msg('fr', 'schools.search_submit') }).click();
	await expect(page).toHaveURL(`${BASE_URL}/ecoles?q=lac-vert`);
	await expect(page.locator('main')).toContainText(msg('fr', 'schools.none'));

	// Its address answers 404, the same as a school that does not exist.
	for (const id of [DEMO_IDS.schoolOther, '7b0b1a52-0000-4000-8000-0000000000ff']) {
		const response = await page.goto(`/ecoles/${id}`);
		expect(response?.status(), id).toBe(404);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'error.title', { status: 404 }));
		await expect(page.locator('main')).toContainText(msg('fr', 'error.404'));
		await expect(page.locator('main')).not.toContainText(LAC_VERT_SCHOOL);
		await expectNoA11yViolations(page);
	}

	// Their own school opens, and the registry stays the admin's.
	const own = await page.goto(`/ecoles/${DEMO_IDS.schoolCovered}`);
	expect(own?.status()).toBe(200);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('École secondaire des Hauts-Bois (fictive)');
	const registry = await page.goto('/registre');
	expect(registry?.status()).toBe(403);
});

for (const email of ['direction@sexto.test', 'intervenant@sexto.test']) {
	test(`${email} gets 403 on /registre and /ecoles`, async ({ page }) => {
		await loginAs(page, email);
		const nav = page.getByRole('navigation');
		await expect(nav.getByRole('link', { name: msg('fr', 'layout.nav.registry') })).toHaveCount(0);
		await expect(nav.getByRole('link', { name: msg('fr', 'layout.nav.schools') })).toHaveCount(0);
		for (const path of ['/registre', '/ecoles', '/ecoles/importer', `/registre/services/${DEMO_IDS.policeCovered}`]) {
			const response = await page.goto(path);
			expect(response?.status(), path).toBe(403);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'error.title', { status: 403 }));
			await expect(page.locator('main')).toContainText(msg('fr', 'error.403'));
		}
		await expectNoA11yViolations(page);
	});
}

const COVERAGE: Record<Locale, { path: string; saintJerome: string }> = {
	fr: { path: '/couverture', saintJerome: 'Service de police de la Ville de Saint-Jérôme' },
	en: { path: '/en/coverage', saintJerome: 'Saint-Jérôme Police Service' }
};

for (const locale of ['fr', 'en'] as const) {
	test(`public coverage page in ${locale === 'fr' ? 'French' : 'English'} (${COVERAGE[locale].path})`, async ({ page }) => {
		const { path, saintJerome } = COVERAGE[locale];
		const response = await page.goto(path);
		expect(response?.status()).toBe(200);
		await expect(page.locator('html')).toHaveAttribute('lang', locale);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg(locale, 'coverage.title'));
		await expect(page).toHaveTitle(`${msg(locale, 'coverage.title')} — Sexto`);
		const table = page.getByRole('region', { name: msg(locale, 'coverage.title') }).getByRole('table');
		await expect(table.getByRole('row').filter({ hasText: saintJerome })).toContainText(msg(locale, 'kind.municipal'));
		// Lac-Vert has only a draft agreement: it is not listed.
		await expect(table).not.toContainText('Lac-Vert');
		// The nav link of this page points at the address in the page's language.
		await expect(page.getByRole('navigation').getByRole('link', { name: msg(locale, 'layout.nav.coverage') })).toHaveAttribute('href', path);
		await expectNoA11yViolations(page);

		// Search without the accent.
		await page.getByRole('searchbox', { name: msg(locale, 'coverage.search') }).fill('jerome');
		await page.getByRole('button', { name: msg(locale, 'coverage.search_submit') }).click();
		await expect(page).toHaveURL(`${BASE_URL}${path}?q=jerome`);
		await expect(page.locator('html')).toHaveAttribute('lang', locale);
		await expect(table.getByRole('row')).toHaveCount(2);
		await expect(table).toContainText(saintJerome);
		await expect(page.getByRole('searchbox', { name: msg(locale, 'coverage.search') })).toHaveValue('jerome');
		await expectNoA11yViolations(page);
		await page.setViewportSize({ width: 360, height: 740 });
		await screenshot(page, `coverage-search-${locale}-360`);
		await page.setViewportSize({ width: 1280, height: 800 });

		// A search that finds nothing says so.
		await page.goto(`${path}?q=${encodeURIComponent('zzz-aucun')}`);
		await expect(page.locator('main')).toContainText(msg(locale, 'coverage.none'));
		await expectNoA11yViolations(page);
	});
}

test('the language switch on /couverture goes to /en/coverage and back', async ({ page }) => {
	await page.goto('/couverture?q=jerome');
	await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
	await Promise.all([
		page.waitForURL((url) => url.pathname === '/en/coverage'),
		page.locator('header').getByRole('button', { name: msg('fr', 'layout.language.switch') }).click()
	]);
	await expect(page).toHaveURL(`${BASE_URL}/en/coverage?q=jerome`);
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('en', 'coverage.title'));
	await expect(page.getByRole('region', { name: msg('en', 'coverage.title') })).toContainText(COVERAGE.en.saintJerome);
	await expectNoA11yViolations(page);

	await Promise.all([
		page.waitForURL((url) => url.pathname === '/couverture'),
		page.locator('header').getByRole('button', { name: msg('en', 'layout.language.switch') }).click()
	]);
	await expect(page).toHaveURL(`${BASE_URL}/couverture?q=jerome`);
	await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'coverage.title'));

	// The French address stays French even when the remembered language is English, and vice versa.
	await page.context().addCookies([{ name: 'sexto_locale', value: 'en', url: BASE_URL }]);
	await page.goto('/couverture');
	await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
	await page.context().addCookies([{ name: 'sexto_locale', value: 'fr', url: BASE_URL }]);
	await page.goto('/en/coverage');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

test('the registry page at 360 px', async ({ page }) => {
	await page.setViewportSize({ width: 360, height: 740 });
	await loginAs(page, 'admin@sexto.test');
	await page.goto('/registre');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('en', 'registry.title'));
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow, 'horizontal overflow in px').toBeLessThanOrEqual(0);
	await expectNoA11yViolations(page);
	await screenshot(page, 'registry-en-360');
});
