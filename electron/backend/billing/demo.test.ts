import { afterEach, describe, expect, it } from 'vitest';
import { sql } from '../db/sql';
import { billingStep } from '../demo/billingStep';
import { customersStep } from '../demo/customersStep';
import { Random } from '../demo/random';
import { staffStep } from '../demo/staffStep';
import type { DemoContext, DemoStaff } from '../demo/steps';
import { makeTestStation, type TestStation } from '../testing';
import { StationFixture } from './testing/fixture';
import { billingInvariants } from './invariants';

let station: TestStation;
afterEach(() => station.close());

describe('the demo station’s billing step', () => {
  it('loads the demo tariffs, spreads the options, and bills and issues every month read, with nothing left unbilled', async () => {
    station = makeTestStation();
    await station.setUp();
    const { backend } = station;
    const staff: DemoStaff[] = [];
    const ctx = (name: string): DemoContext => ({
      backend,
      options: { customers: 400, months: 2, seed: 3, asOf: '2026-11-26' },
      random: Random.forStep(3, name),
      staff,
      actor: { staffId: null, label: 'demo' },
      progress: async () => {},
    });
    await staffStep.run(ctx('staff'));
    await customersStep.run(ctx('customers'));
    // Readings of two months for every meter (the reading desk's demo step does this once merged).
    const fixture = new StationFixture(backend, staff[0]?.staffId ?? '');
    const book = fixture.book('D01', '演示本');
    const points = backend.store.read.all<{ id: string; tou: number; multiplier: number }>(sql`
      SELECT p.id, m.tou, m.multiplier FROM metering_points p JOIN meters m ON m.point_id = p.id AND m.removed_date IS NULL ORDER BY p.id`);
    backend.store.write((tx) => points.forEach((p, i) => tx.run(sql`INSERT INTO book_points (point_id, book_id, seq) VALUES (${p.id}, ${book}, ${i + 1})`)));
    for (const [m, period] of ['2026-08', '2026-09'].entries()) {
      fixture.openPeriod(period);
      backend.store.write((tx) =>
        points.forEach((p, i) => {
          const kwh = (50 + ((i * 37 + m * 11) % 300)) * 100 * p.multiplier;
          const tou = p.tou ? { peak: Math.floor(kwh * 0.3 / (100 * p.multiplier)) * 100 * p.multiplier, valley: Math.floor(kwh * 0.4 / (100 * p.multiplier)) * 100 * p.multiplier } : undefined;
          fixture.read(period, p.id, { kwh, ...(tou ? { tou } : {}) }, tx);
        }),
      );
    }

    await billingStep.run(ctx('billing'));
    const db = backend.store.read;
    const codes = db.column<string>(sql`SELECT DISTINCT tariff_code FROM customers ORDER BY 1`);
    expect(codes).toEqual(expect.arrayContaining(['AGR', 'COM', 'COM-FLAT', 'LI', 'RES', 'RES-ANNUAL', 'RES-TOU']));
    const customers = db.value<number>(sql`SELECT count(*) FROM customers WHERE status <> 'closed'`) ?? 0;
    for (const period of ['2026-08', '2026-09']) {
      expect(db.value(sql`SELECT count(*) FROM bills_in_force b JOIN bill_issues i ON i.bill_id = b.id WHERE b.period = ${period}`)).toBe(customers);
      expect(db.value(sql`SELECT count(*) FROM billing_run_problems p JOIN billing_runs r ON r.id = p.run_id WHERE r.period = ${period}`)).toBe(0);
    }
    // Issued on the 20th of each month, due 15 days later; factories billed with capacity and power factor.
    expect(db.column(sql`SELECT DISTINCT due_date FROM bill_issues ORDER BY 1`)).toEqual(['2026-09-04', '2026-10-05']);
    const factoryLines = db.column<string>(sql`
      SELECT DISTINCT l.kind FROM bill_lines l JOIN bills b ON b.id = l.bill_id WHERE b.tariff_code = 'LI' ORDER BY 1`);
    expect(factoryLines).toEqual(['capacity', 'energy', 'power_factor']);
    expect(billingInvariants.flatMap((i) => i.check(backend))).toEqual([]);
  });
});
