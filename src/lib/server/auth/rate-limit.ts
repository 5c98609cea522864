import type { AppContext } from '../context';
import type { DbOrTrx } from '../db';
import { sha256Hex } from '../crypto/tokens';

/**
 * Login throttling stored in the database, so every app server behind the load balancer sees the
 * same counts. Failures count per account (since its last success) and per client IP, in a window.
 */
export function accountBucket(email: string): string {
	return 'account:' + sha256Hex(email);
}
export function ipBucket(ip: string | null): string | null {
	return ip ? 'ip:' + ip : null;
}

async function failuresSince(db: DbOrTrx, bucket: string, since: string): Promise<number> {
	const lastSuccess = await db
		.selectFrom('login_attempts')
		.select('at')
		.where('bucket', '=', bucket)
		.where('succeeded', '=', 1)
		.where('at', '>=', since)
		.orderBy('at', 'desc')
		.limit(1)
		.executeTakeFirst();
	const from = lastSuccess && lastSuccess.at > since ? lastSuccess.at : since;
	const row = await db
		.selectFrom('login_attempts')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('bucket', '=', bucket)
		.where('succeeded', '=', 0)
		.where('at', '>=', from)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function isThrottled(ctx: AppContext, email: string, ip: string | null): Promise<boolean> {
	const since = new Date(ctx.now().getTime() - ctx.config.LOGIN_WINDOW_MINUTES * 60_000).toISOString();
	if ((await failuresSince(ctx.db, accountBucket(email), since)) >= ctx.config.LOGIN_MAX_FAILURES_PER_ACCOUNT) return true;
	const ipKey = ipBucket(ip);
	return !!ipKey && (await failuresSince(ctx.db, ipKey, since)) >= ctx.config.LOGIN_MAX_FAILURES_PER_IP;
}

export async function recordAttempt(ctx: AppContext, email: string, ip: string | null, succeeded: boolean): Promise<void> {
	const at = ctx.now().toISOString();
	const rows = [{ bucket: accountBucket(email), at, succeeded: succeeded ? 1 : 0 }];
	const ipKey = ipBucket(ip);
	// A success clears the account's count but not the IP's: one good password must not unlock guessing on others.
	if (ipKey && !succeeded) rows.push({ bucket: ipKey, at, succeeded: 0 });
	await ctx.db.insertInto('login_attempts').values(rows).execute();
}

/** Housekeeping: attempts older than a day carry no information any more. */
export async function purgeOldAttempts(ctx: AppContext): Promise<void> {
	const cutoff = new Date(ctx.now().getTime() - 24 * 3600_000).toISOString();
	await ctx.db.deleteFrom('login_attempts').where('at', '<', cutoff).execute();
}
