import { z } from 'zod';
import { optionalText, requiredText } from '$lib/server/forms-fields';

export const schoolSchema = z.object({
	code: z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, { message: 'form.error.invalid' }),
	name: requiredText(200),
	serviceCentre: optionalText(200),
	address: optionalText(300),
	language: z.enum(['fr', 'en']),
	policeServiceId: z.uuid()
});
