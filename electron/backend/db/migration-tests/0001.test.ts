import { describe, expect, it } from 'vitest';
import { sql } from '../sql';
import { upgradeTo } from './upgrade';

describe('migration 0001_platform', () => {
  it('creates the platform tables on an empty database, with append-only audit and outbox', () => {
    const { store, cleanup } = upgradeTo(1);
    try {
      const tables = store.read.column<string>(sql`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`);
      expect(tables).toEqual(expect.arrayContaining(['station', 'staff', 'staff_roles', 'counters', 'audit_log', 'outbox', 'sync_state']));
      store.write((tx) => {
        tx.run(sql`INSERT INTO audit_log (at, actor, action, entity, summary) VALUES (1, 'system', 'x', 'y', '{}')`);
        tx.run(sql`INSERT INTO outbox (station_id, entity, entity_id, op, payload, schema_version, at) VALUES ('s', 'e', 'i', 'insert', '{}', 1, 1)`);
      });
      expect(() => store.write((tx) => tx.run(sql`UPDATE audit_log SET action = 'changed'`))).toThrow(/append-only/);
      expect(() => store.write((tx) => tx.run(sql`DELETE FROM audit_log`))).toThrow(/append-only/);
      expect(() => store.write((tx) => tx.run(sql`DELETE FROM outbox`))).toThrow(/not yet acknowledged/);
      // Once head office acknowledges, the outbox may be pruned up to that seq.
      store.write((tx) => tx.run(sql`UPDATE sync_state SET acked_seq = 1`));
      store.write((tx) => tx.run(sql`DELETE FROM outbox WHERE seq <= 1`));
    } finally {
      cleanup();
    }
  });
});
