import { describe, expect, it } from 'vitest';
import { sql } from '../sql';
import { seedCustomer } from './seed';
import { upgradeTo } from './upgrade';

describe('migration 0016_service_policies', () => {
  it('upgrades a station with a work order: it keeps the baseline limits (no version), policy versions are kept and never change', () => {
    const { store, cleanup } = upgradeTo(16, (before) => {
      seedCustomer(before);
      before.write((tx) =>
        tx.run(sql`INSERT INTO work_orders (id, station_id, order_no, kind, source, customer_id, content, received_at, created_at, created_by)
                   VALUES ('o1', 'st', 'GD01-WO-000001', 'complaint', 'counter', 'c1', '电费不对', 1, 1, 's1')`),
      );
    });
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(16);
      expect(store.read.value(sql`SELECT limits_version FROM work_orders WHERE id = 'o1'`)).toBeNull();
      store.write((tx) => {
        tx.run(sql`INSERT INTO service_policies (kind, effective_from, definition, imported_at, imported_by) VALUES ('serviceLimits', '2027-01-01', '{"limits":{"complaint":{"answer":{"workingDays":5}}}}', 2, 's1')`);
        tx.run(sql`INSERT INTO work_orders (id, station_id, order_no, kind, source, content, received_at, created_at, limits_version)
                   VALUES ('o2', 'st', 'GD01-WO-000002', 'complaint', 'phone', '停电', 3, 3, '2027-01-01')`);
      });
      expect(store.read.value(sql`SELECT limits_version FROM work_orders WHERE id = 'o2'`)).toBe('2027-01-01');
      expect(() => store.write((tx) => tx.run(sql`UPDATE service_policies SET definition = '{}'`))).toThrow(/reference data/);
      expect(() => store.write((tx) => tx.run(sql`DELETE FROM service_policies`))).toThrow(/reference data/);
      expect(() => store.write((tx) => tx.run(sql`INSERT INTO service_policies (kind, effective_from, definition, imported_at) VALUES ('penalty', '2027-01-01', '{}', 1)`))).toThrow(/CHECK/);
      expect(() => store.write((tx) => tx.run(sql`INSERT INTO service_policies (kind, effective_from, definition, imported_at) VALUES ('serviceLimits', '2027-01-01', '{}', 1)`))).toThrow(/UNIQUE|PRIMARY/);
    } finally {
      cleanup();
    }
  });
});
