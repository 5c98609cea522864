/**
 * Route helpers of the kit screens (/incidents/…): load a case through getIncident (audited; a case the
 * person may not read is a 404, never a 403, so its existence does not leak), the case header every screen
 * shows (without any student's name), the pack the case runs with, and the refusals of the incident
 * services as form failures with message keys. No rule is decided here: abilities come from the service.
 */
import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { getAppContext } from './app';
import { requireSignedIn } from './http';
import type { Actor } from './policy';
import type { RequestMeta } from './context';
import { getIncident, type IncidentAbilities, type IncidentView } from './incidents';
import { packRegistry } from './protocol/packs';
import type { FieldErrors, FormFields } from './forms';
import type { Localized, ProtocolPack } from '../domain/protocol/schema';
import type { IncidentStatus, StudentRole } from './db/schema';

export function notFound(): never {
	error(404, { message: 'not found', code: 'error.404' });
}

export function forbidden(): never {
	error(403, { message: 'forbidden', code: 'error.403' });
}

export function requestMeta(event: Pick<RequestEvent, 'locals'>): RequestMeta {
	return { ip: event.locals.ip };
}

type CaseEvent = Pick<RequestEvent, 'locals' | 'url' | 'params'>;

/** The case of `params.id` as the signed-in person may see it (one audited read), or the 404 page. */
export async function loadCase(event: CaseEvent): Promise<{ actor: Actor; view: IncidentView }> {
	const { actor } = requireSignedIn(event);
	const id = (event.params as { id?: string }).id ?? '';
	const view = await getIncident(getAppContext(), actor, { incidentId: id }, requestMeta(event));
	if (!view) notFound();
	return { actor, view };
}

export interface KitPack {
	id: string;
	version: string;
	title: Localized;
	notice: Localized | null;
	isDefault: boolean;
}

/** The pack new cases open with (its notice is shown on the kit screens that are not about one case). */
export function defaultKitPack(): KitPack {
	const p = packRegistry().defaultPack();
	return { id: p.id, version: p.version, title: p.title, notice: p.notice ?? null, isDefault: p.status === 'default' };
}

/** The exact pack version the case runs with. */
export function casePack(view: Pick<IncidentView, 'pack'>): ProtocolPack {
	const pack = packRegistry().get(view.pack.id, view.pack.version);
	if (!pack) throw new Error(`protocol pack ${view.pack.id}@${view.pack.version} is missing`);
	return pack;
}

export interface CaseHeader {
	id: string;
	reference: string;
	status: IncidentStatus;
	schoolName: string;
	closed: boolean;
	handedOff: boolean;
	can: IncidentAbilities;
}

/** What every screen of a case shows at the top: no names, no facts. */
export function caseHeader(view: IncidentView): CaseHeader {
	return {
		id: view.id,
		reference: view.reference,
		status: view.status,
		schoolName: view.school.name,
		closed: view.status === 'closed',
		handedOff: view.handedOffAt !== null,
		can: view.can
	};
}

export function kitPackOf(view: IncidentView): KitPack {
	return { id: view.pack.id, version: view.pack.version, title: view.pack.title, notice: view.pack.notice, isDefault: view.pack.isDefault };
}

/** A student without their name ("Élève 1", roles, age): names are shown on the Students screen only. */
export interface StudentRef {
	id: string;
	number: number;
	roles: StudentRole[];
	age: number | null;
	grade: string | null;
}

export function studentRefs(view: Pick<IncidentView, 'students'>): StudentRef[] {
	return view.students.map((s, i) => ({ id: s.id, number: i + 1, roles: s.roles, age: s.age, grade: s.grade }));
}

type Refusal = { ok: false; reason: 'not_found' } | { ok: false; reason: 'closed' } | { ok: false; reason: 'invalid'; errors: FieldErrors };

/**
 * A refused write as the page's form failure: `not_found` → the 404 page; `closed` → 409 with the localized
 * "closed, add an addendum" message; `invalid` → 400 with the field errors. `extra` carries what was typed
 * (echoed back, nothing lost) and which form of the page it was.
 */
export function writeFailure(r: Refusal, extra: { values: FormFields; form?: string; [k: string]: unknown }) {
	if (r.reason === 'not_found') notFound();
	if (r.reason === 'closed') return fail(409, { errors: { _form: { key: 'kit.error.closed' } } as FieldErrors, ...extra });
	return fail(400, { errors: r.errors, ...extra });
}
