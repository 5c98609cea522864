/**
 * Revocation by a trainer-evaluator: the form (axe clean), the verdict of the very next verification, the
 * public proof page (revoked with the reason category in FR and EN, never the internal note), and the refusals
 * (twice → 409 message; a learner → 404).
 */
import { test, expect, msg, loginAs, expectNoA11yViolations } from './fixtures';
import { BASE_URL, E2E_BADGE_HOLDER } from './constants';

const AWARD = E2E_BADGE_HOLDER.revokeAwardId;

test('an evaluator revokes an award; the next verification says revoked, with the reason', async ({ page, request, browser }) => {
	const text = await (await request.get(`/attestations/${AWARD}/credential.json`)).text();
	const credential = JSON.parse(text);
	expect(credential.validUntil).toBeTruthy();

	await loginAs(page, 'formateur@sexto.test');
	await page.goto(`/attestations/${AWARD}/revoquer`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'attestations.credential.revoke.title'));
	await expectNoA11yViolations(page);
	await page.locator('#field-category').selectOption('evidence_invalid');
	await page.locator('#field-note').fill('Réponses copiées d’un autre dossier.');
	await page.getByRole('button', { name: msg('fr', 'attestations.credential.revoke.submit') }).click();
	await expect(page.getByRole('status')).toHaveText(msg('fr', 'attestations.credential.revoke.done'));

	// Twice: refused with its own message and status.
	const twice = await page.request.post(`/attestations/${AWARD}/revoquer`, { headers: { origin: BASE_URL, accept: 'text/html' }, form: { category: 'other' } });
	expect(twice.status()).toBe(409);
	expect(await twice.text()).toContain(msg('fr', 'attestations.credential.already_revoked'));

	// The very next verification of the same credential.
	await page.goto('/verifier');
	await page.locator('#field-credential').fill(text);
	await page.getByRole('button', { name: msg('fr', 'attestations.verify.paste.submit') }).click();
	await expect(page.locator('#verdict-title')).toHaveText(msg('fr', 'attestations.verify.status.revoked'));
	await expect(page.locator('.verdict')).toContainText(msg('fr', 'attestations.credential.revocation.evidence_invalid'));
	await expect(page.locator('.verdict')).not.toContainText('copiées');
	await expectNoA11yViolations(page);

	// The public proof page, to an anonymous visitor: "revoked" with the category, never the internal note.
	const visitor = await browser.newContext();
	try {
		const anon = await visitor.newPage();
		for (const locale of ['fr', 'en'] as const) {
			expect((await anon.goto(`${locale === 'en' ? '/en' : ''}/attestations/${AWARD}`))?.status()).toBe(200);
			await expect(anon.locator('#status-title')).toHaveText(`${msg(locale, 'attestations.status.label')} ${msg(locale, 'attestations.status.revoked')}`);
			await expect(anon.locator('.proof-status')).toContainText(msg(locale, 'attestations.revocation.evidence_invalid'));
			const html = await anon.content();
			expect(html).not.toContain('copiées');
			expect(html).not.toContain('autre dossier');
			await expect(anon.getByRole('button', { name: msg(locale, 'attestations.credential.renew.submit') })).toHaveCount(0);
			await expectNoA11yViolations(anon);
		}
	} finally {
		await visitor.close();
	}
});

test('someone who may not revoke gets 404, like an unknown award', async ({ page }) => {
	await loginAs(page, 'intervenant@sexto.test');
	expect((await page.goto(`/attestations/${AWARD}/revoquer`))?.status()).toBe(404);
	expect((await page.goto('/attestations/00000000-0000-4000-8000-000000000000/revoquer'))?.status()).toBe(404);
});
