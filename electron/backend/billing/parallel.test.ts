import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ParallelRead } from '../db/parallelRead';
import { sql } from '../db/sql';
import { BillingContext, gatherInputs, isProblem, type PreparedBill } from './calculate';
import { runBilling, type BillingRunResult } from './run';
import { makeBillingStation, type BillingTestStation } from './testing/station';

// What makes a whole station's run fast must not change a bill. A run reads the customers' year
// of bills (and the annual tiers' earlier usage) on a second thread while it gathers the
// readings: the bills are the same as when one thread reads everything, the second thread really
// did the reading, and a failed thread costs nothing but time. Customers whose bills follow from
// the same tariff and input share one computation: anything that changes a bill keeps it apart.

const kwh = (n: number) => n * 100;
const stations: BillingTestStation[] = [];
afterEach(() => {
  for (const s of stations.splice(0)) s.close();
});

/** Residents on monthly and annual tiers, a TOU resident, a factory with reactive energy, one without a tariff; months billed and issued before. */
async function stationWithHistory(): Promise<BillingTestStation> {
  const s = await makeBillingStation();
  stations.push(s);
  const book = s.fixture.book('B01', '东村一本');
  const other = s.fixture.book('B02', '西村一本');
  const customers = [
    s.fixture.customer({ name: '月阶梯', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 1 }),
    s.fixture.customer({ name: '年阶梯', customerClass: 'residential', tariffCode: 'RES-ANNUAL', bookId: book, seq: 2, openedDate: '2020-03-01' }),
    s.fixture.customer({ name: '新接年阶梯', customerClass: 'residential', tariffCode: 'RES-ANNUAL', bookId: other, seq: 1, openedDate: '2026-08-10' }),
    s.fixture.customer({ name: '分时', customerClass: 'residential', tariffCode: 'RES-TOU', bookId: other, seq: 2, tou: true }),
    s.fixture.customer({ name: '水泥厂', customerClass: 'large_industry', tariffCode: 'LI-10KV', bookId: other, seq: 3, capacityKva: 400, tou: true, multiplier: 100 }),
    s.fixture.customer({ name: '无电价', customerClass: 'commercial', tariffCode: null, bookId: other, seq: 4 }),
  ];
  const [monthly, annual, newAnnual, tou, factory, none] = customers;
  if (!monthly || !annual || !newAnnual || !tou || !factory || !none) throw new Error('fixture');
  const month = async (period: string, factor: number) => {
    s.fixture.openPeriod(period);
    s.fixture.read(period, monthly.pointId, { kwh: kwh(200 * factor) });
    s.fixture.read(period, annual.pointId, { kwh: kwh(700 * factor) });
    if (period >= '2026-08') s.fixture.read(period, newAnnual.pointId, { kwh: kwh(900) });
    s.fixture.read(period, tou.pointId, { kwh: kwh(300), tou: { peak: kwh(100), valley: kwh(120) } });
    s.fixture.read(period, factory.pointId, { kwh: kwh(50000), tou: { peak: kwh(15000), valley: kwh(20000) } });
    s.fixture.read(period, none.pointId, { kwh: kwh(40) });
    await s.clerk.call('billing.enterExtras', { period, customerId: factory.customerId, kvarh: '30000' });
  };
  for (const period of ['2026-07', '2026-08', '2026-09']) {
    await month(period, 1);
    await runBilling(s.backend, { staffId: null, label: 'test' }, { period });
    const issued = await s.job(s.clerk.call('billing.issue', { period }));
    expect(issued.status).toBe('succeeded');
  }
  // October: the resident's bill is five times his average (flagged), the annual ones cross bounds.
  await month('2026-10', 5);
  return s;
}

function billsOf(s: BillingTestStation, period: string) {
  return s.backend.store.read.all(sql`
    SELECT c.account_no, b.bill_no, b.kwh, b.total_fen, b.tariff_code, b.details,
           (SELECT json_group_array(json_array(l.label_key, l.quantity, l.unit_price, l.amount_fen)) FROM bill_lines l WHERE l.bill_id = b.id) AS lines,
           (SELECT json_group_array(f.code || ' ' || f.params) FROM bill_flags f WHERE f.bill_id = b.id) AS flags
    FROM bills b JOIN customers c ON c.id = b.customer_id WHERE b.period = ${period} ORDER BY b.bill_no`);
}

const figures = (r: BillingRunResult) => ({ billed: r.billed, totalFen: r.totalFen, kwh: r.kwh, flagged: r.flagged, problems: r.problems, waiting: r.waiting });

