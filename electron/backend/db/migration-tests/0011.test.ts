import { describe, expect, it } from 'vitest';
import { sql } from '../sql';
import { seedCustomer } from './seed';
import { upgradeTo } from './upgrade';

const STATION = 'st';
const CUSTOMER = 'c1';
const insertBill = (id: string, no: string, runId: string | null) =>
  sql`INSERT INTO bills (id, station_id, bill_no, customer_id, period, tariff_code, tariff_effective_from, kwh, total_fen, created_at, run_id)
      VALUES (${id}, ${STATION}, ${no}, ${CUSTOMER}, '2026-10', 'RES-GD', '2026-01-01', 10000, 5000, 1, ${runId})`;

describe('migration 0011_billing_run_slices', () => {
  it('keeps every bill of the previous build in `bills`, hides the bills of a run still writing, and keeps bills insert-only', () => {
    const { store, cleanup } = upgradeTo(11, (previous) => {
      seedCustomer(previous);
      previous.write((tx) => {
        tx.run(insertBill('01900000-0000-7000-8000-0000000000b1', 'QS01-B-00000001', null));
      });
    });
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(11);
      const db = store.read;
      expect(db.column(sql`SELECT bill_no FROM bills_in_force`)).toEqual(['QS01-B-00000001']);
      // A run still writing: its bill is stored but not seen.
      store.write((tx) => {
        tx.run(sql`INSERT INTO billing_runs_open (run_id, station_id, period, started_at, heartbeat_at) VALUES ('run-1', ${STATION}, '2026-10', 1, 1)`);
        tx.run(insertBill('01900000-0000-7000-8000-0000000000b2', 'QS01-B-00000002', 'run-1'));
      });
      expect(db.value(sql`SELECT count(*) FROM bill_rows`)).toBe(2);
      expect(db.column(sql`SELECT bill_no FROM bills`)).toEqual(['QS01-B-00000001']);
      expect(db.value(sql`SELECT kind FROM bill_rows WHERE bill_no = 'QS01-B-00000002'`)).toBe('regular'); // defaults through the view
      store.write((tx) => tx.run(sql`DELETE FROM billing_runs_open WHERE run_id = 'run-1'`));
      expect(db.column(sql`SELECT bill_no FROM bills_in_force ORDER BY bill_no`)).toEqual(['QS01-B-00000001', 'QS01-B-00000002']);
      for (const statement of [sql`UPDATE bills SET total_fen = 1`, sql`DELETE FROM bills`, sql`UPDATE bill_rows SET total_fen = 1`, sql`DELETE FROM bill_rows`]) {
        expect(() => store.write((tx) => tx.run(statement))).toThrow(/facts/);
      }
      // What referred to bills refers to the stored rows: a line of a bill that does not exist is refused.
      expect(() => store.write((tx) => tx.run(sql`INSERT INTO bill_readings (bill_id, reading_id) VALUES ('no-such-bill', 'r')`))).toThrow(/FOREIGN KEY/);
    } finally {
      cleanup();
    }
  });
});
