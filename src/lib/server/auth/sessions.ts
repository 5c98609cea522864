import type { AppContext } from '../context';
import type { Grant, Place } from '../policy';
import type { CompiledQuery } from 'kysely';
import { executeRead, type DB, type DbOrTrx } from '../db';
import { precompiled } from '../db/precompiled';
import { newToken, sha256Hex } from '../crypto/tokens';

export const SESSION_COOKIE = 'sexto_session';

export interface SessionUser {
	id: string;
	email: string;
	displayName: string;
	locale: 'fr' | 'en';
}

/** Creates a session row and returns the cookie token (only its hash is stored). */
export async function createSession(ctx: AppContext, db: DbOrTrx, userId: string): Promise<{ token: string; expiresAt: Date }> {
	const token = newToken();
	const now = ctx.now();
	const expiresAt = new Date(now.getTime() + ctx.config.SESSION_TTL_HOURS * 3600_000);
	await db
		.insertInto('sessions')
		.values({
			id: sha256Hex(token),
			user_id: userId,
			created_at: now.toISOString(),
			expires_at: expiresAt.toISOString(),
			last_seen_at: now.toISOString()
		})
		.execute();
	return { token, expiresAt };
}

/**
 * Looks the session up by token hash. Expired sessions and disabled users count as signed out.
 * Sliding expiry: past half its life, a session is extended (one write per half-life, not per request).
 */
export async function validateSession(
	ctx: AppContext,
	token: string
): Promise<{ user: SessionUser; grants: Grant[]; schoolPlaces: Map<string, Place>; sessionId: string; expiresAt: Date; renewed: boolean } | null> {
	if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
	const id = sha256Hex(token);
	// One round trip for the session, its user, the user's grants and the place of each school grant (every
	// signed-in request pays it; the kit reads the places from here instead of a query of its own).
	const rows = await executeRead<SessionRow>(ctx.db, sessionQuery(ctx.db, id));
	const row = rows[0];
	if (!row) return null;
	const grants: Grant[] = rows.flatMap((r) => (r.role && r.scope_type ? [{ role: r.role, scopeType: r.scope_type, scopeId: r.scope_id }] : []));
	const schoolPlaces = new Map<string, Place>();
	for (const r of rows) {
		if (r.scope_type === 'school' && r.scope_id && r.school_police_service_id) schoolPlaces.set(r.scope_id, { schoolId: r.scope_id, policeServiceId: r.school_police_service_id, territoryId: r.school_territory_id });
	}
	const now = ctx.now();
	let expiresAt = new Date(row.expires_at);
	if (expiresAt <= now || row.disabled_at) {
		await ctx.db.deleteFrom('sessions').where('id', '=', id).execute();
		return null;
	}
	const ttl = ctx.config.SESSION_TTL_HOURS * 3600_000;
	const renewed = expiresAt.getTime() - now.getTime() < ttl / 2;
	if (renewed) {
		expiresAt = new Date(now.getTime() + ttl);
		await ctx.db
			.updateTable('sessions')
			.set({ expires_at: expiresAt.toISOString(), last_seen_at: now.toISOString() })
			.where('id', '=', id)
			.execute();
	}
	return {
		sessionId: id,
		expiresAt,
		renewed,
		grants,
		schoolPlaces,
		user: { id: row.id, email: row.email, displayName: row.display_name, locale: row.locale }
	};
}

function buildSessionQuery(db: DB, id: string) {
	return db
		.selectFrom('sessions')
		.innerJoin('users', 'users.id', 'sessions.user_id')
		.leftJoin('memberships', 'memberships.user_id', 'users.id')
		.leftJoin('schools as grant_school', (join) => join.on('memberships.scope_type', '=', 'school').onRef('grant_school.id', '=', 'memberships.scope_id'))
		.leftJoin('police_services as grant_police', 'grant_police.id', 'grant_school.police_service_id')
		.select([
			'grant_school.police_service_id as school_police_service_id',
			'grant_police.territory_id as school_territory_id',
			'sessions.id as sid',
			'sessions.expires_at',
			'users.id',
			'users.email',
			'users.display_name',
			'users.locale',
			'users.disabled_at',
			'memberships.role',
			'memberships.scope_type',
			'memberships.scope_id'
		])
		.where('sessions.id', '=', id);
}

/**
 * The session query runs on every signed-in request: built and compiled to SQL once per database handle, then
 * executed with this request's token hash as its only parameter (a named prepared statement on PostgreSQL).
 */
const sessionQuery = precompiled(1, buildSessionQuery);
type SessionRow = ReturnType<typeof sessionQuery> extends CompiledQuery<infer R> ? R : never;

export async function deleteSession(db: DbOrTrx, token: string): Promise<string | null> {
	const id = sha256Hex(token);
	const row = await db.deleteFrom('sessions').where('id', '=', id).returning('user_id').executeTakeFirst();
	return row?.user_id ?? null;
}

export async function deleteUserSessions(db: DbOrTrx, userId: string): Promise<void> {
	await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}
