import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '$lib/server/crypto/password';

export const loginSchema = z.object({
	email: z.string().trim().min(1).max(254).pipe(z.email()),
	password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
	next: z.string().max(2000).optional()
});
