/**
 * Shared types of the incident services (the digital kit).
 *
 * Results. Every use case returns `{ ok: true, … }` or a typed refusal the page renders with a localized
 * message (`kit.error.<reason>`; field problems as `errors` of message keys):
 *   not_found   the case does not exist or the actor may not read it (same answer: existence never leaks → 404)
 *   closed      the case is closed: read-only, corrections are addenda
 *   conflict    someone saved first (optimistic concurrency); `current` carries what is stored now
 *   invalid     input refused; `errors` maps a field (or question id) to a message key
 *   not_covered the school has no active DPCP agreement today: no new case may be opened there
 * A policy refusal on a case the actor may read (e.g. a responder entering the DPCP decision) throws
 * `ForbiddenError` from server/policy, like every other service: routes wrap calls in `guarded()` → 403.
 * Every refusal of a case read or write is audited with outcome `denied` before it is returned or thrown.
 */
import type { AppContext } from '../context';
import type { FieldErrors } from '../../forms';
import type { PackRegistry } from '../protocol/packs';

export type { FieldErrors } from '../../forms';

/**
 * The context the kit needs: the app context, optionally with its own protocol packs (tests, a deployment
 * that loads packs from elsewhere). Without `packs`, the installation's packs (`packRegistry()`) are used.
 */
export type KitContext = AppContext & { packs?: PackRegistry };

export type CaseRefusal = 'not_found' | 'closed' | 'conflict' | 'invalid' | 'not_covered';

export interface NotFound {
	ok: false;
	reason: 'not_found';
}
export interface Closed {
	ok: false;
	reason: 'closed';
}
export interface Invalid {
	ok: false;
	reason: 'invalid';
	errors: FieldErrors;
}
export interface NotCovered {
	ok: false;
	reason: 'not_covered';
}
export interface Conflict<C> {
	ok: false;
	reason: 'conflict';
	/** what is stored now (nothing was overwritten) */
	current: C;
}

/** The refusals any write on an existing case may return. */
export type CaseWriteRefusal = NotFound | Closed | Invalid;

export type Locale = 'fr' | 'en';

export const NOT_FOUND: NotFound = Object.freeze({ ok: false, reason: 'not_found' });
export const CLOSED: Closed = Object.freeze({ ok: false, reason: 'closed' });
export const NOT_COVERED: NotCovered = Object.freeze({ ok: false, reason: 'not_covered' });

export function invalid(errors: FieldErrors): Invalid {
	return { ok: false, reason: 'invalid', errors };
}

/** Where the screens link to a case (emails, notifications). The one place that knows the address. */
export function incidentPath(incidentId: string): string {
	return `/incidents/${encodeURIComponent(incidentId)}`;
}
