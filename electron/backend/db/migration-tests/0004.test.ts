import { describe, expect, it } from 'vitest';
import { sql } from '../sql';
import { seedCustomer, seedReading } from './seed';
import { upgradeTo } from './upgrade';

describe('migration 0004_billing', () => {
  it('upgrades a station with readings; bills, lines and ledger entries are insert-only', () => {
    const { store, cleanup } = upgradeTo(4, (s) => {
      seedCustomer(s);
      seedReading(s);
    });
    try {
      expect(store.read.column(sql`SELECT id FROM billable_readings`)).toEqual(['r1']);
      store.write((tx) => {
        tx.run(sql`INSERT INTO bills (id, station_id, bill_no, customer_id, period, tariff_code, tariff_effective_from, kwh, total_fen, created_at, created_by)
                   VALUES ('bl1', 'st', 'GD01-B-000001', 'c1', '2026-10', 'RES-GD', '2026-01-01', 12000, 7186, 1, 's1')`);
        tx.run(sql`INSERT INTO bill_lines (bill_id, line_no, kind, label_key, tier, quantity, unit, unit_price, amount_fen)
                   VALUES ('bl1', 1, 'energy', 'tier1', 1, 12000, 'kWh', '0.59886875', 7186)`);
        tx.run(sql`INSERT INTO ledger_entries (id, station_id, customer_id, entry_type, amount_fen, bill_id, period, at)
                   VALUES ('l1', 'st', 'c1', 'bill', 7186, 'bl1', '2026-10', 1)`);
      });
      expect(() => store.write((tx) => tx.run(sql`DELETE FROM bills`))).toThrow(/facts/);
      expect(() => store.write((tx) => tx.run(sql`UPDATE bill_lines SET amount_fen = 0`))).toThrow(/facts/);
      expect(() => store.write((tx) => tx.run(sql`UPDATE ledger_entries SET amount_fen = 0`))).toThrow(/facts/);
      expect(store.read.value(sql`SELECT sum(amount_fen) FROM ledger_entries WHERE customer_id = 'c1'`)).toBe(7186);
    } finally {
      cleanup();
    }
  });

  it('keeps a voided draft out of issue and out of the bills in force; a correction replaces its original', () => {
    const { store, cleanup } = upgradeTo(4, (s) => {
      seedCustomer(s);
      seedReading(s);
    });
    try {
      const bill = (id: string, no: string, replaces: string | null) =>
        store.write((tx) =>
          tx.run(sql`INSERT INTO bills (id, station_id, bill_no, customer_id, period, kind, replaces_bill_id, tariff_code, tariff_effective_from, kwh, total_fen, created_at)
                     VALUES (${id}, 'st', ${no}, 'c1', '2026-10', ${replaces ? 'correction' : 'regular'}, ${replaces}, 'RES-GD', '2026-01-01', 12000, 7186, 1)`),
        );
      bill('draft', 'GD01-B-1', null);
      store.write((tx) => tx.run(sql`INSERT INTO bill_voids (bill_id, reason, voided_at) VALUES ('draft', '抄错', 2)`));
      expect(() => store.write((tx) => tx.run(sql`INSERT INTO bill_issues (bill_id, issued_at, due_date) VALUES ('draft', 3, '2026-11-20')`))).toThrow(/voided/);
      bill('b2', 'GD01-B-2', null);
      store.write((tx) => tx.run(sql`INSERT INTO bill_issues (bill_id, issued_at, due_date) VALUES ('b2', 3, '2026-11-20')`));
      expect(() => store.write((tx) => tx.run(sql`INSERT INTO bill_voids (bill_id, reason, voided_at) VALUES ('b2', 'x', 4)`))).toThrow(/issued/);
      expect(store.read.column(sql`SELECT id FROM bills_in_force`)).toEqual(['b2']);
      bill('b3', 'GD01-B-3', 'b2');
      expect(store.read.column(sql`SELECT id FROM bills_in_force`)).toEqual(['b3']);
      expect(() => store.write((tx) => tx.run(sql`DELETE FROM bill_voids`))).toThrow(/facts/);
      expect(() =>
        store.write((tx) =>
          tx.run(sql`INSERT INTO tariff_versions (code, effective_from, name, customer_class, definition, imported_at) VALUES ('X', '2026-01-01', 'x', 'residential', '{}', 1)`),
        ),
      ).not.toThrow();
      expect(() => store.write((tx) => tx.run(sql`UPDATE tariff_versions SET name = 'y'`))).toThrow(/reference data/);
    } finally {
      cleanup();
    }
  });
});
