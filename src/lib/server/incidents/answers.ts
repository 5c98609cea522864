/**
 * Stored kit answers: one encrypted JSON row per step (`incident_answers`), merged into the engine's plain
 * `Record<questionId, AnswerValue>`; and what the incident row caches from the engine for lists and
 * statistics (fired red-flag ids, the grid's suggestion). Internal to server/incidents.
 */
import type { DbOrTrx } from '../db';
import type { FieldCipher } from '../crypto/fields';
import type { FieldErrors } from '../../forms';
import type { AnswerErrorCode, AnswerValue, Evaluation } from '../../domain/protocol/engine';
import type { Orientation } from '../../domain/protocol/schema';

export interface StoredStep {
	stepId: string;
	/** this step's answers only */
	answers: Record<string, AnswerValue>;
	version: number;
	updatedAt: string;
	updatedBy: string;
}

export async function loadSteps(db: DbOrTrx, cipher: FieldCipher, incidentId: string): Promise<StoredStep[]> {
	const rows = await db.selectFrom('incident_answers').selectAll().where('incident_id', '=', incidentId).execute();
	return rows.map((r) => ({
		stepId: r.step_id,
		answers: JSON.parse(cipher.decrypt(r.answers_enc)) as Record<string, AnswerValue>,
		version: r.version,
		updatedAt: r.updated_at,
		updatedBy: r.updated_by
	}));
}

/** All answers of the case (each question belongs to exactly one step, so rows never overlap). */
export function mergeAnswers(steps: readonly StoredStep[]): Record<string, AnswerValue> {
	return Object.assign({}, ...steps.map((s) => s.answers)) as Record<string, AnswerValue>;
}

/** The engine's per-question codes as message keys (`kit.answer_error.<code>`), keyed by question id. */
export function answerErrors(errors: Readonly<Record<string, AnswerErrorCode>>): FieldErrors {
	return Object.fromEntries(Object.entries(errors).map(([question, code]) => [question, { key: `kit.answer_error.${code}` as const }]));
}

export function firedFlagIds(e: Evaluation): string[] {
	return e.redFlags.map((f) => f.id);
}

/**
 * The suggestion cached on the incident: null while the grid has nothing to go on (no rule matched and
 * required questions remain), so lists do not show "unclear" for a case that was simply not evaluated yet.
 */
export function cachedOrientation(e: Evaluation): Orientation | null {
	return e.suggestion.reasons.length > 0 || e.progress.complete ? e.suggestion.orientation : null;
}
