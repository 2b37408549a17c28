import { describe, expect, it } from 'vitest';
import { sql } from '../sql';
import { seedCustomer } from './seed';
import { upgradeTo } from './upgrade';

describe('migration 0012_staff_lockout', () => {
  it('upgrades a station with staff: they keep their rows, with no lock recorded, and a lock can say who and where', () => {
    const { store, cleanup } = upgradeTo(12, (s) => {
      seedCustomer(s);
      s.write((tx) => tx.run(sql`UPDATE staff SET locked_until = 123 WHERE id = 's1'`));
    });
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(12);
      const before = store.read.all<{ locked_until: number | null; locked_by: string | null; locked_via: string | null }>(sql`SELECT locked_until, locked_by, locked_via FROM staff`);
      expect(before).toEqual([{ locked_until: 123, locked_by: null, locked_via: null }]);
      expect(before.every((r) => r.locked_by === null && r.locked_via === null)).toBe(true);
      store.write((tx) => tx.run(sql`UPDATE staff SET locked_by = 'C001 王芳', locked_via = 'collection.requestReversal'`));
      expect(store.read.value(sql`SELECT count(*) FROM staff WHERE locked_via = 'collection.requestReversal'`)).toBe(before.length);
    } finally {
      cleanup();
    }
  });
});
