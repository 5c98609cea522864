/**
 * Credentials of training awards: issue (lazily, once per award), renew, revoke, status lists, issuer
 * documents, and the verifier's environment backed by this app's own records.
 */
import { forgetProofPage } from '../attestations/proof';
import type { AppContext, RequestMeta } from '../context';
import { isUniqueViolation, type DbOrTrx, type Trx } from '../db';
import type { CredentialsTable, TrainingAwardsTable } from '../db/schema';
import { appendAudit } from '../audit/log';
import { authorize, type Actor } from '../policy';
import { newId, sha256Hex } from '../crypto/tokens';
import { canonicalJson } from '../training/awards';
import { buildCredential, didWebOf, evidenceFromItems, VC_V2_CONTEXT, type IssuerInfo } from '../../domain/credentials/credential';
import { encodeStatusList, MIN_STATUS_LIST_BITS } from '../../domain/credentials/bitstring';
import { keyRingOf, type KeyRing } from './keys';
import { proofTime, signDocument } from './proof';
import { verifyCredential, type StatusAnswer, type Verdict, type VerifyEnv } from './verify';
import { MULTIKEY_V1_CONTEXT_URL } from './document-loader';
import { renewalDue, type RevocationCategory, type VerificationStatus } from '../../domain/credentials/status';
import { awardStatus } from '../attestations/badge-classes';

export { REVOCATION_CATEGORIES, type RevocationCategory, type VerificationStatus } from '../../domain/credentials/status';

export function issuerOf(ctx: AppContext): IssuerInfo {
	const origin = ctx.config.ORIGIN.replace(/\/+$/, '');
	return { did: didWebOf(origin), origin, name: ctx.config.CREDENTIAL_ISSUER_NAME, email: ctx.config.CREDENTIAL_ISSUER_EMAIL };
}

export function statusListUrl(ctx: AppContext, listId: string): string {
	return `${issuerOf(ctx).origin}/credentials/status/${listId}`;
}

function ringOf(ctx: AppContext): KeyRing {
	return keyRingOf(ctx.config, ctx.now());
}

function verificationMethodOf(ctx: AppContext, keyId: string): string {
	return `${issuerOf(ctx).did}#${keyId}`;
}

// ---------------------------------------------------------------------------------------------
// Issuance

async function allocateStatusIndex(trx: Trx, now: Date): Promise<{ listId: string; index: number }> {
	for (let attempt = 0; attempt < 3; attempt++) {
		const list = await trx
			.selectFrom('credential_status_lists')
			.select(['id'])
			.where('purpose', '=', 'revocation')
			.whereRef('next_index', '<', 'size')
			.orderBy('created_at')
			.orderBy('id')
			.executeTakeFirst();
		if (!list) {
			await trx
				.insertInto('credential_status_lists')
				.values({ id: newId(), purpose: 'revocation', size: MIN_STATUS_LIST_BITS, next_index: 0, created_at: now.toISOString() })
				.execute();
			continue;
		}
		// The UPDATE takes the row lock on PostgreSQL: two issuers never get the same index.
		const taken = await trx
			.updateTable('credential_status_lists')
			.set((eb) => ({ next_index: eb('next_index', '+', 1) }))
			.where('id', '=', list.id)
			.whereRef('next_index', '<', 'size')
			.returning('next_index')
			.executeTakeFirst();
		if (taken) return { listId: list.id, index: Number(taken.next_index) - 1 };
	}
	throw new Error('could not allocate a status list index');
}

