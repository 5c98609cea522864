import { createHash } from 'node:crypto';

/** The genesis "previous hash" of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedContent {
	seq: number;
	at: string;
	actor_id: string | null;
	action: string;
	target_type: string | null;
	target_id: string | null;
	outcome: string;
	ip: string | null;
	details: string;
}

/**
 * The canonical content without its sequence number: `JSON.stringify([seq, …rest])` is exactly
 * `"[" + seq + "," + canonicalTail(row)` (no whitespace, an integer prints the same in JSON and in SQL).
 * PostgreSQL's `sexto_audit_append` receives this tail and prepends the `seq` it allocates (migration 0010).
 */
export function canonicalTail(row: Omit<ChainedContent, 'seq'>): string {
	return JSON.stringify([row.at, row.actor_id, row.action, row.target_type, row.target_id, row.outcome, row.ip, row.details]).slice(1);
}

/** hash = SHA-256(prev_hash ‖ "\n" ‖ canonical content). The field order is fixed here, not by the database. */
export function rowHash(prevHash: string, row: ChainedContent): string {
	const canonical = `[${row.seq},${canonicalTail(row)}`;
	return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

export type ChainVerdict = { ok: true; rows: number } | { ok: false; rows: number; brokenSeq: number; reason: string };

/** Walks rows in seq order; pure so it can be unit-tested and fed in batches. */
export class ChainVerifier {
	private prevHash = GENESIS_HASH;
	private expectedSeq = 1;
	private count = 0;
	private failure: { brokenSeq: number; reason: string } | null = null;

	push(row: ChainedContent & { prev_hash: string; hash: string }): boolean {
		if (this.failure) return false;
		this.count++;
		if (row.seq !== this.expectedSeq) {
			this.failure = { brokenSeq: row.seq, reason: `expected sequence ${this.expectedSeq} (row missing)` };
		} else if (row.prev_hash !== this.prevHash) {
			this.failure = { brokenSeq: row.seq, reason: 'previous-hash link does not match' };
		} else if (rowHash(row.prev_hash, row) !== row.hash) {
			this.failure = { brokenSeq: row.seq, reason: 'content does not match its hash' };
		}
		this.prevHash = row.hash;
		this.expectedSeq = row.seq + 1;
		return this.failure === null;
	}

	result(): ChainVerdict {
		return this.failure ? { ok: false, rows: this.count, ...this.failure } : { ok: true, rows: this.count };
	}
}
