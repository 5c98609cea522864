/**
 * The intake (step 1) is a step of the protocol pack, like the others: its answers are validated by the
 * engine and stored encrypted with the other steps. Four of them are also copied onto the incident row,
 * because lists, clocks, statistics and the hand-off packet need them without decrypting every step:
 *
 *   question id            column            type
 *   intake_learned_at   →  t0                datetime (T0: when the school learned of it; never in the future)
 *   intake_reported_by  →  reporter_kind     choice   (option id of the pack)
 *   intake_channel      →  report_channel    choice   (option id of the pack)
 *   intake_summary      →  summary_enc       short_text, encrypted
 *
 * Every pack must hold these four required questions in its `intake` step (the default pack does; a unit
 * test checks it). A pack without them cannot open cases: that is a deployment error, reported by name.
 * openIncident copies them at opening; saveStepAnswers copies them again whenever the intake step is saved.
 */
import type { AnswerValue } from '../../domain/protocol/engine';
import type { ProtocolPack, Question, Step } from '../../domain/protocol/schema';

export const INTAKE_QUESTIONS = {
	t0: { id: 'intake_learned_at', type: 'datetime' },
	reporterKind: { id: 'intake_reported_by', type: 'choice' },
	reportChannel: { id: 'intake_channel', type: 'choice' },
	summary: { id: 'intake_summary', type: 'short_text' }
} as const satisfies Record<string, { id: string; type: Question['type'] }>;

export class IntakeShapeError extends Error {
	constructor(pack: ProtocolPack, problem: string) {
		super(`protocol pack ${pack.id}@${pack.version} cannot open cases: ${problem}`);
		this.name = 'IntakeShapeError';
	}
}

/** The pack's intake step, checked to hold the four questions the case copies. Throws IntakeShapeError. */
export function intakeStepOf(pack: ProtocolPack): Step {
	const step = pack.steps.find((s) => s.kind === 'intake');
	if (!step) throw new IntakeShapeError(pack, 'no step of kind "intake"');
	for (const { id, type } of Object.values(INTAKE_QUESTIONS)) {
		const q = pack.questions.find((x) => x.id === id);
		if (!q || q.step !== step.id) throw new IntakeShapeError(pack, `question "${id}" missing from step "${step.id}"`);
		if (q.type !== type) throw new IntakeShapeError(pack, `question "${id}" must be of type ${type}, not ${q.type}`);
		if (!q.required || q.showWhen) throw new IntakeShapeError(pack, `question "${id}" must be required and always shown`);
	}
	return step;
}

export interface IntakeColumns {
	t0: string;
	reporter_kind: string;
	report_channel: string;
	summary: string;
}

/** The copied columns, from validated intake answers (all four are required, so present once valid). */
export function intakeColumns(answers: Readonly<Record<string, AnswerValue>>): IntakeColumns {
	const get = (id: string): string => {
		const v = answers[id];
		if (typeof v !== 'string') throw new Error(`intake answer "${id}" missing after validation`);
		return v;
	};
	return {
		t0: get(INTAKE_QUESTIONS.t0.id),
		reporter_kind: get(INTAKE_QUESTIONS.reporterKind.id),
		report_channel: get(INTAKE_QUESTIONS.reportChannel.id),
		summary: get(INTAKE_QUESTIONS.summary.id)
	};
}
