import { describe, expect, it } from 'vitest';
import { formatDateTime } from './format';

const reference = (iso: string, locale: 'fr' | 'en') =>
	new Intl.DateTimeFormat(locale === 'fr' ? 'fr-CA' : 'en-CA', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'America/Montreal' }).format(new Date(iso));

describe('formatDateTime', () => {
	it('formats in Montréal time, the same on a first and a remembered call, in both languages', () => {
		for (const iso of ['2026-05-10T11:04:37.123Z', '2026-11-26T04:59:59.999Z', '2026-03-08T06:30:00Z', '2026-11-01T05:30:00.000Z']) {
			for (const locale of ['fr', 'en'] as const) {
				const first = formatDateTime(iso, locale);
				expect(first).toBe(reference(iso, locale));
				expect(formatDateTime(iso, locale)).toBe(first);
			}
		}
	});

	it('keeps seconds out of the key but not minutes, and keeps the languages apart', () => {
		expect(formatDateTime('2026-05-10T11:04:00.000Z', 'fr')).toBe(formatDateTime('2026-05-10T11:04:59.999Z', 'fr'));
		expect(formatDateTime('2026-05-10T11:05:00.000Z', 'fr')).not.toBe(formatDateTime('2026-05-10T11:04:00.000Z', 'fr'));
		expect(formatDateTime('2026-05-10T11:04:00.000Z', 'en')).toBe(reference('2026-05-10T11:04:00.000Z', 'en'));
		expect(formatDateTime('2026-05-10T11:04:00.000Z', 'en')).not.toBe(formatDateTime('2026-05-10T11:04:00.000Z', 'fr'));
	});

	it('formats other date strings without remembering them wrongly', () => {
		expect(formatDateTime('2026-05-10 11:04:00Z', 'fr')).toBe(reference('2026-05-10 11:04:00Z', 'fr'));
		expect(formatDateTime('2026-05-10T07:04:00-04:00', 'fr')).toBe(reference('2026-05-10T11:04:00Z', 'fr'));
	});
});
