import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { getAppContext } from '$lib/server/app';
import { parseForm } from '$lib/server/forms';
import { guarded, requireSignedIn } from '$lib/server/http';
import { importSchools, manageablePoliceServices } from '$lib/server/territories/schools';
import { MAX_IMPORT_BYTES } from '$lib/domain/schools-import/schools';

// Pasted text, not a file: Sexto has no file upload here. The size limit is checked by the domain rule
// (with a localized message), so the schema only caps what it echoes back.
const schema = z.object({ csv: z.string().max(MAX_IMPORT_BYTES * 2) });

export const load: PageServerLoad = async (event) => {
	const { actor } = requireSignedIn(event);
	const services = await manageablePoliceServices(getAppContext(), actor);
	if (services.length === 0) error(403, { message: 'forbidden', code: 'error.403' });
	return { services: services.map((s) => ({ code: s.code, nameFr: s.name_fr, nameEn: s.name_en })) };
};

async function run(event: Parameters<Actions[string]>[0], dryRun: boolean) {
	const { actor } = requireSignedIn(event);
	const form = await parseForm(event.request, schema);
	if (!form.ok) return fail(413, { problems: [{ line: 0, field: null, code: 'too_large' as const }], csv: '' });
	const csv = form.data.csv;
	const outcome = await guarded(() => importSchools(getAppContext(), actor, csv, Buffer.byteLength(csv, 'utf8'), { dryRun }, { ip: event.locals.ip }));
	// Large pastes are not echoed back: the textarea would be heavier than the page.
	const echo = csv.length <= 200_000 ? csv : '';
	if (outcome.committed) return { done: outcome.count };
	if (!outcome.plan.ok) return fail(400, { problems: outcome.plan.problems.slice(0, 200), problemCount: outcome.plan.problems.length, csv: echo });
	return { ready: outcome.plan.rows.length, preview: outcome.plan.rows.slice(0, 50), csv: echo };
}

export const actions: Actions = {
	preview: (event) => run(event, true),
	commit: (event) => run(event, false)
};
