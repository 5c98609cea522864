import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { DB } from './index';
import * as m0001 from './migrations/0001_foundation';
import * as m0002 from './migrations/0002_registry';
import * as m0003 from './migrations/0003_incidents';
import * as m0004 from './migrations/0004_training_awards';
import * as m0005 from './migrations/0005_training_explorateur';
import * as m0006 from './migrations/0006_training_architecte';
import * as m0007 from './migrations/0007_credentials';
import * as m0008 from './migrations/0008_attestations';
import * as m0009 from './migrations/0009_kit_packs';
import * as m0010 from './migrations/0010_audit_append';
import * as m0011 from './migrations/0011_incident_list_index';
import * as m0012 from './migrations/0012_audit_at_commit';

/** Migrations are imported statically so they are bundled with the app (no filesystem scan at run time). */
const migrations: Record<string, Migration> = {
	'0001_foundation': m0001,
	'0002_registry': m0002,
	'0003_incidents': m0003,
	'0004_training_awards': m0004,
	'0005_training_explorateur': m0005,
	'0006_training_architecte': m0006,
	'0007_credentials': m0007,
	'0008_attestations': m0008,
	'0009_kit_packs': m0009,
	'0010_audit_append': m0010,
	'0011_incident_list_index': m0011,
	'0012_audit_at_commit': m0012
};

class StaticProvider implements MigrationProvider {
	async getMigrations() {
		return migrations;
	}
}

export async function migrateToLatest(db: DB): Promise<string[]> {
	const migrator = new Migrator({ db, provider: new StaticProvider() });
	const { error, results } = await migrator.migrateToLatest();
	if (error) throw error instanceof Error ? error : new Error(String(error));
	return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
