/** Dates are shown in Montréal time, whatever the server's zone. */
export function formatDateTime(iso: string, locale: 'fr' | 'en'): string {
	return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-CA' : 'en-CA', {
		dateStyle: 'medium',
		timeStyle: 'short',
		timeZone: 'America/Montreal'
	}).format(new Date(iso));
}

/** A calendar day "YYYY-MM-DD" in words ("1 novembre 2016" / "November 1, 2016"). */
export function formatDay(day: string, locale: 'fr' | 'en'): string {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return day;
	return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-CA' : 'en-CA', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}
