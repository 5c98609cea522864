/** Shared between server (producing) and components (displaying) field errors. */
import type { MessageKey, Params } from './i18n';

export interface FieldError {
	key: MessageKey;
	params?: Params;
}
export type FieldErrors = Record<string, FieldError>;
