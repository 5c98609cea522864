import { sql, type Kysely } from 'kysely';
import { isPostgres } from './0001_foundation';

/**
 * PostgreSQL: a write's audit row joins the chain at COMMIT (ADR 005 amendment "at commit").
 *
 * The chain's advisory lock is transaction-scoped: taken by the append, released when the transaction ends. A write
 * appended inside its transaction, then the app sent COMMIT in a separate round trip, so the lock that serialises
 * every appender on every server stayed held across a network round trip and the app's event-loop delay, plus the
 * commit's WAL flush — under load, milliseconds per write during which every case page, list and save waited.
 *
 * Now the write inserts its canonical tail into `audit_pending`, and a DEFERRABLE INITIALLY DEFERRED constraint
 * trigger appends it with `sexto_audit_append` while the transaction commits: the lock is held only for the append
 * and the flush. Same function, same hash, same order (deferred events fire in insertion order; transactions in
 * commit order). A rollback discards the pending row and nothing reaches the chain. The pending row is deleted by the
 * same trigger, so `audit_pending` is always empty outside a running transaction. Standalone appends (reads,
 * refusals) are their own transaction and keep calling the function directly.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	if (!isPostgres(db)) return;
	await sql`create table audit_pending (id bigint generated always as identity primary key, tail text not null)`.execute(db);
	await sql`create function sexto_audit_flush() returns trigger language plpgsql volatile as $$
		begin
			perform sexto_audit_append(new.tail);
			delete from audit_pending where id = new.id;
			return null;
		end $$`.execute(db);
	await sql`create constraint trigger audit_pending_at_commit after insert on audit_pending
		deferrable initially deferred for each row execute function sexto_audit_flush()`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	if (!isPostgres(db)) return;
	await sql`drop table if exists audit_pending`.execute(db);
	await sql`drop function if exists sexto_audit_flush()`.execute(db);
}
