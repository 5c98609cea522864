/** Dates are shown in Montréal time, whatever the server's zone. */
export function formatDateTime(iso: string, locale: 'fr' | 'en'): string {
	return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-CA' : 'en-CA', {
		dateStyle: 'medium',
		timeStyle: 'short',
		timeZone: 'America/Montreal'
	}).format(new Date(iso));
}
