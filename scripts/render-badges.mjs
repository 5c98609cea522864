#!/usr/bin/env node
/**
 * Renders the badge artwork static/badges/<level>.svg to static/badges/<level>.png (600×600) with Debian's
 * Chromium through Playwright, so the PNG is exactly the SVG. Run after editing an SVG and commit both:
 *   node scripts/render-badges.mjs
 * The credentials feature bakes issued credentials into copies of these same files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = fileURLToPath(new URL('..', import.meta.url));
const LEVELS = ['explorateur', 'architecte'];
const SIZE = 600;

const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
});
try {
	const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
	for (const level of LEVELS) {
		const svg = readFileSync(join(root, 'static', 'badges', `${level}.svg`), 'utf8');
		// The SVG alone on a transparent page, at its natural size.
		await page.setContent(`<!doctype html><html><head><style>html,body{margin:0;background:transparent}svg{display:block;width:${SIZE}px;height:${SIZE}px}</style></head><body>${svg}</body></html>`);
		const out = join(root, 'static', 'badges', `${level}.png`);
		await page.locator('svg').first().screenshot({ path: out, omitBackground: true });
		console.log(`rendered ${out}`);
	}
} finally {
	await browser.close();
}
