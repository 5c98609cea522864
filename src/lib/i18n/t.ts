import { page } from '$app/state';
import { DEFAULT_LOCALE, isLocale, translate, translateCount, type Locale, type MessageKey, type Params } from './index';

/** The current page's locale (set by hooks.server.ts and returned by the root layout load). */
export function currentLocale(): Locale {
	const locale = page.data?.locale;
	return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/** Translate in components: `{t('login.title')}`. */
export function t(key: MessageKey, params?: Params): string {
	return translate(currentLocale(), key, params);
}

/** Translate a message about `count` things (singular variant `<key>_one` when it applies): `{tn('import.done', 1)}`. */
export function tn(key: MessageKey, count: number, params?: Params): string {
	return translateCount(currentLocale(), key, count, params);
}
