import { describe, expect, it } from 'vitest';
import { translate, type MessageKey, type Params } from '../i18n';
import { loadPackRegistry } from './protocol/packs';
import { conditionQuestions, stepQuestions } from './kit-steps';

const pack = loadPackRegistry().defaultPack();
const t = (key: MessageKey, params?: Params) => translate('fr', key, params);

describe('which questions a kit step shows without JavaScript', () => {
	it('shows a question depending on this step with an "answer only if" note and what it depends on', () => {
		const sharing = stepQuestions(pack, 'sharing', {}, 'fr', t);
		const onward = sharing.find((q) => q.question.id === 'consent_onward')!;
		expect(onward.dependsOn).toEqual({ q: 'shared_beyond', values: ['yes', 'unknown'] });
		expect(onward.note).toMatch(/^À répondre seulement si la réponse à « .+ » est : Oui ou Je ne sais pas\.$/);
		expect(sharing.find((q) => q.question.id === 'shared_beyond')).toMatchObject({ note: null, dependsOn: null });
	});
	it('decides a question depending on an earlier step from the saved answers', () => {
		expect(stepQuestions(pack, 'intent', { shared_beyond: 'no' }, 'fr', t).map((q) => q.question.id)).not.toContain('intent');
		expect(stepQuestions(pack, 'intent', { shared_beyond: 'yes' }, 'fr', t).find((q) => q.question.id === 'intent')).toMatchObject({ note: null, dependsOn: null });
	});
	it('reads every question a condition names', () => {
		expect(conditionQuestions({ all: [{ q: 'a', eq: 'yes' }, { not: { any: [{ answered: 'b' }, { q: 'c', lt: 3 }] } }] })).toEqual(['a', 'b', 'c']);
	});
});
