/**
 * The three reflection answers (pure checks). Free text, trimmed; whitespace-only counts as empty. A draft
 * may leave answers empty (work in progress) but never exceed the maximum; a submission needs every answer
 * between the minimum and the maximum length (counted in characters as the learner sees them).
 */
import type { Reflections } from './schema';

export type AnswerProblem = { code: 'required' } | { code: 'too_short'; min: number } | { code: 'too_long'; max: number };

export interface AnswersCheck {
	/** trimmed answers by question key ('' when empty) */
	answers: Record<string, string>;
	problems: Record<string, AnswerProblem>;
	/** every answer is present and within limits */
	complete: boolean;
}

/** Length in user-perceived characters (an accented letter or an emoji counts once). */
export function textLength(text: string): number {
	return [...text.normalize('NFC')].length;
}

export function checkAnswers(spec: Reflections, raw: Record<string, string | undefined>, mode: 'draft' | 'submit'): AnswersCheck {
	const answers: Record<string, string> = {};
	const problems: Record<string, AnswerProblem> = {};
	for (const q of spec.questions) {
		const text = (raw[q.key] ?? '').replace(/\r\n?/g, '\n').trim().normalize('NFC');
		answers[q.key] = text;
		const length = textLength(text);
		if (length > spec.maxLength) problems[q.key] = { code: 'too_long', max: spec.maxLength };
		else if (mode === 'submit' && length === 0) problems[q.key] = { code: 'required' };
		else if (mode === 'submit' && length < spec.minLength) problems[q.key] = { code: 'too_short', min: spec.minLength };
	}
	const complete = spec.questions.every((q) => {
		const n = textLength(answers[q.key]!);
		return n >= spec.minLength && n <= spec.maxLength;
	});
	return { answers, problems, complete };
}
