import { sql } from '../sql';
import type { Store } from '../store';

/** A station with one staff member, one resident, one metering point and one meter (ids st, s1, c1, p1, m1). */
export function seedCustomer(store: Store): void {
  store.write((tx) => {
    tx.run(sql`INSERT INTO station (id, code, name, created_at) VALUES ('st', 'GD01', '青山供电所', 1)`);
    tx.run(sql`INSERT INTO staff (id, station_id, staff_no, name, password_hash, password_salt, password_params, created_at, updated_at)
               VALUES ('s1', 'st', 'A001', '管理员', x'00', x'00', '{}', 1, 1)`);
    tx.run(sql`INSERT INTO customers (id, station_id, account_no, name, township, village, transformer_area, customer_class, status_date, opened_date, created_at, updated_at)
               VALUES ('c1', 'st', 'GD010000001', '张三', '青山镇', '东村', 'T01', 'residential', '2026-01-01', '2026-01-01', 1, 1)`);
    tx.run(sql`INSERT INTO metering_points (id, station_id, customer_id, created_at) VALUES ('p1', 'st', 'c1', 1)`);
    tx.run(sql`INSERT INTO meters (id, station_id, point_id, meter_no, digits, multiplier, install_date, start_reading, created_at, updated_at)
               VALUES ('m1', 'st', 'p1', 'M-0001', 5, 1, '2026-01-01', 0, 1, 1)`);
  });
}

/** Adds a book, an open period 2026-10 and one reviewed-clean reading of 120 kWh (ids b1, r1). */
export function seedReading(store: Store): void {
  store.write((tx) => {
    tx.run(sql`INSERT INTO books (id, station_id, book_no, name, reader_id, reading_day, created_at, updated_at)
               VALUES ('b1', 'st', 'B01', '东村一本', 's1', 5, 1, 1)`);
    tx.run(sql`INSERT INTO book_points (point_id, book_id, seq) VALUES ('p1', 'b1', 1)`);
    tx.run(sql`INSERT INTO reading_periods (period, opened_at, opened_by) VALUES ('2026-10', 1, 's1')`);
    tx.run(sql`INSERT INTO reading_due (period, point_id, book_id, seq, meter_id, previous_reading) VALUES ('2026-10', 'p1', 'b1', 1, 'm1', 0)`);
    tx.run(sql`INSERT INTO readings (id, station_id, period, point_id, meter_id, reading_date, kind, value, previous_value, consumption, source, entered_by, entered_at)
               VALUES ('r1', 'st', '2026-10', 'p1', 'm1', '2026-10-05', 'actual', 12000, 0, 12000, 'keyboard', 's1', 1)`);
  });
}
