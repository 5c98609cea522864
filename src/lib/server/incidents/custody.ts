/**
 * recordCustodyEvent(ctx, actor, input, meta) → { ok: true, id, deviceRef } | invalid | closed | not_found
 *
 * Step 4 of the kit: the device seizure log (chain of custody). Facts only, never content: do not open,
 * do not copy, do not forward, do not ask to see.
 *   - every event is a new row; rows are never updated or deleted (database triggers refuse it too);
 *   - `seized` starts a device: a reference "D1", "D2"… is assigned (or the one given, if new); its
 *     description and owner (a student of the case, or a label such as "enseignant·e") are kept on that row;
 *   - later events (`transferred`, `stored`, `handed_to_police`) must name an existing `deviceRef` of this
 *     case (`kit.error.unknown_device`) and may not be dated before that device's previous event;
 *   - `at` is never in the future; `state` is off / airplane / unknown; a transfer or a hand-over to the
 *     police names who received it (`toName`, `toBadge`); storing names where (`location`);
 *   - these columns are not encrypted: a field that contains the full name of a student of the case is
 *     refused (`kit.error.student_name_in_clear`) — choose the student as owner instead.
 * Policy `incident:edit`.
 */
import type { RequestMeta } from '../context';
import { CUSTODY_EVENTS, DEVICE_STATES, type CustodyEvent, type DeviceState } from '../db/schema';
import type { Actor } from '../policy';
import { newId } from '../crypto/tokens';
import type { Trx } from '../db';
import type { FieldCipher } from '../crypto/fields';
import { normaliseForIndex } from '../crypto/fields';
import { finishCaseWrite, writeCase } from './access';
import type { CaseWriteRefusal, KitContext } from './types';
import { Check } from './validate';

export interface CustodyEventInput {
	incidentId: string;
	/** empty for a newly seized device; the device's reference ("D1") for every later event */
	deviceRef?: string | null;
	event: CustodyEvent | string;
	/** what the device is ("téléphone bleu, coque noire"): required on seizure, kept for later events */
	description?: string | null;
	/** owner: a student of the case… */
	ownerStudentId?: string | null;
	/** …or a label when the owner is not a student of the case */
	ownerLabel?: string | null;
	/** when it happened (ISO, or Québec wall-clock time from datetime-local) */
	at: string;
	/** who seized / transferred / stored / handed it over */
	byName: string;
	state: DeviceState | string;
	envelopeNo?: string | null;
	location?: string | null;
	/** who received it (required for `transferred` and `handed_to_police`) */
	toName?: string | null;
	toBadge?: string | null;
}

export type CustodyResult = { ok: true; id: string; deviceRef: string } | CaseWriteRefusal;

const DEVICE_REF = /^[A-Z0-9][A-Z0-9-]{0,11}$/;

