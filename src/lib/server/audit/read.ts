import type { AppContext, RequestMeta } from '../context';
import { authorize, type Actor } from '../policy';
import { verifyAuditChain } from './log';
import type { ChainVerdict } from './chain';

export interface AuditRow {
	seq: number;
	at: string;
	action: string;
	outcome: string;
	actor: string | null;
	target: string | null;
}

/** The newest audit rows, for the privacy officer and the platform admin. */
export async function recentAudit(ctx: AppContext, actor: Actor | null, _meta: RequestMeta, limit = 50): Promise<AuditRow[]> {
	authorize(actor, 'audit:read', null);
	const rows = await ctx.db
		.selectFrom('audit_log')
		.leftJoin('users', 'users.id', 'audit_log.actor_id')
		.select(['audit_log.seq', 'audit_log.at', 'audit_log.action', 'audit_log.outcome', 'users.display_name', 'audit_log.target_type', 'audit_log.target_id'])
		.orderBy('audit_log.seq', 'desc')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		seq: Number(r.seq),
		at: r.at,
		action: r.action,
		outcome: r.outcome,
		actor: r.display_name,
		target: r.target_type ? `${r.target_type}:${(r.target_id ?? '').slice(0, 8)}` : null
	}));
}

export async function verifyChainFor(ctx: AppContext, actor: Actor | null): Promise<ChainVerdict> {
	authorize(actor, 'audit:read', null);
	return verifyAuditChain(ctx.db);
}
