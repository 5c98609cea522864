/**
 * Helper of bench/registry.mjs, run with tsx on a seeded database (DATABASE_URL and keys from the environment):
 *   import <file.csv>          times importSchools() in-process (the CLI's service, without tsx start-up)
 *   populate <services> <active>  adds police services (code BPS###) and active agreements for the first <active>
 * Prints one JSON line on stdout.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { getConfig } from '../src/lib/server/config';
import { createDb } from '../src/lib/server/db';
import type { AppContext } from '../src/lib/server/context';
import type { Actor } from '../src/lib/server/policy';
import { importSchools } from '../src/lib/server/territories/schools';
import { decodeText } from '../src/lib/domain/schools-import/csv';
import { newId } from '../src/lib/server/crypto/tokens';
import { DEMO_IDS } from '../src/lib/server/db/seed/demo';

const OPERATOR: Actor = { userId: 'cli-operator', grants: [{ role: 'platform_admin', scopeType: 'platform', scopeId: null }] };
const KINDS = ['municipal', 'sq', 'intermunicipal'] as const;

async function main(): Promise<void> {
	const [command, ...args] = process.argv.slice(2);
	const config = getConfig();
	const handle = createDb(config.DATABASE_URL, { poolSize: 2 });
	try {
		if (command === 'import') {
			const bytes = readFileSync(args[0]!);
			const refuse = () => {
				throw new Error('no case data here');
			};
			const ctx: AppContext = {
				config,
				db: handle.db,
				dialect: handle.dialect,
				mailer: { send: async () => {} },
				cipher: { encrypt: refuse, decrypt: refuse, encryptOptional: refuse, decryptOptional: refuse, blindIndex: refuse },
				now: () => new Date()
			};
			const t0 = performance.now();
			const decoded = decodeText(bytes);
			if (!decoded.ok) throw new Error('CSV is not text');
			const outcome = await importSchools(ctx, OPERATOR, decoded.text, bytes.length, { dryRun: false }, { ip: null });
			const ms = performance.now() - t0;
			if (!outcome.committed) throw new Error(`import refused: ${JSON.stringify(outcome.plan).slice(0, 500)}`);
			console.log(JSON.stringify({ rows: outcome.count, ms }));
		} else if (command === 'populate') {
			const services = Number(args[0]);
			const active = Number(args[1]);
			const at = new Date().toISOString();
			const ps = Array.from({ length: services }, (_, i) => ({
				id: newId(),
				code: `BPS${String(i + 1).padStart(3, '0')}`,
				territory_id: i % 2 ? DEMO_IDS.territoryCovered : DEMO_IDS.territoryOther,
				name_fr: `Service de police de Sainte-Thérèse-de-l'Îlot n° ${i + 1}`,
				name_en: `Sainte-Thérèse-de-l'Îlot Police Service #${i + 1}`,
				kind: KINDS[i % KINDS.length]!,
				kit_contact: null,
				emergency_phone: '911',
				created_at: at,
				updated_at: at
			}));
			await handle.db.transaction().execute(async (trx) => {
				await trx.insertInto('police_services').values(ps).execute();
				const agreements = ps.map((p, i) => ({
					id: newId(),
					police_service_id: p.id,
					status: i < active ? ('active' as const) : ('draft' as const),
					signed_on: i < active ? '2019-06-01' : null,
					effective_from: i < active ? '2019-07-01' : '2030-01-01',
					effective_to: null,
					reference: `BENCH-${i + 1}`,
					note: null,
					created_at: at,
					updated_at: at
				}));
				await trx.insertInto('agreements').values(agreements).execute();
			});
			console.log(JSON.stringify({ services, active }));
		} else {
			throw new Error(`unknown command ${command}`);
		}
	} finally {
		await handle.close();
	}
}

await main();
