/**
 * Helper of bench/kit.mjs, run with tsx on a seeded database (DATABASE_URL and field keys from the environment,
 * the same keys as the server under test, so what it writes decrypts like any case). Prints one JSON line.
 *
 *   populate <total>       grows the database to 2,500 schools and <total> incidents with multi-row inserts (500 rows
 *                          per statement) through the app's own field cipher: each incident has its encrypted summary,
 *                          its intake and "intent" step answers (encrypted JSON, version 1) and one or two students
 *                          (encrypted name + blind index, encrypted birth date). The demo school holds 2 % of the cases
 *                          (the principal's list under test); the others are spread over the 2,499 other schools.
 *   pdf <runs>             hand-off packet build (audited read) + PDF render of the richest demo case, <runs> times
 *   list <runs>           the principal's filtered school list (page 2) in-process, <runs> times (no HTTP, no render)
 *   audit <runs> <conc>    share of the audit append in the case page: getIncident (audited) vs the same audit append
 *                          alone, sequentially and with <conc> concurrent loops
 */
import { performance } from 'node:perf_hooks';
import { PDFDocument } from 'pdf-lib';
import { sql, type Insertable } from 'kysely';
import type { Database } from '../src/lib/server/db/schema';
import { getConfig } from '../src/lib/server/config';
import { createDb } from '../src/lib/server/db';
import { fieldCipherFrom } from '../src/lib/server/app';
import type { AppContext } from '../src/lib/server/context';
import { newId } from '../src/lib/server/crypto/tokens';
import { DEMO_IDS } from '../src/lib/server/db/seed/demo';
import { loadActor } from '../src/lib/server/accounts/actor';
import { buildHandoffPacket, getIncident, listSchoolIncidents } from '../src/lib/server/incidents';
import { renderHandoffPdf } from '../src/lib/server/pdf/handoff-pdf';
import { recordAudit } from '../src/lib/server/audit/log';

const SCHOOLS = 2500;
const DEMO_SHARE = 0.02;
const BATCH = 500;
const STATUSES = ['open', 'open', 'handed_off', 'closed', 'closed'] as const;
const ORIENTATIONS = [null, 'likely_impulsive', 'likely_malicious', 'unclear'] as const;
const ROLES = ['depicted', 'sent', 'received', 'redistributed', 'witness'] as const;
const FIRST = ['Léa', 'Émile', 'Zoé', 'Noah', 'Chloé', 'Félix', 'Maëlle', 'Jérémie'];
const LAST = ['Tremblay', 'Gagnon', 'Roy', 'Côté', 'Bouchard', 'Gauthier', 'Morin', 'Lavoie'];

