/**
 * A small synthetic pack for engine tests: every question type, conditional questions, one red flag per
 * action and one grid rule per orientation. Not shipped content (see content/protocol-packs/).
 */
import { parsePack } from './load';

const t = (s: string) => ({ fr: `${s} (fr)`, en: `${s} (en)` });
const options = (...ids: string[]) => ids.map((id) => ({ id, label: t(id) }));

export function testPackJson() {
	return {
		format: 1,
		id: 'test-pack',
		version: '2.1.0',
		status: 'draft',
		title: t('Test pack'),
		steps: [
			// Listed after the intake on purpose: the engine still asks it first.
			{ id: 's_intake', kind: 'intake', title: t('Intake'), guidance: t('Intake guidance') },
			{ id: 's_flags', kind: 'red_flags', title: t('Flags'), guidance: t('Flags guidance') },
			{ id: 's_more', kind: 'questions', title: t('More'), guidance: t('More guidance') }
		],
		questions: [
			{ id: 'name', step: 's_intake', type: 'short_text', label: t('Name'), guidance: t('g'), required: true, maxLength: 10 },
			{ id: 'when', step: 's_intake', type: 'datetime', label: t('When'), guidance: t('g'), required: true },
			{ id: 'kind', step: 's_intake', type: 'choice', label: t('Kind'), guidance: t('g'), required: true, options: options('x', 'y', 'z') },
			{ id: 'rf1', step: 's_flags', type: 'yes_no', label: t('Flag?'), guidance: t('g'), required: true },
			{ id: 'tags', step: 's_more', type: 'multi_choice', label: t('Tags'), guidance: t('g'), required: true, options: options('p', 'q', 'r') },
			{ id: 'age', step: 's_more', type: 'number', label: t('Age'), guidance: t('g'), required: true, min: 5, max: 20, integer: true },
			{ id: 'detail', step: 's_more', type: 'short_text', label: t('Detail'), guidance: t('g'), required: true, showWhen: { q: 'kind', eq: 'x' } },
			{ id: 'deeper', step: 's_more', type: 'yes_no', label: t('Deeper'), guidance: t('g'), required: true, showWhen: { answered: 'detail' } },
			{ id: 'note', step: 's_more', type: 'short_text', label: t('Note'), guidance: t('g'), required: false },
			{ id: 'unsure', step: 's_more', type: 'yes_no', label: t('Unsure'), guidance: t('g'), required: true, allowUnknown: true },
			{ id: 'ratio', step: 's_more', type: 'number', label: t('Ratio'), guidance: t('g'), required: false }
		],
		redFlags: [
			{
				id: 'f_police',
				label: t('Police'),
				when: { q: 'rf1', eq: 'yes' },
				action: 'call_police_liaison',
				guidance: t('Call the liaison'),
				meanwhile: [t('a'), t('b'), t('c')]
			},
			{
				id: 'f_dpj',
				label: t('DPJ'),
				when: { all: [{ q: 'tags', includes: 'p' }, { not: { q: 'kind', eq: 'y' } }] },
				action: 'report_dpj',
				guidance: t('Report'),
				meanwhile: [t('a'), t('b'), t('c')]
			},
			{
				id: 'f_911',
				label: t('911'),
				when: { q: 'age', lt: 10 },
				action: 'call_911',
				guidance: t('Call 911'),
				meanwhile: [t('a'), t('b'), t('c'), t('d')]
			}
		],
		gridRules: [
			{ id: 'g_imp', when: { q: 'kind', eq: 'x' }, points: 'likely_impulsive', reason: t('impulsive sign') },
			{ id: 'g_mal_weak', when: { q: 'tags', includes: 'q' }, points: 'likely_malicious', reason: t('weak malicious sign') },
			{ id: 'g_mal', when: { q: 'tags', includes: 'r' }, points: 'likely_malicious', reason: t('malicious sign'), weight: 3 },
			{ id: 'g_unc', when: { any: [{ q: 'unsure', in: ['unknown'] }, { q: 'age', gte: 18 }] }, points: 'unclear', reason: t('doubt') }
		]
	};
}

export const testPack = parsePack(testPackJson(), 'test pack');
