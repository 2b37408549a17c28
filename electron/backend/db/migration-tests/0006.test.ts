import { describe, expect, it } from 'vitest';
import { billsOfCustomer } from '../../billing/byCustomer';
import { sql } from '../sql';
import { seedCustomer, seedReading } from './seed';
import { upgradeTo } from './upgrade';

const insertBill = (id: string, no: string, period: string) =>
  sql`INSERT INTO bills (id, station_id, bill_no, customer_id, period, tariff_code, tariff_effective_from, kwh, total_fen, created_at, created_by)
      VALUES (${id}, 'st', ${no}, 'c1', ${period}, 'RES-GD', '2026-01-01', 12000, 7186, 1, 's1')`;

describe('migration 0006_bills_by_period', () => {
  it('indexes bills by period first and lists the periods that have bills', () => {
    const { store, cleanup } = upgradeTo(6, (s) => {
      seedCustomer(s);
      seedReading(s);
      s.write((tx) => {
        tx.run(insertBill('bl1', 'GD01-B-000001', '2026-09'));
        tx.run(insertBill('bl2', 'GD01-B-000002', '2026-10'));
      });
    });
    try {
      const indexes = store.read.column<string>(sql`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'bills' AND sql IS NOT NULL ORDER BY name`);
      expect(indexes).toContain('bills_period_customer');
      expect(indexes).not.toContain('bills_customer');
      // The periods of the bills made before the upgrade (later bills list theirs as they are written: writeStaged).
      expect(store.read.column<string>(sql`SELECT period FROM bill_periods ORDER BY period`)).toEqual(['2026-09', '2026-10']);

      // A customer's bills: every one of them, found through the index, not by reading all bills.
      const ofCustomer = sql`SELECT b.id FROM bills b WHERE ${billsOfCustomer('c1')} ORDER BY b.period`;
      expect(store.read.column<string>(ofCustomer)).toEqual(['bl1', 'bl2']);
      const plan = store.read
        .all<{ detail: string }>(sql`EXPLAIN QUERY PLAN ${ofCustomer}`)
        .map((r) => r.detail)
        .join(' | ');
      expect(plan).toMatch(/SEARCH b USING INDEX bills_period_customer \(period=\? AND customer_id=\?\)/);
      expect(plan).not.toMatch(/SCAN b\b/);

      expect(() => store.write((tx) => tx.run(sql`DELETE FROM bill_periods`))).toThrow(/bill periods/);
      expect(() => store.write((tx) => tx.run(sql`UPDATE bill_periods SET period = '2027-01'`))).toThrow(/bill periods/);
    } finally {
      cleanup();
    }
  });
});
