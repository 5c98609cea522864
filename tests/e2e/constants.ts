/**
 * Shared by playwright.config.ts, the global setup and the fixtures. The e2e run owns everything under
 * test-results/e2e/ (database, received mail); Playwright's own artifacts go to test-results/artifacts/.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Overridable so two checkouts on one machine can run their suites side by side.
export const APP_PORT = Number(process.env.E2E_APP_PORT ?? 4173);
export const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 4025);
export const BASE_URL = `http://127.0.0.1:${APP_PORT}`;

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const E2E_DIR = resolve(ROOT, 'test-results', 'e2e');
export const MAIL_DIR = resolve(E2E_DIR, 'mail');
export const SCREENSHOT_DIR = resolve(ROOT, 'test-results', 'screenshots');
export const DATABASE_URL = 'sqlite:./test-results/e2e/sexto.db';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

/** Accounts the e2e seed adds next to the demo data, so a spec that changes one never disturbs another spec. */
export const E2E_RESET_USER = {
	email: 'reinitialisation.e2e@sexto.test',
	name: 'Rémi Réinitialisation',
	password: 'E2E-initial-passphrase-2026'
} as const;

/** A second responder of the demo school (case assignment e2e). */
export const E2E_SECOND_RESPONDER = {
	email: 'intervenant2.e2e@sexto.test',
	name: 'Rémi Gauthier'
} as const;

/** A learner of the covered school who starts with no training record: the Explorateur spec walks them through. */
export const E2E_TRAINING_USER = {
	email: 'formation.e2e@sexto.test',
	name: 'Félix Formation',
	password: 'E2E-training-passphrase-2026'
} as const;

/** The Architecte spec's learner: holds an Explorateur award (seed-extra.ts) and starts with no attempt. */
export const E2E_ARCHITECTE_USER = {
	email: 'architecte.e2e@sexto.test',
	name: 'Arianne Architecte',
	password: 'E2E-architecte-passphrase-2026'
} as const;

/** The holder of an Explorateur award seeded for the credential verifier specs (verify.spec.ts). */
export const E2E_BADGE_HOLDER = {
	email: 'badge.e2e@sexto.test',
	name: 'Béatrice Badge',
	awardId: 'e2e0c0de-0000-4000-8000-000000000007',
	/** an Architecte award of the same holder, revoked by revoke.spec.ts */
	revokeAwardId: 'e2e0c0de-0000-4000-8000-000000000008'
} as const;

/**
 * A holder whose Architecte badge (36-month validity) was earned 37 months before the run, with no credential
 * issued yet: expired on its public proof page. proof-renewal in attestations.spec.ts renews it.
 */
export const E2E_RENEW_HOLDER = {
	email: 'renouvellement.e2e@sexto.test',
	name: 'Renée Renouvellement',
	password: 'E2E-renewal-passphrase-2026',
	awardId: 'e2e0c0de-0000-4000-8000-000000000009',
	monthsAgo: 37
} as const;
