import { describe, expect, it } from 'vitest';
import { englishPathOf, frenchPathOf, pathInLocale } from './paths';

const ID = '0b9f5c1e-3d2a-4c4b-9e1f-2a3b4c5d6e7f';

describe('English addresses of public pages', () => {
	it('maps fixed pages both ways', () => {
		expect(englishPathOf('/couverture')).toBe('/en/coverage');
		expect(frenchPathOf('/en/coverage')).toBe('/couverture');
		expect(frenchPathOf('/en')).toBe('/');
	});

	it('maps proof pages and member profiles by their id', () => {
		expect(englishPathOf(`/attestations/${ID}`)).toBe(`/en/attestations/${ID}`);
		expect(frenchPathOf(`/en/attestations/${ID}`)).toBe(`/attestations/${ID}`);
		expect(englishPathOf('/membres/AbC_123-xyz')).toBe('/en/members/AbC_123-xyz');
		expect(frenchPathOf('/en/members/AbC_123-xyz')).toBe('/membres/AbC_123-xyz');
	});

	it('keeps one address for the holder settings and refuses odd segments', () => {
		expect(englishPathOf(`/attestations/${ID}/parametres`)).toBeNull();
		expect(frenchPathOf(`/en/attestations/${ID}/settings`)).toBeNull();
		expect(frenchPathOf('/en/attestations/')).toBeNull();
		expect(frenchPathOf('/en/attestations/..%2f')).toBeNull();
		expect(englishPathOf('/incidents/abc')).toBeNull();
	});

	it('gives the language switch its target', () => {
		expect(pathInLocale(`/attestations/${ID}`, 'en')).toBe(`/en/attestations/${ID}`);
		expect(pathInLocale(`/en/attestations/${ID}`, 'fr')).toBe(`/attestations/${ID}`);
		expect(pathInLocale(`/attestations/${ID}`, 'fr')).toBe(`/attestations/${ID}`);
		expect(pathInLocale('/tableau-de-bord', 'en')).toBe('/tableau-de-bord');
	});
});
