import type { Locale } from '$lib/i18n';
import type { SessionUser } from '$lib/server/auth/sessions';
import type { Actor } from '$lib/server/policy';

declare global {
	namespace App {
		interface Locals {
			locale: Locale;
			user: SessionUser | null;
			actor: Actor | null;
			ip: string | null;
		}
		interface Error {
			message: string;
			/** message key for the localized error page */
			code?: string;
		}
		interface PageData {
			locale: Locale;
		}
	}
}

export {};
