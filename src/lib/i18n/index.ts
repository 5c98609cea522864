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

/** Replaces {name} placeholders; an unknown key is a programming error caught by the type checker. */
export function translate(locale: Locale, key: MessageKey, params?: Params): string {
	const template = catalogs[locale][key] ?? catalogs.fr[key];
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
		Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole
	);
}
