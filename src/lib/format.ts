/** Dates are shown in Montréal time, whatever the server's zone. Formatters are built once per locale (costly to create). */
const dateTimeFormats = new Map<'fr' | 'en', Intl.DateTimeFormat>();
const dayFormats = new Map<'fr' | 'en', Intl.DateTimeFormat>();

/**
 * Formatted minutes per locale, like formattedDays: a list page shows the same timestamps on every request and ICU
 * formatting with a time zone costs a few µs a call (25 a page on the evaluator queue). Keyed by the UTC minute of a
 * stored timestamp (toISOString form) (the output shows minutes and Montréal's offset is whole hours); bounded; pure function.
 */
const formattedMinutes = { fr: new Map<string, string>(), en: new Map<string, string>() };
const FORMATTED_MINUTES_MAX = 5_000;
const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function formatDateTime(iso: string, locale: 'fr' | 'en'): string {
	const memo = formattedMinutes[locale];
	const minute = CANONICAL_ISO.test(iso) ? iso.slice(0, 16) : null;
	if (minute !== null) {
		const known = memo.get(minute);
		if (known !== undefined) return known;
	}
	let f = dateTimeFormats.get(locale);
	if (!f) {
		f = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-CA' : 'en-CA', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'America/Montreal' });
		dateTimeFormats.set(locale, f);
	}
	const text = f.format(new Date(iso));
	if (minute !== null) {
		if (memo.size >= FORMATTED_MINUTES_MAX) memo.clear();
		memo.set(minute, text);
	}
	return text;
}

/** Formatted days per locale: the same few dates are shown on every request (bounded; pure function of its input). */
const formattedDays = { fr: new Map<string, string>(), en: new Map<string, string>() };
const FORMATTED_DAYS_MAX = 2_000;

/** A calendar day "YYYY-MM-DD" in words ("1 novembre 2016" / "November 1, 2016"). */
export function formatDay(day: string, locale: 'fr' | 'en'): string {
	const memo = formattedDays[locale];
	const known = memo.get(day);
	if (known !== undefined) return known;
	if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return day;
	let f = dayFormats.get(locale);
	if (!f) {
		f = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-CA' : 'en-CA', { dateStyle: 'long', timeZone: 'UTC' });
		dayFormats.set(locale, f);
	}
	const text = f.format(new Date(`${day}T00:00:00Z`));
	if (memo.size >= FORMATTED_DAYS_MAX) memo.clear();
	memo.set(day, text);
	return text;
}

/** A duration in words, to the minute: "45 min", "2 h 05", "3 j 4 h" / "3 d 4 h". */
export function formatDuration(ms: number, locale: 'fr' | 'en'): string {
	const minutes = Math.max(0, Math.round(ms / 60_000));
	if (minutes < 60) return `${minutes} min`;
	const hours = Math.floor(minutes / 60);
	if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')}`;
	const days = Math.floor(hours / 24);
	return `${days} ${locale === 'fr' ? 'j' : 'd'} ${hours % 24} h`;
}

let inputFormat: Intl.DateTimeFormat | undefined;

/** Montréal wall-clock time as `<input type="datetime-local">` wants it: "YYYY-MM-DDTHH:mm". */
export function montrealInputValue(at: Date | string): string {
	const d = typeof at === 'string' ? new Date(at) : at;
	if (Number.isNaN(d.getTime())) return '';
	inputFormat ??= new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Montreal', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
	const parts = inputFormat.formatToParts(d);
	const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
	return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}
