/**
 * `npm run sexto -- schools:import file.csv [--dry-run] [--as email] [--lang fr|en]`: the same service as
 * the web page. Without --as, runs as the platform operator: platform-admin rights, recorded in the audit log
 * and the history as the actor id "cli-operator" (there is no user account behind a shell).
 */
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import type { Config } from '../lib/server/config';
import type { DbHandle } from '../lib/server/db';
import type { AppContext } from '../lib/server/context';
import type { Actor } from '../lib/server/policy';
import { loadActor } from '../lib/server/accounts/actor';
import { importSchools } from '../lib/server/territories/schools';
import { decodeText } from '../lib/domain/schools-import/csv';
import { MAX_IMPORT_BYTES } from '../lib/domain/schools-import/schools';
import { translate, isLocale, type MessageKey } from '../lib/i18n';

const OPERATOR: Actor = { userId: 'cli-operator', grants: [{ role: 'platform_admin', scopeType: 'platform', scopeId: null }] };

export async function importSchoolsFile(handle: DbHandle, config: Config, args: string[]): Promise<number> {
	const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--as' && args[i - 1] !== '--lang');
	const dryRun = args.includes('--dry-run');
	const asEmail = valueOf(args, '--as');
	const langArg = valueOf(args, '--lang');
	const lang = isLocale(langArg) ? langArg : 'fr';
	const say = (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params);
	if (!file) {
		console.error('Usage: npm run sexto -- schools:import <file.csv> [--dry-run] [--as <email>] [--lang fr|en]');
		return 2;
	}
	// Check the size before reading: a 50 MB file is refused without loading it.
	const size = statSync(file).size;
	if (size > MAX_IMPORT_BYTES) {
		console.log(say('import.error.too_large'));
		return 1;
	}
	const bytes = Buffer.alloc(size);
	const fd = openSync(file, 'r');
	try {
		readSync(fd, bytes, 0, size, 0);
	} finally {
		closeSync(fd);
	}
	const decoded = decodeText(bytes);
	if (!decoded.ok) {
		console.log(say('import.error.not_text'));
		return 1;
	}
	// The import touches no case data: a cipher that refuses to work documents that.
	const noCaseData = () => {
		throw new Error('schools:import does not handle case data');
	};
	const ctx: AppContext = {
		config,
		db: handle.db,
		dialect: handle.dialect,
		mailer: { send: async () => {} },
		cipher: { encrypt: noCaseData, decrypt: noCaseData, encryptOptional: noCaseData, decryptOptional: noCaseData, blindIndex: noCaseData },
		now: () => new Date()
	};
	let actor = OPERATOR;
	if (asEmail) {
		const user = await handle.db.selectFrom('users').select('id').where('email', '=', asEmail.toLowerCase()).executeTakeFirst();
		if (!user) {
			console.error(`Unknown user: ${asEmail}`);
			return 2;
		}
		actor = await loadActor(handle.db, user.id);
	}
	const outcome = await importSchools(ctx, actor, decoded.text, size, { dryRun }, { ip: null });
	if (outcome.committed) {
		console.log(say('import.done', { count: outcome.count }));
		return 0;
	}
	if (outcome.plan.ok) {
		console.log(say('import.ready', { count: outcome.plan.rows.length }));
		return 0;
	}
	console.log(say('import.problems', { count: outcome.plan.problems.length }));
	for (const p of outcome.plan.problems) {
		const field = p.field ? say(`import.field.${p.field}` as MessageKey) : say('import.whole_file');
		console.log(`  ${say('import.col.line')} ${p.line || '—'} · ${field} · ${say(`import.error.${p.code}` as MessageKey, { value: p.value ?? '' })}`);
	}
	return 1;
}

function valueOf(args: string[], flag: string): string | undefined {
	const i = args.indexOf(flag);
	return i >= 0 ? args[i + 1] : undefined;
}
