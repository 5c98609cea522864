import { randomBytes } from 'node:crypto';
/**
 * Two real app servers (`node build/index.js`) on one PostgreSQL database: a session opened on one
 * works on the other, a logout on one is seen by the other, login throttling is shared, and
 * concurrent audit writes from both keep the chain intact. Needs the production build (the test
 * runner builds first); a missing build FAILS this suite.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/lib/server/audit/log';
import { DEMO_PASSWORD } from '../../src/lib/server/db/seed/demo';
import { auditRows, createTestContext, lastAuditSeq, TEST_DIALECT, type TestContext } from './harness';

// Both app servers share the same keys, as servers behind one load balancer must.
const SHARED_KEYS = { FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'), BLIND_INDEX_KEY: randomBytes(32).toString('base64') };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILD = `${ROOT}build/index.js`;
const PRINCIPAL = { email: 'direction@sexto.test', name: 'Marc Gagnon' };

interface AppServer {
	name: string;
	origin: string;
	child: ChildProcess;
	output: () => string;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as AddressInfo;
			probe.close(() => resolve(port));
		});
	});
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startServer(name: string, databaseUrl: string): Promise<AppServer> {
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, [BUILD], {
		cwd: ROOT,
		// Only what the app needs: no inherited DATABASE_URL/SEED_DEMO from the developer's shell.
		env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ORIGIN: origin, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', ...SHARED_KEYS },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
	const server: AppServer = { name, origin, child, output: () => output };

	// Wait for readiness (the database answers), at most ~30 s; a server that dies fails the suite.
	for (let attempt = 0; attempt < 300; attempt++) {
		if (child.exitCode !== null) throw new Error(`app server ${name} exited with ${child.exitCode}:\n${output}`);
		try {
			const res = await fetch(`${origin}/readyz`);
			if (res.status === 200) {
				expect(await res.json()).toEqual({ status: 'ready', database: 'postgres' });
				return server;
			}
		} catch {
			// not listening yet
		}
		await pause(100);
	}
	child.kill('SIGKILL');
	throw new Error(`app server ${name} never became ready:\n${output}`);
}

async function stopServer(server: AppServer | undefined): Promise<void> {
	if (!server || server.child.exitCode !== null) return;
	const exited = new Promise((r) => server.child.once('exit', r));
	server.child.kill('SIGTERM');
	await Promise.race([exited, pause(5_000)]);
	if (server.child.exitCode === null) server.child.kill('SIGKILL');
}

/** A browser-like form POST (no JS): Origin header, HTML accepted, redirects not followed. */
function postForm(server: AppServer, path: string, fields: Record<string, string>, cookie?: string): Promise<Response> {
	return fetch(`${server.origin}${path}`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			Origin: server.origin,
			Accept: 'text/html',
			'Content-Type': 'application/x-www-form-urlencoded',
			...(cookie ? { Cookie: cookie } : {})
		},
		body: new URLSearchParams(fields).toString()
	});
}

function getPage(server: AppServer, path: string, cookie?: string): Promise<Response> {
	return fetch(`${server.origin}${path}`, { redirect: 'manual', headers: { Accept: 'text/html', ...(cookie ? { Cookie: cookie } : {}) } });
}

function sessionCookie(res: Response): string {
	const raw = res.headers.getSetCookie().find((c) => c.startsWith('sexto_session='));
	if (!raw) throw new Error(`no sexto_session cookie in ${JSON.stringify(res.headers.getSetCookie())}`);
	return raw.split(';')[0]!;
}

