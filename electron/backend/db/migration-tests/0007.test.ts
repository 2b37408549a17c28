import { describe, expect, it } from 'vitest';
import { sql } from '../sql';
import { seedCustomer } from './seed';
import { upgradeTo } from './upgrade';

const insertEntry = (id: string, type: string, amount: number, refId: string | null) =>
  sql`INSERT INTO ledger_entries (id, station_id, customer_id, entry_type, amount_fen, ref_id, at) VALUES (${id}, 'st', 'c1', ${type}, ${amount}, ${refId}, 1)`;

describe('migration 0007_ledger_by_ref', () => {
  it('indexes the ledger entries a payment caused, so check finds them by lookup, with the entries of the previous build', () => {
    const { store, cleanup } = upgradeTo(7, (s) => {
      seedCustomer(s);
      s.write((tx) => {
        tx.run(insertEntry('e1', 'payment', -5000, 'pay1'));
        tx.run(insertEntry('e2', 'penalty', 120, 'pay1'));
        tx.run(insertEntry('e3', 'payment', -800, 'pay2'));
        tx.run(insertEntry('e4', 'adjustment', 300, null));
      });
    });
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(7);
      const byRef = sql`SELECT coalesce(sum(l.amount_fen), 0) FROM ledger_entries l WHERE l.ref_id = ${'pay1'} AND l.entry_type = 'payment'`;
      expect(store.read.value<number>(byRef)).toBe(-5000);
      const plan = store.read
        .all<{ detail: string }>(sql`EXPLAIN QUERY PLAN ${byRef}`)
        .map((r) => r.detail)
        .join(' | ');
      expect(plan).toMatch(/SEARCH l USING COVERING INDEX ledger_ref \(ref_id=\? AND entry_type=\?\)/);
      // Entries without a cause are not in the (partial) index, and nothing else changed.
      expect(store.read.value<number>(sql`SELECT count(*) FROM ledger_entries INDEXED BY ledger_ref WHERE ref_id IS NOT NULL`)).toBe(3);
      expect(store.read.value<number>(sql`SELECT count(*) FROM ledger_entries`)).toBe(4);
    } finally {
      cleanup();
    }
  });
});
