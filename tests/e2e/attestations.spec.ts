/**
 * The public proof page (issue 7), as CADRE21's attestation pages show it: badge name, description, "Badge
 * attribué à" with a link to the member's profile, "Date d'obtention" with its time, the three reflection
 * questions with the holder's answers — in French and in English — plus the holder's controls: a hidden
 * answer is not in the page at all, a private page is "not found" for anyone else. The demo seed made
 * Émilie Roy's (apprenant@sexto.test) Explorateur page and profile public. Renewal: the e2e seed's expired
 * Architecte badge (E2E_RENEW_HOLDER) is renewed by its holder from the page; nobody else is offered it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { createDb } from '../../src/lib/server/db';
import { demoEvidence } from '../../src/lib/server/db/seed/demo-attestations';

const DEMO_EVIDENCE = demoEvidence();
import { BASE_URL, DATABASE_URL, E2E_RENEW_HOLDER, ROOT } from './constants';
import { expect, expectNoA11yViolations, loginAs, msg, screenshot, test } from './fixtures';

const HOLDER = 'apprenant@sexto.test';
const HOLDER_NAME = 'Émilie Roy';
const badge = JSON.parse(readFileSync(resolve(ROOT, 'content/badges/explorateur.json'), 'utf8')) as {
	name: { fr: string; en: string };
	description: { fr: string; en: string };
	criteria: { fr: string; en: string };
	issuer: { name: { fr: string; en: string } };
};

let awardId = '';
let profileId = '';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	const handle = createDb(DATABASE_URL.replace('sqlite:./', `sqlite:${ROOT}/`), { poolSize: 1 });
	try {
		const row = await handle.db
			.selectFrom('training_awards as a')
			.innerJoin('users as u', 'u.id', 'a.user_id')
			.innerJoin('member_profiles as p', 'p.user_id', 'a.user_id')
			.select(['a.id', 'p.public_id'])
			.where('u.email', '=', HOLDER)
			.where('a.level', '=', 'explorateur')
			.where('a.revoked_at', 'is', null)
			.executeTakeFirstOrThrow();
		awardId = row.id;
		profileId = row.public_id;
	} finally {
		await handle.close();
	}
});

/** The page's text in the <main> landmark (what a visitor reads). */
const mainText = (page: Page) => page.locator('main').innerText();

async function expectSeedFields(page: Page, locale: 'fr' | 'en') {
	await expect(page.locator('html')).toHaveAttribute('lang', locale);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(badge.name[locale]);
	const main = page.locator('main');
	await expect(main.getByText(badge.description[locale])).toBeVisible();
	await expect(main.getByText(badge.criteria[locale])).toBeVisible();
	await expect(main.getByRole('img', { name: /Sexto/ })).toBeVisible();
	// "Badge attribué à" / "Awarded to" with the holder's name linking to the public profile
	await expect(main.locator('dt', { hasText: msg(locale, 'attestations.awarded_to') })).toBeVisible();
	const holderLink = main.locator('dd.proof-holder a');
	await expect(holderLink).toHaveText(HOLDER_NAME);
	await expect(holderLink).toHaveAttribute('href', locale === 'en' ? `/en/members/${profileId}` : `/membres/${profileId}`);
	// "Date d'obtention" / "Date earned": date and time (Montréal)
	await expect(main.locator('dt', { hasText: msg(locale, 'attestations.date_earned') })).toBeVisible();
	const time = main.locator('dd time');
	await expect(time).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
	await expect(time).toHaveText(locale === 'fr' ? /^\d{1,2} \S+ \d{4} à \d{2} h \d{2}$/ : /^[A-Z][a-z]+ \d{1,2}, \d{4} at \d{1,2}:\d{2} [ap]\.m\.$/);
	// the three reflection questions, each with the holder's answer
	for (const item of DEMO_EVIDENCE) {
		await expect(main.getByRole('heading', { level: 3, name: item.question[locale] })).toBeVisible();
		await expect(main.getByText(item.answer)).toBeVisible();
	}
	await expect(main.locator('#status-title')).toHaveText(`${msg(locale, 'attestations.status.label')} ${msg(locale, 'attestations.status.valid')}`);
}

