import type { AppContext } from '../context';
import type { PoliceServiceKind } from '../db/schema';
import { coverageByPoliceService } from './coverage';

export interface CoverageEntry {
	nameFr: string;
	nameEn: string;
	kind: PoliceServiceKind;
	since: string;
	schoolCount: number;
}

/**
 * Public list for /couverture: police services with an agreement in force today and how many schools they
 * serve. No personal data, no agreement references. Search matches either language, accent-insensitive.
 */
export async function publicCoverage(ctx: AppContext, search = ''): Promise<CoverageEntry[]> {
	const [services, counts, inForce] = await Promise.all([
		ctx.db.selectFrom('police_services').select(['id', 'name_fr', 'name_en', 'kind']).execute(),
		ctx.db.selectFrom('schools').select(['police_service_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('police_service_id').execute(),
		coverageByPoliceService(ctx.db, ctx.now())
	]);
	const countBy = new Map(counts.map((c) => [c.police_service_id, Number(c.n)]));
	const needle = foldForSearch(search);
	const entries: CoverageEntry[] = [];
	for (const s of services) {
		const agreement = inForce.get(s.id);
		if (!agreement) continue;
		if (needle && !foldForSearch(s.name_fr).includes(needle) && !foldForSearch(s.name_en).includes(needle)) continue;
		entries.push({ nameFr: s.name_fr, nameEn: s.name_en, kind: s.kind, since: agreement.since, schoolCount: countBy.get(s.id) ?? 0 });
	}
	return entries.sort((a, b) => a.nameFr.localeCompare(b.nameFr, 'fr'));
}

/** Case- and accent-insensitive form for searching names ("jerome" finds "Saint-Jérôme"). */
export function foldForSearch(s: string): string {
	return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
}
