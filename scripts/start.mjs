#!/usr/bin/env node
/**
 * `npm start`: build if the sources are newer than the build, migrate, seed the demo when configured,
 * then serve on PORT (3000). Works on a fresh clone with only `npm install` before it.
 */
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const env = { ...process.env };
env.PORT ??= '3000';
env.ORIGIN ??= `http://localhost:${env.PORT}`;
env.NODE_ENV ??= 'production';
// The credential verifier accepts a baked badge image of up to 1 MB (plus the multipart envelope).
env.BODY_SIZE_LIMIT ??= '1200K';

function newest(path) {
	if (!existsSync(path)) return 0;
	const s = statSync(path);
	if (!s.isDirectory()) return s.mtimeMs;
	return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), s.mtimeMs);
}

function run(cmd, args) {
	const r = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
	if (r.status !== 0) process.exit(r.status ?? 1);
}

const buildStamp = join(root, 'build', 'index.js');
const sources = Math.max(newest(join(root, 'src')), newest(join(root, 'static')), newest(join(root, 'svelte.config.js')), newest(join(root, 'package.json')));
if (!existsSync(buildStamp) || statSync(buildStamp).mtimeMs < sources) {
	console.log('Building Sexto…');
	run('npx', ['vite', 'build', '--logLevel', 'warn']);
}

// The embedded demo keeps its field-encryption keys next to its database (./data/keys.json, created once).
// PostgreSQL deployments pass FIELD_ENCRYPTION_KEY and BLIND_INDEX_KEY explicitly: every app server needs the same.
if (!env.DATABASE_URL?.startsWith('postgres') && (!env.FIELD_ENCRYPTION_KEY || !env.BLIND_INDEX_KEY)) {
	const keysFile = join(root, 'data', 'keys.json');
	if (!existsSync(keysFile)) {
		mkdirSync(join(root, 'data'), { recursive: true });
		const fresh = { FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'), BLIND_INDEX_KEY: randomBytes(32).toString('base64') };
		writeFileSync(keysFile, JSON.stringify(fresh, null, 2) + '\n', { mode: 0o600 });
	}
	const keys = JSON.parse(readFileSync(keysFile, 'utf8'));
	env.FIELD_ENCRYPTION_KEY ??= keys.FIELD_ENCRYPTION_KEY;
	env.BLIND_INDEX_KEY ??= keys.BLIND_INDEX_KEY;
}

// Badge signing keys: the embedded demo creates ./data/credential-keys.json on first use (server/credentials/keys.ts).
// PostgreSQL deployments set CREDENTIAL_KEYS_FILE to a file shared by every app server (npm run sexto -- keys:rotate).

const seed = env.SEED_DEMO ?? (env.DATABASE_URL?.startsWith('postgres') ? 'false' : 'true');
run('npx', ['tsx', 'src/cli/index.ts', seed === 'true' || seed === '1' ? 'seed' : 'migrate']);

console.log(`Sexto: ${env.ORIGIN}`);
const server = spawn(process.execPath, ['build/index.js'], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
