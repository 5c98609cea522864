/**
 * Explorateur from start to badge, by the two people involved: a learner (reads the six modules, fails the
 * knowledge check, reads the feedback, passes it, writes the three reflections — a refused empty answer on
 * the way — and submits), the trainer-evaluator (queue, submission, "return for revision" with a comment),
 * the learner again (sees the comment, edits, resubmits: two versions), the trainer (sees both versions,
 * approves) and the learner sees the award. Axe on every page visited; no client script on training pages;
 * screenshots at desktop width and at 360 px.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { BASE_URL, E2E_TRAINING_USER } from './constants';
import { expect, expectNoA11yViolations, loginAs, msg, screenshot, test } from './fixtures';
import { horizontalOverflow, PHONE } from './kit';

interface Course {
	modules: { id: string }[];
	quiz: { questions: { id: string; options: { id: string; correct: boolean }[] }[] };
}
const course = JSON.parse(readFileSync('content/training/explorateur/course.json', 'utf8')) as Course;
const LEARNER = E2E_TRAINING_USER;
const COMMENT = 'Merci ! Pour la question 3, parlez davantage du soutien à l’élève représenté.';
const ANSWERS = {
	learned: 'J’ai appris que l’école ne décide jamais si un geste est impulsif ou malveillant : elle protège, recueille les faits et appelle la police.',
	changes: 'Je ne demanderai plus à voir les images et je cesserai les questions dès qu’il y aura des signes de malveillance, puis j’appellerai.',
	focus: 'Je veillerai au climat de la classe et je rappellerai aux témoins de ne rien partager, en gardant la situation confidentielle.'
};
const FOCUS_V2 = 'Mon attention ira d’abord à l’élève représenté : lui dire que ce n’est pas sa faute, le rassurer sur la suite et l’orienter vers le CAVAC.';

async function open(browser: Browser, email: string, password?: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
	const context = await browser.newContext({ baseURL: BASE_URL, locale: 'fr-CA', viewport });
	const page = await context.newPage();
	await loginAs(page, email, password);
	return page;
}

/** Axe, no horizontal scroll, no script element (training pages ship no client JS), optional screenshot. */
async function check(page: Page, name?: string): Promise<void> {
	await expectNoA11yViolations(page);
	expect(await horizontalOverflow(page), `horizontal overflow on ${page.url()}`).toBeLessThanOrEqual(0);
	expect(await page.locator('script:not([type="application/json"])').count(), `client script on ${page.url()}`).toBe(0);
	if (name) await screenshot(page, name);
}

async function phoneShot(browser: Browser, email: string, password: string | undefined, path: string, name: string): Promise<void> {
	const page = await open(browser, email, password, PHONE);
	await page.goto(path);
	await check(page, name);
	await page.context().close();
}

test.describe.configure({ mode: 'serial', timeout: 300_000 });

