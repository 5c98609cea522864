/**
 * Member profiles: opt-in, addressed by an opaque random id (never the user id).
 *
 *   myProfile(ctx, actor)                                        → the signed-in person's settings and attestations
 *   saveProfile(ctx, actor, { isPublic, showSchool, displayName }, meta) → ok | invalid (field errors)
 *   publicProfile(ctx, publicId)                                 → PublicProfile | null (null = 404: unknown or not public)
 *
 * The first save creates the profile with a fresh 128-bit id (base64url). Saves are audited in the same
 * transaction (`attestation.profile_changed`: flags only, never the name). A public profile lists the holder's
 * public, unrevoked proof pages; the school is the person's current school (first school membership), only when
 * they chose to show it.
 */
import { randomBytes } from 'node:crypto';
import type { AppContext, RequestMeta } from '../context';
import { authorize, type Actor } from '../policy';
import { appendAudit } from '../audit/log';
import type { AwardLevel } from '../db/schema';
import type { FieldErrors } from '../../forms';
import { forgetAllProofPages } from './proof';
import type { VerificationStatus } from '../../domain/credentials/status';
import { awardStatus } from './badge-classes';

export const PROFILE_ID = /^[A-Za-z0-9_-]{22}$/;
export const DISPLAY_NAME_MAX = 120;

/** 16 random bytes as base64url (22 characters): unguessable and not derived from anything. */
export function newProfileId(): string {
	return randomBytes(16).toString('base64url');
}

export interface OwnAttestation {
	id: string;
	level: AwardLevel;
	/** the verification status, by the same rule as the proof page (valid, revoked, expired, pending) */
	status: VerificationStatus;
	awardedAt: string;
	isPublic: boolean;
}

export interface MyProfile {
	exists: boolean;
	publicId: string | null;
	isPublic: boolean;
	showSchool: boolean;
	/** the custom public name, or null (the account's name is used) */
	displayName: string | null;
	accountName: string;
	schoolName: string | null;
	attestations: OwnAttestation[];
}

async function currentSchoolName(ctx: AppContext, userId: string): Promise<string | null> {
	const row = await ctx.db
		.selectFrom('memberships as m')
		.innerJoin('schools as s', 's.id', 'm.scope_id')
		.select('s.name')
		.where('m.user_id', '=', userId)
		.where('m.scope_type', '=', 'school')
		.orderBy('m.created_at', 'asc')
		.limit(1)
		.executeTakeFirst();
	return row?.name ?? null;
}

export async function myProfile(ctx: AppContext, actor: Actor): Promise<MyProfile> {
	authorize(actor, 'profile:manage', null);
	const [user, profile, awards, schoolName] = await Promise.all([
		ctx.db.selectFrom('users').select('display_name').where('id', '=', actor.userId).executeTakeFirstOrThrow(),
		ctx.db.selectFrom('member_profiles').selectAll().where('user_id', '=', actor.userId).executeTakeFirst(),
		ctx.db
			.selectFrom('training_awards as a')
			.leftJoin('attestation_settings as s', 's.award_id', 'a.id')
			.leftJoin('credentials as c', (j) => j.onRef('c.award_id', '=', 'a.id').on('c.superseded_at', 'is', null))
			.select(['a.id', 'a.level', 'a.status', 'a.pending_reason', 'a.awarded_at', 'a.revoked_at', 'a.revocation_reason', 's.is_public', 'c.id as credential_id', 'c.valid_until'])
			.where('a.user_id', '=', actor.userId)
			.orderBy('a.awarded_at', 'desc')
			.execute(),
		currentSchoolName(ctx, actor.userId)
	]);
	const now = ctx.now();
	return {
		exists: !!profile,
		publicId: profile?.public_id ?? null,
		isPublic: Number(profile?.is_public ?? 0) === 1,
		showSchool: Number(profile?.show_school ?? 0) === 1,
		displayName: profile?.display_name ?? null,
		accountName: user.display_name,
		schoolName,
		attestations: awards.map((a) => ({
			id: a.id,
			level: a.level,
			status: awardStatus({ ...a, credential: a.credential_id ? { validUntil: a.valid_until } : null }, now),
			awardedAt: a.awarded_at,
			isPublic: Number(a.is_public ?? 0) === 1
		}))
	};
}

