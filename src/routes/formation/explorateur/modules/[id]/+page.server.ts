import type { Actions, PageServerLoad } from './$types';
import { error } from '@sveltejs/kit';
import { getAppContext } from '$lib/server/app';
import { readForm } from '$lib/server/forms';
import { guarded } from '$lib/server/http';
import { requestMeta } from '$lib/server/kit-http';
import { requireLearner } from '$lib/server/training-http';
import { explorateurCourse, explorateurProgress, markModuleRead } from '$lib/server/training/explorateur';

function notFound(): never {
	error(404, { message: 'not found', code: 'error.404' });
}

export const load: PageServerLoad = async (event) => {
	const { actor } = requireLearner(event);
	const locale = event.locals.locale;
	const course = explorateurCourse();
	const index = course.modules.findIndex((m) => m.id === event.params.id);
	if (index < 0) notFound();
	const m = course.modules[index]!;
	const progress = await explorateurProgress(getAppContext().db, actor.userId);
	const link = (n: number) => {
		const other = course.modules[n];
		return other ? { id: other.id, title: other.title[locale] } : null;
	};
	return {
		module: { id: m.id, number: m.number, title: m.doc[locale].title, blocks: m.doc[locale].blocks, minutes: m.minutes },
		total: course.modules.length,
		read: progress.modules.read.includes(m.id),
		previous: link(index - 1),
		next: link(index + 1)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { actor } = requireLearner(event);
		await readForm(event.request);
		const r = await guarded(() => markModuleRead(getAppContext(), actor, { moduleId: event.params.id }, requestMeta(event)));
		if (!r.ok) notFound();
		return { marked: true };
	}
};