test.describe('Explorateur: learn, submit, return, resubmit, approve', () => {
	let submissionUrl = '';

	test('the learner reads the modules, passes the knowledge check on a retry and submits three reflections', async ({ browser }) => {
		const page = await open(browser, LEARNER.email, LEARNER.password);
		await expect(page.getByRole('heading', { name: msg('fr', 'training.dashboard.title') })).toBeVisible();
		await check(page);
		await page.locator('header').getByRole('link', { name: msg('fr', 'training.nav.training') }).click();
		await expect(page).toHaveURL(/\/formation$/);
		await expect(page.getByText(msg('fr', 'training.hub.progress', { done: 0, total: 4 }))).toBeVisible();
		await check(page, 'training-hub-start');
		await page.getByRole('link', { name: msg('fr', 'training.hub.start') }).click();
		await expect(page).toHaveURL(/\/formation\/explorateur$/);
		await check(page, 'training-explorateur-overview');

		// the six modules, each marked read
		await page.locator('.step-list a').first().click();
		for (const [i, m] of course.modules.entries()) {
			await expect(page).toHaveURL((url) => url.pathname === `/formation/explorateur/modules/${m.id}`);
			await expect(page.getByText(msg('fr', 'training.module.position', { n: i + 1, total: course.modules.length }))).toBeVisible();
			await page.getByRole('button', { name: msg('fr', 'training.module.mark_read') }).click();
			await expect(page.getByText(msg('fr', 'training.module.marked'))).toBeVisible();
			await check(page, i === 0 ? 'training-module-1' : undefined);
			await page.getByRole('navigation', { name: msg('fr', 'training.module.pager') }).getByRole('link').last().click();
		}

		// knowledge check: all wrong first, feedback per answer, then retry all right
		await expect(page).toHaveURL(/\/formation\/explorateur\/questionnaire$/);
		await check(page);
		for (const q of course.quiz.questions) await page.locator(`input[name="${q.id}"][value="${q.options.find((o) => !o.correct)!.id}"]`).check();
		await page.getByRole('button', { name: msg('fr', 'training.quiz.submit') }).click();
		const total = course.quiz.questions.length;
		await expect(page.getByText(msg('fr', 'training.quiz.result_failed', { score: 0, total, pass: 8 }))).toBeVisible();
		await expect(page.locator('.quiz-feedback > li')).toHaveCount(total);
		await expect(page.locator('.quiz-feedback').getByText(msg('fr', 'training.quiz.incorrect')).first()).toBeVisible();
		await check(page, 'training-quiz-feedback');
		await page.getByRole('link', { name: msg('fr', 'training.quiz.retry') }).click();
		for (const q of course.quiz.questions) await page.locator(`input[name="${q.id}"][value="${q.options.find((o) => o.correct)!.id}"]`).check();
		await page.getByRole('button', { name: msg('fr', 'training.quiz.submit') }).click();
		await expect(page.getByText(msg('fr', 'training.quiz.result_passed', { score: total, total }))).toBeVisible();
		await expect(page.getByRole('heading', { name: msg('fr', 'training.quiz.attempts') })).toBeVisible();
		await check(page);
		await page.getByRole('link', { name: msg('fr', 'training.quiz.to_reflections') }).click();

		// reflections: an empty answer is refused with the typed text kept, then a draft, then the submission
		await expect(page).toHaveURL(/\/formation\/explorateur\/reflexions$/);
		await check(page);
		await page.locator('#answer-learned').fill(ANSWERS.learned);
		await page.locator('#answer-changes').fill('   ');
		await page.locator('#answer-focus').fill(ANSWERS.focus);
		await page.getByRole('button', { name: msg('fr', 'training.reflections.submit') }).click();
		await expect(page.getByRole('alert')).toHaveText(msg('fr', 'training.error.submit_invalid'));
		await expect(page.locator('#answer-changes-error')).toHaveText(msg('fr', 'training.error.answer_required'));
		await expect(page.locator('#answer-learned')).toHaveValue(ANSWERS.learned);
		await check(page, 'training-reflections-error');
		await page.locator('#answer-changes').fill(ANSWERS.changes);
		await page.getByRole('button', { name: msg('fr', 'training.reflections.save') }).click();
		await expect(page.getByText(msg('fr', 'training.reflections.saved', { version: 1 }))).toBeVisible();
		await expect(page.locator('#answer-changes')).toHaveValue(ANSWERS.changes);
		await page.getByRole('button', { name: msg('fr', 'training.reflections.submit') }).click();
		await expect(page.getByText(msg('fr', 'training.reflections.submitted', { version: 1 }))).toBeVisible();
		await expect(page.getByText(msg('fr', 'training.reflections.locked_submitted'))).toBeVisible();
		await check(page);
		await page.goto('/formation/explorateur/statut');
		await expect(page.getByText(msg('fr', 'training.status.current', { status: msg('fr', 'training.status.submitted') }))).toBeVisible();
		await check(page, 'training-status-submitted');
		await page.context().close();
	});

	test('the trainer finds it in the queue and returns it for revision with a comment', async ({ browser }) => {
		const page = await open(browser, 'formateur@sexto.test');
		await page.locator('header').getByRole('link', { name: msg('fr', 'training.nav.evaluation') }).click();
		await expect(page.getByRole('heading', { name: msg('fr', 'training.queue.title') })).toBeVisible();
		await check(page, 'evaluation-queue');
		await page.getByRole('link', { name: LEARNER.name }).click();
		submissionUrl = new URL(page.url()).pathname;
		expect(submissionUrl).toMatch(/^\/evaluation\/explorateur\/[0-9a-f-]{36}$/);
		await expect(page.getByText(ANSWERS.learned)).toBeVisible();
		await check(page);
		// a return without a comment is refused, nothing recorded
		await page.getByLabel(msg('fr', 'training.decision.returned')).check();
		await page.getByRole('button', { name: msg('fr', 'training.review.submit') }).click();
		await expect(page.locator('#field-comment-error')).toHaveText(msg('fr', 'training.error.comment_required'));
		await check(page);
		await page.getByLabel(msg('fr', 'training.decision.returned')).check();
		await page.locator('#field-comment').fill(COMMENT);
		await page.getByRole('button', { name: msg('fr', 'training.review.submit') }).click();
		await expect(page.getByText(msg('fr', 'training.review.done_returned'))).toBeVisible();
		await check(page, 'evaluation-returned');
		await page.context().close();
	});

	test('the learner sees the comment, edits the third answer and resubmits', async ({ browser }) => {
		const page = await open(browser, LEARNER.email, LEARNER.password);
		await page.goto('/formation/explorateur/reflexions');
		await expect(page.getByRole('heading', { name: msg('fr', 'training.reflections.returned_title') })).toBeVisible();
		await expect(page.getByText(COMMENT)).toBeVisible();
		await expect(page.locator('#answer-focus')).toHaveValue(ANSWERS.focus);
		await check(page, 'training-reflections-returned');
		await page.locator('#answer-focus').fill(FOCUS_V2);
		await page.getByRole('button', { name: msg('fr', 'training.reflections.submit') }).click();
		await expect(page.getByText(msg('fr', 'training.reflections.submitted', { version: 2 }))).toBeVisible();
		await page.goto('/formation/explorateur/statut');
		const summaries = page.locator('section[aria-labelledby="versions-title"] summary');
		await expect(summaries).toHaveCount(2);
		await expect(summaries.nth(0)).toContainText(msg('fr', 'training.status.version', { n: 2 }));
		await expect(summaries.nth(1)).toContainText(msg('fr', 'training.status.version', { n: 1 }));
		await check(page);
		await page.context().close();
	});

	test('the trainer sees both versions and approves', async ({ browser }) => {
		const page = await open(browser, 'formateur@sexto.test');
		await page.goto(submissionUrl);
		await expect(page.getByText(FOCUS_V2)).toBeVisible();
		await expect(page.getByRole('heading', { name: msg('fr', 'training.review.earlier') })).toBeVisible();
		await expect(page.getByText(COMMENT)).toBeVisible();
		await check(page, 'evaluation-review-v2');
		await page.getByLabel(msg('fr', 'training.decision.approved')).check();
		await page.getByRole('button', { name: msg('fr', 'training.review.submit') }).click();
		await expect(page.getByText(msg('fr', 'training.review.done_approved'))).toBeVisible();
		await expect(page.getByRole('button', { name: msg('fr', 'training.review.submit') })).toHaveCount(0);
		await check(page);
		await page.context().close();
	});

	test('the learner sees the award; an approved submission cannot be resubmitted; English via the language switch', async ({ browser }) => {
		const page = await open(browser, LEARNER.email, LEARNER.password);
		await page.goto('/formation/explorateur/statut');
		await expect(page.getByRole('heading', { name: msg('fr', 'training.award.title') })).toBeVisible();
		await expect(page.locator('.coverage-card.covered')).toContainText(msg('fr', 'training.award.awarded', { date: '' }).replace(/\s*\.$/, '').trim());
		await expect(page.getByText(msg('fr', 'training.hub.progress', { done: 4, total: 4 }))).toBeVisible();
		await check(page, 'training-status-awarded');
		await page.goto('/formation/explorateur/reflexions');
		await expect(page.getByText(msg('fr', 'training.reflections.locked_approved'))).toBeVisible();
		await expect(page.locator('textarea')).toHaveCount(0);
		await check(page);
		// a forged POST to resubmit is refused with the localized message, nothing changes
		const res = await page.request.post('/formation/explorateur/reflexions?/submit', { form: { ...ANSWERS, focus: 'x'.repeat(200) }, headers: { origin: BASE_URL, accept: 'text/html' } });
		expect(res.status()).toBe(409);
		expect(await res.text()).toContain(msg('fr', 'training.error.already_approved'));
		// English: the same page after the language switch
		await page.goto('/formation/explorateur/statut');
		await page.locator('header').getByRole('button', { name: /English/ }).click();
		await expect(page.getByRole('heading', { name: msg('en', 'training.status.title') })).toBeVisible();
		await check(page, 'training-status-awarded-en');
		await page.goto('/formation');
		await expect(page.getByRole('heading', { name: msg('en', 'training.hub.title'), level: 1 })).toBeVisible();
		await check(page);
		await page.context().close();
	});

	test('phone width (360 px): hub, module, queue and review read without sideways scrolling', async ({ browser }) => {
		await phoneShot(browser, LEARNER.email, LEARNER.password, '/formation', 'training-hub-360');
		await phoneShot(browser, LEARNER.email, LEARNER.password, '/formation/explorateur/modules/interdits', 'training-module-360');
		await phoneShot(browser, 'formateur@sexto.test', undefined, '/evaluation?statut=all', 'evaluation-queue-360');
		await phoneShot(browser, 'formateur@sexto.test', undefined, submissionUrl, 'evaluation-review-360');
	});

	test('people who do not train get a 403 on training pages; learners get a 403 on the queue; unknown ids are 404', async ({ browser }) => {
		const police = await open(browser, 'policier@sexto.test');
		const r1 = await police.goto('/formation/explorateur');
		expect(r1?.status()).toBe(403);
		// error pages are the app's shared error page (it hydrates): axe only
		await expectNoA11yViolations(police);
		await police.context().close();
		const learner = await open(browser, LEARNER.email, LEARNER.password);
		expect((await learner.goto('/evaluation'))?.status()).toBe(403);
		expect((await learner.goto('/formation/explorateur/modules/nope'))?.status()).toBe(404);
		await learner.context().close();
		const trainer = await open(browser, 'formateur@sexto.test');
		expect((await trainer.goto('/evaluation/explorateur/00000000-0000-4000-8000-000000000000'))?.status()).toBe(404);
		expect((await trainer.goto('/evaluation/explorateur/not-an-id'))?.status()).toBe(404);
		await expectNoA11yViolations(trainer);
		await trainer.context().close();
	});
});
