/**
 * Helper of bench/training-queue.mjs, run with tsx on a seeded database (DATABASE_URL from the environment):
 *   populate <n>   adds n learners of the covered demo school, each with one Explorateur submission and its
 *                  first version; statuses mixed like a busy year (60 % waiting, 16 % returned, 16 % approved,
 *                  8 % rejected), submission times spread over the last 200 days. Batched multi-row inserts.
 * Prints one JSON line on stdout.
 */
import { performance } from 'node:perf_hooks';
import { getConfig } from '../src/lib/server/config';
import { createDb } from '../src/lib/server/db';
import { newId } from '../src/lib/server/crypto/tokens';
import { DEMO_IDS } from '../src/lib/server/db/seed/demo';
import type { SubmissionStatus, TrainingSubmissionsTable, TrainingSubmissionVersionsTable, UsersTable } from '../src/lib/server/db/schema';

const BATCH = 500;
const FIRST = ['Émilie', 'Jérôme', 'Noémie', 'François', 'Hélène', 'Zoé', 'Loïc', 'Chloé', 'Mathéo', 'Anaïs'];
const LAST = ['Tremblay', 'Gagnon', 'Roy', 'Côté', 'Bouchard', 'Gauthier', 'Morin', 'Lavoie', 'Fortin', 'Gélinas'];

function statusOf(i: number): SubmissionStatus {
	const r = i % 25;
	return r < 15 ? 'submitted' : r < 19 ? 'returned' : r < 23 ? 'approved' : 'rejected';
}

async function main(): Promise<void> {
	const [command, nArg] = process.argv.slice(2);
	if (command !== 'populate') throw new Error('usage: training-helper.ts populate <n>');
	const n = Number(nArg);
	const handle = createDb(getConfig().DATABASE_URL, { poolSize: 2 });
	try {
		const t0 = performance.now();
		const start = Date.now() - 200 * 86_400_000;
		const answers = JSON.stringify({ learned: 'x'.repeat(400), changes: 'y'.repeat(400), focus: 'z'.repeat(400) });
		for (let from = 0; from < n; from += BATCH) {
			const users: UsersTable[] = [];
			const subs: TrainingSubmissionsTable[] = [];
			const versions: TrainingSubmissionVersionsTable[] = [];
			for (let i = from; i < Math.min(n, from + BATCH); i++) {
				const at = new Date(start + Math.floor((i / n) * 200 * 86_400_000) + (i % 997) * 1000).toISOString();
				const userId = newId();
				const id = newId();
				const status = statusOf(i);
				users.push({ id: userId, email: `bench.learner.${i}@sexto.test`, display_name: `${FIRST[i % 10]} ${LAST[Math.floor(i / 10) % 10]} ${i}`, password_hash: null, locale: 'fr', created_at: at, disabled_at: null });
				subs.push({ id, user_id: userId, school_id: DEMO_IDS.schoolCovered, status, current_version: 1, submitted_at: at, reviewed_at: status === 'submitted' ? null : at, award_id: null, created_at: at, updated_at: at });
				versions.push({ id: newId(), submission_id: id, version: 1, answers_json: answers, created_at: at, saved_at: at, submitted_at: at });
			}
			await handle.db.transaction().execute(async (trx) => {
				await trx.insertInto('users').values(users).execute();
				await trx.insertInto('training_submissions').values(subs).execute();
				await trx.insertInto('training_submission_versions').values(versions).execute();
			});
		}
		if (handle.dialect === 'postgres') {
			const { sql } = await import('kysely');
			// steady state: statistics, visibility map, no insert-triggered autovacuum during the measurement
			await sql`vacuum analyze`.execute(handle.db);
		}
		const waiting = await handle.db.selectFrom('training_submissions').select((eb) => eb.fn.countAll<number>().as('c')).where('status', '=', 'submitted').executeTakeFirstOrThrow();
		console.log(JSON.stringify({ added: n, waiting: Number(waiting.c), ms: Math.round(performance.now() - t0) }));
	} finally {
		await handle.close();
	}
}

await main();
