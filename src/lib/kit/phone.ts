/** Phone numbers on the "call now" screens: found in free text (a kit contact) and turned into tel: links. */

// Bounded, no nested quantifiers: 10 digits with optional separators, optional +1 in front.
// eslint-disable-next-line security/detect-unsafe-regex -- linear: each part is a fixed-width group
const NORTH_AMERICAN = /(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}/;

/** The first phone number in a text ("Agent liaison : 450 555-0123"), or null. Short codes (911, 811) too. */
export function phoneIn(text: string): string | null {
	const long = NORTH_AMERICAN.exec(text);
	if (long) return long[0].trim();
	const short = /(?:^|\D)([2-9]11)(?:\D|$)/.exec(text);
	return short ? short[1]! : null;
}

/** `tel:` link for a number as written ("450 555-0123" → "tel:+14505550123"; "911" → "tel:911"). */
export function telHref(number: string): string {
	const digits = number.replace(/[^\d+]/g, '');
	if (/^\d{10}$/.test(digits)) return `tel:+1${digits}`;
	if (/^1\d{10}$/.test(digits)) return `tel:+${digits}`;
	return `tel:${digits}`;
}