export async function recordCustodyEvent(ctx: KitContext, actor: Actor, input: CustodyEventInput, meta: RequestMeta): Promise<CustodyResult> {
	return writeCase(ctx, actor, input.incidentId, meta, { action: 'incident:edit', audit: 'incident.custody_recorded' }, async (trx, { row }) => {
		const now = ctx.now();
		const check = new Check(now);
		const event = check.oneOf('event', input.event, CUSTODY_EVENTS, { required: true });
		const state = check.oneOf('state', input.state, DEVICE_STATES, { required: true });
		const byName = check.text('byName', input.byName, { required: true, max: 100 });
		const envelopeNo = check.text('envelopeNo', input.envelopeNo, { max: 40 });
		const location = check.text('location', input.location, { required: event === 'stored', max: 200 });
		const toName = check.text('toName', input.toName, { required: event === 'transferred' || event === 'handed_to_police', max: 100 });
		const toBadge = check.text('toBadge', input.toBadge, { max: 40 });
		const rawRef = check.text('deviceRef', input.deviceRef, { required: event !== null && event !== 'seized', max: 12 });
		const deviceRef = rawRef?.toUpperCase() ?? null;
		if (deviceRef && !DEVICE_REF.test(deviceRef)) check.fail('deviceRef', 'form.error.invalid');

		const history = await trx.selectFrom('device_custody').selectAll().where('incident_id', '=', row.id).orderBy('recorded_at').orderBy('id').execute();
		const ofDevice = deviceRef ? history.filter((h) => h.device_ref === deviceRef) : [];
		const first = ofDevice[0];
		const previousAt = ofDevice.reduce<string | null>((latest, h) => (!latest || h.at > latest ? h.at : latest), null);
		const at = check.instant('at', input.at, { required: true, notBefore: previousAt, beforeKey: 'kit.error.before_previous_event' });

		let description: string | null = null;
		let ownerStudentId: string | null = null;
		let ownerLabel: string | null = null;
		if (event === 'seized') {
			if (first) check.fail('deviceRef', 'kit.error.device_already_seized');
			description = check.text('description', input.description, { required: true, max: 200 });
			ownerStudentId = check.id('ownerStudentId', input.ownerStudentId);
			ownerLabel = check.text('ownerLabel', input.ownerLabel, { max: 100 });
			if (ownerStudentId) {
				const student = await trx.selectFrom('incident_students').select('id').where('id', '=', ownerStudentId).where('incident_id', '=', row.id).executeTakeFirst();
				if (!student) check.fail('ownerStudentId', 'kit.error.unknown_student');
			}
		} else if (event) {
			if (deviceRef && !first) check.fail('deviceRef', 'kit.error.unknown_device');
			description = check.text('description', input.description, { max: 200 }) ?? first?.description ?? null;
			ownerStudentId = first?.owner_student_id ?? null;
			ownerLabel = first?.owner_label ?? null;
		}

		const names = await studentNames(trx, ctx.cipher, row.id);
		for (const [field, value] of [['description', description], ['ownerLabel', ownerLabel], ['location', location], ['envelopeNo', envelopeNo], ['byName', byName], ['toName', toName]] as const) {
			if (value && mentionsAny(value, names)) check.fail(field, 'kit.error.student_name_in_clear');
		}
		if (!check.ok || !event || !state || !byName || !at || !description) return check.result();

		const ref = deviceRef ?? nextDeviceRef(history.map((h) => h.device_ref));
		const id = newId();
		await trx
			.insertInto('device_custody')
			.values({
				id,
				incident_id: row.id,
				device_ref: ref,
				event,
				description,
				owner_student_id: ownerStudentId,
				owner_label: ownerLabel,
				at,
				by_name: byName,
				state,
				envelope_no: envelopeNo,
				location,
				to_officer_name: toName,
				to_officer_badge: toBadge,
				recorded_by: actor.userId,
				recorded_at: now.toISOString()
			})
			.execute();
		await finishCaseWrite(trx, ctx, actor, row.id, meta, { action: 'incident.custody_recorded', details: { custodyId: id, deviceRef: ref, event, state } }, { at: now });
		return { ok: true as const, id, deviceRef: ref };
	});
}

/** "D1", "D2"…: the next number after the highest "D<n>" of the case. */
export function nextDeviceRef(existing: readonly string[]): string {
	const highest = existing.reduce((max, ref) => {
		const m = /^D(\d+)$/.exec(ref);
		return m ? Math.max(max, Number(m[1])) : max;
	}, 0);
	return `D${highest + 1}`;
}

/** The decrypted names of the case's students (to keep them out of unencrypted columns). */
export async function studentNames(trx: Trx, cipher: FieldCipher, incidentId: string): Promise<string[]> {
	const rows = await trx.selectFrom('incident_students').select('name_enc').where('incident_id', '=', incidentId).execute();
	return rows.map((r) => cipher.decrypt(r.name_enc));
}

/** Whether `text` contains one of `names` as whole words (case, accents and spacing folded). */
export function mentionsAny(text: string, names: readonly string[]): boolean {
	const folded = ` ${normaliseForIndex(text).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
	return names.some((name) => {
		const n = normaliseForIndex(name).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
		return n !== '' && folded.includes(` ${n} `);
	});
}
