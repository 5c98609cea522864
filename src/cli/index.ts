/**
 * Admin CLI: `npm run sexto -- <command>`. Calls the same services as the web app.
 *   migrate         apply pending migrations
 *   seed            load the demo data if the database has no users
 *   audit:verify    walk the audit hash chain; prints OK or the first broken row (exit 1)
 *   schools:import <file.csv> [--dry-run] [--as <email>] [--lang fr|en]
 *                   import schools (all or nothing); problems listed per line; exit 1 if refused
 */
import { ConfigError, getConfig } from '../lib/server/config';
import { createDb } from '../lib/server/db';
import { migrateToLatest } from '../lib/server/db/migrate';
import { seedDemo } from '../lib/server/db/seed/demo';
import { seedDemoIncidents } from '../lib/server/db/seed/demo-incidents';
import { seedDemoAttestations } from '../lib/server/db/seed/demo-attestations';
import { fieldCipherFrom } from '../lib/server/app';
import { createMailer } from '../lib/server/mail';
import { verifyAuditChain } from '../lib/server/audit/log';
import { importSchoolsFile } from './schools-import';

const commands: Record<string, (args: string[]) => Promise<number>> = {
	async migrate() {
		return withDb(async (db) => {
			const applied = await migrateToLatest(db);
			console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
			return 0;
		});
	},
	async seed() {
		const handle = createDb(getConfig().DATABASE_URL, { poolSize: 2 });
		try {
			await migrateToLatest(handle.db);
			console.log((await seedDemo(handle.db)) ? 'Demo data loaded.' : 'Database already has users: seed skipped.');
			const attestation = await seedDemoAttestations(handle.db);
			if (attestation) console.log(`Demo public attestation: /attestations/${attestation.awardId} (profile /membres/${attestation.publicId}).`);
			// Demo cases need the field-encryption keys (npm start provides them for the embedded demo).
			const config = getConfig();
			if (config.FIELD_ENCRYPTION_KEY && config.BLIND_INDEX_KEY) {
				const ctx = { config, db: handle.db, dialect: handle.dialect, mailer: createMailer(config), cipher: fieldCipherFrom(config), now: () => new Date() };
				const n = await seedDemoIncidents(ctx);
				if (n) console.log(`Demo cases loaded: ${n}.`);
			} else {
				console.log('No FIELD_ENCRYPTION_KEY / BLIND_INDEX_KEY: demo cases skipped.');
			}
			return 0;
		} finally {
			await handle.close();
		}
	},
	async 'schools:import'(args) {
		const handle = createDb(getConfig().DATABASE_URL, { poolSize: 2 });
		try {
			return await importSchoolsFile(handle, getConfig(), args);
		} finally {
			await handle.close();
		}
	},
	async 'audit:verify'() {
		return withDb(async (db) => {
			const verdict = await verifyAuditChain(db);
			if (verdict.ok) {
				console.log(`OK: ${verdict.rows} audit rows, chain intact.`);
				return 0;
			}
			console.log(`BROKEN at row ${verdict.brokenSeq}: ${verdict.reason}`);
			return 1;
		});
	}
};

async function withDb(run: (db: ReturnType<typeof createDb>['db']) => Promise<number>): Promise<number> {
	const handle = createDb(getConfig().DATABASE_URL, { poolSize: 2 });
	try {
		return await run(handle.db);
	} finally {
		await handle.close();
	}
}

async function main(): Promise<number> {
	const [name, ...args] = process.argv.slice(2);
	const command = name ? commands[name] : undefined;
	if (!command) {
		console.log(`Usage: npm run sexto -- <command>\nCommands: ${Object.keys(commands).join(', ')}`);
		return name ? 2 : 0;
	}
	return command(args);
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		if (error instanceof ConfigError) console.error(error.message);
		else console.error(error instanceof Error ? `Error: ${error.message}` : error);
		process.exit(1);
	}
);
