/**
 * Architecte level, as a learner and as the evaluator, without client JavaScript:
 *   - a learner plays case 3 (sextortion) making a critical error (finishes the questionnaire before calling),
 *     fails, sees the debrief, retries and passes; feedback after every choice;
 *   - a forged choice and a replay of the finished attempt get a clear localized error, never a 500;
 *   - another learner gets a 404 on the attempt; the evaluator sees the full path;
 *   - a person without the Explorateur attestation sees the level locked, with the reason.
 * axe on every page; screenshots at 1280 and 360 px.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, expectNoA11yViolations, loginAs, logout, msg, screenshot, test } from './fixtures';
import { BASE_URL, E2E_ARCHITECTE_USER, ROOT } from './constants';
import { horizontalOverflow, PHONE } from './kit';

const CASE_ID = 'sextorsion-adulte';
const kase = JSON.parse(readFileSync(join(ROOT, 'content', 'training', 'cases', CASE_ID, '1.0.0.json'), 'utf8')) as {
	scenes: { id: string; choices?: { id: string; label: { fr: string }; feedback: { fr: string } }[] }[];
	criticalErrors: { id: string; label: { fr: string } }[];
};
const label = (choiceId: string) => kase.scenes.flatMap((s) => s.choices ?? []).find((c) => c.id === choiceId)!.label.fr;
const feedback = (choiceId: string) => kase.scenes.flatMap((s) => s.choices ?? []).find((c) => c.id === choiceId)!.feedback.fr;
const delayedCall = kase.criticalErrors.find((e) => e.id === 'delayed_call')!.label.fr;

const FAILING = ['rassurer', 'cocher', 'finir_kit', 'appeler_enfin', 'preserver', 'securite'];
const PASSING = ['rassurer', 'cocher', 'appeler', 'preserver', 'securite'];

async function choose(page: Page, choiceId: string): Promise<void> {
	await page.getByLabel(label(choiceId), { exact: true }).check();
	await Promise.all([page.waitForURL(/#feedback$/), page.getByRole('button', { name: msg('fr', 'training.architecte.play.submit') }).click()]);
	await expect(page.locator('#feedback')).toContainText(feedback(choiceId));
}

test.describe('Architecte level', () => {
	// Many pages, each through axe, on a shared two-core machine.
	test.describe.configure({ mode: 'serial', timeout: 240_000 });
	let failedAttemptUrl = '';

	test('a learner fails case 3 on a critical error, retries and passes', async ({ page }) => {
		await loginAs(page, E2E_ARCHITECTE_USER.email, E2E_ARCHITECTE_USER.password);
		await page.goto('/formation/architecte');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'training.architecte.title'));
		await expect(page.locator('main')).toContainText('0 cas réussi sur 3');
		await expect(page.locator('main progress')).toHaveCount(4);
		// progressive forms only: no client JavaScript on these pages
		await expect(page.locator('script')).toHaveCount(0);
		await expectNoA11yViolations(page);
		await screenshot(page, 'architecte-level');

		await page.getByRole('link', { name: /Commencer le cas — Un faux profil et du chantage/ }).click();
		await expect(page).toHaveURL(`/formation/architecte/${CASE_ID}`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cas 3 : Un faux profil et du chantage');
		await expectNoA11yViolations(page);
		await page.getByRole('button', { name: msg('fr', 'training.architecte.action.start') }).click();
		await expect(page.getByRole('heading', { level: 2, name: /Scène 1 : Zachary demande de l’aide/ })).toBeVisible();
		await expect(page.locator('script')).toHaveCount(0);
		await expectNoA11yViolations(page);
		await screenshot(page, 'architecte-scene-1');

		// A choice not offered by the current scene (forged POST): a clear error, nothing recorded.
		const attemptId = await page.locator('input[name="attempt"]').inputValue();
		const forged = await page.request.post(`/formation/architecte/${CASE_ID}?/choose`, {
			headers: { origin: BASE_URL, accept: 'text/html' },
			form: { attempt: attemptId, scene: 'confidence', choice: 'appeler' }
		});
		expect(forged.status()).toBe(400);
		expect(await forged.text()).toContain(msg('fr', 'training.architecte.error.not_offered'));
		// No choice ticked: the server says so (the browser would too; the form posts without it here).
		const empty = await page.request.post(`/formation/architecte/${CASE_ID}?/choose`, { headers: { origin: BASE_URL, accept: 'text/html' }, form: { attempt: attemptId, scene: 'confidence' } });
		expect(empty.status()).toBe(400);
		expect(await empty.text()).toContain(msg('fr', 'training.architecte.error.choose_one'));

		for (const choiceId of FAILING) {
			await choose(page, choiceId);
			if (choiceId === 'finir_kit') {
				await expect(page.locator('#feedback')).toContainText(msg('fr', 'training.architecte.feedback.critical', { label: delayedCall }));
				await expect(page.locator('#feedback')).toContainText('Appelez maintenant');
				await expectNoA11yViolations(page);
				await screenshot(page, 'architecte-critical-feedback');
			}
		}
		await expect(page.getByRole('heading', { level: 2, name: msg('fr', 'training.architecte.debrief.title') })).toBeVisible();
		await expect(page.locator('main')).toContainText(msg('fr', 'training.architecte.debrief.failed'));
		await expect(page.locator('main')).toContainText(msg('fr', 'training.architecte.debrief.score', { score: 13, max: 15, pass: 12 }));
		await expect(page.locator('main')).toContainText(delayedCall);
		await expectNoA11yViolations(page);
		await screenshot(page, 'architecte-debrief-failed');
		failedAttemptUrl = `/evaluation/architecte/${attemptId}`;

		// Replaying the finished attempt (an old form resubmitted with another choice): refused, localized, no 500.
		const replay = await page.request.post(`/formation/architecte/${CASE_ID}?/choose`, { headers: { origin: BASE_URL, accept: 'text/html' }, form: { attempt: attemptId, scene: 'appel', choice: 'appeler' } });
		expect(replay.status()).toBe(409);
		expect(await replay.text()).toContain(msg('fr', 'training.architecte.error.finished'));

		// Retry: a new attempt, the failed one kept in the history.
		await page.getByRole('button', { name: msg('fr', 'training.architecte.action.retry') }).click();
		await expect(page.getByRole('heading', { level: 2, name: /Scène 1/ })).toBeVisible();
		for (const choiceId of PASSING) await choose(page, choiceId);
		await expect(page.locator('main')).toContainText(msg('fr', 'training.architecte.debrief.passed'));
		await expect(page.locator('main')).toContainText(msg('fr', 'training.architecte.debrief.score', { score: 15, max: 15, pass: 12 }));
		await expect(page.locator('main')).toContainText(msg('fr', 'training.architecte.debrief.no_critical'));
		await expect(page.locator('table tbody tr')).toHaveCount(2);
		await expectNoA11yViolations(page);
		await screenshot(page, 'architecte-debrief-passed');

		await page.goto('/formation/architecte');
		await expect(page.locator('main')).toContainText('1 cas réussi sur 3');
		await expect(page.locator('main')).toContainText('Meilleur score : 15 sur 15 (réussite à 12)');
		await expectNoA11yViolations(page);

		// The same pages on a 360 px phone: nothing overflows.
		await page.setViewportSize(PHONE);
		await page.goto('/formation/architecte');
		expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
		await screenshot(page, 'architecte-level-360');
		await page.goto(`/formation/architecte/${CASE_ID}`);
		expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
		await expectNoA11yViolations(page);
		await screenshot(page, 'architecte-debrief-360');
	});

	test("another learner gets a 404 on the attempt; the evaluator sees the full path", async ({ page }) => {
		expect(failedAttemptUrl).not.toBe('');
		await loginAs(page, 'apprenant@sexto.test');
		const other = await page.goto(failedAttemptUrl);
		expect(other?.status()).toBe(404);
		await expect(page.locator('main')).toContainText(msg('fr', 'error.404'));
		await expectNoA11yViolations(page);
		await logout(page);

		await loginAs(page, 'formateur@sexto.test');
		await page.goto('/evaluation/architecte');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('fr', 'training.architecte.eval.title'));
		await expect(page.locator('main')).toContainText(E2E_ARCHITECTE_USER.name);
		await expectNoA11yViolations(page);
		await screenshot(page, 'architecte-eval-list');
		await page.getByLabel(msg('fr', 'training.architecte.eval.filter_status')).selectOption('failed');
		await page.getByRole('button', { name: msg('fr', 'training.architecte.eval.filter_submit') }).click();
		await expect(page).toHaveURL(/statut=failed/);
		await expectNoA11yViolations(page);

		await page.goto(failedAttemptUrl);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Parcours : Un faux profil et du chantage');
		await expect(page.locator('ol.arch-path > li')).toHaveCount(6);
		await expect(page.locator('ol.arch-path > li').nth(2)).toContainText(label('finir_kit'));
		await expect(page.locator('ol.arch-path > li').nth(2)).toContainText(msg('fr', 'training.architecte.feedback.critical', { label: delayedCall }));
		await expect(page.locator('main')).toContainText(E2E_ARCHITECTE_USER.name);
		await expectNoA11yViolations(page);
		await screenshot(page, 'architecte-eval-path');
		await page.setViewportSize(PHONE);
		await page.reload();
		expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
		await screenshot(page, 'architecte-eval-path-360');
	});

	test('without the Explorateur attestation, the level is locked with the reason', async ({ page }) => {
		await loginAs(page, 'intervenant@sexto.test');
		await page.goto('/formation/architecte');
		await expect(page.locator('main')).toContainText(msg('fr', 'training.architecte.locked.reason'));
		await expect(page.getByRole('link', { name: /Commencer le cas/ })).toHaveCount(0);
		await expectNoA11yViolations(page);
		await page.goto(`/formation/architecte/${CASE_ID}`);
		await expect(page.locator('main')).toContainText(msg('fr', 'training.architecte.locked.title'));
		await expect(page.getByRole('button', { name: msg('fr', 'training.architecte.action.start') })).toHaveCount(0);
		const forced = await page.request.post(`/formation/architecte/${CASE_ID}?/start`, { headers: { origin: BASE_URL, accept: 'text/html' }, form: {} });
		expect(forced.status()).toBe(403);
		expect(await forced.text()).toContain(msg('fr', 'training.architecte.error.explorateur_required'));
		await expectNoA11yViolations(page);
		await screenshot(page, 'architecte-locked');

		// The same page in English (language switch in the header).
		await page.goto('/formation/architecte');
		await page.locator('header').getByRole('button', { name: /English/ }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('en', 'training.architecte.title'));
		await expect(page.locator('main')).toContainText(msg('en', 'training.architecte.locked.reason'));
		await expect(page.locator('main')).toContainText('Case 3: A fake profile and blackmail');
		await expectNoA11yViolations(page);
		await screenshot(page, 'architecte-locked-en');
	});
});