async function issueInTransaction(ctx: AppContext, trx: Trx, award: TrainingAwardsTable, now: Date, actorId: string | null, renewal: boolean): Promise<CredentialsTable> {
	const holder = await trx.selectFrom('users').select(['display_name', 'email']).where('id', '=', award.user_id).executeTakeFirstOrThrow();
	const ring = ringOf(ctx);
	const { listId, index } = await allocateStatusIndex(trx, now);
	const id = newId();
	const unsigned = buildCredential(issuerOf(ctx), {
		credentialId: id,
		awardId: award.id,
		level: award.level,
		awardedAt: award.awarded_at,
		holder: { name: holder.display_name, email: holder.email },
		evidence: JSON.parse(award.evidence_json),
		status: { listUrl: statusListUrl(ctx, listId), index },
		// The first credential's period runs from the award date (what the proof page shows before it is issued,
		// so a lazy issuance never changes the verdict); a renewal's from the renewal.
		validFrom: renewal ? now : new Date(award.awarded_at)
	});
	const verificationMethod = verificationMethodOf(ctx, ring.active.id);
	const signed = await signDocument(unsigned, { verificationMethod, privateKey: ring.active.privateKey }, now);
	const row: CredentialsTable = {
		id,
		award_id: award.id,
		status_list_id: listId,
		status_index: index,
		verification_method: verificationMethod,
		valid_from: String(signed.validFrom),
		valid_until: typeof signed.validUntil === 'string' ? signed.validUntil : null,
		document: JSON.stringify(signed),
		superseded_at: null,
		created_at: now.toISOString()
	};
	await trx.insertInto('credentials').values(row).execute();
	await appendAudit(
		trx,
		{
			actorId,
			action: renewal ? 'credential.renewed' : 'credential.issued',
			targetType: 'training_award',
			targetId: award.id,
			outcome: 'success',
			details: { credentialId: id, statusList: listId, statusIndex: index, key: ring.active.id }
		},
		now
	);
	return row;
}

export type CredentialLookup =
	| { kind: 'ok'; award: TrainingAwardsTable; row: CredentialsTable; credential: Record<string, unknown>; json: string }
	| { kind: 'not_found' }
	| { kind: 'pending'; award: TrainingAwardsTable };

async function awardById(db: DbOrTrx, awardId: string): Promise<TrainingAwardsTable | null> {
	if (!/^[0-9a-f-]{36}$/i.test(awardId)) return null;
	return (await db.selectFrom('training_awards').selectAll().where('id', '=', awardId).executeTakeFirst()) ?? null;
}

async function currentRow(db: DbOrTrx, awardId: string): Promise<CredentialsTable | null> {
	return (await db.selectFrom('credentials').selectAll().where('award_id', '=', awardId).where('superseded_at', 'is', null).executeTakeFirst()) ?? null;
}

function lookupOf(award: TrainingAwardsTable, row: CredentialsTable): CredentialLookup {
	return { kind: 'ok', award, row, credential: JSON.parse(row.document) as Record<string, unknown>, json: row.document };
}

/**
 * The current signed credential of an award, issued on first request. A pending-coverage award has none;
 * a revoked award keeps the credential it had (its status list entry says revoked).
 */
export async function credentialFor(ctx: AppContext, awardId: string): Promise<CredentialLookup> {
	const award = await awardById(ctx.db, awardId);
	if (!award) return { kind: 'not_found' };
	const existing = await currentRow(ctx.db, award.id);
	if (existing) return lookupOf(award, existing);
	if (award.status === 'pending_coverage') return { kind: 'pending', award };
	if (award.status === 'revoked' || award.revoked_at) return { kind: 'not_found' };
	try {
		const row = await ctx.db.transaction().execute((trx) => issueInTransaction(ctx, trx, award, ctx.now(), null, false));
		return lookupOf(award, row);
	} catch (error) {
		// Two first requests at once: the other one issued it.
		if (!isUniqueViolation(error)) throw error;
		const row = await currentRow(ctx.db, award.id);
		if (!row) throw error;
		return lookupOf(award, row);
	}
}

export class CredentialError extends Error {
	constructor(
		/** not_expired: neither expired nor within RENEWAL_WINDOW_DAYS of its end (or a badge that never expires) */
		public readonly code: 'not_found' | 'pending' | 'already_revoked' | 'not_expired' | 'revoked',
		public readonly status: 404 | 409
	) {
		super(code);
		this.name = 'CredentialError';
	}
}

/**
 * Renewal: a new credential with a new validFrom (and validUntil); awardedDate stays the award's date.
 * Allowed once renewal is due (domain/credentials/status.ts#renewalDue: expired, or within RENEWAL_WINDOW_DAYS
 * of its end) — the same rule that shows the holder the "Renew" control on the proof page.
 */
