import { describe, expect, it } from 'vitest';
import { sql } from '../sql';
import { upgradeTo } from './upgrade';

describe('migration 0002_customers', () => {
  it('upgrades a platform-only station, keeping its staff, and keeps meter numbers unique among installed meters', () => {
    const { store, cleanup } = upgradeTo(2, (previous) => {
      previous.write((tx) => {
        tx.run(sql`INSERT INTO station (id, code, name, created_at) VALUES ('st', 'GD01', '青山供电所', 1)`);
        tx.run(sql`INSERT INTO staff (id, station_id, staff_no, name, password_hash, password_salt, password_params, created_at, updated_at)
                   VALUES ('s1', 'st', 'A001', '管理员', x'00', x'00', '{}', 1, 1)`);
      });
    });
    try {
      expect(store.read.value(sql`SELECT name FROM staff WHERE id = 's1'`)).toBe('管理员');
      store.write((tx) => {
        tx.run(sql`INSERT INTO customers (id, station_id, account_no, name, township, village, transformer_area, customer_class, status_date, opened_date, created_at, updated_at)
                   VALUES ('c1', 'st', 'GD010000001', '张三', '青山镇', '东村', 'T01', 'residential', '2026-01-01', '2026-01-01', 1, 1)`);
        tx.run(sql`INSERT INTO metering_points (id, station_id, customer_id, created_at) VALUES ('p1', 'st', 'c1', 1)`);
        tx.run(sql`INSERT INTO meters (id, station_id, point_id, meter_no, digits, multiplier, install_date, start_reading, created_at, updated_at)
                   VALUES ('m1', 'st', 'p1', 'M-0001', 5, 1, '2026-01-01', 0, 1, 1)`);
      });
      const duplicate = () =>
        store.write((tx) =>
          tx.run(sql`INSERT INTO meters (id, station_id, point_id, meter_no, digits, multiplier, install_date, start_reading, created_at, updated_at)
                     VALUES ('m2', 'st', 'p1', 'M-0001', 5, 1, '2026-02-01', 0, 1, 1)`),
        );
      expect(duplicate).toThrow(/UNIQUE/);
      // The search tables start empty and take keys for the customer.
      store.write((tx) => {
        tx.run(sql`INSERT INTO customer_search_keys (key, customer_id) VALUES ('n张', 'c1')`);
        tx.run(sql`INSERT INTO customer_places (township, village) VALUES ('青山镇', '东村')`);
      });
      expect(store.read.value(sql`SELECT name_initials FROM customers WHERE id = 'c1'`)).toBe('');
      // Once the first meter is removed, its number may be installed again.
      store.write((tx) => tx.run(sql`UPDATE meters SET removed_date = '2026-02-01', final_reading = 100 WHERE id = 'm1'`));
      expect(duplicate).not.toThrow();
    } finally {
      cleanup();
    }
  });
});
