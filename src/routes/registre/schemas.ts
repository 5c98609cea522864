import { z } from 'zod';
import { AGREEMENT_STATUSES, POLICE_SERVICE_KINDS } from '$lib/server/db/schema';
import { day, optionalDay, optionalText, requiredText } from '$lib/server/forms-fields';

export const territorySchema = z.object({ nameFr: requiredText(200), nameEn: requiredText(200) });

export const policeServiceSchema = z.object({
	code: z.string().trim().min(1).max(16).regex(/^[A-Za-z0-9_-]+$/, { message: 'form.error.invalid' }),
	nameFr: requiredText(200),
	nameEn: requiredText(200),
	kind: z.enum(POLICE_SERVICE_KINDS),
	territoryId: z.uuid(),
	kitContact: optionalText(200),
	emergencyPhone: optionalText(40)
});

export const agreementSchema = z.object({
	policeServiceId: z.uuid(),
	status: z.enum(AGREEMENT_STATUSES),
	signedOn: optionalDay,
	effectiveFrom: day,
	effectiveTo: optionalDay,
	reference: optionalText(100),
	note: optionalText(2000)
});
