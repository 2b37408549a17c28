import { describe, expect, it } from 'vitest';
import { sql } from '../sql';
import { upgradeTo } from './upgrade';

describe('migration 0010_counter_policy', () => {
  it('keeps every policy row, adds the counter policy (2,000 yuan over) and stays insert-only', () => {
    const { store, cleanup } = upgradeTo(10, (s) => {
      // A newer penalty policy imported before the upgrade must survive the rebuild.
      s.write((tx) =>
        tx.run(sql`INSERT INTO collection_policies (kind, effective_from, definition, imported_at)
                   VALUES ('penalty', '2026-01-01', '{"residentialDailyBp":5,"currentYearDailyBp":20,"priorYearDailyBp":30,"minimumFen":100,"graceDays":0,"priorYearRule":"by_day"}', 1)`),
      );
    });
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(10);
      const rows = store.read.all<{ kind: string; effective_from: string; definition: string }>(
        sql`SELECT kind, effective_from, definition FROM collection_policies ORDER BY kind, effective_from`,
      );
      expect(rows.map((r) => [r.kind, r.effective_from])).toEqual([
        ['counter', '1996-01-01'],
        ['disconnection', '1996-09-01'],
        ['penalty', '1996-10-08'],
        ['penalty', '2026-01-01'],
      ]);
      expect(JSON.parse(rows[0]?.definition ?? '{}')).toEqual({ largeTenderOverFen: 200000 });
      expect(JSON.parse(rows[3]?.definition ?? '{}')).toMatchObject({ residentialDailyBp: 5 });
      // Still reference data: no edits, no deletes, no unknown kinds.
      expect(() => store.write((tx) => tx.run(sql`UPDATE collection_policies SET definition = '{}'`))).toThrow(/reference data/);
      expect(() => store.write((tx) => tx.run(sql`DELETE FROM collection_policies`))).toThrow(/reference data/);
      expect(() =>
        store.write((tx) => tx.run(sql`INSERT INTO collection_policies (kind, effective_from, definition, imported_at) VALUES ('bonus', '2026-01-01', '{}', 1)`)),
      ).toThrow(/CHECK/);
    } finally {
      cleanup();
    }
  });
});
