import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../audit/record';
import { sql } from '../db/sql';
import { buildReadingDemo, type DemoRandom } from './demo';
import { addMeters, replaceMeter } from './fixtures';
import { households, makeReadingStation, type ReadingStation } from './test-station';

let rs: ReadingStation;
afterEach(() => rs?.station.close());

/** A small seeded generator (mulberry32) standing in for the demo framework's. */
function seeded(seed: number): DemoRandom {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (min, max) => min + Math.floor(next() * (max - min + 1)), chance: (p) => next() < p, pick: (items) => items[Math.floor(next() * items.length)]! };
}

describe('the demo station\'s readings', () => {
  it('makes books for every meter and months of read, reviewed and closed periods, with a replacement and a rollover', async () => {
    rs = await makeReadingStation();
    const backend = rs.station.backend;
    addMeters(backend, [...households(150, { installDate: '2024-03-01' }), ...households(60, { installDate: '2024-03-01', village: '西村' }, 'W')]);
    const progress: number[] = [];
    const result = await buildReadingDemo(
      backend,
      SYSTEM_ACTOR,
      { months: 6, asOf: '2026-11-26' },
      seeded(7),
      (r) => replaceMeter(backend, { pointId: r.pointId, date: r.date, oldFinal: r.oldFinal, newMeterNo: r.newMeterNo, newStart: r.newStart }),
      async (done) => void progress.push(done),
    );
    const db = backend.store.read;
    expect(result).toMatchObject({ books: 2, replacements: 2 });
    expect(db.value(sql`SELECT count(*) FROM book_points`)).toBe(210);
    expect(db.all(sql`SELECT period, status FROM reading_periods ORDER BY period`)).toEqual(
      ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'].map((period) => ({ period, status: 'closed' })),
    );
    // Every due meter read (or marked) in every month; readings taken by the books' readers.
    expect(db.value(sql`SELECT count(*) FROM reading_due d WHERE NOT EXISTS (SELECT 1 FROM readings r WHERE r.period = d.period AND r.point_id = d.point_id)`)).toBe(0);
    expect(db.column(sql`SELECT DISTINCT s.staff_no FROM readings r JOIN staff s ON s.id = r.entered_by WHERE r.supersedes IS NULL ORDER BY 1`)).toEqual(['M001', 'M002']);
    expect(db.value(sql`SELECT count(*) FROM readings WHERE rollover = 1`)).toBeGreaterThanOrEqual(1);
    expect(db.value(sql`SELECT count(*) FROM readings WHERE replaced_meter_id IS NOT NULL`)).toBe(2);
    expect(progress.at(-1)).toBe(6 * 210);
    const { INVARIANTS } = await import('../invariants');
    expect(INVARIANTS.flatMap((i) => i.check(backend))).toEqual([]);
  });
});

describe('the demo station built by every desk\'s step', () => {
  it('has 13 closed months of readings of the customers desk\'s customers, reviewed, with replacements and rollovers', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { Backend } = await import('../context');
    const { buildDemoStation, demoOptions } = await import('../demo/build');
    const dir = mkdtempSync(join(tmpdir(), 'griddesk-demo-'));
    try {
      const file = join(dir, 'demo.db');
      await buildDemoStation(file, demoOptions({ customers: 200, seed: 11, asOf: '2026-11-26' }), { tick: async () => {} });
      const backend = new Backend({ db: file });
      try {
        const db = backend.store.read;
        expect(db.value(sql`SELECT count(*) FROM reading_periods WHERE status = 'closed'`)).toBe(13);
        expect(db.value(sql`SELECT max(period) FROM reading_periods`)).toBe('2026-10');
        expect(db.value(sql`SELECT count(*) FROM readings WHERE rollover = 1`)).toBeGreaterThanOrEqual(1);
        expect(db.value(sql`SELECT count(*) FROM readings WHERE replaced_meter_id IS NOT NULL`)).toBeGreaterThanOrEqual(2);
        // Every warning was decided before its month closed; the large customers' multipliers are read.
        expect(db.value(sql`SELECT count(*) FROM current_readings r WHERE r.needs_review = 1 AND NOT EXISTS (SELECT 1 FROM reading_reviews v WHERE v.reading_id = r.id)`)).toBe(0);
        expect(db.value(sql`SELECT count(*) FROM readings WHERE multiplier > 1`)).toBeGreaterThan(0);
        const { INVARIANTS } = await import('../invariants');
        expect(INVARIANTS.flatMap((i) => i.check(backend))).toEqual([]);
      } finally {
        backend.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
