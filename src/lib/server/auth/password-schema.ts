import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../crypto/password';

/** New password + confirmation, shared by reset and invitation acceptance. */
export const newPasswordFields = {
	password: z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH),
	confirm: z.string().min(1).max(PASSWORD_MAX_LENGTH)
};

export function passwordsMatch<T extends { password: string; confirm: string }>(schema: z.ZodType<T>) {
	return schema.refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'form.error.mismatch' });
}
