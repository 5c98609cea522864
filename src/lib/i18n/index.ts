/**
 * Typed message catalogs. French is the source and the default; English must have exactly the same
 * keys (the compiler checks, and i18n.test.ts checks again at run time, with placeholders).
 */
import { fr } from './messages/fr';
import { en } from './messages/en';

export type Locale = 'fr' | 'en';
export const LOCALES: readonly Locale[] = ['fr', 'en'];
export const DEFAULT_LOCALE: Locale = 'fr';
export const LOCALE_COOKIE = 'sexto_locale';

export type MessageKey = keyof typeof fr;
export type Params = Record<string, string | number>;

export const catalogs: Record<Locale, Record<MessageKey, string>> = { fr, en };

export function isLocale(value: unknown): value is Locale {
	return value === 'fr' || value === 'en';
}

export function isMessageKey(value: unknown): value is MessageKey {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(fr, value);
}

const pluralRules = new Map<Locale, Intl.PluralRules>();
/** Built once per locale (costly to create, ~35 µs). */
function pluralRulesOf(locale: Locale): Intl.PluralRules {
	let rules = pluralRules.get(locale);
	if (!rules) {
		rules = new Intl.PluralRules(locale === 'fr' ? 'fr-CA' : 'en-CA');
		pluralRules.set(locale, rules);
	}
	return rules;
}

/**
 * A message about `count` things: the `<key>_one` variant when the language's plural rule says "one"
 * (French: 0 and 1; English: 1) and the catalog has it, otherwise `<key>`. `{count}` is filled in.
 */
export function translateCount(locale: Locale, key: MessageKey, count: number, params?: Params): string {
	const one = `${key}_one`;
	const singular = pluralRulesOf(locale).select(count) === 'one';
	return translate(locale, singular && isMessageKey(one) ? one : key, { ...params, count });
}

/** Replaces {name} placeholders; an unknown key is a programming error caught by the type checker. */
export function translate(locale: Locale, key: MessageKey, params?: Params): string {
	const template = catalogs[locale][key] ?? catalogs.fr[key];
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
		Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole
	);
}
