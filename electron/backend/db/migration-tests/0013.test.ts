import { describe, expect, it } from 'vitest';
import { sql } from '../sql';
import { seedCustomer, seedReading } from './seed';
import { upgradeTo } from './upgrade';

describe('migration 0013_job_staging', () => {
  it('upgrades a station with a period: its due list is untouched, and staged rows and open jobs can be written and cleared', () => {
    const { store, cleanup } = upgradeTo(13, (previous) => {
      seedCustomer(previous);
      seedReading(previous);
    });
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(13);
      const db = store.read;
      expect(db.all(sql`SELECT period, point_id, previous_reading FROM reading_due`)).toEqual([{ period: '2026-10', point_id: 'p1', previous_reading: 0 }]);
      expect(db.get(sql`SELECT (SELECT count(*) FROM reading_due_staged) AS staged, (SELECT count(*) FROM period_opens_open) AS opens,
                               (SELECT count(*) FROM customer_imports_open) AS imports, (SELECT count(*) FROM customer_import_rows) AS filed`)).toEqual({ staged: 0, opens: 0, imports: 0, filed: 0 });
      // A period not opened yet can be staged (no period row to refer to), then cleared.
      store.write((tx) => {
        tx.run(sql`INSERT INTO period_opens_open (period, opened_by, started_at, heartbeat_at) VALUES ('2026-11', 's1', 1, 1)`);
        tx.run(sql`INSERT INTO reading_due_staged (period, point_id, book_id, seq, meter_id, previous_reading) VALUES ('2026-11', 'p1', 'b1', 1, 'm1', 12000)`);
      });
      expect(db.value(sql`SELECT count(*) FROM reading_due WHERE period = '2026-11'`)).toBe(0);
      store.write((tx) => {
        tx.run(sql`DELETE FROM reading_due_staged WHERE period = '2026-11'`);
        tx.run(sql`DELETE FROM period_opens_open WHERE period = '2026-11'`);
      });
      expect(db.value(sql`SELECT count(*) FROM reading_due_staged`)).toBe(0);
      // An import's filed rows name real customers.
      store.write((tx) => tx.run(sql`INSERT INTO customer_import_rows (import_id, first_row, customer_id) VALUES ('imp', 2, 'c1')`));
      expect(() => store.write((tx) => tx.run(sql`INSERT INTO customer_import_rows (import_id, first_row, customer_id) VALUES ('imp', 3, 'nobody')`))).toThrow(/FOREIGN KEY/);
    } finally {
      cleanup();
    }
  });
});