export async function renewCredential(ctx: AppContext, actor: Actor | null, awardId: string, meta: RequestMeta): Promise<CredentialsTable> {
	const award = await awardById(ctx.db, awardId);
	if (!award) throw new CredentialError('not_found', 404);
	authorize(actor, 'credential:renew', { holderId: award.user_id });
	const now = ctx.now();
	const current = await currentRow(ctx.db, award.id);
	const status = awardStatus({ ...award, credential: current ? { validUntil: current.valid_until } : null }, now);
	if (status.kind === 'revoked') throw new CredentialError('revoked', 409);
	if (status.kind === 'pending') throw new CredentialError('pending', 409);
	if (!renewalDue(status, now)) throw new CredentialError('not_expired', 409);
	const row = await ctx.db.transaction().execute(async (trx) => {
		if (current) {
			const res = await trx.updateTable('credentials').set({ superseded_at: now.toISOString() }).where('id', '=', current.id).where('superseded_at', 'is', null).executeTakeFirst();
			if (Number(res.numUpdatedRows) !== 1) throw new CredentialError('not_expired', 409);
		}
		const issued = await issueInTransaction(ctx, trx, award, now, actor.userId, true);
		void meta;
		return issued;
	});
	// The proof page's status follows the current credential: this server's copy goes at once.
	forgetProofPage(ctx, award.id);
	return row;
}

// ---------------------------------------------------------------------------------------------
// Revocation

export interface RevokeInput {
	category: RevocationCategory;
	note: string | null;
}

/**
 * Revokes an award: its revoked fields, and so the bit of every credential it had in the status list (the
 * list is computed from the records at each request, so it shows the change on the very next request).
 */
export async function revokeAward(ctx: AppContext, actor: Actor | null, awardId: string, input: RevokeInput, meta: RequestMeta): Promise<TrainingAwardsTable> {
	const award = await awardById(ctx.db, awardId);
	if (!award) throw new CredentialError('not_found', 404);
	authorize(actor, 'credential:revoke', { holderId: award.user_id });
	const now = ctx.now();
	const revoked = await ctx.db.transaction().execute(async (trx) => {
		const res = await trx
			.updateTable('training_awards')
			.set({
				status: 'revoked',
				revoked_at: now.toISOString(),
				revoked_by: actor.userId,
				revocation_reason: input.category,
				revocation_note: input.note,
				updated_at: now.toISOString()
			})
			.where('id', '=', award.id)
			.where('revoked_at', 'is', null)
			.executeTakeFirst();
		if (Number(res.numUpdatedRows) !== 1) return null;
		await appendAudit(
			trx,
			{ actorId: actor.userId, action: 'credential.award_revoked', targetType: 'training_award', targetId: award.id, outcome: 'success', ip: meta.ip, details: { category: input.category, hasNote: Boolean(input.note) } },
			now
		);
		return (await trx.selectFrom('training_awards').selectAll().where('id', '=', award.id).executeTakeFirstOrThrow()) as TrainingAwardsTable;
	});
	if (revoked) {
		// This server's copy of the proof page goes at once (other servers' copies within their 10-second bound).
		forgetProofPage(ctx, award.id);
		return revoked;
	}
	// Already revoked: the refusal is recorded in its own transaction (nothing else changed).
	await ctx.db.transaction().execute((trx) =>
		appendAudit(trx, { actorId: actor.userId, action: 'credential.revoke_refused', targetType: 'training_award', targetId: award.id, outcome: 'failure', ip: meta.ip, details: { reason: 'already_revoked' } }, now)
	);
	throw new CredentialError('already_revoked', 409);
}

// ---------------------------------------------------------------------------------------------
// Status

/**
 * What the proof page shows, from the records (the credential's signature is checked by the verifier): the one
 * rule of domain/credentials/status.ts over the award and its current credential, in one query. The proof page,
 * member profiles and the holder's list apply the same rule to the same columns, joined into their own query.
 */
export async function verificationStatusOf(ctx: AppContext, awardId: string): Promise<VerificationStatus | { kind: 'not_found' }> {
	if (!/^[0-9a-f-]{36}$/i.test(awardId)) return { kind: 'not_found' };
	const row = await ctx.db
		.selectFrom('training_awards as a')
		.leftJoin('credentials as c', (j) => j.onRef('c.award_id', '=', 'a.id').on('c.superseded_at', 'is', null))
		.select(['a.level', 'a.status', 'a.pending_reason', 'a.awarded_at', 'a.revoked_at', 'a.revocation_reason', 'c.id as credential_id', 'c.valid_until'])
		.where('a.id', '=', awardId)
		.executeTakeFirst();
	if (!row) return { kind: 'not_found' };
	return awardStatus({ ...row, credential: row.credential_id ? { validUntil: row.valid_until } : null }, ctx.now());
}