export interface ProfileInput {
	isPublic: boolean;
	showSchool: boolean;
	/** '' or null = use the account's name */
	displayName: string | null;
}

export type SaveProfileResult = { ok: true; publicId: string } | { ok: false; reason: 'invalid'; errors: FieldErrors };

export async function saveProfile(ctx: AppContext, actor: Actor, input: ProfileInput, meta: RequestMeta): Promise<SaveProfileResult> {
	authorize(actor, 'profile:manage', null);
	const name = input.displayName?.replace(/\s+/g, ' ').trim() ?? '';
	if (name.length > DISPLAY_NAME_MAX) return { ok: false, reason: 'invalid', errors: { displayName: { key: 'form.error.too_long', params: { max: DISPLAY_NAME_MAX } } } };
	const now = ctx.now();
	const at = now.toISOString();
	const values = { is_public: input.isPublic ? 1 : 0, show_school: input.showSchool ? 1 : 0, display_name: name || null, updated_at: at };
	const publicId = await ctx.db.transaction().execute(async (trx) => {
		const existing = await trx.selectFrom('member_profiles').select(['public_id', 'is_public']).where('user_id', '=', actor.userId).executeTakeFirst();
		const id = existing?.public_id ?? newProfileId();
		await trx
			.insertInto('member_profiles')
			.values({ user_id: actor.userId, public_id: id, created_at: at, ...values })
			.onConflict((oc) => oc.column('user_id').doUpdateSet(values))
			.execute();
		await appendAudit(
			trx,
			{
				actorId: actor.userId,
				action: 'attestation.profile_changed',
				targetType: 'user',
				targetId: actor.userId,
				outcome: 'success',
				ip: meta.ip,
				details: { isPublic: input.isPublic, wasPublic: Number(existing?.is_public ?? 0) === 1, showSchool: input.showSchool, customName: !!name, created: !existing }
			},
			now
		);
		return id;
	});
	forgetAllProofPages(ctx);
	return { ok: true, publicId };
}

export interface PublicProfile {
	publicId: string;
	name: string;
	schoolName: string | null;
	badges: { id: string; level: AwardLevel; awardedAt: string; status: VerificationStatus }[];
}

export async function publicProfile(ctx: AppContext, publicId: string): Promise<PublicProfile | null> {
	if (!PROFILE_ID.test(publicId)) return null;
	const row = await ctx.db
		.selectFrom('member_profiles as p')
		.innerJoin('users as u', 'u.id', 'p.user_id')
		.select(['p.user_id', 'p.public_id', 'p.is_public', 'p.show_school', 'p.display_name', 'u.display_name as account_name'])
		.where('p.public_id', '=', publicId)
		.executeTakeFirst();
	if (!row || Number(row.is_public) !== 1) return null;
	const [awards, schoolName] = await Promise.all([
		ctx.db
			.selectFrom('training_awards as a')
			.innerJoin('attestation_settings as s', 's.award_id', 'a.id')
			.leftJoin('credentials as c', (j) => j.onRef('c.award_id', '=', 'a.id').on('c.superseded_at', 'is', null))
			.select(['a.id', 'a.level', 'a.status', 'a.pending_reason', 'a.awarded_at', 'a.revoked_at', 'a.revocation_reason', 'c.id as credential_id', 'c.valid_until'])
			.where('a.user_id', '=', row.user_id)
			.where('s.is_public', '=', 1)
			.where('a.revoked_at', 'is', null)
			.orderBy('a.awarded_at', 'desc')
			.execute(),
		Number(row.show_school) === 1 ? currentSchoolName(ctx, row.user_id) : Promise.resolve(null)
	]);
	const now = ctx.now();
	return {
		publicId: row.public_id,
		name: row.display_name?.trim() || row.account_name,
		schoolName,
		badges: awards.map((a) => ({ id: a.id, level: a.level, awardedAt: a.awarded_at, status: awardStatus({ ...a, credential: a.credential_id ? { validUntil: a.valid_until } : null }, now) }))
	};
}
