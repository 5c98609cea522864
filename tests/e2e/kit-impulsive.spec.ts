/**
 * (a) An impulsive exchange between two 15-year-olds in a couple, from the intake to the closure, by the three
 * people who run it: the responder (intake, red flags all "no", questionnaire → "likely impulsive" suggested,
 * students and their roles, device seized, police call with the file number), the police liaison (sees the
 * hand-off, opens the packet, downloads the PDF, enters the DPCP's decision) and the principal (follow-ups,
 * parent notification, closure, then an addendum on the read-only case). Axe on every kit screen visited;
 * screenshots at 360 px of the overview and the hand-off.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { BASE_URL } from './constants';
import { expect, expectNoA11yViolations, loginAs, mainSubmit, msg, screenshot, test } from './fixtures';
import { expectKitBanner, fillIntake, horizontalOverflow, montrealToday, PHONE, RED_FLAGS_STEP, saveButton } from './kit';

const FILE_NUMBER = `SPSJ-2026-${String(Date.now()).slice(-6)}`;

async function asUser(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext({ baseURL: BASE_URL, locale: 'fr-CA', viewport: PHONE });
	const page = await context.newPage();
	await loginAs(page, email);
	return page;
}

async function checkScreen(page: Page, name?: string): Promise<void> {
	await expectKitBanner(page);
	await expectNoA11yViolations(page);
	expect(await horizontalOverflow(page), `horizontal overflow on ${page.url()}`).toBeLessThanOrEqual(0);
	if (name) await screenshot(page, name);
}

/** Saves the current step and waits for the next address. */
async function save(page: Page, to: RegExp | ((url: URL) => boolean)): Promise<void> {
	await Promise.all([page.waitForURL(to), saveButton(page).click()]);
}

test.describe.configure({ mode: 'serial' });

