/**
 * (e) A principal invites a new responder on /equipe; the invitation arrives through the real SMTP
 * server; the invitee accepts it in a fresh browser context, then signs in with the new account.
 */
import { BASE_URL } from './constants';
import { expect, expectNoA11yViolations, loginAs, mainSubmit, msg, test } from './fixtures';
import { linkIn, waitForMail } from './mail';

test('invite a responder, accept the invitation, sign in', async ({ page, browser }) => {
	const email = `nouvelle.intervenante.${Date.now()}@sexto.test`;
	const name = 'Chloé Nouvelle';
	const password = 'Phrase-de-passe-invitee-2026';

	await loginAs(page, 'direction@sexto.test');
	await page.locator('header').getByRole('link', { name: msg('fr', 'layout.nav.team') }).click();
	await expect(page).toHaveURL(`${BASE_URL}/equipe`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'team.title'));
	await expect(page.getByRole('region', { name: msg('fr', 'team.members') })).toContainText('Isabelle Tremblay');
	await expectNoA11yViolations(page);

	const since = Date.now();
	const form = page.locator('form[action="?/invite"]');
	await form.getByLabel(msg('fr', 'team.invite.email')).fill(email);
	await form.getByLabel(msg('fr', 'team.invite.name')).fill(name);
	await form.getByLabel(msg('fr', 'team.invite.role')).selectOption({ label: msg('fr', 'role.responder') });
	await form.getByLabel(msg('fr', 'team.invite.scope')).selectOption({ index: 0 });
	await form.getByRole('button', { name: msg('fr', 'team.invite.submit') }).click();
	await expect(page.getByRole('status')).toHaveText(msg('fr', 'team.invite.sent', { email, days: 7 }));
	await expectNoA11yViolations(page);

	const mail = await waitForMail(email, { since });
	expect(mail.subject).toBe(msg('fr', 'mail.invite.subject'));
	expect(mail.text).toContain(`Bonjour ${name}`);
	expect(mail.text).toContain('Marc Gagnon');
	expect(mail.text).toContain(msg('fr', 'role.responder'));
	expect(mail.text).toContain(`${BASE_URL}/invitation/`);
	const link = linkIn(mail, '/invitation/');

	// The invitee has never been here: a fresh context (no cookies from the principal).
	const invitee = await browser.newContext({ baseURL: BASE_URL, locale: 'fr-CA' });
	try {
		const p = await invitee.newPage();
		await p.goto(link);
		await expect(p.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'invite.accept.title'));
		await expect(p.locator('main')).toContainText(email);
		await expect(p.locator('#field-displayName')).toHaveValue(name);
		await expectNoA11yViolations(p);

		// Too short a password is refused first.
		await p.locator('#field-password').fill('court');
		await p.locator('#field-confirm').fill('court');
		await mainSubmit(p).click();
		await expect(p.locator('#field-password-error')).toHaveText(msg('fr', 'form.error.too_short', { min: 12 }));
		await expectNoA11yViolations(p);

		await p.locator('#field-password').fill(password);
		await p.locator('#field-confirm').fill(password);
		await Promise.all([p.waitForURL((url) => url.pathname === '/connexion'), mainSubmit(p).click()]);
		await expect(p.getByRole('status')).toHaveText(msg('fr', 'login.welcome_invited'));

		await loginAs(p, email, password);
		await expect(p.locator('main')).toContainText(msg('fr', 'dashboard.hello', { name }));
		await expect(p.locator('main li.card h3')).toHaveText([msg('fr', 'role.responder')]);
		await expect(p.locator('main li.card')).toContainText('École secondaire des Hauts-Bois (fictive)');

		// The invitation works once.
		await p.goto(link);
		await expect(p.getByRole('alert')).toHaveText(msg('fr', 'invite.error.invalid_token'));
		await expectNoA11yViolations(p);
	} finally {
		await invitee.close();
	}

	// The principal now sees the new member.
	await page.reload();
	await expect(page.getByRole('region', { name: msg('fr', 'team.members') })).toContainText(name);
});