// A small deterministic generator (mulberry32): the same database shape on every run, no correlation between
// successive draws (a plain LCG's low bits made status and orientation move together).
let seed = 0x5e7 + Number(process.env.BENCH_SEED_OFFSET ?? 0);
const rand = () => {
	seed = (seed + 0x6d2b79f5) | 0;
	let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
	t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
	return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

function stats(ms: number[]) {
	const s = [...ms].sort((a, b) => a - b);
	const at = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
	const r = (v: number) => Math.round(v * 100) / 100;
	return { runs: s.length, p50: r(at(50)), p90: r(at(90)), p99: r(at(99)), max: r(s.at(-1)!), mean: r(s.reduce((a, b) => a + b, 0) / s.length) };
}

async function main(): Promise<void> {
	const [command, ...args] = process.argv.slice(2);
	const config = getConfig();
	const handle = createDb(config.DATABASE_URL, { poolSize: Number(process.env.BENCH_HELPER_POOL ?? 4) });
	const db = handle.db;
	const cipher = fieldCipherFrom(config);
	const ctx: AppContext = { config, db, dialect: handle.dialect, mailer: { send: async () => {} }, cipher, now: () => new Date() };
	const userId = async (email: string) => (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
	try {
		if (command === 'populate') {
			const total = Number(args[0]);
			const t0 = performance.now();
			const now = new Date();
			const at = now.toISOString();
			const responder = await userId('intervenant@sexto.test');
			// Schools: the demo's two, then bench schools under the covered police service until 2,500.
			const schoolCount = Number((await db.selectFrom('schools').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
			if (schoolCount < SCHOOLS) {
				const rows = Array.from({ length: SCHOOLS - schoolCount }, (_, i) => ({
					id: newId(),
					police_service_id: i % 2 ? DEMO_IDS.policeCovered : DEMO_IDS.policeOther,
					code: `BENCH-${String(i + 1).padStart(4, '0')}`,
					name: `École secondaire Sainte-Thérèse-de-l'Îlot n° ${i + 1}`,
					service_centre: 'Centre de services scolaire (banc d’essai)',
					address: 'Québec (QC)',
					language: 'fr' as const,
					created_at: at,
					updated_at: at
				}));
				for (let i = 0; i < rows.length; i += BATCH) await db.insertInto('schools').values(rows.slice(i, i + BATCH)).execute();
			}
			const others = (await db.selectFrom('schools').select('id').where('id', '!=', DEMO_IDS.schoolCovered).execute()).map((r) => r.id);
			const existing = Number((await db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
			const toAdd = Math.max(0, total - existing);
			const intakeAnswers = cipher.encrypt(
				JSON.stringify({ intake_learned_at: at, intake_reported_by: 'other_student', intake_channel: 'in_person', intake_content_category: 'nude', intake_summary: 'Une photo intime circule dans un groupe de conversation (cas de banc d’essai).' })
			);
			for (let done = 0; done < toAdd; done += BATCH) {
				const n = Math.min(BATCH, toAdd - done);
				const incidents: Insertable<Database['incidents']>[] = [];
				const answers: Insertable<Database['incident_answers']>[] = [];
				const students: Insertable<Database['incident_students']>[] = [];
				for (let i = 0; i < n; i++) {
					const id = newId();
					const created = new Date(now.getTime() - Math.floor(rand() * 730 * 86_400_000));
					const createdAt = created.toISOString();
					const status = pick(STATUSES);
					const handed = status !== 'open' || rand() < 0.2;
					const handedAt = handed ? new Date(created.getTime() + 3_600_000).toISOString() : null;
					const closedAt = status === 'closed' ? new Date(created.getTime() + 20 * 86_400_000).toISOString() : null;
					incidents.push({
						id,
						school_id: rand() < DEMO_SHARE ? DEMO_IDS.schoolCovered : pick(others),
						opened_by: responder,
						assigned_to: null,
						pack_id: 'sexto-default',
						pack_version: '1.0.0',
						status: handed && status === 'open' ? ('handed_off' as const) : status,
						t0: new Date(created.getTime() - 1_800_000).toISOString(),
						reporter_kind: 'other_student',
						report_channel: 'in_person',
						summary_enc: cipher.encrypt('Une photo intime circule dans un groupe de conversation (cas de banc d’essai).'),
						images_reported: 1,
						devices_reported: 1,
						red_flags: '[]',
						orientation: pick(ORIENTATIONS),
						police_called_at: handedAt,
						handed_off_at: handedAt,
						decision: status === 'closed' ? ('impulsive' as const) : null,
						decided_at: status === 'closed' ? handedAt : null,
						closed_at: closedAt,
						closure_reason: closedAt ? ('extrajudicial_completed' as const) : null,
						created_at: createdAt,
						updated_at: closedAt ?? createdAt
					});
					answers.push(
						{ incident_id: id, step_id: 'intake', answers_enc: intakeAnswers, version: 1, updated_by: responder, updated_at: createdAt },
						{ incident_id: id, step_id: 'intent', answers_enc: cipher.encrypt(JSON.stringify({ threats: 'no', prior_incidents: 'no' })), version: 1, updated_by: responder, updated_at: createdAt }
					);
					for (let s = 0, count = rand() < 0.5 ? 1 : 2; s < count; s++) {
						const name = `${pick(FIRST)} ${pick(LAST)}`;
						students.push({
							id: newId(),
							incident_id: id,
							name_enc: cipher.encrypt(name),
							name_bidx: cipher.blindIndex(name),
							dob_enc: cipher.encrypt('2010-05-14'),
							age: 15,
							grade: 'sec4',
							roles: JSON.stringify([pick(ROLES)]),
							version: 1,
							created_by: responder,
							created_at: createdAt,
							updated_at: createdAt
						});
					}
				}
				await db.transaction().execute(async (trx) => {
					await trx.insertInto('incidents').values(incidents).execute();
					await trx.insertInto('incident_answers').values(answers).execute();
					await trx.insertInto('incident_students').values(students).execute();
				});
			}
			// A database in steady state, as production's would be after autovacuum: statistics, visibility map (index-only
			// counts) and no insert-triggered autovacuum of the fresh rows in the middle of a measurement.
			if (handle.dialect === 'postgres') await sql`vacuum analyze`.execute(db);
			const count = Number((await db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
			const demo = Number((await db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).where('school_id', '=', DEMO_IDS.schoolCovered).executeTakeFirstOrThrow()).n);
			console.log(JSON.stringify({ incidents: count, demoSchoolIncidents: demo, added: toAdd, ms: Math.round(performance.now() - t0) }));
		} else if (command === 'pdf') {
			const runs = Number(args[0]);
			const actor = await loadActor(db, await userId('direction@sexto.test'));
			// The demo seed's richest case (written through the services: students, devices, police call, answers).
			const demoCase = await db
				.selectFrom('incidents')
				.innerJoin('incident_police_calls', 'incident_police_calls.incident_id', 'incidents.id')
				.innerJoin('device_custody', 'device_custody.incident_id', 'incidents.id')
				.select('incidents.id')
				.where('incidents.school_id', '=', DEMO_IDS.schoolCovered)
				.orderBy('incidents.created_at')
				.executeTakeFirstOrThrow();
			const build: number[] = [];
			const render: number[] = [];
			const total: number[] = [];
			let bytes = 0;
			let pages = 0;
			for (let i = 0; i < runs; i++) {
				const locale = i % 2 ? 'en' : 'fr';
				const a = performance.now();
				const packet = await buildHandoffPacket(ctx, actor, { incidentId: demoCase.id, locale }, { ip: null });
				const b = performance.now();
				if (!packet) throw new Error('packet not readable');
				const pdf = await renderHandoffPdf(packet);
				const c = performance.now();
				build.push(b - a);
				render.push(c - b);
				total.push(c - a);
				bytes = pdf.byteLength;
				pages = (await PDFDocument.load(pdf)).getPageCount();
			}
			console.log(JSON.stringify({ incidentId: demoCase.id, bytes, pages, build: stats(build), render: stats(render), total: stats(total) }));
		} else if (command === 'list') {
			const runs = Number(args[0]);
			const actor = await loadActor(db, await userId('direction@sexto.test'));
			const input = { schoolId: DEMO_IDS.schoolCovered, status: 'handed_off', orientation: 'likely_malicious', page: 2 };
			let total = 0;
			let items = 0;
			for (let i = 0; i < 20; i++) await listSchoolIncidents(ctx, actor, input, { ip: null }); // warm-up
			const ms: number[] = [];
			for (let i = 0; i < runs; i++) {
				const a = performance.now();
				const r = await listSchoolIncidents(ctx, actor, input, { ip: null });
				ms.push(performance.now() - a);
				if (!r.ok) throw new Error('list refused');
				total = r.total;
				items = r.items.length;
			}
			console.log(JSON.stringify({ total, items, ...stats(ms) }));
		} else if (command === 'audit') {
			const runs = Number(args[0]);
			const conc = Number(args[1]);
			const actor = await loadActor(db, await userId('direction@sexto.test'));
			const demoCase = await db
				.selectFrom('incidents')
				.innerJoin('incident_police_calls', 'incident_police_calls.incident_id', 'incidents.id')
				.select('incidents.id')
				.where('incidents.school_id', '=', DEMO_IDS.schoolCovered)
				.executeTakeFirstOrThrow();
			const page = () => getIncident(ctx, actor, { incidentId: demoCase.id }, { ip: null });
			// the case page's own append (recordAudit: one statement on PostgreSQL)
			const append = () => recordAudit(db, { actorId: actor.userId, action: 'incident.read', targetType: 'incident', targetId: demoCase.id, outcome: 'success', ip: null, details: { view: 'case' } });
			const sequential = async (fn: () => Promise<unknown>) => {
				const ms: number[] = [];
				for (let i = 0; i < runs; i++) {
					const a = performance.now();
					await fn();
					ms.push(performance.now() - a);
				}
				return stats(ms);
			};
			const concurrent = async (fn: () => Promise<unknown>) => {
				let left = runs;
				const a = performance.now();
				await Promise.all(
					Array.from({ length: conc }, async () => {
						while (left-- > 0) await fn();
					})
				);
				return Math.round((runs / (performance.now() - a)) * 1000);
			};
			for (let i = 0; i < 50; i++) await page(); // warm-up (JIT, pool, caches)
			const casePage = await sequential(page);
			const auditOnly = await sequential(append);
			const casePagePerSec = await concurrent(page);
			const auditPerSec = await concurrent(append);
			console.log(JSON.stringify({ casePage, auditOnly, shareOfMedian: Math.round((auditOnly.p50 / casePage.p50) * 1000) / 1000, concurrency: conc, casePagePerSec, auditPerSec }));
		} else {
			throw new Error(`unknown command ${command}`);
		}
	} finally {
		await handle.close();
	}
}

await main();
