import { describe, expect, it } from 'vitest';
import { phoneIn, telHref } from './phone';

describe('phone numbers on the call screens', () => {
	it('finds a number in a kit contact', () => {
		expect(phoneIn('Agent·e liaison SEXTO : 450 555-0123, poste 4')).toBe('450 555-0123');
		expect(phoneIn('(514) 280-2222')).toBe('(514) 280-2222');
		expect(phoneIn('+1 819-555-0199 (jour)')).toBe('+1 819-555-0199');
		expect(phoneIn('Composez le 911')).toBe('911');
		expect(phoneIn('Agent·e liaison SEXTO (démo)')).toBeNull();
	});
	it('turns it into a tel: link', () => {
		expect(telHref('911')).toBe('tel:911');
		expect(telHref('450 555-0123')).toBe('tel:+14505550123');
		expect(telHref('1-450-555-0123')).toBe('tel:+14505550123');
		expect(telHref('+1 819-555-0199')).toBe('tel:+18195550199');
	});
});
