import { describe, expect, it } from 'vitest';
import { batchLines } from '../../sync/station';
import { sql } from '../sql';
import { seedCustomer, seedReading } from './seed';
import { upgradeTo } from './upgrade';

const outboxRow = (seq: number, entity: string, id: string, payload: string) =>
  sql`INSERT INTO outbox (seq, station_id, entity, entity_id, op, payload, schema_version, at) VALUES (${seq}, 'st', ${entity}, ${id}, 'insert', ${payload}, 8, 1)`;

describe('migration 0009_sync', () => {
  it('turns outbox copies of insert-only facts into references, keeping every seq and the high-water mark', async () => {
    const { store, cleanup } = upgradeTo(9, (s) => {
      seedCustomer(s);
      seedReading(s);
      s.write((tx) => {
        tx.run(outboxRow(1, 'customer', 'c1', '{"id":"c1","name":"张三"}'));
        tx.run(outboxRow(2, 'reading', 'gone', '{"id":"gone"}')); // pruned below
        tx.run(outboxRow(3, 'reading', 'r1', '{"id":"r1","value":12000,"copy":"of the row"}'));
        tx.run(outboxRow(4, 'payment', 'not-in-payments', '{"payment":{"id":"not-in-payments"}}'));
        tx.run(outboxRow(7, 'customer', 'c1', '{"id":"c1","name":"张三丰"}'));
        tx.run(sql`UPDATE sync_state SET acked_seq = 2`);
        tx.run(sql`DELETE FROM outbox WHERE seq <= 2`);
      });
    });
    try {
      const rows = store.read.all<{ seq: number; entity: string; payload: string | null }>(sql`SELECT seq, entity, payload FROM outbox ORDER BY seq`);
      expect(rows).toEqual([
        { seq: 3, entity: 'reading', payload: null }, // the row is in readings: a reference now
        { seq: 4, entity: 'payment', payload: '{"payment":{"id":"not-in-payments"}}' }, // nothing to read back: kept
        { seq: 7, entity: 'customer', payload: '{"id":"c1","name":"张三丰"}' }, // a mutable record keeps what changed
      ]);
      // Seq never goes back, even after pruning everything.
      store.write((tx) => tx.run(sql`INSERT INTO outbox (station_id, entity, entity_id, op, payload, schema_version, at) VALUES ('st', 'x', 'y', 'insert', '{}', 9, 2)`));
      expect(store.read.value(sql`SELECT max(seq) FROM outbox`)).toBe(8);
      // The append-only rules are back.
      expect(() => store.write((tx) => tx.run(sql`UPDATE outbox SET entity = 'z' WHERE seq = 3`))).toThrow(/append-only/);
      expect(() => store.write((tx) => tx.run(sql`DELETE FROM outbox WHERE seq = 3`))).toThrow(/acknowledged/);
      // The exporter reads the converted reference from its table: the row as stored.
      const counts: Record<string, number> = {};
      const lines: string[] = [];
      for await (const l of batchLines(store.db, 2, 8, counts)) lines.push(l);
      const reading = JSON.parse(lines[0]!) as { seq: number; table: string; row: Record<string, unknown> };
      expect(reading).toMatchObject({ seq: 3, table: 'readings', row: { id: 'r1', value: 12000, point_id: 'p1' } });
      // What changed, and (for a restore on a replaced PC) the record as stored in the export's snapshot.
      const customer = JSON.parse(lines[2]!) as { children: { customers: { id: string; name: string }[] } };
      expect(customer).toMatchObject({ seq: 7, entity: 'customer', id: 'c1', op: 'insert', row: { id: 'c1', name: '张三丰' } });
      expect(customer.children.customers).toHaveLength(1);
      expect(customer.children.customers[0]).toMatchObject({ id: 'c1', name: '张三', account_no: 'GD010000001' });
      expect(counts).toEqual({ reading: 1, payment: 1, customer: 1, x: 1 });
      // The new state and tables.
      expect(store.read.get(sql`SELECT acked_seq, epoch, reference_version FROM sync_state`)).toEqual({ acked_seq: 2, epoch: 1, reference_version: null });
      const tables = store.read.column<string>(sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'sync_%' ORDER BY name`);
      expect(tables).toEqual(['sync_acks', 'sync_batches', 'sync_keys', 'sync_reference_held', 'sync_reference_packs', 'sync_state']);
    } finally {
      cleanup();
    }
  });

  it('keeps the high-water mark when every row had been pruned', () => {
    const { store, cleanup } = upgradeTo(9, (s) => {
      seedCustomer(s);
      s.write((tx) => {
        tx.run(outboxRow(41, 'customer', 'c1', '{}'));
        tx.run(sql`UPDATE sync_state SET acked_seq = 41`);
        tx.run(sql`DELETE FROM outbox`);
      });
    });
    try {
      store.write((tx) => tx.run(sql`INSERT INTO outbox (station_id, entity, entity_id, op, payload, schema_version, at) VALUES ('st', 'x', 'y', 'insert', '{}', 9, 2)`));
      expect(store.read.value(sql`SELECT max(seq) FROM outbox`)).toBe(42);
    } finally {
      cleanup();
    }
  });
});
