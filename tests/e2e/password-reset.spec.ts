/**
 * (d) Password reset end to end through the real SMTP server: request, email, link, new password,
 * sign-in with it; the old password no longer works and the link works only once.
 */
import { BASE_URL, E2E_RESET_USER } from './constants';
import { expect, expectNoA11yViolations, loginAs, mainSubmit, msg, test } from './fixtures';
import { linkIn, readMailbox, waitForMail } from './mail';

const NEW_PASSWORD = 'Une-nouvelle-phrase-de-passe-2026';

test('reset a forgotten password with the emailed link', async ({ page }) => {
	const email = E2E_RESET_USER.email;

	await page.goto('/connexion');
	await page.getByRole('link', { name: msg('fr', 'login.forgot') }).click();
	await expect(page).toHaveURL(`${BASE_URL}/mot-de-passe-oublie`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'forgot.title'));
	await expectNoA11yViolations(page);

	const since = Date.now();
	await page.locator('#field-email').fill(email.toUpperCase());
	await mainSubmit(page).click();
	await expect(page.getByRole('status')).toHaveText(msg('fr', 'forgot.sent'));
	await expectNoA11yViolations(page);

	const mail = await waitForMail(email, { since, subject: /^Sexto — réinitialiser/ });
	expect(mail.subject).toBe(msg('fr', 'mail.reset.subject'));
	expect(mail.from).toBe('no-reply@sexto.test');
	expect(mail.text).toContain(`${BASE_URL}/reinitialiser/`);
	const link = linkIn(mail, '/reinitialiser/');

	await page.goto(link);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'reset.title'));
	await expectNoA11yViolations(page);

	// A mismatched confirmation is refused and does not burn the link.
	await page.locator('#field-password').fill(NEW_PASSWORD);
	await page.locator('#field-confirm').fill(NEW_PASSWORD + '!');
	await mainSubmit(page).click();
	await expect(page.locator('#field-confirm-error')).toHaveText(msg('fr', 'form.error.mismatch'));
	await expect(page.locator('#field-confirm')).toHaveAttribute('aria-invalid', 'true');
	await expectNoA11yViolations(page);

	await page.locator('#field-password').fill(NEW_PASSWORD);
	await page.locator('#field-confirm').fill(NEW_PASSWORD);
	await Promise.all([page.waitForURL((url) => url.pathname === '/connexion'), mainSubmit(page).click()]);
	await expect(page).toHaveURL(`${BASE_URL}/connexion?notice=password_changed`);
	await expect(page.getByRole('status')).toHaveText(msg('fr', 'login.password_changed'));
	await expectNoA11yViolations(page);
	const changed = await waitForMail(email, { since, subject: /mot de passe a été changé/ });
	expect(changed.text).not.toMatch(/https?:\/\//);

	// The old password is refused, the new one works.
	await page.locator('#field-email').fill(email);
	await page.locator('#field-password').fill(E2E_RESET_USER.password);
	await mainSubmit(page).click();
	await expect(page.getByRole('alert')).toHaveText(msg('fr', 'login.error.invalid'));
	await loginAs(page, email, NEW_PASSWORD);
	await expect(page.locator('main')).toContainText(msg('fr', 'dashboard.hello', { name: E2E_RESET_USER.name }));

	// The link works once.
	await page.goto(link);
	await expect(page.getByRole('alert')).toHaveText(msg('fr', 'reset.error.invalid_token'));
	await expect(page.getByRole('link', { name: msg('fr', 'reset.request_new') })).toHaveAttribute('href', '/mot-de-passe-oublie');
	await expect(page.locator('#field-password')).toHaveCount(0);
	await expectNoA11yViolations(page);
});

test('an unknown address gets the same answer and no email', async ({ page }) => {
	const since = Date.now();
	await page.goto('/mot-de-passe-oublie');
	await page.locator('#field-email').fill('personne@sexto.test');
	await mainSubmit(page).click();
	await expect(page.getByRole('status')).toHaveText(msg('fr', 'forgot.sent'));
	// Give a (wrong) message time to arrive before concluding there is none.
	await page.waitForTimeout(1000);
	expect(readMailbox().filter((m) => m.receivedAt >= since && m.to.includes('personne@sexto.test'))).toEqual([]);
});

test('a made-up reset link shows the invalid-link message', async ({ page }) => {
	const response = await page.goto('/reinitialiser/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
	expect(response?.status()).toBe(200);
	await expect(page.getByRole('alert')).toHaveText(msg('fr', 'reset.error.invalid_token'));
});
