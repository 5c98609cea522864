import { describe, expect, it } from 'vitest';
import { casePath, kitScreens, nextAfter, stepPath } from './flow';

const STEPS = [
	{ id: 'intake', kind: 'intake' as const },
	{ id: 'red_flags', kind: 'red_flags' as const },
	{ id: 'sharing', kind: 'questions' as const },
	{ id: 'context', kind: 'questions' as const }
];

describe('the kit screens and their order', () => {
	it('lists intake, red flags, the questionnaire, students, devices, hand-off, decision, follow-up, closure', () => {
		expect(kitScreens(STEPS).map((s) => s.path)).toEqual(['etape/intake', 'etape/red_flags', 'etape/sharing', 'etape/context', 'eleves', 'appareils', 'remise', 'decision', 'suivi', 'fermeture']);
	});
	it('puts the red-flags step right after the intake whatever the pack order', () => {
		const shuffled = [STEPS[2]!, STEPS[1]!, STEPS[0]!];
		expect(kitScreens(shuffled).slice(0, 3).map((s) => s.stepId)).toEqual(['intake', 'red_flags', 'sharing']);
	});
	it('goes on from each step, and to the overview at the end of the questionnaire', () => {
		expect(nextAfter(STEPS, { screen: 'intake', stepId: 'intake' })).toBe('etape/red_flags');
		expect(nextAfter(STEPS, { screen: 'red_flags', stepId: 'red_flags' })).toBe('etape/sharing');
		expect(nextAfter(STEPS, { screen: 'questions', stepId: 'sharing' })).toBe('etape/context');
		expect(nextAfter(STEPS, { screen: 'questions', stepId: 'context' })).toBe('');
		expect(nextAfter(STEPS, { screen: 'students' })).toBe('appareils');
		expect(nextAfter(STEPS, { screen: 'devices' })).toBe('');
	});
	it('builds addresses with encoded ids', () => {
		expect(casePath('a b', stepPath('red_flags'))).toBe('/incidents/a%20b/etape/red_flags');
		expect(casePath('x')).toBe('/incidents/x');
	});
});
