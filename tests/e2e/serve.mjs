#!/usr/bin/env node
/**
 * Playwright's webServer command: a throw-away SQLite database, the demo seed (through the real CLI),
 * the e2e-only accounts, then the already-built app (a copy of build/) in this same process, so that
 * stopping the web server stops the app. Nothing is built here: `npm test` builds first.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
process.chdir(root);

const url = process.env.DATABASE_URL ?? '';
if (!url.startsWith('sqlite:') || !url.includes('test-results')) {
	console.error(`serve.mjs: refusing to run on DATABASE_URL=${url} (expected a throw-away sqlite: file under test-results/)`);
	process.exit(1);
}
const entry = resolve(root, 'build', 'index.js');
if (!existsSync(entry)) {
	console.error('serve.mjs: build/index.js is missing; run `npx vite build` first (npm test does).');
	process.exit(1);
}

const file = resolve(root, url.replace(/^sqlite:(\/\/)?/, ''));
for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });

function run(args) {
	const r = spawnSync('npx', ['tsx', ...args], { cwd: root, env: process.env, stdio: ['ignore', 'inherit', 'inherit'] });
	if (r.status !== 0) {
		console.error(`serve.mjs: \`tsx ${args.join(' ')}\` failed (${r.status ?? r.signal})`);
		process.exit(1);
	}
}
run(['src/cli/index.ts', 'seed']);
run(['tests/e2e/seed-extra.ts']);

// Serve a private copy of the build: a `vite build` run elsewhere in this working tree during the suite
// would otherwise swap the hashed client files under the running server.
const snapshot = resolve(root, 'test-results', 'e2e', 'build');
rmSync(snapshot, { recursive: true, force: true });
cpSync(resolve(root, 'build'), snapshot, { recursive: true });
await import(pathToFileURL(resolve(snapshot, 'index.js')).href);
