/**
 * CLI commands for badge credentials:
 *   keys:rotate            add a new signing key (older keys stay published so earlier credentials verify)
 *   verify <file> [--lang fr|en]   verify a credential file: JSON, or a baked PNG/SVG badge (exit 0 = valid)
 */
import { readFileSync, statSync } from 'node:fs';
import type { Config } from '../lib/server/config';
import type { DbHandle } from '../lib/server/db';
import { appendAudit } from '../lib/server/audit/log';
import { rotateKeys, keyRingOf } from '../lib/server/credentials/keys';
import { extractCredential, MAX_UPLOAD_BYTES } from '../lib/server/credentials/baking';
import { verifyWithRecords } from '../lib/server/credentials';
import { createMailer } from '../lib/server/mail';
import { translate, type Locale, type MessageKey } from '../lib/i18n';
import type { AppContext } from '../lib/server/context';
import type { FieldCipher } from '../lib/server/crypto/fields';

export async function rotateKeysCommand(handle: DbHandle, config: Config): Promise<number> {
	const now = new Date();
	const id = rotateKeys(config.CREDENTIAL_KEYS_FILE, now);
	const ring = keyRingOf(config, now);
	await handle.db.transaction().execute((trx) =>
		appendAudit(trx, { actorId: null, action: 'credential.keys_rotated', targetType: 'credential_key', targetId: id, outcome: 'success', details: { published: ring.all.length } }, now)
	);
	console.log(`New signing key: ${id}. Published keys: ${ring.all.map((k) => k.id).join(', ')}.`);
	return 0;
}

function arg(args: string[], name: string): string | undefined {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
}

export async function verifyCommand(handle: DbHandle, config: Config, args: string[]): Promise<number> {
	const lang: Locale = arg(args, '--lang') === 'en' ? 'en' : 'fr';
	const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--lang');
	const say = (key: MessageKey, params?: Record<string, string>) => translate(lang, key, params);
	if (!file) {
		console.error('Usage: npm run sexto -- verify <credential.json | badge.png | badge.svg> [--lang fr|en]');
		return 2;
	}
	let size: number;
	try {
		size = statSync(file).size;
	} catch {
		console.error(`${file}: ${say('attestations.verify.problem.empty')}`);
		return 2;
	}
	if (size > MAX_UPLOAD_BYTES) {
		console.log(say('attestations.verify.problem.too_large'));
		return 1;
	}
	const extraction = extractCredential(new Uint8Array(readFileSync(file)));
	if (!extraction.ok) {
		console.log(say(`attestations.verify.problem.${extraction.problem}`));
		return 1;
	}
	const ctx: AppContext = { config, db: handle.db, dialect: handle.dialect, mailer: createMailer(config), cipher: null as unknown as FieldCipher, now: () => new Date() };
	const verdict = await verifyWithRecords(ctx, extraction.json);
	console.log(`${say(`attestations.verify.status.${verdict.status}`)} — ${say(`attestations.verify.explain.${verdict.status}`)}`);
	if (verdict.summary?.name) console.log(`  ${say('attestations.verify.summary.badge')}: ${verdict.summary.name}`);
	if (verdict.summary?.holderName) console.log(`  ${say('attestations.verify.summary.holder')}: ${verdict.summary.holderName}`);
	if (verdict.summary?.awardedDate) console.log(`  ${say('attestations.verify.summary.awarded')}: ${verdict.summary.awardedDate}`);
	if (verdict.status === 'revoked') console.log(`  ${say('attestations.verify.summary.revocation')}: ${say(`attestations.credential.revocation.${verdict.revocationCategory ?? 'other'}` as MessageKey)}`);
	for (const reason of verdict.reasons) console.log(`  - ${say(`attestations.verify.reason.${reason}`)}`);
	return verdict.status === 'valid' ? 0 : 1;
}