test('the proof page in French shows every field of the seed pages, shareable and accessible', async ({ page }) => {
	const res = await page.goto(`/attestations/${awardId}`);
	expect(res?.status()).toBe(200);
	await expectSeedFields(page, 'fr');

	// sharing: Open Graph and Twitter tags, canonical and hreflang
	const head = page.locator('head');
	await expect(head.locator('meta[property="og:title"]')).toHaveAttribute('content', badge.name.fr);
	await expect(head.locator('meta[property="og:image"]')).toHaveAttribute('content', `${BASE_URL}/badges/explorateur.png`);
	await expect(head.locator('meta[name="twitter:card"]')).toHaveAttribute('content', 'summary');
	await expect(head.locator('link[rel="canonical"]')).toHaveAttribute('href', `${BASE_URL}/attestations/${awardId}`);
	await expect(head.locator('link[rel="alternate"][hreflang="en"]')).toHaveAttribute('href', `${BASE_URL}/en/attestations/${awardId}`);
	const og = await page.request.get(`${BASE_URL}/badges/explorateur.png`);
	expect(og.status()).toBe(200);
	expect(og.headers()['content-type']).toBe('image/png');

	// downloads point to the credential routes; LinkedIn's "add certification" address is well-formed
	const share = page.locator('.proof-share');
	await expect(share.getByRole('link', { name: msg('fr', 'attestations.download_json') })).toHaveAttribute('href', `/attestations/${awardId}/credential.json`);
	await expect(share.getByRole('link', { name: msg('fr', 'attestations.download_png') })).toHaveAttribute('href', `/attestations/${awardId}/badge.png`);
	await expect(share.getByRole('link', { name: msg('fr', 'attestations.download_svg') })).toHaveAttribute('href', `/attestations/${awardId}/badge.svg`);
	const linkedIn = new URL((await share.getByRole('link', { name: msg('fr', 'attestations.linkedin') }).getAttribute('href'))!);
	expect(linkedIn.origin + linkedIn.pathname).toBe('https://www.linkedin.com/profile/add');
	const p = linkedIn.searchParams;
	expect(p.get('startTask')).toBe('CERTIFICATION_NAME');
	expect(p.get('name')).toBe(badge.name.fr);
	expect(p.get('organizationName')).toBe(badge.issuer.name.fr);
	expect(p.get('issueYear')).toMatch(/^20\d\d$/);
	expect(Number(p.get('issueMonth'))).toBeGreaterThanOrEqual(1);
	expect(Number(p.get('issueMonth'))).toBeLessThanOrEqual(12);
	expect(p.get('certUrl')).toBe(`${BASE_URL}/attestations/${awardId}`);
	expect(p.get('certId')).toBe(awardId);
	// the print button appears with JavaScript (one static script, CSP-compliant)
	await expect(share.getByRole('button', { name: msg('fr', 'attestations.print') })).toBeVisible();

	await expectNoA11yViolations(page);
	await page.screenshot({ path: resolve(ROOT, 'docs/screenshots/attestation-fr.png'), fullPage: true });
	await page.setViewportSize({ width: 360, height: 780 });
	await expectNoA11yViolations(page);
	await screenshot(page, 'attestation-fr-360');

	// print: no navigation, no buttons, no share links; the proof itself stays
	await page.setViewportSize({ width: 1280, height: 800 });
	await page.emulateMedia({ media: 'print' });
	await expect(page.locator('.site-header')).toBeHidden();
	await expect(page.locator('.site-footer')).toBeHidden();
	await expect(share).toBeHidden();
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(page.getByText(DEMO_EVIDENCE[2]!.answer)).toBeVisible();
	await screenshot(page, 'attestation-fr-print');
	await page.emulateMedia({ media: 'screen' });
});

