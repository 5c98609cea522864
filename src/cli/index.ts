/**
 * Admin CLI: `npm run sexto -- <command>`. Calls the same services as the web app.
 *   migrate         apply pending migrations
 *   seed            load the demo data if the database has no users
 *   audit:verify    walk the audit hash chain; prints OK or the first broken row (exit 1)
 *   schools:import <file.csv> [--dry-run] [--as <email>] [--lang fr|en]
 *                   import schools (all or nothing); problems listed per line; exit 1 if refused
 *   keys:rotate     add a badge signing key (older keys stay published)
 *   verify <file> [--lang fr|en]
 *                   verify a badge credential (JSON, baked PNG or SVG); exit 0 when valid
 */
import { ConfigError, getConfig } from '../lib/server/config';
import { createDb } from '../lib/server/db';
import { migrateToLatest } from '../lib/server/db/migrate';
import { seedDemo } from '../lib/server/db/seed/demo';
import { seedDemoIncidents } from '../lib/server/db/seed/demo-incidents';
import { seedDemoTraining } from '../lib/server/db/seed/demo-training';
import { seedDemoArchitecte } from '../lib/server/db/seed/demo-architecte';
import { seedDemoAttestations } from '../lib/server/db/seed/demo-attestations';
import { fieldCipherFrom } from '../lib/server/app';
import { createMailer } from '../lib/server/mail';
import { verifyAuditChain } from '../lib/server/audit/log';
import { importSchoolsFile } from './schools-import';
import { rotateKeysCommand, verifyCommand } from './credentials';

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
			// Demo cases need the field-encryption keys (npm start provides them for the embedded demo).
			const config = getConfig();
			if (config.FIELD_ENCRYPTION_KEY && config.BLIND_INDEX_KEY) {
				const ctx = { config, db: handle.db, dialect: handle.dialect, mailer: createMailer(config), cipher: fieldCipherFrom(config), now: () => new Date() };
				const n = await seedDemoIncidents(ctx);
				if (n) console.log(`Demo cases loaded: ${n}.`);
			} else {
				console.log('No FIELD_ENCRYPTION_KEY / BLIND_INDEX_KEY: demo cases skipped.');
			}
			// Training records need no encryption keys (reflections are not case data).
			const t = await seedDemoTraining({ db: handle.db, now: () => new Date() });
			if (t) console.log(`Demo training submissions loaded: ${t}.`);
			// Architecte attempts of the demo learner (needs their Explorateur award, seeded by the Explorateur level).
			const architecte = await seedDemoArchitecte({ db: handle.db, now: () => new Date() });
			if (architecte) console.log(`Demo Architecte attempts loaded: ${architecte}.`);
			// The public proof page of the demo learner's Explorateur award (after the training seed created it).
			const attestation = await seedDemoAttestations(handle.db);
			if (attestation) console.log(`Demo public attestation: /attestations/${attestation.awardId} (profile /membres/${attestation.publicId}).`);
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
	async 'keys:rotate'() {
		const handle = createDb(getConfig().DATABASE_URL, { poolSize: 2 });
		try {
			return await rotateKeysCommand(handle, getConfig());
		} finally {
			await handle.close();
		}
	},
	async verify(args) {
		const handle = createDb(getConfig().DATABASE_URL, { poolSize: 2 });
		try {
			return await verifyCommand(handle, getConfig(), args);
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
