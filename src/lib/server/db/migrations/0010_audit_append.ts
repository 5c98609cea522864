import { sql, type Kysely } from 'kysely';
import { isPostgres } from './0001_foundation';

/**
 * PostgreSQL: one audit append in one round trip (ADR 005). `sexto_audit_append(tail)` takes the advisory lock
 * that serialises appenders (the same key as before: 0x5e7701), reads the previous row, allocates `seq`, hashes
 * and inserts — before, that was three statements inside the caller's transaction, plus BEGIN and COMMIT for a
 * read's own transaction.
 *
 * `tail` is the canonical content without its sequence number, built by `canonicalTail()` in audit/chain.ts
 * (the JSON array `[at, actor_id, action, target_type, target_id, outcome, ip, details]` minus its "["). The
 * function hashes exactly `prev_hash ‖ "\n" ‖ "[" ‖ seq ‖ "," ‖ tail` — what `rowHash()` hashes — and stores the
 * columns it reads back from that same text, so what is stored is what was hashed.
 *
 * Each statement of a VOLATILE PL/pgSQL function takes a new snapshot under READ COMMITTED: the read of the
 * previous row runs after the lock is held and sees the last committed append (no fork). SQLite keeps appending
 * from the application (one connection per process already serialises it).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	if (!isPostgres(db)) return;
	await sql`create function sexto_audit_append(tail text) returns bigint language plpgsql volatile as $$
		declare
			content json := ('[0,' || tail)::json;
			next_seq bigint;
			prev text;
		begin
			perform pg_advisory_xact_lock(6190849);
			select seq, hash into next_seq, prev from audit_log order by seq desc limit 1;
			next_seq := coalesce(next_seq, 0) + 1;
			prev := coalesce(prev, repeat('0', 64));
			insert into audit_log (seq, at, actor_id, action, target_type, target_id, outcome, ip, details, prev_hash, hash)
			values (
				next_seq, content->>1, content->>2, content->>3, content->>4, content->>5, content->>6, content->>7, content->>8,
				prev, encode(sha256(convert_to(prev || E'\\n[' || next_seq::text || ',' || tail, 'UTF8')), 'hex')
			);
			return next_seq;
		end $$`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	if (isPostgres(db)) await sql`drop function if exists sexto_audit_append(text)`.execute(db);
}