test('the proof page in English, and the language switch between the two addresses', async ({ page }) => {
	const res = await page.goto(`/en/attestations/${awardId}`);
	expect(res?.status()).toBe(200);
	await expectSeedFields(page, 'en');
	await expect(page.locator('head link[rel="canonical"]')).toHaveAttribute('href', `${BASE_URL}/en/attestations/${awardId}`);
	await expectNoA11yViolations(page);
	await screenshot(page, 'attestation-en');

	await Promise.all([
		page.waitForURL((url) => url.pathname === `/attestations/${awardId}`),
		page.locator('header').getByRole('button', { name: msg('en', 'layout.language.switch') }).click()
	]);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(badge.name.fr);
	await Promise.all([
		page.waitForURL((url) => url.pathname === `/en/attestations/${awardId}`),
		page.locator('header').getByRole('button', { name: msg('fr', 'layout.language.switch') }).click()
	]);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(badge.name.en);
});

test('the holder’s name leads to the public member profile (FR and EN)', async ({ page }) => {
	await page.goto(`/attestations/${awardId}`);
	await page.locator('dd.proof-holder a').click();
	await expect(page).toHaveURL((url) => url.pathname === `/membres/${profileId}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(HOLDER_NAME);
	await expect(page.getByText(msg('fr', 'attestations.member.school', { school: 'École secondaire des Hauts-Bois (fictive)' }))).toBeVisible();
	await expect(page.locator('main').getByRole('link', { name: badge.name.fr })).toHaveAttribute('href', `/attestations/${awardId}`);
	await expectNoA11yViolations(page);
	await screenshot(page, 'attestation-member-profile');
	const en = await page.goto(`/en/members/${profileId}`);
	expect(en?.status()).toBe(200);
	await expect(page.locator('main').getByRole('link', { name: badge.name.en })).toHaveAttribute('href', `/en/attestations/${awardId}`);
	await expectNoA11yViolations(page);
	// an unknown profile id is not found
	expect((await page.goto('/membres/AAAAAAAAAAAAAAAAAAAAAA'))?.status()).toBe(404);
});

test('a hidden answer is not in the page at all; the holder sees the banner with the controls', async ({ page, browser }) => {
	test.setTimeout(150_000);
	const hidden = DEMO_EVIDENCE[1]!;
	await loginAs(page, HOLDER);
	await page.goto('/profil');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'attestations.profile.title'));
	await expectNoA11yViolations(page);
	await screenshot(page, 'attestation-profile-settings');
	await page.getByRole('link', { name: `${msg('fr', 'attestations.profile.manage')} : ${badge.name.fr}` }).click();
	await expect(page).toHaveURL((url) => url.pathname === `/attestations/${awardId}/parametres`);
	await expectNoA11yViolations(page);
	await screenshot(page, 'attestation-holder-settings');
	await page.getByLabel(msg('fr', 'attestations.settings.show_answer', { question: hidden.question.fr })).uncheck();
	await page.locator('main form button[type="submit"]').click();
	await expect(page.getByRole('status')).toHaveText(msg('fr', 'attestations.settings.saved_public'));

	const visitor = await browser.newContext();
	try {
		const anon = await visitor.newPage();
		expect((await anon.goto(`/attestations/${awardId}`))?.status()).toBe(200);
		const html = await anon.content();
		expect(html).not.toContain(hidden.answer);
		expect(html).not.toContain(hidden.question.fr);
		expect(html).toContain(DEMO_EVIDENCE[0]!.answer);
		expect(html).toContain(DEMO_EVIDENCE[2]!.answer);
		expect(await mainText(anon)).not.toContain(hidden.answer);
		await expect(anon.locator('.holder-banner')).toHaveCount(0);

		// the holder sees the page as visitors do, with the banner and the controls
		await page.goto(`/attestations/${awardId}`);
		await expect(page.getByRole('heading', { level: 2, name: msg('fr', 'attestations.holder.banner_title') })).toBeVisible();
		await expect(page.getByText(msg('fr', 'attestations.holder.hidden_one', { count: 1 }))).toBeVisible();
		await expect(page.getByRole('link', { name: msg('fr', 'attestations.holder.settings') })).toHaveAttribute('href', `/attestations/${awardId}/parametres`);
		await expectNoA11yViolations(page);
	} finally {
		await page.goto(`/attestations/${awardId}/parametres`);
		await page.getByLabel(msg('fr', 'attestations.settings.show_answer', { question: hidden.question.fr })).check();
		await page.locator('main form button[type="submit"]').click();
		await expect(page.getByRole('status')).toHaveText(msg('fr', 'attestations.settings.saved_public'));
		await visitor.close();
	}
});

test('a private page is the same "not found" as an unknown id, for anyone but its holder', async ({ page, browser }) => {
	test.setTimeout(150_000);
	await loginAs(page, HOLDER);
	await page.goto(`/attestations/${awardId}/parametres`);
	await page.getByLabel(msg('fr', 'attestations.settings.private')).check();
	await page.locator('main form button[type="submit"]').click();
	await expect(page.getByRole('status')).toHaveText(msg('fr', 'attestations.settings.saved_private'));

	const visitor = await browser.newContext();
	try {
		const anon = await visitor.newPage();
		const privateRes = await anon.goto(`/attestations/${awardId}`);
		expect(privateRes?.status()).toBe(404);
		const privateText = await mainText(anon);
		expect(privateText).not.toContain(HOLDER_NAME);
		const unknownRes = await anon.goto(`/attestations/${crypto.randomUUID()}`);
		expect(unknownRes?.status()).toBe(404);
		expect(await mainText(anon)).toBe(privateText);
		expect((await anon.goto(`/en/attestations/${awardId}`))?.status()).toBe(404);
		expect((await anon.goto('/attestations/not-an-id'))?.status()).toBe(404);
		// the credential downloads of a private page are "not found" too (and nothing is issued for a stranger)
		for (const file of ['credential.json', 'badge.png', 'badge.svg']) {
			expect((await anon.request.get(`/attestations/${awardId}/${file}`)).status()).toBe(404);
		}
		// a signed-in stranger too, and the settings page
		await loginAs(anon, 'direction@sexto.test');
		expect((await anon.goto(`/attestations/${awardId}`))?.status()).toBe(404);
		expect((await anon.goto(`/attestations/${awardId}/parametres`))?.status()).toBe(404);
		await expectNoA11yViolations(anon);

		// the holder still sees it, told it is private
		await page.goto(`/attestations/${awardId}`);
		await expect(page.getByText(msg('fr', 'attestations.holder.private'))).toBeVisible();
		// and may still download their own credential
		expect((await page.request.get(`/attestations/${awardId}/credential.json`)).status()).toBe(200);
	} finally {
		// back to the seeded state: public
		await page.goto(`/attestations/${awardId}/parametres`);
		await page.getByLabel(msg('fr', 'attestations.settings.public')).check();
		await page.locator('main form button[type="submit"]').click();
		await expect(page.getByRole('status')).toHaveText(msg('fr', 'attestations.settings.saved_public'));
		await visitor.close();
	}
});

test('the holder renews an expired badge from its proof page (FR and EN); nobody else is offered renewal', async ({ page, browser }) => {
	test.setTimeout(150_000);
	const id = E2E_RENEW_HOLDER.awardId;
	const statusTitle = (locale: 'fr' | 'en', kind: 'valid' | 'expired') => `${msg(locale, 'attestations.status.label')} ${msg(locale, `attestations.status.${kind}`)}`;
	const renewButton = (p: Page, locale: 'fr' | 'en') => p.getByRole('button', { name: msg(locale, 'attestations.credential.renew.submit') });

	// Visitors — anonymous, and a trainer-evaluator (whom the policy lets renew, but this is not their badge): expired, no control.
	const visitor = await browser.newContext();
	try {
		const anon = await visitor.newPage();
		expect((await anon.goto(`/attestations/${id}`))?.status()).toBe(200);
		await expect(anon.locator('#status-title')).toHaveText(statusTitle('fr', 'expired'));
		await expect(renewButton(anon, 'fr')).toHaveCount(0);
		expect(await anon.content()).not.toContain('/renouveler');
		await expectNoA11yViolations(anon);
		await loginAs(anon, 'formateur@sexto.test');
		await anon.goto(`/attestations/${id}`);
		await expect(anon.locator('#status-title')).toHaveText(statusTitle('fr', 'expired'));
		await expect(anon.locator('.holder-banner')).toHaveCount(0);
		await expect(renewButton(anon, 'fr')).toHaveCount(0);
		expect(await anon.content()).not.toContain('/renouveler');
	} finally {
		await visitor.close();
	}

	// The holder: the control in English, then renewal from the French page.
	await loginAs(page, E2E_RENEW_HOLDER.email, E2E_RENEW_HOLDER.password);
	await page.goto(`/en/attestations/${id}`);
	await expect(page.locator('#status-title')).toHaveText(statusTitle('en', 'expired'));
	await expect(page.getByText(msg('en', 'attestations.holder.renew_expired'))).toBeVisible();
	await expect(renewButton(page, 'en')).toBeVisible();
	await expectNoA11yViolations(page);

	await page.goto(`/attestations/${id}`);
	await expect(page.locator('#status-title')).toHaveText(statusTitle('fr', 'expired'));
	const earned = await page.locator('.proof-facts time').first().getAttribute('datetime');
	const earnedText = await page.locator('.proof-facts time').first().innerText();
	await expect(page.locator('.proof-valid-until')).toHaveCount(0);
	await expectNoA11yViolations(page);
	await screenshot(page, 'attestation-renewal-expired');
	await Promise.all([page.waitForURL((url) => url.pathname === `/attestations/${id}` && url.searchParams.has('renouvele')), renewButton(page, 'fr').click()]);

	// Renewed: valid, the original "Date d'obtention", the new "Valide jusqu'au", no control any more.
	await expect(page.getByRole('status')).toHaveText(msg('fr', 'attestations.holder.renewed'));
	await expect(page.locator('#status-title')).toHaveText(statusTitle('fr', 'valid'));
	await expect(page.locator('.proof-facts time').first()).toHaveAttribute('datetime', earned!);
	await expect(page.locator('.proof-facts time').first()).toHaveText(earnedText);
	await expect(page.locator('.proof-facts dt', { hasText: msg('fr', 'attestations.valid_until') })).toBeVisible();
	const until = page.locator('.proof-valid-until time');
	const untilIso = (await until.getAttribute('datetime'))!;
	const inThreeYears = new Date();
	inThreeYears.setUTCMonth(inThreeYears.getUTCMonth() + 36);
	expect(Math.abs(Date.parse(untilIso) - inThreeYears.getTime())).toBeLessThan(3 * 86_400_000);
	await expect(until).toHaveText(/^\d{1,2} \S+ \d{4}$/);
	await expect(renewButton(page, 'fr')).toHaveCount(0);
	await expectNoA11yViolations(page);
	await page.screenshot({ path: resolve(ROOT, 'test-results/screenshots/attestation-renewed-fr.png'), fullPage: true });

	// The new credential keeps the award date; the English page says the same.
	const credential = await (await page.request.get(`/attestations/${id}/credential.json`)).json();
	expect(credential.awardedDate).toBe(earned);
	expect(credential.validUntil).toBe(untilIso);
	await page.goto(`/en/attestations/${id}`);
	await expect(page.locator('#status-title')).toHaveText(statusTitle('en', 'valid'));
	await expect(page.locator('.proof-facts time').first()).toHaveAttribute('datetime', earned!);
	await expect(page.locator('.proof-facts dt', { hasText: msg('en', 'attestations.valid_until') })).toBeVisible();
	await expect(page.locator('.proof-valid-until time')).toHaveAttribute('datetime', untilIso);
	await expect(renewButton(page, 'en')).toHaveCount(0);
	await expectNoA11yViolations(page);
	await screenshot(page, 'attestation-renewed-en');

	// A visitor now sees it valid too (this server dropped its copy on renewal).
	const later = await browser.newContext();
	try {
		const anon = await later.newPage();
		await anon.goto(`/attestations/${id}`);
		await expect(anon.locator('#status-title')).toHaveText(statusTitle('fr', 'valid'));
		await expect(renewButton(anon, 'fr')).toHaveCount(0);
	} finally {
		await later.close();
	}
});
