/**
 * Which questions a kit step shows, and how, so the step works without JavaScript:
 *   - a question without condition is always shown;
 *   - a question whose condition reads only answers of other steps (already saved) is shown when it holds;
 *   - a question whose condition reads an answer of the same step cannot be decided before that answer is
 *     sent: it is shown with a note ("answer only if …"), and with JavaScript it is hidden while the note
 *     does not apply (`dependsOn`, for the simple conditions the packs use: one question, some values).
 * The server ignores answers to questions that end up hidden (engine: effectiveAnswers).
 */
import { evaluateCondition, findQuestion, type Answers } from '../domain/protocol/engine';
import type { Condition, ProtocolPack, Question } from '../domain/protocol/schema';
import type { MessageKey, Params } from '../i18n';

export interface StepQuestion {
	question: Question;
	/** "answer only if …" (localized), for a question that depends on another answer of this step */
	note: string | null;
	/** the answer of this step it depends on, when the condition is that simple (the page hides it live) */
	dependsOn: { q: string; values: string[] } | null;
}

/** Every question id a condition reads. */
export function conditionQuestions(c: Condition): string[] {
	if ('all' in c) return c.all.flatMap(conditionQuestions);
	if ('any' in c) return c.any.flatMap(conditionQuestions);
	if ('not' in c) return conditionQuestions(c.not);
	if ('answered' in c) return [c.answered];
	return [c.q];
}

/** `{ q, eq }` or `{ q, in }` on a yes/no or choice question: the values that make it true. */
function simpleCondition(c: Condition): { q: string; values: string[] } | null {
	if (!('q' in c)) return null;
	if ('eq' in c && typeof c.eq === 'string') return { q: c.q, values: [c.eq] };
	if ('in' in c) return { q: c.q, values: [...c.in] };
	return null;
}

function optionLabel(q: Question, value: string, locale: 'fr' | 'en', t: (key: MessageKey, params?: Params) => string): string {
	if (q.type === 'yes_no') return t(value === 'yes' ? 'kit.answer.yes' : value === 'no' ? 'kit.answer.no' : 'kit.answer.unknown');
	if (q.type === 'choice' || q.type === 'multi_choice') return q.options.find((o) => o.id === value)?.label[locale] ?? value;
	return value;
}

export function stepQuestions(pack: ProtocolPack, stepId: string, saved: Answers, locale: 'fr' | 'en', t: (key: MessageKey, params?: Params) => string): StepQuestion[] {
	const lang = locale;
	const out: StepQuestion[] = [];
	for (const question of pack.questions.filter((q) => q.step === stepId)) {
		if (!question.showWhen) {
			out.push({ question, note: null, dependsOn: null });
			continue;
		}
		const sameStep = conditionQuestions(question.showWhen).some((id) => findQuestion(pack, id)?.step === stepId);
		if (!sameStep) {
			if (evaluateCondition(question.showWhen, saved)) out.push({ question, note: null, dependsOn: null });
			continue;
		}
		const simple = simpleCondition(question.showWhen);
		const controller = simple ? findQuestion(pack, simple.q) : undefined;
		const note =
			simple && controller
				? t('incidents.step.only_if', {
						question: controller.label[lang],
						answers: simple.values.map((v) => optionLabel(controller, v, lang, t)).join(t('incidents.step.or'))
					})
				: t('incidents.step.only_if_other');
		out.push({ question, note, dependsOn: simple && controller ? simple : null });
	}
	return out;
}
