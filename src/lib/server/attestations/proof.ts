/**
 * The public proof page of an award (/attestations/<id>, /en/attestations/<id>).
 *
 *   getProofPage(ctx, actor | null, awardId) → ProofView | null
 *
 * null — answered as 404 by the route — for an unknown id, a malformed id, and a private page seen by anyone
 * but its holder: the three take the same path (one indexed query, then null), so a stranger cannot tell a
 * private page from a missing one. A revoked page stays visible while public (a verifier must see "revoked");
 * the holder can make it private, and then it answers 404 like any private page.
 *
 * Public pages are identical for every visitor, so each app server keeps a short copy of their data
 * (PROOF_CACHE_TTL_MS, bounded). The copy is dropped at once on the server that saves a settings or profile
 * change (forgetProofPage / forgetAllProofPages, also for the revocation service); other servers see the change
 * within the TTL. Only public pages are ever copied: private and unknown ids always go to the database, and the
 * holder's own view is always read fresh. The status (valid, expired…) is computed on every request from the
 * copied facts, so an expiry is never served late. It is the credential service's rule (domain/credentials/
 * status.ts: revoked > pending > expired > valid, expiry from the current — possibly renewed — credential),
 * applied to the award and its current credential, joined into the page's one query. A renewal drops the copy.
 */
import type { AppContext } from '../context';
import type { Actor } from '../policy';
import { can } from '../policy';
import type { AwardLevel, AwardStatus } from '../db/schema';
import { parseEvidence, parseHiddenKeys, shownAnswers, type EvidenceItem } from '../../domain/attestations/proof';
import { renewalDue, type VerificationStatus } from '../../domain/credentials/status';
import { awardStatus } from './badge-classes';

/** An attestation id is the award's random UUID: anything else is not looked up. */
export const ATTESTATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface ProofView {
	id: string;
	level: AwardLevel;
	holder: {
		/** the name the holder shows (profile name, else the account's display name) */
		name: string;
		/** the public profile's opaque id when the profile is public, else null (the name is plain text) */
		profileId: string | null;
	};
	/** "Date d'obtention", ISO UTC */
	awardedAt: string;
	/** the reflection answers the holder shows, in the frozen order (hidden ones are not in the view at all) */
	answers: EvidenceItem[];
	/** how many answers the holder hides (told to the holder only) */
	hiddenCount: number;
	status: VerificationStatus;
	isPublic: boolean;
	/** the signed-in visitor is the holder: banner with the controls */
	isHolder: boolean;
	/** the holder may renew now (policy credential:renew, and renewal is due: expired or ending within
	 * RENEWAL_WINDOW_DAYS); always false in a visitor's view */
	canRenew: boolean;
}

interface ProofFacts {
	id: string;
	holderId: string;
	level: AwardLevel;
	status: AwardStatus;
	pending_reason: string | null;
	awarded_at: string;
	revoked_at: string | null;
	revocation_reason: string | null;
	/** the current (not superseded) credential, null before the first one is issued */
	credential: { validUntil: string | null } | null;
	name: string;
	profileId: string | null;
	items: EvidenceItem[];
	hidden: string[];
	isPublic: boolean;
}

/** Query flag the renewal route adds when it sends the holder back to the page ("renewed" notice). */
export const RENEWED_PARAM = 'renouvele';

export const PROOF_CACHE_TTL_MS = 10_000;
const PROOF_CACHE_MAX = 2_000;
/** A public page's facts, and the visitors' view built from them (reused while the status stays the same). */
interface CopiedPage {
	at: number;
	facts: ProofFacts;
	view?: ProofView;
	/** the anonymous visitors' rendered page per language/address (hooks, cache/public-pages.ts), with its end */
	html?: Map<string, { body: unknown; until: number }>;
}
interface ProofCopies {
	pages: Map<string, CopiedPage>;
	/** bumped by every forget: a page rendered before it must not be kept after it */
	generation: number;
}
const caches = new WeakMap<object, ProofCopies>();

function copiesOf(ctx: object): ProofCopies {
	let c = caches.get(ctx);
	if (!c) {
		c = { pages: new Map(), generation: 0 };
		caches.set(ctx, c);
	}
	return c;
}

function cacheOf(ctx: object): Map<string, CopiedPage> {
	return copiesOf(ctx).pages;
}

function freshCopy(hit: CopiedPage | undefined, now: number): hit is CopiedPage {
	return hit !== undefined && now - hit.at <= PROOF_CACHE_TTL_MS && now >= hit.at;
}

/** Drop this server's copy of one page (after a settings change or a revocation). */
export function forgetProofPage(ctx: object, awardId: string): void {
	const copies = copiesOf(ctx);
	copies.generation++;
	copies.pages.delete(awardId);
}

/** Drop every copy (after a profile change: the holder's name and profile link appear on each of their pages). */
export function forgetAllProofPages(ctx: object): void {
	const copies = copiesOf(ctx);
	copies.generation++;
	copies.pages.clear();
}

/** Read before rendering a page whose HTML may be kept (keepProofHtml). */
export function proofCopiesGeneration(ctx: object): number {
	return copiesOf(ctx).generation;
}

/**
 * The anonymous visitors' rendered page kept with the page's facts: it lives no longer than the facts copy (the
 * same TTL and the same forgets) and never past the instant its status changes (a validity end), so a visitor
 * never gets a page the normal path would not render.
 */
