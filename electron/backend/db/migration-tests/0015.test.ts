import { describe, expect, it } from 'vitest';
import { sql } from '../sql';
import { seedCustomer } from './seed';
import { upgradeTo } from './upgrade';

describe('migration 0015_sync_notices', () => {
  it('upgrades a station: notices and their read marks can be recorded, and neither changes', () => {
    const { store, cleanup } = upgradeTo(15, seedCustomer);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(15);
      store.write((tx) => {
        tx.run(sql`INSERT INTO sync_notices (id, version, title, body, until, received_at) VALUES ('n1', 3, '停电检修', '12 月 8 日停电', NULL, 1)`);
        tx.run(sql`INSERT INTO sync_notice_reads (notice_id, read_at, read_by) VALUES ('n1', 2, 's1')`);
      });
      expect(store.read.value(sql`SELECT count(*) FROM sync_notices n JOIN sync_notice_reads r ON r.notice_id = n.id`)).toBe(1);
      expect(() => store.write((tx) => tx.run(sql`UPDATE sync_notices SET title = 'x'`))).toThrow(/reference data/);
      expect(() => store.write((tx) => tx.run(sql`DELETE FROM sync_notice_reads`))).toThrow(/fact/);
      expect(() => store.write((tx) => tx.run(sql`INSERT INTO sync_notice_reads (notice_id, read_at) VALUES ('n1', 3)`))).toThrow(/UNIQUE|PRIMARY/);
    } finally {
      cleanup();
    }
  });
});
