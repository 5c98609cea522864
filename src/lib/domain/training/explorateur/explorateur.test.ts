/**
 * The Explorateur course as shipped (content/training/explorateur/): every module in French and English with
 * the same structure, the safe Markdown subset, the knowledge check and the reflection limits; then the pure
 * rules (quiz scoring, answer checks) on that real content and on small hand-made cases.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCourse, type Locale } from './course';
import { docShape, parseInline, parseMarkdown } from './markdown';
import { scoreQuiz } from './quiz';
import { checkAnswers, textLength } from './reflections';
import { CourseSchema } from './schema';

const DIR = resolve('content/training/explorateur');
const courseJson = JSON.parse(readFileSync(join(DIR, 'course.json'), 'utf8')) as unknown;
const source = (id: string, locale: Locale) => {
	try {
		return readFileSync(join(DIR, 'modules', `${id}.${locale}.md`), 'utf8');
	} catch {
		return null;
	}
};

const built = buildCourse(courseJson, source);
if (!built.ok) throw new Error(built.problems.join('\n'));
const course = built.course;

describe('the shipped Explorateur content', () => {
	it('validates: course.json schema, every module in FR and EN, same structure in both languages', () => {
		expect(built.ok).toBe(true);
		expect(course.modules.map((m) => m.id)).toEqual(['phenomene', 'loi', 'protocole', 'trousse', 'interdits', 'soutien']);
		for (const m of course.modules) {
			expect(m.title.fr.length, m.id).toBeGreaterThan(5);
			expect(m.title.en.length, m.id).toBeGreaterThan(5);
			expect(m.title.fr, `${m.id}: the English title must be a translation`).not.toBe(m.title.en);
			expect(docShape(m.doc.fr)).toBe(docShape(m.doc.en));
		}
	});

	it('has no module file outside course.json and none missing (every .md is FR or EN of a listed module)', () => {
		const files = readdirSync(join(DIR, 'modules')).sort();
		const expected = course.modules.flatMap((m) => [`${m.id}.en.md`, `${m.id}.fr.md`]).sort();
		expect(files).toEqual(expected);
	});

	it('covers the topics of the brief: the law without legal advice, who does what, what never to do, supporting the student', () => {
		const text = (id: string, locale: Locale) => JSON.stringify(course.modules.find((m) => m.id === id)!.doc[locale]);
		expect(text('loi', 'fr')).toMatch(/pas un avis juridique/);
		expect(text('loi', 'en')).toMatch(/not legal advice/);
		for (const actor of ['école', 'police', 'DPCP', 'CAVAC']) expect(text('protocole', 'fr')).toContain(actor);
		for (const actor of ['school', 'police', 'DPCP', 'CAVAC']) expect(text('protocole', 'en')).toContain(actor);
		expect(text('interdits', 'en')).toMatch(/Never look at, copy or forward/);
		expect(text('interdits', 'en')).toMatch(/Never interview the suspected author/);
		expect(text('interdits', 'en')).toMatch(/Never act in place of the police/);
		expect(text('soutien', 'fr')).toMatch(/pas sa faute/);
	});

	it('has a knowledge check of 8–10 questions, one right answer each, feedback on every option, a reachable pass mark', () => {
		const { quiz } = course;
		expect(quiz.questions.length).toBeGreaterThanOrEqual(8);
		expect(quiz.questions.length).toBeLessThanOrEqual(10);
		expect(quiz.passMark).toBeLessThanOrEqual(quiz.questions.length);
		for (const q of quiz.questions) {
			expect(q.options.filter((o) => o.correct)).toHaveLength(1);
			for (const o of q.options) {
				expect(o.feedback.fr.trim().length, `${q.id}/${o.id}`).toBeGreaterThan(10);
				expect(o.feedback.en.trim().length, `${q.id}/${o.id}`).toBeGreaterThan(10);
			}
		}
	});

	it('holds the three reflection questions of the badge, in both languages', () => {
		expect(course.reflections.questions.map((q) => q.key)).toEqual(['learned', 'changes', 'focus']);
		expect(course.reflections.questions[0]!.question.fr).toMatch(/appris de la méthode Sexto/);
		expect(course.reflections.questions[1]!.question.en).toMatch(/change in your future interventions/);
		expect(course.reflections.questions[2]!.question.en).toMatch(/students/);
		expect(course.reflections.minLength).toBeLessThan(course.reflections.maxLength);
	});
});

describe('course validation refuses broken content', () => {
	const clone = () => JSON.parse(JSON.stringify(courseJson)) as { modules: { id: string }[]; quiz: { passMark: number; questions: { options: { correct: boolean; feedback: { en: string } }[] }[] }; reflections: { questions: unknown[] } };

	it('a missing English module file', () => {
		const r = buildCourse(courseJson, (id, locale) => (id === 'loi' && locale === 'en' ? null : source(id, locale)));
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.problems).toContain('modules/loi.en.md: missing (every module exists in French and English)');
	});

	it('an English module that lost a section (truncated translation)', () => {
		const r = buildCourse(courseJson, (id, locale) => (id === 'soutien' && locale === 'en' ? source(id, locale)!.split('## In the days')[0]! : source(id, locale)));
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.problems.join('\n')).toMatch(/modules\/soutien: French and English do not have the same structure/);
	});

	it('an empty English text, two right answers, a pass mark above the question count, two reflection questions', () => {
		const a = clone();
		a.quiz.questions[0]!.options[0]!.feedback.en = '  ';
		expect(CourseSchema.safeParse(a).success).toBe(false);
		const b = clone();
		for (const o of b.quiz.questions[1]!.options) o.correct = true;
		expect(CourseSchema.safeParse(b).success).toBe(false);
		const c = clone();
		c.quiz.passMark = 11;
		expect(CourseSchema.safeParse(c).success).toBe(false);
		const d = clone();
		d.reflections.questions.pop();
		expect(CourseSchema.safeParse(d).success).toBe(false);
	});
});

describe('safe Markdown subset', () => {
	it('parses headings, paragraphs, lists, callouts and emphasis into plain data', () => {
		const r = parseMarkdown('# Titre\n\nUn **mot** et *un autre*.\nSuite.\n\n## Section\n\n- a\n- b\n\n1. un\n2. deux\n\n> À retenir');
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.doc.title).toBe('Titre');
		expect(r.doc.blocks).toEqual([
			{ type: 'paragraph', spans: [{ text: 'Un ' }, { text: 'mot', strong: true }, { text: ' et ' }, { text: 'un autre', em: true }, { text: '. Suite.' }] },
			{ type: 'heading', level: 2, spans: [{ text: 'Section' }] },
			{ type: 'list', ordered: false, items: [[{ text: 'a' }], [{ text: 'b' }]] },
			{ type: 'list', ordered: true, items: [[{ text: 'un' }], [{ text: 'deux' }]] },
			{ type: 'callout', spans: [{ text: 'À retenir' }] }
		]);
	});

	it.each([
		['raw HTML', '# T\n\n<script>alert(1)</script>', 'raw HTML is not allowed'],
		['an image', '# T\n\n![photo](x.png)', 'images are not allowed (no media, ever)'],
		['a link', '# T\n\nVoir [ici](https://example.com)', 'links are not allowed'],
		['an inline style tag', '# T\n\nTexte <span style="x">', 'raw HTML is not allowed'],
		['a code fence', '# T\n\n```\ncode\n```', 'code blocks are not allowed'],
		['a second title', '# T\n\ntexte\n\n# Autre', 'the title (# …) must be the first line and appear once']
	])('refuses %s with its line number', (_label, md, message) => {
		const r = parseMarkdown(md);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.problems.map((p) => p.message)).toContain(message);
	});

	it('keeps an unmatched asterisk as text', () => {
		expect(parseInline('5 * 3')).toEqual([{ text: '5 * 3' }]);
	});
});

describe('quiz scoring', () => {
	const { quiz } = course;
	const right = Object.fromEntries(quiz.questions.map((q) => [q.id, q.options.find((o) => o.correct)!.id]));
	const wrong = Object.fromEntries(quiz.questions.map((q) => [q.id, q.options.find((o) => !o.correct)!.id]));

	it('all right: full score, passed; every question reported with the right option', () => {
		const r = scoreQuiz(quiz, right);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.score).toMatchObject({ score: quiz.questions.length, total: quiz.questions.length, passed: true });
		expect(r.score.questions.every((q) => q.correct && q.chosen === q.correctOptionId)).toBe(true);
	});

	it('exactly the pass mark passes; one below fails', () => {
		const ids = quiz.questions.map((q) => q.id);
		const mix = (nRight: number) => Object.fromEntries(ids.map((id, i) => [id, i < nRight ? right[id]! : wrong[id]!]));
		const at = scoreQuiz(quiz, mix(quiz.passMark));
		const below = scoreQuiz(quiz, mix(quiz.passMark - 1));
		expect(at.ok && at.score).toMatchObject({ score: quiz.passMark, passed: true });
		expect(below.ok && below.score).toMatchObject({ score: quiz.passMark - 1, passed: false });
	});

	it('all wrong: zero, failed', () => {
		const r = scoreQuiz(quiz, wrong);
		expect(r.ok && r.score).toMatchObject({ score: 0, passed: false });
	});

	it('a missing answer or an option the question does not offer is reported, not scored', () => {
		const { [quiz.questions[0]!.id]: _dropped, ...rest } = right;
		const r = scoreQuiz(quiz, { ...rest, [quiz.questions[1]!.id]: 'forged_option' });
		expect(r).toEqual({ ok: false, missing: [quiz.questions[0]!.id], unknown: [quiz.questions[1]!.id] });
	});
});

describe('reflection answers', () => {
	const spec = course.reflections;
	const long = 'x'.repeat(spec.minLength);

	it('a draft may be empty or short but not over the maximum', () => {
		expect(checkAnswers(spec, { learned: '', changes: 'court', focus: '' }, 'draft').problems).toEqual({});
		expect(checkAnswers(spec, { learned: 'y'.repeat(spec.maxLength + 1) }, 'draft').problems).toEqual({ learned: { code: 'too_long', max: spec.maxLength } });
	});

	it('a submission needs every answer between min and max; whitespace-only is empty', () => {
		const r = checkAnswers(spec, { learned: ' \n\t  ', changes: 'trop court', focus: long }, 'submit');
		expect(r.problems).toEqual({ learned: { code: 'required' }, changes: { code: 'too_short', min: spec.minLength } });
		expect(r.complete).toBe(false);
		const ok = checkAnswers(spec, { learned: `  ${long}  `, changes: long, focus: long }, 'submit');
		expect(ok.problems).toEqual({});
		expect(ok.answers.learned).toBe(long);
		expect(ok.complete).toBe(true);
	});

	it('counts characters as the learner sees them (accents, emoji)', () => {
		expect(textLength('élève')).toBe(5);
		expect(textLength('e\u0301le\u0300ve')).toBe(5);
		expect(textLength('👍👍')).toBe(2);
	});
});
