/**
 * Builds the validated Explorateur course from its files (pure: the caller reads them). Every module must
 * exist in French and English, parse under the safe Markdown subset and have the same structure in both
 * languages (a missing or truncated translation fails). Problems come back as `file: message` lines.
 */
import { CourseSchema, type CourseFile, type Localized } from './schema';
import { docShape, parseMarkdown, type MarkdownDoc } from './markdown';

export type Locale = 'fr' | 'en';

export interface CourseModule {
	id: string;
	minutes: number;
	/** position in the course, from 1 */
	number: number;
	title: Localized;
	doc: Record<Locale, MarkdownDoc>;
}

export interface Course extends Omit<CourseFile, 'modules'> {
	modules: CourseModule[];
}

export type CourseResult = { ok: true; course: Course } | { ok: false; problems: string[] };

/** `moduleSource(id, locale)` returns the Markdown text of a module, or null when the file is missing. */
export function buildCourse(json: unknown, moduleSource: (id: string, locale: Locale) => string | null): CourseResult {
	const parsed = CourseSchema.safeParse(json);
	if (!parsed.success) {
		return { ok: false, problems: parsed.error.issues.map((i) => `course.json ${i.path.join('.') || '(root)'}: ${i.message}`) };
	}
	const problems: string[] = [];
	const modules: CourseModule[] = [];
	parsed.data.modules.forEach((m, index) => {
		const doc: Partial<Record<Locale, MarkdownDoc>> = {};
		for (const locale of ['fr', 'en'] as const) {
			const file = `modules/${m.id}.${locale}.md`;
			const source = moduleSource(m.id, locale);
			if (source === null) {
				problems.push(`${file}: missing (every module exists in French and English)`);
				continue;
			}
			const r = parseMarkdown(source);
			if (!r.ok) problems.push(...r.problems.map((p) => `${file}:${p.line}: ${p.message}`));
			else doc[locale] = r.doc;
		}
		if (doc.fr && doc.en) {
			if (docShape(doc.fr) !== docShape(doc.en)) problems.push(`modules/${m.id}: French and English do not have the same structure (${docShape(doc.fr)} ≠ ${docShape(doc.en)})`);
			modules.push({ id: m.id, minutes: m.minutes, number: index + 1, title: { fr: doc.fr.title, en: doc.en.title }, doc: { fr: doc.fr, en: doc.en } });
		}
	});
	if (problems.length) return { ok: false, problems };
	return { ok: true, course: deepFreeze({ ...parsed.data, modules }) };
}

function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const v of Object.values(value)) deepFreeze(v);
	}
	return value;
}
