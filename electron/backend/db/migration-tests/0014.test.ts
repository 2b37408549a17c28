import { describe, expect, it } from 'vitest';
import { sql } from '../sql';
import { seedCustomer } from './seed';
import { upgradeTo } from './upgrade';

describe('migration 0014_service', () => {
  it('upgrades a station with a customer: orders and steps can be logged for them, and are facts', () => {
    const { store, cleanup } = upgradeTo(14, seedCustomer);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(14);
      store.write((tx) => {
        tx.run(sql`INSERT INTO work_orders (id, station_id, order_no, kind, source, customer_id, content, received_at, created_at, created_by)
                   VALUES ('w1', 'st', 'GD01-WO-000001', 'complaint', 'counter', 'c1', '抄表员态度差', 1, 1, 's1')`);
        tx.run(sql`INSERT INTO work_order_steps (id, order_id, kind, at, by_staff, note) VALUES ('ws1', 'w1', 'create', 1, 's1', '')`);
        tx.run(sql`INSERT INTO work_order_state (order_id, state, next_due_at, updated_at) VALUES ('w1', 'new', 100, 1)`);
      });
      expect(store.read.value(sql`SELECT count(*) FROM work_orders WHERE customer_id = 'c1'`)).toBe(1);
      expect(() => store.write((tx) => tx.run(sql`UPDATE work_orders SET content = 'x'`))).toThrow(/facts/);
      expect(() => store.write((tx) => tx.run(sql`INSERT INTO work_order_steps (id, order_id, kind, at, note) VALUES ('ws2', 'w1', 'close', 2, '')`))).toThrow(/CHECK/);
    } finally {
      cleanup();
    }
  });
});
