import { describe, expect, it } from 'vitest';
import { sql } from '../sql';
import { seedCustomer, seedReading } from './seed';
import { upgradeTo } from './upgrade';

describe('migration 0003_readings', () => {
  it('upgrades a station with customers; readings are insert-only and a correction supersedes', () => {
    const { store, cleanup } = upgradeTo(3, seedCustomer);
    try {
      expect(store.read.value(sql`SELECT account_no FROM customers WHERE id = 'c1'`)).toBe('GD010000001');
      seedReading(store);
      expect(() => store.write((tx) => tx.run(sql`UPDATE readings SET value = 1`))).toThrow(/facts/);
      expect(() => store.write((tx) => tx.run(sql`DELETE FROM readings`))).toThrow(/facts/);
      expect(store.read.column(sql`SELECT id FROM billable_readings`)).toEqual(['r1']);
      store.write((tx) =>
        tx.run(sql`INSERT INTO readings (id, station_id, period, point_id, meter_id, reading_date, kind, value, previous_value, consumption, needs_review, flags, supersedes, reason, source, entered_by, entered_at)
                   VALUES ('r2', 'st', '2026-10', 'p1', 'm1', '2026-10-06', 'actual', 150000, 0, 150000, 1, '[{"code":"high"}]', 'r1', '抄错', 'keyboard', 's1', 2)`),
      );
      // The correction is in force but flagged: nothing is billable until a reviewer accepts it.
      expect(store.read.column(sql`SELECT id FROM current_readings`)).toEqual(['r2']);
      expect(store.read.column(sql`SELECT id FROM billable_readings`)).toEqual([]);
      store.write((tx) =>
        tx.run(sql`INSERT INTO reading_reviews (id, reading_id, decision, reviewed_by, reviewed_at) VALUES ('v1', 'r2', 'accept', 's1', 3)`),
      );
      expect(store.read.column(sql`SELECT id FROM billable_readings`)).toEqual(['r2']);
      // One first reading per (period, point): a second one must name what it corrects.
      const secondFirst = () =>
        store.write((tx) =>
          tx.run(sql`INSERT INTO readings (id, station_id, period, point_id, meter_id, reading_date, kind, value, source, entered_at)
                     VALUES ('r3', 'st', '2026-10', 'p1', 'm1', '2026-10-07', 'actual', 1, 'keyboard', 4)`),
        );
      expect(secondFirst).toThrow(/UNIQUE/);
      // Reading policies are versioned, never edited.
      store.write((tx) => tx.run(sql`INSERT INTO reading_policies (effective_from, definition, imported_at) VALUES ('2026-01-01', '{"highPercent":400}', 1)`));
      expect(() => store.write((tx) => tx.run(sql`UPDATE reading_policies SET definition = '{}'`))).toThrow(/versioned/);
    } finally {
      cleanup();
    }
  });
});
