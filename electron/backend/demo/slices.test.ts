import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Backend } from '../context';
import { sql } from '../db/sql';
import { Pace } from '../jobs/pace';
import { buildDemoStation, demoOptions } from './build';
import { DEMO_STEPS } from './steps';
import { demoBuildingFiles, discardStoppedDemoBuild } from './stopped';

// The demo builder writes in slices sized by pace (issue 18), into its own file renamed into place
// only when every step is done.

const dirs: string[] = [];
afterEach(() => {
  Pace.fixed = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'griddesk-demo-slices-'));
  dirs.push(dir);
  return dir;
}

const OPTIONS = demoOptions({ customers: 150, months: 3, seed: 7, asOf: '2026-11-26' });

/** What a built station holds, without the ids and times a build draws afresh. */
function contents(file: string) {
  const backend = new Backend({ db: file });
  try {
    const db = backend.store.read;
    return {
      customers: db.all(sql`SELECT account_no, name, phone, village, customer_class, tariff_code FROM customers ORDER BY account_no`),
      meters: db.all(sql`SELECT m.meter_no, m.start_reading, m.removed_date, m.final_reading FROM meters m ORDER BY m.meter_no`),
      readings: db.all(sql`SELECT c.account_no, r.period, r.kind, r.value, r.consumption FROM readings r JOIN metering_points p ON p.id = r.point_id
                           JOIN customers c ON c.id = p.customer_id ORDER BY c.account_no, r.period, r.kind, r.value`),
      bills: db.all(sql`SELECT c.account_no, b.period, b.total_fen FROM bills_in_force b JOIN customers c ON c.id = b.customer_id ORDER BY c.account_no, b.period`),
      payments: db.all(sql`SELECT receipt_no, c.account_no, amount_fen, channel, tendered_fen, pay_date FROM payments p JOIN customers c ON c.id = p.customer_id ORDER BY receipt_no`),
      ledger: db.get(sql`SELECT count(*) AS n, sum(amount_fen) AS fen FROM ledger_entries`),
    };
  } finally {
    backend.close();
  }
}

describe('the demo builder in slices', () => {
  it('builds the same station in small slices as in one transaction per step, and every step writes in more than one', async () => {
    const dir = tempDir();
    type Tally = Record<string, { transactions: number; mostRows: number }>;
    const tally = (into: Tally) => (_ms: number, step: string, rows: number) => {
      const t = (into[step] ??= { transactions: 0, mostRows: 0 });
      t.transactions += 1;
      t.mostRows = Math.max(t.mostRows, rows);
    };
    Pace.fixed = 1_000_000_000; // the baseline: each sliced loop in one transaction
    const whole: Tally = {};
    await buildDemoStation(join(dir, 'whole.db'), OPTIONS, { tick: async () => {} }, undefined, tally(whole));
    Pace.fixed = 7;
    const sliced: Tally = {};
    await buildDemoStation(join(dir, 'sliced.db'), OPTIONS, { tick: async () => {} }, undefined, tally(sliced));
    const a = contents(join(dir, 'whole.db'));
    const b = contents(join(dir, 'sliced.db'));
    expect(a.customers.length).toBe(150);
    expect(a.payments.length).toBeGreaterThan(100);
    expect(b).toEqual(a);
    expect(Object.keys(sliced).sort()).toEqual(DEMO_STEPS.map((s) => s.name).sort());
    // 150 customers by 7 (and the tariff choices, readings, reviews, bills issued and payments likewise): many more transactions.
    expect(sliced.customers!.transactions).toBeGreaterThanOrEqual(whole.customers!.transactions + 20);
    expect(sliced.readings!.transactions).toBeGreaterThan(whole.readings!.transactions + 20);
    expect(sliced.billing!.transactions).toBeGreaterThan(whole.billing!.transactions + 20);
    expect(sliced.collection!.transactions).toBeGreaterThan(whole.collection!.transactions + 10);
    for (const step of DEMO_STEPS) expect(sliced[step.name]!.transactions, step.name).toBeGreaterThan(1);
    // Every transaction small (issue 18): 7 items a slice write at most 80 rows here (7 customers
    // with their meters, search keys, outbox and audit rows), where one transaction per loop wrote
    // a whole step's customers, a month's bills or every payment (over a thousand rows).
    for (const step of DEMO_STEPS) expect(sliced[step.name]!.mostRows, step.name).toBeLessThanOrEqual(100);
    expect(whole.customers!.mostRows).toBeGreaterThan(1000);
    expect(whole.collection!.mostRows).toBeGreaterThan(1000);
    expect(whole.billing!.mostRows).toBeGreaterThan(500);
  });

  it('a stopped build leaves nothing in place, and its file is discarded at the next start once it is stale', async () => {
    const dir = tempDir();
    const target = join(dir, 'station.db');
    await expect(
      buildDemoStation(target, OPTIONS, {
        tick: async (done, total, step) => {
          if (step === 'readings' && done > 100) throw new Error('stopped');
          void total;
        },
      }),
    ).rejects.toThrow('stopped');
    expect(existsSync(target)).toBe(false);
    expect(demoBuildingFiles(target).filter((f) => existsSync(f))).toEqual([]);

    // A crash leaves the building file (here: one written by hand); a recent one may be another process's build.
    const [building] = demoBuildingFiles(target);
    writeFileSync(building!, 'half a station');
    expect(discardStoppedDemoBuild(target)).toBe(false);
    expect(existsSync(building!)).toBe(true);
    const old = (Date.now() - 10 * 60_000) / 1000;
    utimesSync(building!, old, old);
    expect(discardStoppedDemoBuild(target)).toBe(true);
    expect(existsSync(building!)).toBe(false);
  });
});