test.describe('kit (a): an impulsive exchange from intake to closure', () => {
	let caseId = '';
	let reference = '';

	test('the responder runs the kit and hands the case off to the police', async ({ browser }) => {
		const page = await asUser(browser, 'intervenant@sexto.test');
		await page.goto('/incidents');
		await expect(page.getByRole('heading', { name: msg('fr', 'incidents.mine.title') })).toBeVisible();
		await checkScreen(page);
		await page.getByRole('link', { name: msg('fr', 'incidents.new') }).click();
		await expect(page).toHaveURL(/\/incidents\/nouveau$/);
		await checkScreen(page);

		await fillIntake(page, {
			reportedBy: 'depicted_student',
			channel: 'in_person',
			category: 'semi_nude',
			summary: 'Une élève de 15 ans a envoyé une photo d’elle en sous-vêtements à son copain de 15 ans ; elle craint qu’il la montre.',
			images: 1,
			devices: 1
		});
		await Promise.all([page.waitForURL(RED_FLAGS_STEP), mainSubmit(page).click()]);
		caseId = RED_FLAGS_STEP.exec(new URL(page.url()).pathname)![1]!;
		await checkScreen(page);

		// Red flags: every one answered "no", one by one.
		for (const q of ['rf_immediate_danger', 'rf_self_harm', 'rf_adult', 'rf_coercion', 'rf_under_13', 'rf_violent', 'rf_covert', 'rf_capacity', 'rf_sexual_abuse']) {
			await page.locator(`input[name="${q}"][value="no"]`).check();
		}
		await save(page, /\/etape\/sharing$/);
		await checkScreen(page);

		// Sharing: not passed on. The questions that only apply to a "yes" stay hidden (CSS, no JavaScript).
		await page.locator('input[name="shared_beyond"][value="no"]').check();
		await expect(page.locator('input[name="consent_onward"][value="no"]')).toBeHidden();
		await page.locator('input[name="share_method"][value="private_message"]').check();
		await page.locator('input[name="platform"][value="snapchat"]').check();
		await save(page, /\/etape\/context$/);
		await checkScreen(page);

		await page.locator('input[name="origin"][value="self"]').check();
		await page.locator('input[name="context"][value="relationship"]').check();
		await page.locator('input[name="relationship"][value="couple"]').check();
		await page.locator('#q-age_depicted').fill('15');
		await page.locator('input[name="age_gap"][value="similar"]').check();
		await page.locator('input[name="consent_initial"][value="yes"]').check();
		await save(page, /\/etape\/intent$/);
		await checkScreen(page);

		await page.locator('input[name="threats"][value="no"]').check();
		await page.locator('input[name="prior_incidents"][value="no"]').check();
		await save(page, /\/etape\/devices$/);
		await checkScreen(page);

		await page.locator('input[name="devices_secured"][value="yes"]').check();
		await save(page, (url) => url.pathname === `/incidents/${caseId}`);

		// The end of the questionnaire: the overview shows the grid's suggestion, as a suggestion for the prosecutor.
		const suggestion = page.locator('#suggestion');
		await expect(suggestion).toContainText(msg('fr', 'packet.orientation.likely_impulsive'));
		await expect(suggestion).toContainText(msg('fr', 'packet.suggestion.notice'));
		await expect(suggestion).toContainText('Échange consenti entre partenaires d’âge semblable');
		await expect(page.locator('.stop-box')).toHaveCount(0);
		reference = (await page.getByRole('heading', { level: 1 }).textContent())!.replace('Dossier ', '').trim();
		await checkScreen(page, 'kit-overview-360');

		// Students: two, each with their own roles.
		await page.getByRole('link', { name: msg('fr', 'incidents.case.continue', { step: msg('fr', 'incidents.screen.students') }) }).click();
		await expect(page).toHaveURL(/\/eleves$/);
		await checkScreen(page);
		const add = async (name: string, age: string, grade: string, roles: string[]) => {
			await page.locator('#new-student-name').fill(name);
			await page.locator('#new-student-age').fill(age);
			await page.locator('#new-student-grade').fill(grade);
			for (const r of roles) await page.locator(`form[action="?/add"] input[name="roles"][value="${r}"]`).check();
			await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: msg('fr', 'incidents.students.add_submit') }).click()]);
			await expect(page.getByRole('status')).toHaveText(msg('fr', 'incidents.students.added'));
		};
		await add('Léa Fortin', '15', 'Secondaire 4', ['depicted', 'produced', 'sent']);
		await add('Thomas Côté', '15', 'Secondaire 4', ['received']);
		const cards = page.locator('.student-list > li');
		await expect(cards).toHaveCount(2);
		await expect(cards.nth(0)).toContainText('Léa Fortin');
		await expect(cards.nth(0)).toContainText('Personne représentée, A produit l’image, A envoyé');
		await expect(cards.nth(1)).toContainText('Thomas Côté');
		await expect(cards.nth(1)).toContainText('Rôles : A reçu');
		await checkScreen(page, 'kit-students-360');

		// The device seized from the boyfriend: airplane mode, sealed envelope.
		await page.getByRole('link', { name: msg('fr', 'incidents.students.continue') }).click();
		await expect(page).toHaveURL(/\/appareils$/);
		await checkScreen(page);
		await page.locator('#field-description').fill('Téléphone noir, coque rouge');
		await page.locator('#field-ownerStudentId').selectOption({ index: 2 });
		await page.locator('input[name="state"][value="airplane"]').check();
		await page.locator('#field-envelopeNo').fill('ENV-0001');
		await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: msg('fr', 'incidents.devices.submit') }).click()]);
		await expect(page.getByRole('status')).toHaveText(msg('fr', 'incidents.devices.recorded', { ref: 'D1' }));
		await expect(page.locator('main table')).toContainText('ENV-0001');
		await expect(page.locator('main')).toContainText('Appartient à : Élève 2');
		await checkScreen(page, 'kit-devices-360');

		// The call to the police, with the file number: the case is handed off.
		await page.getByRole('link', { name: msg('fr', 'incidents.devices.continue') }).click();
		await expect(page).toHaveURL(/\/remise$/);
		await expect(page.locator('main')).toContainText(msg('fr', 'packet.orientation.likely_impulsive'));
		await page.locator('#field-officerName').fill('Agente Nadia Martin');
		await page.locator('#field-officerBadge').fill('4417');
		await page.locator('#field-policeFileNumber').fill(FILE_NUMBER);
		await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: msg('fr', 'incidents.handoff.submit') }).click()]);
		await expect(page.getByRole('status')).toContainText('Le dossier est remis à la police');
		await expect(page.locator('main .call-log')).toContainText(FILE_NUMBER);
		await checkScreen(page, 'kit-handoff-360');
		await page.context().close();
	});

	test('the police liaison sees the hand-off, opens the packet, downloads the PDF and enters the decision', async ({ browser }) => {
		const page = await asUser(browser, 'policier@sexto.test');
		await page.goto('/incidents');
		const handoffs = page.locator('section', { has: page.getByRole('heading', { name: msg('fr', 'incidents.handoffs.title') }) });
		await expect(handoffs).toContainText(reference);
		await checkScreen(page);
		await handoffs.getByRole('link', { name: reference }).click();
		await page.waitForURL((url) => url.pathname === `/incidents/${caseId}`);
		await checkScreen(page);

		await page.getByRole('link', { name: msg('fr', 'incidents.packet.view') }).click();
		await expect(page).toHaveURL(/\/dossier$/);
		const packet = page.locator('article.packet');
		await expect(packet).toContainText(FILE_NUMBER);
		await expect(packet).toContainText('Léa Fortin');
		await expect(packet).toContainText('Personne représentée');
		await expect(packet).toContainText(msg('fr', 'packet.orientation.likely_impulsive'));
		await checkScreen(page, 'kit-packet-360');

		// The PDF: an attachment, application/pdf, with the file number and the roles in its text.
		const [download] = await Promise.all([page.waitForEvent('download'), page.locator('article.packet').getByRole('link', { name: msg('fr', 'incidents.packet.pdf') }).click()]);
		expect(download.suggestedFilename()).toMatch(/^SX-\d{4}-[0-9A-F]{4}-fr\.pdf$/);
		const response = await page.request.get(`/incidents/${caseId}/dossier.pdf`);
		expect(response.status()).toBe(200);
		expect(response.headers()['content-type']).toBe('application/pdf');
		expect(response.headers()['content-disposition']).toMatch(/^attachment;/);
		expect(response.headers()['cache-control']).toContain('no-store');
		const pdf = await response.body();
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		if (existsSync('/usr/bin/pdftotext')) {
			const file = join(mkdtempSync(join(tmpdir(), 'sexto-pdf-')), 'packet.pdf');
			writeFileSync(file, pdf);
			const text = execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8').replace(/\s+/g, ' ');
			expect(text).toContain(FILE_NUMBER);
			expect(text).toContain('Personne représentée');
			expect(text).toContain('A reçu');
		}

		// The DPCP's decision, as reported by the police.
		await page.goto(`/incidents/${caseId}/decision`);
		await expect(page.locator('main')).toContainText(msg('fr', 'incidents.decision.statement'));
		await checkScreen(page);
		await page.locator('input[name="decision"][value="impulsive"]').check();
		await page.locator('#field-conditions').fill('Rencontre avec les jeunes et leurs parents, contrat d’engagement.');
		await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: msg('fr', 'incidents.decision.submit') }).click()]);
		await expect(page.getByRole('status')).toHaveText(msg('fr', 'incidents.decision.recorded'));
		await expect(page.locator('main')).toContainText(msg('fr', 'packet.decision.impulsive'));
		await checkScreen(page, 'kit-decision-360');
		await page.context().close();
	});

	test('the principal records the follow-ups and the parent notification, closes the case, then adds an addendum', async ({ browser }) => {
		const page = await asUser(browser, 'direction@sexto.test');
		await page.goto('/incidents?orientation=likely_impulsive');
		const school = page.locator('section', { has: page.getByRole('heading', { name: msg('fr', 'incidents.school.title') }) });
		await expect(school).toContainText(reference);
		await checkScreen(page, 'kit-list-principal-360');

		await page.goto(`/incidents/${caseId}/suivi`);
		await expect(page.locator('main')).toContainText(msg('fr', 'packet.decision.impulsive'));
		await checkScreen(page);
		const today = montrealToday();
		const record = async (label: string, status: string, by: string) => {
			const item = page.locator('li.followup', { has: page.getByRole('heading', { name: label, exact: true }) });
			await item.locator('summary').click();
			await item.locator('select[name="status"]').selectOption(status);
			await item.locator('input[name="doneOn"]').fill(today);
			await item.locator('input[name="byLabel"]').fill(by);
			await Promise.all([page.waitForLoadState('load'), item.getByRole('button', { name: msg('fr', 'incidents.followup.submit') }).click()]);
			const after = page.locator('li.followup', { has: page.getByRole('heading', { name: label, exact: true }) });
			await expect(after.locator('.badge')).toHaveText(msg('fr', status === 'done' ? 'kit.followup_status.done' : 'kit.followup_status.completed'));
		};
		await record(msg('fr', 'kit.followup.meeting_youth_parents'), 'done', 'Direction');
		await record(msg('fr', 'kit.followup.deletion_confirmed'), 'done', 'Agente sociocommunautaire');
		await record(msg('fr', 'kit.followup.support_take_it_down'), 'completed', 'Psychoéducatrice');

		// Parents of student 1 (15: consulted first).
		await page.locator('#parents-student').selectOption({ index: 0 });
		await page.locator('input[name="outcome"][value="notified"]').check();
		await page.locator('#parents-party').fill('Mère');
		await page.locator('input[name="studentConsulted"][value="yes"]').check();
		await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: msg('fr', 'incidents.parents.submit') }).click()]);
		await expect(page.getByRole('status')).toHaveText(msg('fr', 'incidents.parents.saved'));
		await expect(page.locator('main')).toContainText('Élève 1 — Parents avisés : Mère');
		await checkScreen(page, 'kit-followup-360');

		// Closure, then the case is read-only and takes addenda.
		await page.goto(`/incidents/${caseId}/fermeture`);
		await checkScreen(page);
		await page.locator('input[name="reason"][value="extrajudicial_completed"]').check();
		await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: msg('fr', 'incidents.closure.submit') }).click()]);
		await expect(page.getByRole('status')).toHaveText(msg('fr', 'incidents.closure.done'));
		await expect(page.locator('main')).toContainText(msg('fr', 'incidents.closure.readonly'));
		await page.locator('#addendum-text').fill('Correction : le contrat d’engagement a été signé le lendemain de la rencontre.');
		await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: msg('fr', 'incidents.addenda.submit') }).click()]);
		await expect(page.getByRole('status')).toHaveText(msg('fr', 'incidents.addenda.added'));
		await expect(page.locator('ol.addenda')).toContainText('le contrat d’engagement a été signé le lendemain');
		await checkScreen(page, 'kit-closure-360');

		// Read-only: no form on a kit step, and a write posted anyway is refused with the localized message.
		await page.goto(`/incidents/${caseId}/etape/sharing`);
		await expect(page.locator('main form')).toHaveCount(0);
		await expect(page.locator('main')).toContainText(msg('fr', 'incidents.readonly.closed'));
		await checkScreen(page);
		const refused = await page.request.post(`/incidents/${caseId}/eleves?/add`, {
			headers: { origin: BASE_URL, accept: 'text/html' },
			form: { name: 'Élève Tardive', age: '15', roles: 'witness' }
		});
		expect(refused.status()).toBe(409);
		const body = await refused.text();
		expect(body).toContain(`<p>${msg('fr', 'kit.error.closed')}</p>`);
		// What was typed is shown back (nothing lost), with the way to add it as an addendum.
		expect(body).toContain('>Élève Tardive</li>');
		expect(body).toContain(msg('fr', 'incidents.closed.addendum'));

		// The overview: closed, all three clocks stopped.
		await page.goto(`/incidents/${caseId}`);
		await expect(page.locator('main')).toContainText(msg('fr', 'incidents.closure.closed_title'));
		await expect(page.locator('main')).not.toContainText(msg('fr', 'incidents.clock.running'));
		await checkScreen(page, 'kit-overview-closed-360');
		await page.context().close();
	});
});
