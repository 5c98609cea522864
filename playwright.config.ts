import { randomBytes } from 'node:crypto';
/**
 * End-to-end suite: the already-built app (build/index.js; `npm test` builds it first) on a throw-away
 * SQLite database, sending mail to a real in-process SMTP server, driven by Debian's Chromium.
 * Never `npx playwright install` here: downloads are blocked, /usr/bin/chromium is used instead.
 */
import { defineConfig } from '@playwright/test';
import { APP_PORT, BASE_URL, CHROMIUM, CHROMIUM_ARGS, DATABASE_URL, SMTP_PORT } from './tests/e2e/constants';

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.spec.ts',
	outputDir: 'test-results/artifacts',
	globalSetup: './tests/e2e/global-setup.ts',
	// Two cores: the app, the browser and the runner share them.
	workers: 2,
	fullyParallel: false,
	forbidOnly: true,
	retries: 0,
	// Scenario tests walk 10–20 screens with an axe scan on each: 40 s alone on a quiet machine, over 60 s with two
	// workers sharing two busy cores. The budget is per test; a hang still fails.
	timeout: 120_000,
	expect: { timeout: 10_000 },
	reporter: [['list']],
	use: {
		baseURL: BASE_URL,
		locale: 'fr-CA',
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS }
	},
	projects: [{ name: 'chromium', use: { browserName: 'chromium', viewport: { width: 1280, height: 800 } } }],
	webServer: {
		command: 'node tests/e2e/serve.mjs',
		url: `${BASE_URL}/healthz`,
		reuseExistingServer: false,
		timeout: 120_000,
		stdout: 'ignore',
		stderr: 'pipe',
		env: {
			NODE_ENV: 'production',
			HOST: '127.0.0.1',
			PORT: String(APP_PORT),
			ORIGIN: BASE_URL,
			DATABASE_URL,
			SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
			MAIL_FROM: 'Sexto <no-reply@sexto.test>',
			SEED_DEMO: 'false',
			// Fresh keys per run: case data of the throw-away database is encrypted like in production.
			FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
			BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
			LOG_LEVEL: 'warn',
			// The credential verifier's upload (≤ 1 MB badge image) and a throw-away badge signing key.
			BODY_SIZE_LIMIT: '1200K',
			CREDENTIAL_KEYS_FILE: 'test-results/e2e/credential-keys.json'
		}
	}
});