export function peekProofHtml<T>(ctx: Pick<AppContext, 'now'> & object, awardId: string, key: string): T | undefined {
	const now = ctx.now().getTime();
	const hit = cacheOf(ctx).get(awardId);
	if (!freshCopy(hit, now)) return undefined;
	const copy = hit.html?.get(key);
	return copy && now < copy.until ? (copy.body as T) : undefined;
}

/** Keeps a rendered page for anonymous visitors, only onto the public copy its render used (same generation). */
export function keepProofHtml(ctx: Pick<AppContext, 'now'> & object, awardId: string, key: string, body: unknown, generation: number): void {
	if (copiesOf(ctx).generation !== generation) return;
	const now = ctx.now();
	const hit = cacheOf(ctx).get(awardId);
	if (!freshCopy(hit, now.getTime()) || !hit.facts.isPublic) return;
	const status = awardStatus(hit.facts, now);
	const statusEnds = status.kind === 'valid' && status.validUntil ? Date.parse(status.validUntil) : Infinity;
	// Keys are the page's two addresses (no query string): at most two per award.
	(hit.html ??= new Map()).set(key, { body, until: Math.min(hit.at + PROOF_CACHE_TTL_MS, statusEnds) });
}

async function loadFacts(ctx: AppContext, awardId: string): Promise<ProofFacts | null> {
	const row = await ctx.db
		.selectFrom('training_awards as a')
		.innerJoin('users as u', 'u.id', 'a.user_id')
		.leftJoin('attestation_settings as s', 's.award_id', 'a.id')
		.leftJoin('member_profiles as p', 'p.user_id', 'a.user_id')
		// at most one row: one current credential per award (partial unique index credentials_current_unique)
		.leftJoin('credentials as c', (j) => j.onRef('c.award_id', '=', 'a.id').on('c.superseded_at', 'is', null))
		.select([
			'a.id',
			'a.user_id',
			'a.level',
			'a.status',
			'a.pending_reason',
			'a.awarded_at',
			'a.revoked_at',
			'a.revocation_reason',
			'a.evidence_json',
			'u.display_name',
			's.is_public',
			's.hidden_answers',
			'p.public_id',
			'p.is_public as profile_public',
			'p.display_name as profile_name',
			'c.id as credential_id',
			'c.valid_until'
		])
		.where('a.id', '=', awardId)
		.executeTakeFirst();
	if (!row) return null;
	return {
		id: row.id,
		holderId: row.user_id,
		level: row.level,
		status: row.status,
		pending_reason: row.pending_reason,
		awarded_at: row.awarded_at,
		revoked_at: row.revoked_at,
		revocation_reason: row.revocation_reason,
		credential: row.credential_id ? { validUntil: row.valid_until } : null,
		name: row.profile_name?.trim() || row.display_name,
		profileId: row.public_id && Number(row.profile_public) === 1 ? row.public_id : null,
		items: parseEvidence(row.evidence_json),
		hidden: parseHiddenKeys(row.hidden_answers),
		// No settings row: private (ADR 013, privacy by default).
		isPublic: Number(row.is_public ?? 0) === 1
	};
}

function viewOf(facts: ProofFacts, isHolder: boolean, canRenewNow: boolean, now: Date): ProofView {
	const answers = shownAnswers(facts.items, facts.hidden);
	const status = awardStatus(facts, now);
	return {
		id: facts.id,
		level: facts.level,
		holder: { name: facts.name, profileId: facts.profileId },
		awardedAt: facts.awarded_at,
		answers,
		hiddenCount: facts.items.length - answers.length,
		status,
		isPublic: facts.isPublic,
		isHolder,
		canRenew: canRenewNow && renewalDue(status, now)
	};
}

export async function getProofPage(ctx: AppContext, actor: Actor | null, awardId: string): Promise<ProofView | null> {
	if (!ATTESTATION_ID.test(awardId)) return null;
	const now = ctx.now();
	const cache = cacheOf(ctx);
	const hit = cache.get(awardId);
	if (freshCopy(hit, now.getTime())) {
		// A copy exists only for a public page; the holder's own view is read fresh below. Visitors share one view
		// object (treat it as read-only) until the copy expires or the status changes (an expiry date passed).
		if (!actor || actor.userId !== hit.facts.holderId) {
			if (!hit.view || hit.view.status.kind !== awardStatus(hit.facts, now).kind) hit.view = viewOf(hit.facts, false, false, now);
			return hit.view;
		}
	}
	const facts = await loadFacts(ctx, awardId);
	if (!facts) {
		cache.delete(awardId);
		return null;
	}
	const isHolder = can(actor, 'attestation:read_private', { holderId: facts.holderId });
	if (facts.isPublic) {
		if (cache.size >= PROOF_CACHE_MAX && !cache.has(awardId)) cache.delete(cache.keys().next().value!);
		cache.set(awardId, { at: now.getTime(), facts });
	} else {
		cache.delete(awardId);
		if (!isHolder) return null;
	}
	// The renewal control is the holder's own (their banner); whether they may renew is the policy's call.
	const mayRenew = isHolder && can(actor, 'credential:renew', { holderId: facts.holderId });
	return viewOf(facts, isHolder, mayRenew, now);
}
