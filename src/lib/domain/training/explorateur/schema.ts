/**
 * The Explorateur course as data (content/training/explorateur/course.json): module list, knowledge check
 * and the three reflection questions, every text in French and English. Cross-checks that zod alone cannot
 * express (unique ids, exactly one correct option per question, a reachable pass mark) are refinements, so a
 * broken file fails loudly at load and in the unit test.
 */
import { z } from 'zod';

const Text = z.string().trim().min(1);
export const LocalizedSchema = z.strictObject({ fr: Text, en: Text });
export type Localized = z.infer<typeof LocalizedSchema>;

const Id = z.string().regex(/^[a-z][a-z0-9_]{1,40}$/, 'ids are lower-case letters, digits and _');
const ModuleId = z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'module ids are lower-case letters, digits and -');
const Semver = z.string().regex(/^\d+\.\d+\.\d+$/);

export const QuizOptionSchema = z.strictObject({
	id: Id,
	label: LocalizedSchema,
	correct: z.boolean(),
	/** shown after an attempt next to the chosen option: why it is right or wrong */
	feedback: LocalizedSchema
});

export const QuizQuestionSchema = z
	.strictObject({ id: Id, prompt: LocalizedSchema, options: z.array(QuizOptionSchema).min(2).max(6) })
	.superRefine((q, ctx) => {
		if (q.options.filter((o) => o.correct).length !== 1) ctx.addIssue({ code: 'custom', path: ['options'], message: 'exactly one option must be correct' });
		const ids = q.options.map((o) => o.id);
		if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'option ids must be unique' });
	});

export const QuizSchema = z
	.strictObject({ version: Semver, passMark: z.number().int().min(1), questions: z.array(QuizQuestionSchema).min(8).max(10) })
	.superRefine((quiz, ctx) => {
		if (quiz.passMark > quiz.questions.length) ctx.addIssue({ code: 'custom', path: ['passMark'], message: 'pass mark above the number of questions' });
		const ids = quiz.questions.map((q) => q.id);
		if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['questions'], message: 'question ids must be unique' });
	});

export const ReflectionQuestionSchema = z.strictObject({ key: Id, question: LocalizedSchema, hint: LocalizedSchema });

export const ReflectionsSchema = z
	.strictObject({ minLength: z.number().int().min(1), maxLength: z.number().int().max(10_000), questions: z.array(ReflectionQuestionSchema).length(3) })
	.superRefine((r, ctx) => {
		if (r.minLength >= r.maxLength) ctx.addIssue({ code: 'custom', path: ['minLength'], message: 'minLength must be below maxLength' });
		const keys = r.questions.map((q) => q.key);
		if (new Set(keys).size !== keys.length) ctx.addIssue({ code: 'custom', path: ['questions'], message: 'question keys must be unique' });
	});

export const CourseSchema = z
	.strictObject({
		id: z.literal('explorateur'),
		version: Semver,
		title: LocalizedSchema,
		summary: LocalizedSchema,
		notice: LocalizedSchema,
		modules: z.array(z.strictObject({ id: ModuleId, minutes: z.number().int().min(1).max(120) })).min(1),
		quiz: QuizSchema,
		reflections: ReflectionsSchema
	})
	.superRefine((c, ctx) => {
		const ids = c.modules.map((m) => m.id);
		if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['modules'], message: 'module ids must be unique' });
	});

export type CourseFile = z.infer<typeof CourseSchema>;
export type Quiz = z.infer<typeof QuizSchema>;
export type QuizQuestion = z.infer<typeof QuizQuestionSchema>;
export type ReflectionQuestion = z.infer<typeof ReflectionQuestionSchema>;
export type Reflections = z.infer<typeof ReflectionsSchema>;
