/**
 * What a proof page shows, computed without I/O: the frozen reflection answers minus those the holder hides,
 * and the LinkedIn "add a certification" address. Pure and unit-tested. The verification status has one rule,
 * shared with the credential service: domain/credentials/status.ts.
 */

export interface EvidenceItem {
	key: string;
	question: { fr: string; en: string };
	answer: string;
}

/**
 * The Explorateur evidence as frozen in training_awards.evidence_json (`[{ key, question: { fr, en }, answer }]`).
 * Anything else (Architecte evidence, a malformed row) gives no questions rather than an error: the page
 * still shows the badge, the holder and the date.
 */
export function parseEvidence(json: string): EvidenceItem[] {
	let raw: unknown;
	try {
		raw = JSON.parse(json);
	} catch {
		return [];
	}
	if (!Array.isArray(raw)) return [];
	const items: EvidenceItem[] = [];
	for (const entry of raw) {
		if (!entry || typeof entry !== 'object') continue;
		const e = entry as Record<string, unknown>;
		const q = e.question as Record<string, unknown> | undefined;
		if (typeof e.key !== 'string' || typeof e.answer !== 'string' || !q || typeof q.fr !== 'string' || typeof q.en !== 'string') continue;
		items.push({ key: e.key, question: { fr: q.fr, en: q.en }, answer: e.answer });
	}
	return items;
}

/** The answers a visitor may see: every item whose key the holder did not hide, in the frozen order. */
export function shownAnswers(items: readonly EvidenceItem[], hiddenKeys: readonly string[]): EvidenceItem[] {
	const hidden = new Set(hiddenKeys);
	return items.filter((i) => !hidden.has(i.key));
}

/** The holder's hidden keys as stored (JSON array of strings); anything unreadable hides nothing new but keeps valid keys. */
export function parseHiddenKeys(json: string | null | undefined): string[] {
	if (!json) return [];
	try {
		const raw: unknown = JSON.parse(json);
		return Array.isArray(raw) ? raw.filter((k): k is string => typeof k === 'string') : [];
	} catch {
		return [];
	}
}

// ---------------------------------------------------------------------------------------------------------
// LinkedIn

export interface LinkedInCertification {
	/** the badge's name in the page's language */
	name: string;
	organizationName: string;
	/** ISO instant the badge was earned; the year and month are taken in Montréal time */
	issuedAt: string;
	/** absolute address of the proof page */
	certUrl: string;
	/** the attestation id */
	certId: string;
}

const monthFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Montreal', year: 'numeric', month: 'numeric' });

/** Year and month (1–12) of an instant in Montréal time. */
export function montrealYearMonth(iso: string): { year: number; month: number } {
	const parts = monthFormat.formatToParts(new Date(iso));
	return {
		year: Number(parts.find((p) => p.type === 'year')?.value),
		month: Number(parts.find((p) => p.type === 'month')?.value)
	};
}

/**
 * LinkedIn's "add a certification to your profile" address. Every value is percent-encoded
 * (encodeURIComponent: spaces as %20, "&", "=", "#", "–" and accents escaped), in a fixed order.
 */
export function linkedInAddUrl(cert: LinkedInCertification): string {
	const { year, month } = montrealYearMonth(cert.issuedAt);
	const params: [string, string][] = [
		['startTask', 'CERTIFICATION_NAME'],
		['name', cert.name],
		['organizationName', cert.organizationName],
		['issueYear', String(year)],
		['issueMonth', String(month)],
		['certUrl', cert.certUrl],
		['certId', cert.certId]
	];
	return `https://www.linkedin.com/profile/add?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
}

// ---------------------------------------------------------------------------------------------------------
// Dates on the proof page: Montréal time, built once per locale (formatters are costly to create).

const longFormats = new Map<string, Intl.DateTimeFormat>();
function longFormat(locale: 'fr' | 'en', withTime: boolean): Intl.DateTimeFormat {
	const key = `${locale}:${withTime}`;
	let f = longFormats.get(key);
	if (!f) {
		f = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-CA' : 'en-CA', {
			dateStyle: 'long',
			...(withTime ? { timeStyle: 'short' as const } : {}),
			timeZone: 'America/Montreal'
		});
		longFormats.set(key, f);
	}
	return f;
}

/** "26 novembre 2026 à 09 h 15" / "November 26, 2026 at 9:15 a.m.", in Montréal time. */
export function formatEarnedAt(iso: string, locale: 'fr' | 'en'): string {
	return longFormat(locale, true).format(new Date(iso));
}

/** "26 novembre 2026" / "November 26, 2026", the Montréal calendar day of an instant. */
export function formatEarnedDay(iso: string, locale: 'fr' | 'en'): string {
	return longFormat(locale, false).format(new Date(iso));
}
