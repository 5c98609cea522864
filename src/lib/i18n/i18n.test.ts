import { describe, expect, it } from 'vitest';
import { catalogs, DEFAULT_LOCALE, isLocale, isMessageKey, LOCALES, translate, type Locale } from './index';
import { ROLES, SCOPE_TYPES } from '../server/db/schema';

/** Placeholders of a template, e.g. "Bonjour {name}" → ["name"], sorted and without repeats. */
function placeholders(template: string): string[] {
	return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();
}

const fr = catalogs.fr as Record<string, string>;
const en = catalogs.en as Record<string, string>;

describe('message catalogs', () => {
	it('French is the default locale and both catalogs are present', () => {
		expect(DEFAULT_LOCALE).toBe('fr');
		expect([...LOCALES].sort()).toEqual(['en', 'fr']);
		expect(Object.keys(fr).length).toBeGreaterThan(0);
	});

	it('no key is missing from, or extra in, either catalog', () => {
		const missingInEn = Object.keys(fr).filter((k) => !Object.prototype.hasOwnProperty.call(en, k));
		const extraInEn = Object.keys(en).filter((k) => !Object.prototype.hasOwnProperty.call(fr, k));
		expect({ missingInEn, extraInEn }).toEqual({ missingInEn: [], extraInEn: [] });
	});

	it('no message is empty or blank in either language', () => {
		const blank = (LOCALES as Locale[]).flatMap((locale) =>
			Object.entries(catalogs[locale] as Record<string, string>)
				.filter(([, text]) => typeof text !== 'string' || text.trim() === '')
				.map(([key]) => `${locale}:${key}`)
		);
		expect(blank).toEqual([]);
	});

	it('every placeholder exists in both languages', () => {
		const mismatches = Object.keys(fr)
			.filter((key) => en[key] !== undefined)
			.map((key) => ({ key, fr: placeholders(fr[key]!), en: placeholders(en[key]!) }))
			.filter((m) => m.fr.join() !== m.en.join());
		expect(mismatches).toEqual([]);
	});

	it('braces are only used as well-formed {placeholders}', () => {
		const stray = (LOCALES as Locale[]).flatMap((locale) =>
			Object.entries(catalogs[locale] as Record<string, string>)
				.filter(([, text]) => /[{}]/.test(text.replace(/\{\w+\}/g, '')))
				.map(([key]) => `${locale}:${key}`)
		);
		expect(stray).toEqual([]);
	});

	it('has a label and a description for every role, and a label for every scope type', () => {
		const needed = [...ROLES.flatMap((r) => [`role.${r}`, `role.does.${r}`]), ...SCOPE_TYPES.map((s) => `scope.${s}`)];
		expect(needed.filter((k) => !isMessageKey(k))).toEqual([]);
	});
});

describe('translate', () => {
	it('fills {placeholders} from params, numbers included', () => {
		const text = translate('fr', 'login.error.throttled', { minutes: 15 });
		expect(text).toContain('15 minutes');
		expect(text).not.toContain('{minutes}');
		expect(translate('fr', 'dashboard.hello', { name: 'Émilie' })).toBe('Bonjour Émilie');
	});

	it('translates into the requested language', () => {
		expect(translate('fr', 'login.title')).toBe(fr['login.title']);
		expect(translate('en', 'login.title')).toBe(en['login.title']);
		expect(translate('en', 'login.title')).not.toBe(translate('fr', 'login.title'));
	});

	it('leaves a placeholder visible when its param is missing, and ignores unknown params', () => {
		expect(translate('fr', 'dashboard.hello', {})).toBe('Bonjour {name}');
		expect(translate('fr', 'dashboard.hello', { name: 'A', other: 'B' })).toBe('Bonjour A');
	});

	it('does not interpret replacement patterns inside param values', () => {
		expect(translate('fr', 'dashboard.hello', { name: '$& $1 {name}' })).toBe('Bonjour $& $1 {name}');
	});

	it('without params returns the template as is', () => {
		expect(translate('en', 'dashboard.hello')).toBe(en['dashboard.hello']);
	});
});

describe('guards', () => {
	it('isLocale accepts only fr and en', () => {
		expect(['fr', 'en'].every(isLocale)).toBe(true);
		expect([undefined, null, '', 'FR', 'es', 1].some(isLocale)).toBe(false);
	});

	it('isMessageKey knows catalog keys only (not inherited properties)', () => {
		expect(isMessageKey('login.title')).toBe(true);
		expect(isMessageKey('login.nope')).toBe(false);
		expect(isMessageKey('toString')).toBe(false);
		expect(isMessageKey(42)).toBe(false);
	});
});
