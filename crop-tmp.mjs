import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
const [file, y, h, out] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const p = await b.newPage({ viewport: { width: 360, height: 800 } });
await p.setContent(`<body style="margin:0"><img style="display:block" src="data:image/png;base64,${readFileSync(file).toString('base64')}"></body>`);
await p.waitForTimeout(300);
await p.screenshot({ path: out, fullPage: true, clip: { x: 0, y: Number(y), width: 360, height: Number(h) } });
await b.close();
