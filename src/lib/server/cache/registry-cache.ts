/**
 * Per-server copies of registry data: names of schools, police services and territories, coverage of a school,
 * the public coverage list, and rendered public pages built only from them (docs/decisions/014-…).
 *
 * Rules:
 * - Only registry data (public, non-personal, written by a few administrators a few times a year). Never sessions,
 *   grants, users, cases or anything a permission depends on: those are read from the database on every request.
 * - Each entry lives at most REGISTRY_CACHE_TTL_MS. A registry write in this process clears every copy at once
 *   (`invalidateRegistryCaches`, called after the write's transaction commits); another app server behind the same
 *   load balancer keeps its copy until the TTL runs out. Staleness bound: REGISTRY_CACHE_TTL_MS on other servers.
 * - Keyed by the database handle, so two contexts (tests, tools) never share copies.
 * - The coverage gate (`assertSchoolCovered`, badge awards) never reads these copies.
 */
import type { AppContext } from '../context';

export const REGISTRY_CACHE_TTL_MS = 30_000;
/** Entries per server and database; past it the oldest go first (a guard against unbounded keys). */
export const REGISTRY_CACHE_MAX_ENTRIES = 5_000;

interface Entry {
	at: number;
	value: unknown;
}

interface Store {
	entries: Map<string, Entry>;
	/** bumped by every invalidation: a load started before it must not be stored after it */
	generation: number;
}

const stores = new WeakMap<object, Store>();

function storeOf(ctx: Pick<AppContext, 'db'>): Store {
	let store = stores.get(ctx.db);
	if (!store) {
		store = { entries: new Map(), generation: 0 };
		stores.set(ctx.db, store);
	}
	return store;
}

function fresh(entry: Entry | undefined, now: number): entry is Entry {
	// A clock moved backwards (tests, NTP step) invalidates too.
	return entry !== undefined && now >= entry.at && now - entry.at <= REGISTRY_CACHE_TTL_MS;
}

function put(store: Store, key: string, entry: Entry): void {
	if (store.entries.size >= REGISTRY_CACHE_MAX_ENTRIES && !store.entries.has(key)) {
		store.entries.delete(store.entries.keys().next().value!);
	}
	store.entries.set(key, entry);
}

/**
 * The copy of `key`, or `load()` stored under it. Concurrent callers share one load; a failed load is not kept;
 * a load that was running when the registry changed is returned to its callers but not kept.
 */
export function registryCached<T>(ctx: Pick<AppContext, 'db' | 'now'>, key: string, load: () => Promise<T>): Promise<T> {
	const store = storeOf(ctx);
	const now = ctx.now().getTime();
	const hit = store.entries.get(key);
	if (fresh(hit, now)) return hit.value as Promise<T>;
	const generation = store.generation;
	const value = load();
	const entry: Entry = { at: now, value };
	put(store, key, entry);
	value.then(
		() => {
			if (store.generation !== generation && store.entries.get(key) === entry) store.entries.delete(key);
		},
		() => {
			if (store.entries.get(key) === entry) store.entries.delete(key);
		}
	);
	return value;
}

/** A synchronous copy (already computed values, e.g. a rendered page); undefined when absent or too old. */
export function registryPeek<T>(ctx: Pick<AppContext, 'db' | 'now'>, key: string): T | undefined {
	const hit = storeOf(ctx).entries.get(key);
	return fresh(hit, ctx.now().getTime()) ? (hit.value as T) : undefined;
}

/** Stores a computed value, unless the registry changed since `generation` (read it before computing). */
export function registryStore(ctx: Pick<AppContext, 'db' | 'now'>, key: string, value: unknown, generation: number): void {
	const store = storeOf(ctx);
	if (store.generation !== generation) return;
	put(store, key, { at: ctx.now().getTime(), value });
}

export function registryGeneration(ctx: Pick<AppContext, 'db'>): number {
	return storeOf(ctx).generation;
}

/** Called after a registry write commits (territory, police service, agreement, school, import). */
export function invalidateRegistryCaches(ctx: Pick<AppContext, 'db'>): void {
	const store = storeOf(ctx);
	store.generation++;
	store.entries.clear();
}
