import { describe, expect, it } from 'vitest';
import { sql } from '../sql';
import { seedCustomer, seedReading } from './seed';
import { upgradeTo } from './upgrade';

describe('migration 0005_collection', () => {
  it('upgrades a billed station; payments, settlements, reversals and closings are insert-only', () => {
    const { store, cleanup } = upgradeTo(5, (s) => {
      seedCustomer(s);
      seedReading(s);
      s.write((tx) => {
        tx.run(sql`INSERT INTO bills (id, station_id, bill_no, customer_id, period, tariff_code, tariff_effective_from, kwh, total_fen, created_at, created_by)
                   VALUES ('bl1', 'st', 'GD01-B-000001', 'c1', '2026-10', 'RES-GD', '2026-01-01', 12000, 7186, 1, 's1')`);
        tx.run(sql`INSERT INTO bill_issues (bill_id, issued_at, issued_by, due_date) VALUES ('bl1', 1, 's1', '2026-11-15')`);
        tx.run(sql`INSERT INTO ledger_entries (id, station_id, customer_id, entry_type, amount_fen, bill_id, period, at)
                   VALUES ('l1', 'st', 'c1', 'bill', 7186, 'bl1', '2026-10', 1)`);
      });
    });
    try {
      // The earlier data is still there, and the default policies came with the migration.
      expect(store.read.value(sql`SELECT sum(amount_fen) FROM ledger_entries WHERE customer_id = 'c1'`)).toBe(7186);
      const penalty = JSON.parse(store.read.value<string>(sql`SELECT definition FROM collection_policies WHERE kind = 'penalty'`) ?? '{}');
      expect(penalty).toMatchObject({ residentialDailyBp: 10, minimumFen: 100 });

      store.write((tx) => {
        tx.run(sql`INSERT INTO payments (id, station_id, receipt_no, receipt_seq, idempotency_key, customer_id, amount_fen, channel, tendered_fen, change_fen,
                                         pay_date, business_date, clerk_id, balance_before_fen, balance_after_fen, posted_at)
                   VALUES ('p1', 'st', 'GD01-R-00000001', 1, 'k1', 'c1', 7186, 'cash', 10000, 2814, '2026-11-20', '2026-11-20', 's1', 7186, 0, 1)`);
        tx.run(sql`INSERT INTO settlements (id, station_id, customer_id, kind, payment_id, settle_date, at, by_staff)
                   VALUES ('st1', 'st', 'c1', 'payment', 'p1', '2026-11-20', 1, 's1')`);
        tx.run(sql`INSERT INTO settlement_lines (settlement_id, line_no, bill_id, period, penalty_fen, principal_fen, days_late, penalty_accrued_to, penalty_accrued_fen)
                   VALUES ('st1', 1, 'bl1', '2026-10', 0, 7186, 0, '2026-11-20', 0)`);
        tx.run(sql`INSERT INTO day_closings (id, station_id, clerk_id, business_date, payment_count, payments_fen, reversal_count, reversals_fen, net_fen,
                                             by_channel, opening_float_fen, expected_cash_fen, counted_cash_fen, difference_fen, closed_at)
                   VALUES ('d1', 'st', 's1', '2026-11-20', 1, 7186, 0, 0, 7186, '[]', 0, 7186, 7186, 0, 2)`);
      });
      // The same idempotency key or receipt number cannot be used twice.
      const again = (key: string, no: string, seq: number, day: string) =>
        store.write((tx) =>
          tx.run(sql`INSERT INTO payments (id, station_id, receipt_no, receipt_seq, idempotency_key, customer_id, amount_fen, channel, tendered_fen, change_fen,
                                           pay_date, business_date, clerk_id, balance_before_fen, balance_after_fen, posted_at)
                     VALUES (${`p-${seq}`}, 'st', ${no}, ${seq}, ${key}, 'c1', 100, 'qr', 100, 0, ${day}, ${day}, 's1', 0, -100, 3)`),
        );
      expect(() => again('k1', 'GD01-R-00000002', 2, '2026-11-21')).toThrow(/UNIQUE/);
      expect(() => again('k2', 'GD01-R-00000001', 2, '2026-11-21')).toThrow(/UNIQUE/);
      // A closed day takes no more payments.
      expect(() => again('k2', 'GD01-R-00000002', 2, '2026-11-20')).toThrow(/closed that day/);
      again('k2', 'GD01-R-00000002', 2, '2026-11-21');

      expect(() => store.write((tx) => tx.run(sql`UPDATE payments SET amount_fen = 1`))).toThrow(/facts/);
      expect(() => store.write((tx) => tx.run(sql`DELETE FROM payments`))).toThrow(/facts/);
      expect(() => store.write((tx) => tx.run(sql`DELETE FROM settlement_lines`))).toThrow(/facts/);
      expect(() => store.write((tx) => tx.run(sql`UPDATE day_closings SET counted_cash_fen = 0`))).toThrow(/facts/);
      expect(() => store.write((tx) => tx.run(sql`DELETE FROM collection_policies`))).toThrow(/reference data/);
      // A cash difference needs a reason.
      expect(() =>
        store.write((tx) =>
          tx.run(sql`INSERT INTO day_closings (id, station_id, clerk_id, business_date, payment_count, payments_fen, reversal_count, reversals_fen, net_fen,
                                               by_channel, opening_float_fen, expected_cash_fen, counted_cash_fen, difference_fen, closed_at)
                     VALUES ('d2', 'st', 's1', '2026-11-21', 0, 0, 0, 0, 0, '[]', 0, 0, -1000, -1000, 4)`),
        ),
      ).toThrow(/CHECK/);
    } finally {
      cleanup();
    }
  });
});
