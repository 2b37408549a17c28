import { describe, expect, it } from 'vitest';
import { loadHqMigrations, migrateHq } from '../context';
import { addStationPartitions, partitionName } from '../partitions';
import { backends, openTestHq, requireRealServerInCi } from '../testing';

// Head-office migration 0001 (the first schema): from an empty store, what it makes, and the
// store's guard against a newer schema. Each later migration adds its own NNNN.test.ts that
// migrates to N−1 (migrateHq(db, migrations, N − 1)), seeds rows, migrates to N and checks them.

requireRealServerInCi();

describe.each(backends())('hq migration 0001 on %s', (backend) => {
  it('makes the schema, keys starting with station_id, fact tables partitioned by station; refuses a newer store', async () => {
    const t = await openTestHq(backend);
    try {
      const db = t.hq.db;
      expect(await db.query('SELECT version, name FROM hq_schema_migrations ORDER BY version')).toEqual(loadHqMigrations().map((m) => ({ version: m.version, name: m.name })));
      // Every station table's primary key starts with station_id.
      const keys = await db.query<{ table: string; first: string }>(`
        SELECT c.relname AS table, a.attname AS first
          FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
         WHERE i.indisprimary AND n.nspname = 'public' AND c.relispartition = false
           AND c.relname NOT IN ('hq_schema_migrations', 'reference_items', 'reference_packs', 'hq_users', 'hq_audit')`);
      expect(keys.length).toBeGreaterThanOrEqual(11);
      for (const k of keys) expect([k.table, k.first]).toEqual([k.table, 'station_id']);
      const partitioned = (await db.query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relkind = 'p' ORDER BY relname`)).map((r) => r.relname);
      expect(partitioned).toEqual(['hq_bills', 'hq_payments', 'hq_readings', 'hq_records', 'station_rows']);
      await db.tx((q) => addStationPartitions(q, 'st-1'));
      await db.query(`INSERT INTO station_rows (station_id, epoch, seq, entity, entity_id, op, row) VALUES ('st-1', 1, 1, 'payment', 'p1', 'insert', '{}')`);
      expect(await db.query(`SELECT count(*)::int AS n FROM ${partitionName('station_rows', 'st-1')}`)).toEqual([{ n: 1 }]);
      // Migrating again changes nothing; a store from a newer program is refused.
      expect(await migrateHq(db)).toBe(loadHqMigrations().length);
      await db.query(`INSERT INTO hq_schema_migrations (version, name) VALUES (999, 'future')`);
      await expect(migrateHq(db)).rejects.toThrow(/schema version 999/);
    } finally {
      await t.close();
    }
  }, 120_000);
});