/** The signed BitstringStatusListCredential of a list, built from the records now; null for an unknown list. */
export async function statusListCredential(ctx: AppContext, listId: string): Promise<Record<string, unknown> | null> {
	if (!/^[0-9a-f-]{36}$/i.test(listId)) return null;
	const list = await ctx.db.selectFrom('credential_status_lists').selectAll().where('id', '=', listId).executeTakeFirst();
	if (!list) return null;
	const revoked = await ctx.db
		.selectFrom('credentials')
		.innerJoin('training_awards', 'training_awards.id', 'credentials.award_id')
		.select('credentials.status_index')
		.where('credentials.status_list_id', '=', listId)
		.where('training_awards.revoked_at', 'is not', null)
		.execute();
	const url = statusListUrl(ctx, listId);
	const now = ctx.now();
	const ring = ringOf(ctx);
	const unsigned = {
		'@context': [VC_V2_CONTEXT],
		id: url,
		type: ['VerifiableCredential', 'BitstringStatusListCredential'],
		issuer: issuerOf(ctx).did,
		validFrom: proofTime(now),
		credentialSubject: {
			id: `${url}#list`,
			type: 'BitstringStatusList',
			statusPurpose: 'revocation',
			encodedList: encodeStatusList(revoked.map((r) => Number(r.status_index)), Number(list.size))
		}
	};
	return signDocument(unsigned, { verificationMethod: verificationMethodOf(ctx, ring.active.id), privateKey: ring.active.privateKey }, now);
}

// ---------------------------------------------------------------------------------------------
// Issuer documents

/** did:web document: every key ever used, as Multikey, for assertionMethod. */
export function didDocument(ctx: AppContext): Record<string, unknown> {
	const issuer = issuerOf(ctx);
	const methods = ringOf(ctx).all.map((k) => ({
		id: `${issuer.did}#${k.id}`,
		type: 'Multikey',
		controller: issuer.did,
		publicKeyMultibase: k.publicKeyMultibase
	}));
	return {
		'@context': ['https://www.w3.org/ns/did/v1', MULTIKEY_V1_CONTEXT_URL],
		id: issuer.did,
		alsoKnownAs: [`${issuer.origin}/issuer`],
		verificationMethod: methods,
		assertionMethod: methods.map((m) => m.id)
	};
}

/** Open Badges issuer Profile (served at /issuer), with the same keys. */
export function issuerProfile(ctx: AppContext): Record<string, unknown> {
	const issuer = issuerOf(ctx);
	const doc = didDocument(ctx);
	return {
		'@context': [VC_V2_CONTEXT, 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', MULTIKEY_V1_CONTEXT_URL],
		id: issuer.did,
		type: ['Profile'],
		name: issuer.name,
		url: issuer.origin,
		email: issuer.email,
		verificationMethod: doc.verificationMethod,
		assertionMethod: doc.assertionMethod
	};
}

// ---------------------------------------------------------------------------------------------
// Verification backed by this app's records

export function verifierEnv(ctx: AppContext): VerifyEnv {
	const issuer = issuerOf(ctx);
	const ring = ringOf(ctx);
	const keys = new Map(ring.all.map((k) => [`${issuer.did}#${k.id}`, k.publicKey]));
	const prefix = `${issuer.origin}/credentials/status/`;
	return {
		issuerDid: issuer.did,
		statusListPrefix: prefix,
		now: ctx.now(),
		keyFor: (vm) => keys.get(vm) ?? null,
		async statusOf(listUrl, index, credential): Promise<StatusAnswer | null> {
			const listId = listUrl.slice(prefix.length);
			if (!/^[0-9a-f-]{36}$/i.test(listId)) return null;
			const row = await ctx.db
				.selectFrom('credentials')
				.innerJoin('training_awards', 'training_awards.id', 'credentials.award_id')
				.select(['training_awards.revoked_at', 'training_awards.revocation_reason', 'training_awards.evidence_hash'])
				.where('credentials.status_list_id', '=', listId)
				.where('credentials.status_index', '=', index)
				.executeTakeFirst();
			if (!row) return null;
			const evidence = evidenceFromItems(credential.evidence);
			return {
				revoked: Boolean(row.revoked_at),
				category: row.revocation_reason,
				evidenceMatches: evidence === null ? null : sha256Hex(canonicalJson(evidence)) === row.evidence_hash
			};
		}
	};
}

export async function verifyWithRecords(ctx: AppContext, input: unknown): Promise<Verdict> {
	return verifyCredential(input, verifierEnv(ctx));
}
