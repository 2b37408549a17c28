import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../context';
import { sql } from '../db/sql';
import { buildDemoStation, demoOptions } from '../demo/build';
import { INVARIANTS } from '../invariants';
import { periodSummary } from './appraisals';

// The whole demo station, with twelve months of appraisals on top of the readings and payments.

let dir: string;
let backend: Backend;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'griddesk-demo-appraisal-'));
  const file = join(dir, 'demo.db');
  await buildDemoStation(file, demoOptions({ customers: 200, seed: 3, asOf: '2026-11-26' }), { tick: async () => {} });
  backend = new Backend({ db: file, now: () => Date.parse('2026-11-26T03:00:00Z') });
}, 240_000);
afterAll(() => {
  backend.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo station’s appraisals', () => {
  it('has twelve months: the past ones signed but one dispute, the current month a draft, from the station’s own data', () => {
    const db = backend.store.read;
    expect(db.column(sql`SELECT code FROM appraisal_sheets ORDER BY code`)).toEqual(['AREA310', 'KPI100']);
    expect(db.column(sql`SELECT DISTINCT period FROM appraisal_versions ORDER BY period`)).toHaveLength(12);
    const past = periodSummary(db, '2026-09');
    expect(past.rows.length).toBe(7); // everyone but the administrator
    expect(past.rows.every((r) => r.status === 'signed')).toBe(true);
    expect(past.rows.reduce((s, r) => s + r.payFen, 0)).toBe(1200000);
    const last = periodSummary(db, '2026-10');
    expect(last.rows.filter((r) => r.status === 'disputed')).toHaveLength(1);
    expect(periodSummary(db, '2026-11').rows.every((r) => r.status === 'draft')).toBe(true);
    // The readers' figures come from the demo's readings: most meters actually read.
    const reader = db.get<{ kpis: string }>(sql`SELECT v.kpis FROM appraisal_versions v JOIN staff s ON s.id = v.staff_id WHERE s.staff_no = 'M001' AND v.period = '2026-09'`);
    const actual = (JSON.parse(reader!.kpis) as { code: string; value: number | null; denominator: number | null }[]).find((k) => k.code === 'reading.actualRate');
    expect(actual?.denominator).toBeGreaterThan(0);
    expect(actual?.value).toBeGreaterThan(80);
    expect(db.value(sql`SELECT count(*) FROM outbox WHERE entity = 'appraisal'`)).toBe(db.value(sql`SELECT count(*) FROM appraisal_signatures`));
    const problems = INVARIANTS.filter((i) => i.name.startsWith('appraisal')).flatMap((i) => i.check(backend));
    expect(problems).toEqual([]);
  });
});
