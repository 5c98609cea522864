import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BadgeClassError, BADGE_LEVELS, parseBadgeClass } from './badge-class';
import { AWARD_LEVELS } from '../../server/db/schema';

const read = (level: string) => readFileSync(`content/badges/${level}.json`, 'utf8');

describe('badge classes (content/badges)', () => {
	it('has one valid file per training level, every text in French and English', () => {
		expect([...BADGE_LEVELS]).toEqual([...AWARD_LEVELS]);
		for (const level of BADGE_LEVELS) {
			const badge = parseBadgeClass(`${level}.json`, read(level));
			expect(badge.level).toBe(level);
			expect(badge.name.fr).not.toBe(badge.name.en);
			expect(badge.image.svg).toBe(`/badges/${level}.svg`);
			expect(badge.image.png).toBe(`/badges/${level}.png`);
			expect(badge.partners.length).toBeGreaterThan(0);
			// the artwork the files name exists
			expect(() => readFileSync(`static${badge.image.svg}`)).not.toThrow();
			expect(readFileSync(`static${badge.image.png}`).subarray(1, 4).toString()).toBe('PNG');
		}
	});

	it('refuses a missing translation, an outside image address, an unknown field and bad JSON, naming the path', () => {
		const good = JSON.parse(read('explorateur')) as Record<string, unknown>;
		const problems = (value: unknown) => {
			try {
				parseBadgeClass('x.json', JSON.stringify(value));
				return [];
			} catch (error) {
				expect(error).toBeInstanceOf(BadgeClassError);
				return (error as BadgeClassError).problems;
			}
		};
		expect(problems(good)).toEqual([]);
		expect(problems({ ...good, name: { fr: 'Seulement en français' } })[0]).toMatch(/^name\.en/);
		expect(problems({ ...good, image: { ...(good.image as object), svg: 'https://cdn.example/x.svg' } })[0]).toMatch(/^image\.svg/);
		expect(problems({ ...good, surprise: 1 })[0]).toMatch(/surprise|unrecognized/i);
		expect(problems({ ...good, level: 'virtuose' })[0]).toMatch(/^level/);
		expect(problems({ ...good, id: 'sexto-architecte' })[0]).toMatch(/^id/);
		expect(problems({ ...good, validityMonths: 0 })[0]).toMatch(/^validityMonths/);
		expect(() => parseBadgeClass('x.json', '{ nope')).toThrow(/not JSON/);
	});
});
