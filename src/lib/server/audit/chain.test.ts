import { describe, expect, it } from 'vitest';
import { ChainVerifier, GENESIS_HASH, rowHash, type ChainedContent } from './chain';

type Row = ChainedContent & { prev_hash: string; hash: string };

/** A correctly chained log of `n` rows, as appendAudit writes it. */
function chain(n: number): Row[] {
	const rows: Row[] = [];
	let prev = GENESIS_HASH;
	for (let seq = 1; seq <= n; seq++) {
		const content: ChainedContent = {
			seq,
			at: new Date(Date.UTC(2026, 2, 2, 14, 0, seq)).toISOString(),
			actor_id: seq % 3 === 0 ? null : `user-${seq % 4}`,
			action: seq % 2 ? 'auth.login' : 'auth.login_failed',
			target_type: 'user',
			target_id: `user-${seq % 4}`,
			outcome: seq % 2 ? 'success' : 'failure',
			ip: seq % 5 === 0 ? null : '203.0.113.7',
			details: JSON.stringify({ n: seq })
		};
		const hash = rowHash(prev, content);
		rows.push({ ...content, prev_hash: prev, hash });
		prev = hash;
	}
	return rows;
}

function verify(rows: Row[]) {
	const v = new ChainVerifier();
	for (const r of rows) v.push(r);
	return v.result();
}

describe('rowHash', () => {
	it('is a SHA-256 hex digest that depends on the previous hash and on every field', () => {
		const [row] = chain(1);
		const base = rowHash(GENESIS_HASH, row!);
		expect(base).toMatch(/^[0-9a-f]{64}$/);
		expect(rowHash('f'.repeat(64), row!)).not.toBe(base);
		for (const field of ['seq', 'at', 'actor_id', 'action', 'target_type', 'target_id', 'outcome', 'ip', 'details'] as const) {
			const changed = { ...row!, [field]: field === 'seq' ? 2 : 'changed' };
			expect(rowHash(GENESIS_HASH, changed), field).not.toBe(base);
		}
	});

	it('tells null from the string "null" and keeps field boundaries', () => {
		const [row] = chain(1);
		expect(rowHash(GENESIS_HASH, { ...row!, ip: null })).not.toBe(rowHash(GENESIS_HASH, { ...row!, ip: 'null' }));
		// moving text from one field to the next changes the hash
		expect(rowHash(GENESIS_HASH, { ...row!, target_type: 'ab', target_id: 'c' })).not.toBe(
			rowHash(GENESIS_HASH, { ...row!, target_type: 'a', target_id: 'bc' })
		);
	});
});

describe('ChainVerifier', () => {
	it('accepts a good chain and counts its rows', () => {
		expect(verify(chain(50))).toEqual({ ok: true, rows: 50 });
	});

	it('accepts an empty log', () => {
		expect(verify([])).toEqual({ ok: true, rows: 0 });
	});

	it('starts from the genesis hash: a first row linked to anything else is refused', () => {
		const rows = chain(3);
		const forged = { ...rows[0]!, prev_hash: 'a'.repeat(64) };
		forged.hash = rowHash(forged.prev_hash, forged);
		expect(verify([forged, ...rows.slice(1)])).toMatchObject({ ok: false, brokenSeq: 1, reason: 'previous-hash link does not match' });
	});

	it.each(['at', 'actor_id', 'action', 'target_type', 'target_id', 'outcome', 'ip', 'details'] as const)(
		'detects a changed %s field at that row',
		(field) => {
			const rows = chain(10);
			rows[6] = { ...rows[6]!, [field]: 'tampered' };
			expect(verify(rows)).toMatchObject({ ok: false, brokenSeq: 7, reason: 'content does not match its hash' });
		}
	);

	it('detects a row whose hash was recomputed after a change: the next row no longer links', () => {
		const rows = chain(10);
		const changed = { ...rows[3]!, outcome: 'success', details: '{"n":999}' };
		changed.hash = rowHash(changed.prev_hash, changed);
		rows[3] = changed;
		expect(verify(rows)).toMatchObject({ ok: false, brokenSeq: 5, reason: 'previous-hash link does not match' });
	});

	it('detects a deleted row (gap in the sequence) at the row after the gap', () => {
		const rows = chain(10);
		rows.splice(4, 1); // seq 5 removed
		const verdict = verify(rows);
		expect(verdict).toMatchObject({ ok: false, brokenSeq: 6 });
		expect(verdict.ok === false && verdict.reason).toContain('expected sequence 5');
	});

	it('detects a wrong prev_hash', () => {
		const rows = chain(10);
		rows[8] = { ...rows[8]!, prev_hash: rows[6]!.hash };
		expect(verify(rows)).toMatchObject({ ok: false, brokenSeq: 9, reason: 'previous-hash link does not match' });
	});

	it('detects a duplicated row and rows out of order', () => {
		const rows = chain(6);
		expect(verify([...rows.slice(0, 3), rows[2]!, ...rows.slice(3)])).toMatchObject({ ok: false, brokenSeq: 3 });
		expect(verify([rows[0]!, rows[2]!, rows[1]!, ...rows.slice(3)])).toMatchObject({ ok: false, brokenSeq: 3 });
	});

	it('reports the first broken row, even when later rows are broken too', () => {
		const rows = chain(20);
		rows[4] = { ...rows[4]!, details: '{"x":1}' };
		rows[14] = { ...rows[14]!, details: '{"x":2}' };
		rows.splice(17, 1);
		const v = new ChainVerifier();
		const accepted = rows.map((r) => v.push(r));
		expect(v.result()).toMatchObject({ ok: false, brokenSeq: 5 });
		// push() reports the failure at the broken row and stays false afterwards
		expect(accepted.slice(0, 4).every(Boolean)).toBe(true);
		expect(accepted.slice(4).some(Boolean)).toBe(false);
	});
});