describe.skipIf(TEST_DIALECT !== 'postgres')('scale-out: two app servers on one database (PostgreSQL only)', () => {
	let ctx: TestContext;
	let a: AppServer | undefined;
	let b: AppServer | undefined;

	beforeAll(async () => {
		if (!existsSync(BUILD)) {
			throw new Error(`${BUILD} is missing: build the app first with \`npx vite build\` (the test runner does this before the db suites).`);
		}
		ctx = await createTestContext(); // migrated and seeded here; the servers only connect
		[a, b] = await Promise.all([startServer('A', ctx.databaseUrl), startServer('B', ctx.databaseUrl)]);
	}, 60_000);

	afterAll(async () => {
		await Promise.all([stopServer(a), stopServer(b)]);
		await ctx?.close();
	});

	it('a session opened on server A works on server B; a logout on B ends it on A', async () => {
		const signIn = await postForm(a!, '/connexion', { email: PRINCIPAL.email, password: DEMO_PASSWORD });
		expect(signIn.status).toBe(303);
		expect(signIn.headers.get('location')).toBe('/tableau-de-bord');
		const cookie = sessionCookie(signIn);

		const onB = await getPage(b!, '/tableau-de-bord', cookie);
		expect(onB.status).toBe(200);
		const html = await onB.text();
		expect(html).toContain(PRINCIPAL.name);

		// without the cookie, B sends the visitor to the sign-in page
		const anonymous = await getPage(b!, '/tableau-de-bord');
		expect(anonymous.status).toBe(303);
		expect(anonymous.headers.get('location')).toMatch(/^\/connexion\?next=/);

		const signOut = await postForm(b!, '/deconnexion', {}, cookie);
		expect(signOut.status).toBe(303);
		expect(signOut.headers.get('location')).toBe('/connexion?notice=signed_out');

		const afterOnA = await getPage(a!, '/tableau-de-bord', cookie);
		expect(afterOnA.status).toBe(303);
		expect(afterOnA.headers.get('location')).toMatch(/^\/connexion\?next=/);
		expect(await afterOnA.text()).not.toContain(PRINCIPAL.name);
	});

	it('a form POST from a foreign origin is refused (CSRF)', async () => {
		const res = await fetch(`${a!.origin}/connexion`, {
			method: 'POST',
			redirect: 'manual',
			headers: { Origin: 'http://evil.example', Accept: 'text/html', 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ email: PRINCIPAL.email, password: DEMO_PASSWORD }).toString()
		});
		expect(res.status).toBe(403);
		expect(res.headers.getSetCookie().some((c) => c.startsWith('sexto_session='))).toBe(false);
	});

	it('failed sign-ins fired at both servers at once are each audited once, the chain stays intact, and the per-address limit is shared', async () => {
		const before = await lastAuditSeq(ctx);
		const PER_SERVER = 12;
		const attempts = [a!, b!].flatMap((server) =>
			Array.from({ length: PER_SERVER }, (_, i) => postForm(server, '/connexion', { email: `inconnu-${server.name}-${i}@sexto.test`, password: 'wrong-password' }))
		);
		const statuses = (await Promise.all(attempts)).map((r) => r.status);
		// 401 = wrong credentials; 429 = this address already reached its limit
		expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
		expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(20);

		const rows = await auditRows(ctx, before);
		expect(rows).toHaveLength(2 * PER_SERVER);
		expect(rows.filter((r) => r.action === 'auth.login_failed').length).toBe(statuses.filter((s) => s === 401).length);
		expect(rows.filter((r) => r.action === 'auth.login_throttled').length).toBe(statuses.filter((s) => s === 429).length);
		expect(new Set(rows.map((r) => r.ip))).toEqual(new Set(['127.0.0.1']));
		expect(await verifyAuditChain(ctx.db)).toEqual({ ok: true, rows: before + 2 * PER_SERVER });

		// at least 20 failures from 127.0.0.1 are now in the shared database: both servers refuse
		// even the right password from this address
		for (const server of [a!, b!]) {
			const res = await postForm(server, '/connexion', { email: PRINCIPAL.email, password: DEMO_PASSWORD });
			expect({ server: server.name, status: res.status }).toEqual({ server: server.name, status: 429 });
			expect(res.headers.getSetCookie().some((c) => c.startsWith('sexto_session='))).toBe(false);
		}
		expect(await verifyAuditChain(ctx.db)).toEqual({ ok: true, rows: before + 2 * PER_SERVER + 2 });
	});
});
