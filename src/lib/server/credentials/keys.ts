/**
 * The issuer's Ed25519 keys. They live in a JSON file named by CREDENTIAL_KEYS_FILE (default
 * ./data/credential-keys.json): every key ever used stays published (so earlier credentials still
 * verify), the newest one signs. `npm run sexto -- keys:rotate` appends a key. The embedded demo
 * (SQLite) creates the file on first use; a PostgreSQL deployment must provide it (all servers share it).
 */
/* eslint-disable security/detect-non-literal-fs-filename -- one configured file: CREDENTIAL_KEYS_FILE */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ConfigError, type Config } from '../config';
import { ed25519FromMultikey, ed25519Multikey } from '../../domain/credentials/multibase';

const fileSchema = z.object({
	keys: z
		.array(
			z.object({
				id: z.string().regex(/^key-[A-Za-z0-9-]{1,64}$/),
				created: z.string(),
				publicKeyMultibase: z.string().startsWith('z'),
				/** base64 of the 32-byte Ed25519 seed */
				secretKey: z.string().min(40).max(48)
			})
		)
		.min(1)
});
export type KeyFile = z.infer<typeof fileSchema>;

export interface IssuerKey {
	id: string;
	created: string;
	publicKeyMultibase: string;
	publicKey: KeyObject;
}

export interface KeyRing {
	/** the newest key: signs new credentials */
	active: IssuerKey & { privateKey: KeyObject };
	/** every key, oldest first: all published in the DID document */
	all: IssuerKey[];
}

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

function privateFromSeed(seed: Buffer): KeyObject {
	return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
}

export function publicFromRaw(raw: Uint8Array): KeyObject {
	return createPublicKey({ key: Buffer.concat([SPKI_ED25519, Buffer.from(raw)]), format: 'der', type: 'spki' });
}

export function newKeyEntry(now: Date): KeyFile['keys'][number] {
	const { privateKey, publicKey } = generateKeyPairSync('ed25519');
	const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
	const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
	const stamp = now.toISOString().slice(0, 10);
	return {
		id: `key-${stamp}-${raw.toString('hex').slice(0, 8)}`,
		created: now.toISOString(),
		publicKeyMultibase: ed25519Multikey(raw),
		secretKey: seed.toString('base64')
	};
}

export function parseKeyFile(text: string, path: string): KeyRing {
	let parsed: KeyFile;
	try {
		parsed = fileSchema.parse(JSON.parse(text));
	} catch {
		throw new ConfigError([`CREDENTIAL_KEYS_FILE: ${path} is not a valid credential key file`]);
	}
	const all = parsed.keys.map((k) => {
		const raw = ed25519FromMultikey(k.publicKeyMultibase);
		const seed = Buffer.from(k.secretKey, 'base64');
		if (!raw || seed.length !== 32) throw new ConfigError([`CREDENTIAL_KEYS_FILE: key ${k.id} is malformed`]);
		const privateKey = privateFromSeed(seed);
		const derived = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32);
		if (!derived.equals(Buffer.from(raw))) throw new ConfigError([`CREDENTIAL_KEYS_FILE: key ${k.id}: public key does not match its secret`]);
		return { id: k.id, created: k.created, publicKeyMultibase: k.publicKeyMultibase, publicKey: publicFromRaw(raw), privateKey };
	});
	const newest = all[all.length - 1]!;
	return { active: newest, all: all.map(({ id, created, publicKeyMultibase, publicKey }) => ({ id, created, publicKeyMultibase, publicKey })) };
}

function writeKeyFile(path: string, file: KeyFile): void {
	mkdirSync(dirname(path), { recursive: true });
	const tmp = `${path}.${process.pid}.tmp`;
	writeFileSync(tmp, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
	renameSync(tmp, path);
}

const cache = new Map<string, { mtimeMs: number; ring: KeyRing }>();

/** The key ring of this configuration, re-read when the file changes (a rotation is seen without restart). */
export function keyRingOf(config: Pick<Config, 'CREDENTIAL_KEYS_FILE' | 'dialect'>, now = new Date()): KeyRing {
	const path = config.CREDENTIAL_KEYS_FILE;
	if (!existsSync(path)) {
		if (config.dialect !== 'sqlite') {
			throw new ConfigError([`CREDENTIAL_KEYS_FILE: ${path} does not exist (create it once with npm run sexto -- keys:rotate and share it with every app server)`]);
		}
		writeKeyFile(path, { keys: [newKeyEntry(now)] });
	}
	const mtimeMs = statSync(path).mtimeMs;
	const hit = cache.get(path);
	if (hit && hit.mtimeMs === mtimeMs) return hit.ring;
	const ring = parseKeyFile(readFileSync(path, 'utf8'), path);
	cache.set(path, { mtimeMs, ring });
	return ring;
}

/** Appends a new signing key; older keys stay published. Returns the new key's id. */
export function rotateKeys(path: string, now: Date): string {
	const existing: KeyFile = existsSync(path) ? fileSchema.parse(JSON.parse(readFileSync(path, 'utf8'))) : { keys: [] as KeyFile['keys'] } as KeyFile;
	const entry = newKeyEntry(now);
	writeKeyFile(path, { keys: [...existing.keys, entry] });
	cache.delete(path);
	return entry.id;
}
