import type { AppContext } from '../context';
import type { PoliceServiceKind } from '../db/schema';
import { coverageByPoliceService } from './coverage';
import { REGISTRY_CACHE_TTL_MS, registryCached } from '../cache/registry-cache';

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
	return filterCoverage(await loadCoverage(ctx), search);
}

/** A public page read by anyone: each app server keeps the list for a short while (registry-cache.ts). */
export const PUBLIC_COVERAGE_TTL_MS = REGISTRY_CACHE_TTL_MS;

/**
 * Same as publicCoverage, served from a per-server copy at most PUBLIC_COVERAGE_TTL_MS old, cleared at once by a
 * registry write on this server: a change of agreement shows on the public page within that delay everywhere
 * (the coverage gate itself never uses this copy).
 */
export async function publicCoverageCached(ctx: AppContext, search = ''): Promise<CoverageEntry[]> {
	return filterCoverage(await registryCached(ctx, 'public-coverage', () => loadCoverage(ctx)), search);
}

async function loadCoverage(ctx: AppContext): Promise<CoverageEntry[]> {
	const [services, counts, inForce] = await Promise.all([
		ctx.db.selectFrom('police_services').select(['id', 'name_fr', 'name_en', 'kind']).execute(),
		ctx.db.selectFrom('schools').select(['police_service_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('police_service_id').execute(),
		coverageByPoliceService(ctx.db, ctx.now())
	]);
	const countBy = new Map(counts.map((c) => [c.police_service_id, Number(c.n)]));
	const entries: CoverageEntry[] = [];
	for (const s of services) {
		const agreement = inForce.get(s.id);
		if (!agreement) continue;
		entries.push({ nameFr: s.name_fr, nameEn: s.name_en, kind: s.kind, since: agreement.since, schoolCount: countBy.get(s.id) ?? 0 });
	}
	return entries.sort((a, b) => a.nameFr.localeCompare(b.nameFr, 'fr'));
}

function filterCoverage(entries: readonly CoverageEntry[], search: string): CoverageEntry[] {
	const needle = foldForSearch(search);
	if (!needle) return [...entries];
	return entries.filter((e) => foldForSearch(e.nameFr).includes(needle) || foldForSearch(e.nameEn).includes(needle));
}

/** Case- and accent-insensitive form for searching names ("jerome" finds "Saint-Jérôme"). */
export function foldForSearch(s: string): string {
	return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
}
