import { describe, expect, it } from 'vitest';
import { sql } from '../sql';
import { seedCustomer, seedReading } from './seed';
import { upgradeTo } from './upgrade';

describe('migration 0008_appraisal', () => {
  it('adds the appraisal tables to a station with data, and a signed appraisal cannot change', () => {
    const { store, cleanup } = upgradeTo(8, (s) => {
      seedCustomer(s);
      seedReading(s);
    });
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(8);
      // The earlier data is untouched.
      expect(store.read.value(sql`SELECT count(*) FROM readings`)).toBe(1);
      store.write((tx) => {
        tx.run(sql`INSERT INTO appraisal_sheets (code, effective_from, name, full_score, definition, imported_at) VALUES ('KPI100', '2026-01', '百分制', 100, '{}', 1)`);
        tx.run(sql`INSERT INTO appraisal_versions (id, station_id, period, staff_id, version_no, kind, sheet_code, sheet_effective_from, roles, kpis, computed_at)
                   VALUES ('v1', 'st', '2026-10', 's1', 1, 'draft', 'KPI100', '2026-01', '["meter_reader"]', '[]', 1)`);
        tx.run(sql`INSERT INTO appraisal_entries (id, version_id, item_id, points_centi, reason, entered_at) VALUES ('e1', 'v1', NULL, -200, '抄错两户', 1)`);
        tx.run(sql`INSERT INTO appraisal_signatures (version_id, period, staff_id, signed_by, signed_by_label, signed_at, total_centi, snapshot) VALUES ('v1', '2026-10', 's1', 's1', 'A001', 2, 9000, '{}')`);
      });
      // A second signature of the same version, more points, an answer, an edit: all refused.
      expect(() => store.write((tx) => tx.run(sql`INSERT INTO appraisal_signatures (version_id, period, staff_id, signed_by_label, signed_at, total_centi, snapshot) VALUES ('v1', '2026-10', 's1', 'H002', 3, 9000, '{}')`))).toThrow(/UNIQUE|PRIMARY/);
      expect(() => store.write((tx) => tx.run(sql`INSERT INTO appraisal_entries (id, version_id, points_centi, reason, entered_at) VALUES ('e2', 'v1', 100, 'x', 3)`))).toThrow(/signed/);
      expect(() => store.write((tx) => tx.run(sql`INSERT INTO appraisal_responses (id, version_id, staff_id, kind, at) VALUES ('r1', 'v1', 's1', 'acknowledge', 3)`))).toThrow(/signed/);
      expect(() => store.write((tx) => tx.run(sql`UPDATE appraisal_signatures SET total_centi = 10000`))).toThrow(/fact/);
      expect(() => store.write((tx) => tx.run(sql`DELETE FROM appraisal_versions`))).toThrow(/fact/);
      expect(() => store.write((tx) => tx.run(sql`UPDATE appraisal_sheets SET full_score = 310`))).toThrow(/versioned/);
      // A later version needs its reason; a dispute its note.
      expect(() => store.write((tx) => tx.run(sql`INSERT INTO appraisal_versions (id, station_id, period, staff_id, version_no, kind, sheet_code, sheet_effective_from, roles, kpis, computed_at)
                   VALUES ('v2', 'st', '2026-10', 's1', 2, 'revision', 'KPI100', '2026-01', '[]', '[]', 1)`))).toThrow(/CHECK/);
      expect(() => store.write((tx) => tx.run(sql`INSERT INTO appraisal_responses (id, version_id, staff_id, kind, at) VALUES ('r2', 'v1', 's1', 'dispute', 3)`))).toThrow();
    } finally {
      cleanup();
    }
  });
});
