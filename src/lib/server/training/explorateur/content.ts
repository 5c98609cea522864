/**
 * The Explorateur course shipped with the app: `content/training/explorateur/course.json` and
 * `modules/<id>.<fr|en>.md`, read and validated once, then served from memory. Resolved from the working
 * directory like the protocol packs (see server/protocol/packs.ts for why). A broken file stops the load
 * with every problem listed: a course with a missing translation must never be served half-empty.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildCourse, type Course } from '../../../domain/training/explorateur/course';

export const EXPLORATEUR_DIR = join('content', 'training', 'explorateur');

export class CourseLoadError extends Error {
	constructor(public readonly problems: string[]) {
		super(`The Explorateur course could not be loaded:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
		this.name = 'CourseLoadError';
	}
}

/** Reads and validates the course under `dir` (synchronously: done once). */
export function loadExplorateurCourse(dir: string = resolve(process.cwd(), EXPLORATEUR_DIR)): Course {
	// The directory comes from the working directory or a test, never from a request.
	/* eslint-disable security/detect-non-literal-fs-filename */
	const json: unknown = JSON.parse(readFileSync(join(dir, 'course.json'), 'utf8'));
	const result = buildCourse(json, (id, locale) => {
		const file = join(dir, 'modules', `${id}.${locale}.md`);
		return existsSync(file) ? readFileSync(file, 'utf8') : null;
	});
	/* eslint-enable security/detect-non-literal-fs-filename */
	if (!result.ok) throw new CourseLoadError(result.problems);
	return result.course;
}

let cached: Course | null = null;

export function explorateurCourse(): Course {
	cached ??= loadExplorateurCourse();
	return cached;
}
