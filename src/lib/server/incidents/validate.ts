/**
 * Input checks shared by the incident services. Routes parse their forms with zod first; services check
 * again (they are also called by tests, the CLI and future jobs) and add the rules that need the case
 * (times not before T0, a student of this case…). Problems are message keys, collected per field.
 */
import { parseDateTime } from '../../domain/protocol/engine';
import { isCalendarDay, quebecDay } from '../../domain/coverage/coverage';
import type { MessageKey, Params } from '../../i18n';
import type { FieldErrors } from '../../forms';
import { invalid, type Invalid } from './types';

/** A time this far after "now" still counts as now (clocks of phones and servers differ a little). */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

// Control characters other than tab and line breaks.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function looksLikeId(value: unknown): value is string {
	return typeof value === 'string' && ID.test(value);
}

function blank(raw: unknown): boolean {
	return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
}

interface Opt {
	required?: boolean;
}

export class Check {
	readonly errors: FieldErrors = {};

	constructor(private readonly now: Date) {}

	get ok(): boolean {
		return Object.keys(this.errors).length === 0;
	}

	fail(field: string, key: MessageKey, params?: Params): null {
		if (!this.errors[field]) this.errors[field] = params ? { key, params } : { key };
		return null;
	}

	result(): Invalid {
		return invalid({ ...this.errors });
	}

	private missing(field: string, raw: unknown, opt: Opt): boolean {
		if (!blank(raw)) return false;
		if (opt.required) this.fail(field, 'form.error.required');
		return true;
	}

	/** Trimmed text (NFC, Windows line breaks folded); control characters refused. */
	text(field: string, raw: unknown, opt: Opt & { max: number }): string | null {
		if (this.missing(field, raw, opt)) return null;
		if (typeof raw !== 'string') return this.fail(field, 'form.error.invalid');
		const text = raw.replace(/\r\n?/g, '\n').trim().normalize('NFC');
		if (CONTROL.test(text)) return this.fail(field, 'kit.error.invalid_text');
		if ([...text].length > opt.max) return this.fail(field, 'form.error.too_long', { max: opt.max });
		return text;
	}

	/**
	 * An instant (ISO with offset, or a Québec wall-clock time from `<input type="datetime-local">`) →
	 * ISO UTC. Never in the future; `notBefore` (ISO) refuses earlier times with `beforeKey`.
	 */
	instant(field: string, raw: unknown, opt: Opt & { notBefore?: string | null; beforeKey?: MessageKey } = {}): string | null {
		if (this.missing(field, raw, opt)) return null;
		const iso = typeof raw === 'string' ? parseDateTime(raw) : raw instanceof Date && !Number.isNaN(raw.getTime()) ? raw.toISOString() : null;
		if (!iso) return this.fail(field, 'kit.error.invalid_datetime');
		if (Date.parse(iso) > this.now.getTime() + FUTURE_TOLERANCE_MS) return this.fail(field, 'kit.error.future');
		if (opt.notBefore && Date.parse(iso) < Date.parse(opt.notBefore)) return this.fail(field, opt.beforeKey ?? 'kit.error.before_t0');
		return iso;
	}

	/** A calendar day "YYYY-MM-DD", not after today in Québec; `notBeforeDay` refuses earlier days. */
	day(field: string, raw: unknown, opt: Opt & { notBeforeDay?: string | null; beforeKey?: MessageKey } = {}): string | null {
		if (this.missing(field, raw, opt)) return null;
		const value = typeof raw === 'string' ? raw.trim() : '';
		if (!isCalendarDay(value)) return this.fail(field, 'kit.error.invalid_date');
		if (value > quebecDay(this.now)) return this.fail(field, 'kit.error.future');
		if (opt.notBeforeDay && value < opt.notBeforeDay) return this.fail(field, opt.beforeKey ?? 'kit.error.before_t0');
		return value;
	}

	oneOf<T extends string>(field: string, raw: unknown, allowed: readonly T[], opt: Opt = {}): T | null {
		if (this.missing(field, raw, opt)) return null;
		const value = typeof raw === 'string' ? raw.trim() : raw;
		return allowed.includes(value as T) ? (value as T) : this.fail(field, 'kit.error.not_an_option');
	}

	/** A whole number within [min, max] (a count, an age). Numeric text is accepted. */
	integer(field: string, raw: unknown, opt: Opt & { min: number; max: number }): number | null {
		if (this.missing(field, raw, opt)) return null;
		const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d{1,9}\s*$/.test(raw) ? Number(raw) : NaN;
		if (!Number.isInteger(n)) return this.fail(field, 'kit.error.invalid_number');
		if (n < opt.min || n > opt.max) return this.fail(field, 'kit.error.out_of_range', { min: opt.min, max: opt.max });
		return n;
	}

	/** true/false, also from form values ("yes"/"no", "true"/"false", "on", "1"/"0"). */
	boolean(field: string, raw: unknown, opt: Opt = {}): boolean | null {
		if (this.missing(field, raw, opt)) return null;
		if (typeof raw === 'boolean') return raw;
		const v = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
		if (v === 'yes' || v === 'true' || v === 'on' || v === '1' || v === 1) return true;
		if (v === 'no' || v === 'false' || v === '0' || v === 0) return false;
		return this.fail(field, 'form.error.invalid');
	}

	/** The id of a record (user, student): shape only, existence is checked by the caller. */
	id(field: string, raw: unknown, opt: Opt = {}): string | null {
		if (this.missing(field, raw, opt)) return null;
		return looksLikeId(raw) ? raw.toLowerCase() : this.fail(field, 'form.error.invalid');
	}
}
