/**
 * Scoring of the knowledge check (pure). Answers are option ids per question id, as posted by the form;
 * a missing answer or an id the question does not offer (forged POST) is reported per question, so the
 * service can refuse an incomplete attempt without scoring it.
 */
import type { Quiz } from './schema';

export interface QuestionResult {
	questionId: string;
	chosen: string;
	correctOptionId: string;
	correct: boolean;
}

export interface QuizScore {
	score: number;
	total: number;
	passMark: number;
	passed: boolean;
	questions: QuestionResult[];
}

export type QuizCheck = { ok: true; score: QuizScore } | { ok: false; missing: string[]; unknown: string[] };

export function scoreQuiz(quiz: Quiz, answers: Record<string, string | undefined>): QuizCheck {
	const missing: string[] = [];
	const unknown: string[] = [];
	const questions: QuestionResult[] = [];
	for (const q of quiz.questions) {
		const chosen = answers[q.id];
		if (!chosen) {
			missing.push(q.id);
			continue;
		}
		const option = q.options.find((o) => o.id === chosen);
		if (!option) {
			unknown.push(q.id);
			continue;
		}
		questions.push({ questionId: q.id, chosen, correctOptionId: q.options.find((o) => o.correct)!.id, correct: option.correct });
	}
	if (missing.length || unknown.length) return { ok: false, missing, unknown };
	const score = questions.filter((q) => q.correct).length;
	return { ok: true, score: { score, total: quiz.questions.length, passMark: quiz.passMark, passed: score >= quiz.passMark, questions } };
}
