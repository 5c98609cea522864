import { page } from '$app/state';
import { DEFAULT_LOCALE, isLocale, translate, type Locale, type MessageKey, type Params } from './index';

/** The current page's locale (set by hooks.server.ts and returned by the root layout load). */
export function currentLocale(): Locale {
	const locale = page.data?.locale;
	return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/** Translate in components: `{t('login.title')}`. */
export function t(key: MessageKey, params?: Params): string {
	return translate(currentLocale(), key, params);
}