describe('a billing run on two threads', () => {
  it('bills exactly as one thread does: tiers, annual usage, TOU, power factor, flags and problems', async () => {
    const one = await stationWithHistory();
    const two = await stationWithHistory();
    const alone = await runBilling(one.backend, { staffId: null, label: 'test' }, { period: '2026-10' });
    const helped = await runBilling(two.backend, { staffId: null, label: 'test' }, { period: '2026-10' }, undefined, { parallelFrom: 1 });
    expect(alone.twoThreads).toBe(false);
    expect(helped.twoThreads).toBe(true);
    expect(figures(helped)).toEqual(figures(alone));
    expect(figures(helped)).toMatchObject({ billed: 5, problems: 1, flagged: 2 });
    const bills = billsOf(two, '2026-10');
    expect(bills).toEqual(billsOf(one, '2026-10'));
    // What the second thread read shows in the bills: the annual resident's earlier usage, the
    // new one's pro-rated year, the factory's power factor, the resident's high-bill flag.
    const detail = (row: number) => JSON.parse((bills[row] as { details: string }).details) as { tiers?: { cumulativeBefore?: number; months?: number }; powerFactor?: unknown };
    expect(detail(1).tiers).toMatchObject({ cumulativeBefore: kwh(2100) });
    expect(detail(2).tiers).toMatchObject({ cumulativeBefore: kwh(1800), months: 5 });
    expect(detail(4).powerFactor).toBeTruthy();
    expect((bills[0] as { flags: string }).flags).toContain('high');
  });

  it('reads the queries itself when the other thread cannot', async () => {
    const s = await makeBillingStation();
    stations.push(s);
    const db = s.backend.store.read;
    const queries = [sql`SELECT code FROM tariff_versions ORDER BY code LIMIT ${2}`, sql`SELECT count(*) FROM staff`];
    const expected = queries.map((q) => db.rows(q));

    const helped = ParallelRead.start({ file: s.backend.store.file }, queries);
    expect(await helped.rowsOf(db)).toEqual(expected);
    expect(helped.helped).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'griddesk-parallel-'));
    try {
      const missing = ParallelRead.start({ file: join(dir, 'no-such-station.db') }, queries);
      expect(await missing.rowsOf(db)).toEqual(expected);
      expect(missing.helped).toBe(false);
      expect(missing.failure).toContain('no-such-station.db');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const memory = ParallelRead.start({ file: ':memory:' }, queries);
    expect(await memory.rowsOf(db)).toEqual(expected);
    expect(memory.failure).toContain('in-memory');
  });
});

describe('bills computed once per tariff and input', () => {
  it('shares a bill between residents with the same kWh, and keeps apart a multi-person household, a part tier year and a different usage', async () => {
    const s = await makeBillingStation();
    stations.push(s);
    const book = s.fixture.book('B01', '东村一本');
    const specs = [
      { name: '甲', tariffCode: 'RES-GD' },
      { name: '乙', tariffCode: 'RES-GD' },
      { name: '丙', tariffCode: 'RES-GD', multiPerson: true },
      { name: '丁', tariffCode: 'RES-GD', used: 301 },
      { name: '戊', tariffCode: 'RES-ANNUAL', openedDate: '2020-03-01' },
      { name: '己', tariffCode: 'RES-ANNUAL', openedDate: '2026-06-10' },
    ];
    const customers = specs.map((c, i) => s.fixture.customer({ customerClass: 'residential', bookId: book, seq: i + 1, ...c }));
    s.fixture.openPeriod('2026-07');
    customers.forEach((c, i) => s.fixture.read('2026-07', c.pointId, { kwh: kwh(specs[i]?.used ?? 300) }));
    const db = s.backend.store.read;
    const scope = { period: '2026-07' };
    const context = BillingContext.read(db, scope);
    const bills = new Map<string, PreparedBill>();
    for (const r of gatherInputs(db, scope).ready) {
      const prepared = context.prepare(r.customer, r.readings, r.book);
      if (isProblem(prepared)) throw new Error(prepared.code);
      bills.set(r.customer.name, prepared);
    }
    const lines = (name: string) => bills.get(name)?.bill.lines.map((l) => [l.labelKey, l.quantity, l.amountFen]);
    // Summer bounds 260 / 600 (multi-person 360 / 700).
    expect(lines('甲')).toEqual([['tier1', 26000, 15571], ['tier2', 4000, 2595]]);
    expect(bills.get('乙')?.bill).toBe(bills.get('甲')?.bill);
    expect(lines('丙')).toEqual([['tier1', 30000, 17966]]);
    expect(lines('丁')).toEqual([['tier1', 26000, 15571], ['tier2', 4100, 2660]]);
    // Annual tiers: the same kWh and none used before, but one connected in June has 7 months of bounds.
    expect(lines('戊')).toEqual(lines('己'));
    expect(bills.get('戊')?.details.tiers).toMatchObject({ months: 12, bounds: [2160, 4200] });
    expect(bills.get('己')?.details.tiers).toMatchObject({ months: 7, bounds: [1260, 2450] });
    expect(context.distinct).toBe(5);
  });
});
