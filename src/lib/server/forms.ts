/**
 * Parses a form POST against a zod schema and turns problems into message keys (translated by the
 * page), never into raw validator text. Values are echoed back (minus secrets) so nothing typed is lost.
 */
import { error } from '@sveltejs/kit';
import type { z } from 'zod';
import type { MessageKey, Params } from '../i18n';
import type { FieldError, FieldErrors } from '../forms';

export type { FieldError, FieldErrors } from '../forms';

export type ParsedForm<T> =
	| { ok: true; data: T; values: Record<string, string> }
	| { ok: false; errors: FieldErrors; values: Record<string, string> };

const SECRET_FIELDS = /password|token/i;

export async function readForm(request: Request): Promise<FormData> {
	const type = request.headers.get('content-type') ?? '';
	if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) {
		error(415, { message: 'unsupported content type', code: 'error.415' });
	}
	try {
		return await request.formData();
	} catch {
		error(400, { message: 'malformed form', code: 'error.400' });
	}
}

export async function parseForm<S extends z.ZodType>(request: Request, schema: S): Promise<ParsedForm<z.infer<S>>> {
	const form = await readForm(request);
	const raw: Record<string, string> = {};
	for (const [name, value] of form.entries()) {
		// Files are never accepted anywhere in Sexto (no media, ever): any file part fails the request.
		if (typeof value !== 'string') error(415, { message: 'files are not accepted', code: 'error.415' });
		if (!(name in raw)) raw[name] = value;
	}
	const values = Object.fromEntries(
		Object.entries(raw).filter(([k]) => !SECRET_FIELDS.test(k)).map(([k, v]) => [k, v.slice(0, 2000)])
	);
	const result = schema.safeParse(raw);
	if (result.success) return { ok: true, data: result.data, values };
	const errors: FieldErrors = {};
	for (const issue of result.error.issues) {
		const field = String(issue.path[0] ?? '_form');
		if (!errors[field]) errors[field] = issueToError(issue);
	}
	return { ok: false, errors, values };
}

function issueToError(issue: z.core.$ZodIssue): FieldError {
	if (typeof issue.message === 'string' && issue.message.startsWith('form.error.')) {
		return { key: issue.message as MessageKey };
	}
	switch (issue.code) {
		case 'too_small':
			return Number(issue.minimum) <= 1
				? { key: 'form.error.required' }
				: { key: 'form.error.too_short', params: { min: Number(issue.minimum) } };
		case 'too_big':
			return { key: 'form.error.too_long', params: { max: Number(issue.maximum) } };
		case 'invalid_format':
			return issue.format === 'email' ? { key: 'form.error.email' } : { key: 'form.error.invalid' };
		case 'invalid_type':
			return { key: 'form.error.required' };
		default:
			return { key: 'form.error.invalid' };
	}
}

/** An error about the whole form (not one field), shown at the top of the form. */
export function formError(key: MessageKey, params?: Params): FieldErrors {
	return { _form: params ? { key, params } : { key } };
}

/** An error on one named field. */
export function fieldError(field: string, key: MessageKey, params?: Params): FieldErrors {
	return { [field]: params ? { key, params } : { key } };
}

export type FormFields = Record<string, string | string[]>;

// A picture pasted as text: a data: URI, or the base64 signature of a PNG, JPEG, GIF or WebP file.
const MEDIA_IN_TEXT = [/data:\s*(image|video|application)\/[\w.+-]+/i, /(iVBORw0KGgo|\/9j\/[47]|R0lGOD[lh]|UklGR)[A-Za-z0-9+/=\s]{60,}/];

/** Whether a text field carries an image (data: URI or base64 image) instead of words. */
export function looksLikeMedia(value: string): boolean {
	return MEDIA_IN_TEXT.some((re) => re.test(value));
}

/**
 * Every field of a form POST, a repeated name kept as an array (multi-choice answers, role checkboxes:
 * `parseForm` keeps only the first value). No media, ever: a file part, or a picture pasted into a text
 * field as a data: URI or base64, fails the whole request with a localized 415 — nothing is stored.
 */
export async function readFields(request: Request): Promise<FormFields> {
	const form = await readForm(request);
	const fields: FormFields = {};
	for (const [name, value] of form.entries()) {
		if (typeof value !== 'string' || looksLikeMedia(value)) error(415, { message: 'files are not accepted', code: 'error.415' });
		const previous = fields[name];
		fields[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
	}
	return fields;
}

/** One value of a field read by readFields (the first when repeated), or '' when absent. */
export function fieldText(fields: FormFields, name: string): string {
	const v = fields[name];
	return (Array.isArray(v) ? v[0] : v) ?? '';
}

/** Every value of a field read by readFields (checkboxes), possibly none. */
export function fieldList(fields: FormFields, name: string): string[] {
	const v = fields[name];
	return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** What to echo back into a refused form: every field but secrets, each value cut to 2,000 characters. */
export function echoFields(fields: FormFields): FormFields {
	return Object.fromEntries(
		Object.entries(fields)
			.filter(([k]) => !SECRET_FIELDS.test(k))
			.map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => x.slice(0, 2000)) : v.slice(0, 2000)])
	);
}
