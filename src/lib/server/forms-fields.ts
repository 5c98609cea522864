/** Reusable zod pieces for form fields (shape only; rules that need data live in services). */
import { z } from 'zod';

/** Trimmed text; empty becomes null. */
export const optionalText = (max: number) =>
	z
		.string()
		.max(max)
		.optional()
		.transform((v) => (v && v.trim() !== '' ? v.trim() : null));

export const requiredText = (max: number) => z.string().trim().min(1).max(max);

/** A calendar day from <input type="date"> (YYYY-MM-DD). */
export const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'form.error.invalid' });
export const optionalDay = z
	.string()
	.max(10)
	.optional()
	.transform((v) => (v && v.trim() !== '' ? v.trim() : null))
	.refine((v) => v === null || /^\d{4}-\d{2}-\d{2}$/.test(v), { message: 'form.error.invalid' });
