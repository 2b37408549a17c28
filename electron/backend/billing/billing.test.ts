import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { sql } from '../db/sql';
import { batchLines } from '../sync/station';
import type { BillingRunResult } from './run';
import { issueDrafts, type IssueResult } from './issue';
import { BILLS_ISSUED_HOOKS, BILL_CREDITED_HOOKS, customerBalance, openBills, type IssuedBill } from './ledger';
import { makeBillingStation, type BillingTestStation } from './testing/station';

let s: BillingTestStation;
beforeEach(async () => {
  s = await makeBillingStation();
});
afterEach(() => s.close());

const kwh = (n: number) => n * 100;

async function run(period: string, bookId?: string): Promise<BillingRunResult> {
  const job = await s.job(s.clerk.call('billing.run', { period, ...(bookId ? { bookId } : {}) }));
  if (job.status !== 'succeeded') throw new Error(`run failed: ${job.error?.message}`);
  return job.result as BillingRunResult;
}

async function issue(period: string, bookId?: string): Promise<IssueResult> {
  const job = await s.job(s.clerk.call('billing.issue', { period, ...(bookId ? { bookId } : {}) }));
  if (job.status !== 'succeeded') throw new Error(`issue failed: ${job.error?.message}`);
  return job.result as IssueResult;
}

async function billOf(accountNo: string, period: string) {
  const { rows } = await s.clerk.call('bills.list', { period, search: accountNo, includeLines: true });
  const row = rows.find((r) => r.accountNo === accountNo && (r.status === 'draft' || r.status === 'issued'));
  if (!row) throw new Error(`no bill for ${accountNo} in ${period}`);
  return row;
}

const lines = (bill: { lines?: { labelKey: string; quantity: number | null; unitPrice: string | null; amountFen: number }[] }) =>
  (bill.lines ?? []).map((l) => [l.labelKey, l.quantity, l.unitPrice, l.amountFen]);

describe('tariff catalogue', () => {
  it('lists what head office sent, with the version in force; loading the same file again changes nothing', async () => {
    const { rows, policies } = await s.clerk.call('tariffs.list', {});
    expect(rows.map((r) => r.code)).toEqual(['AGR', 'CI-FLAT', 'CI-GEN', 'LI-10KV', 'RES-ANNUAL', 'RES-GD', 'RES-TOU']);
    expect(rows.every((r) => r.inForce)).toBe(true);
    expect(policies).toEqual([expect.objectContaining({ effectiveFrom: '2026-01-01', dueDays: 15, inForce: true })]);
    const text = JSON.stringify({ tariffs: [{ code: 'AGR', name: '农业生产用电', class: 'agricultural', effectiveFrom: '2026-01-01', energy: { flat: '0.4846' } }] });
    expect(await s.admin.call('tariffs.import', { text })).toEqual({ imported: 0, unchanged: 1, policies: 0 });
  });

  it('refuses to change a loaded version, and names every problem of a bad file', async () => {
    const changed = JSON.stringify({ code: 'AGR', name: '农业生产用电', class: 'agricultural', effectiveFrom: '2026-01-01', energy: { flat: '0.50' } });
    const check = await s.admin.call('tariffs.check', { text: changed });
    expect(check.ok).toBe(false);
    expect(check.tariffs).toEqual([expect.objectContaining({ code: 'AGR', status: 'conflict' })]);
    const refused = await s.admin.fail('tariffs.import', { text: changed });
    expect(refused.code).toBe('validation');
    expect(refused.message).toBe('电价文件有 1 处问题，未导入任何内容：电价 AGR（2026-01-01 起执行）已载入，且价格不同；已载入的版本不能修改，请总部另发一个 effectiveFrom 更晚的新版本');
    expect(check.problems).toEqual(['电价 AGR（2026-01-01 起执行）已载入，且价格不同；已载入的版本不能修改，请总部另发一个 effectiveFrom 更晚的新版本']);

    // Every problem in the caller's language: the Chinese summary holds Chinese problems, English English ones.
    const badText = JSON.stringify({ code: 'X', name: 'x', class: 'residential', effectiveFrom: '2026-02-30', energy: { flat: 0.5 } });
    const bad = await s.admin.fail('tariffs.import', { text: badText });
    expect(bad.message).toBe(
      '电价文件有 2 处问题，未导入任何内容：电价 X（2026-02-30 起执行），字段 effectiveFrom：须是日期，写作 YYYY-MM-DD；电价 X（2026-02-30 起执行），字段 energy.flat：须写在引号里，如 "0.5"（不加引号的数字可能丢失小数位）',
    );
    const admin = s.client('en');
    await admin.call('auth.login', { staffNo: 'A001', password: 'admin1234' });
    expect((await admin.fail('tariffs.import', { text: badText })).message).toBe(
      'The tariff file has 2 problem(s); nothing was loaded: Tariff X effective 2026-02-30, effectiveFrom: must be a date written YYYY-MM-DD; Tariff X effective 2026-02-30, energy.flat: must be written in quotes, e.g. "0.5" (a bare number may lose decimal places)',
    );
    expect((await admin.call('tariffs.check', { text: changed })).problems).toEqual([
      'Tariff AGR effective 2026-01-01 is already loaded with different prices; a loaded version is never changed — head office must send a new version with a later effectiveFrom',
    ]);
    // Not JSON: the place in the file, not the JavaScript engine's English.
    expect((await s.admin.fail('tariffs.import', { text: '{ "code": ' })).message).toBe('电价文件有 1 处问题，未导入任何内容：文件不是有效的 JSON（第 1 行第 11 列附近有错）');
    expect((await admin.call('tariffs.check', { text: '{\n  "code": "X",\n  name: "x"\n}' })).problems).toEqual(['The file is not valid JSON (error near line 3, column 3)']);
    // A new version with a later date is how prices change.
    const next = JSON.stringify({ code: 'AGR', name: '农业生产用电', class: 'agricultural', effectiveFrom: '2027-01-01', energy: { flat: '0.50' } });
    expect(await s.admin.call('tariffs.import', { text: next })).toEqual({ imported: 1, unchanged: 0, policies: 0 });
    expect(s.backend.store.read.value(sql`SELECT count(*) FROM tariff_versions WHERE code = 'AGR'`)).toBe(2);
  });

  it('is loaded by the administrator only; others read it', async () => {
    expect((await s.clerk.fail('tariffs.import', { text: '{}' })).code).toBe('forbidden');
    expect((await s.head.fail('tariffs.import', { text: '{}' })).code).toBe('forbidden');
    const reader = await s.staffClient('M001', ['meter_reader']);
    expect((await reader.call('tariffs.list', {})).rows.length).toBe(7);
  });
});

describe('billing run', () => {
  let book: string;
  beforeEach(() => {
    book = s.fixture.book('B01', '东村一本');
  });

  it('bills reviewed readings exactly: a resident at 300 kWh in July splits 260 / 40 under the Guangdong summer bounds', async () => {
    const c = s.fixture.customer({ name: '张三', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 1 });
    s.fixture.openPeriod('2026-07');
    s.fixture.read('2026-07', c.pointId, { kwh: kwh(300) });
    const result = await run('2026-07');
    expect(result).toMatchObject({ billed: 1, problems: 0, waiting: 0, totalFen: 15571 + 2595 });
    const bill = await billOf(c.accountNo, '2026-07');
    // 260 × 0.59886875 = 155.705875 → 155.71; 40 × 0.64886875 = 25.95475 → 25.95; the total is the sum of the lines.
    expect(lines(bill)).toEqual([
      ['tier1', 26000, '0.59886875', 15571],
      ['tier2', 4000, '0.64886875', 2595],
    ]);
    expect(bill).toMatchObject({ status: 'draft', tariffCode: 'RES-GD', tariffEffectiveFrom: '2026-01-01', kwh: 30000, totalFen: 18166, bookNo: 'B01' });
    expect(bill.billNo).toBe('GD01-B-00000001');
  });

  it('waits for unreviewed readings, lists customers it cannot bill, and a rerun bills only what is not billed yet', async () => {
    const a = s.fixture.customer({ name: '甲', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 1 });
    const b = s.fixture.customer({ name: '乙', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 2 });
    const none = s.fixture.customer({ name: '丙', customerClass: 'commercial', tariffCode: null, bookId: book, seq: 3 });
    const unknown = s.fixture.customer({ name: '丁', customerClass: 'commercial', tariffCode: 'CI-OLD', bookId: book, seq: 4 });
    s.fixture.openPeriod('2026-10');
    s.fixture.read('2026-10', a.pointId, { kwh: kwh(120) });
    const flagged = s.fixture.read('2026-10', b.pointId, { kwh: kwh(900), needsReview: true });
    s.fixture.read('2026-10', none.pointId, { kwh: kwh(50) });
    s.fixture.read('2026-10', unknown.pointId, { kwh: kwh(50) });

    expect(await run('2026-10')).toMatchObject({ billed: 1, problems: 2, waiting: 1, alreadyBilled: 0 });
    const { problems } = await s.clerk.call('billing.exceptions', { period: '2026-10' });
    expect(problems.map((p) => [p.accountNo, p.code, p.detail])).toEqual([
      [none.accountNo, 'no_tariff', ''],
      [unknown.accountNo, 'tariff_unknown', 'CI-OLD'],
    ]);
    const status = await s.clerk.call('billing.status', { period: '2026-10' });
    expect(status.totals).toMatchObject({ due: 4, ready: 3, waiting: 1, unbilled: 2, draft: 1, problems: 2 });
    expect(status.books).toEqual([expect.objectContaining({ bookNo: 'B01', due: 4, draft: 1 })]);
    const ofBook = await s.clerk.call('billing.status', { period: '2026-10', bookId: book });
    expect(ofBook).toMatchObject({ scope: book, totals: { due: 4, ready: 3, waiting: 1, unbilled: 2, draft: 1, problems: 2 } });

    s.fixture.review(flagged);
    expect(await run('2026-10')).toMatchObject({ billed: 1, problems: 2, alreadyBilled: 1, waiting: 0 });
    expect(s.backend.store.read.value(sql`SELECT count(*) FROM bills WHERE period = '2026-10'`)).toBe(2);
    expect(await run('2026-10')).toMatchObject({ billed: 0, alreadyBilled: 2 });
    expect(s.backend.store.read.value(sql`SELECT count(*) FROM billing_runs`)).toBe(3);
  });

  it('leaves nothing half-written when writing fails part-way, and takes no bill numbers', async () => {
    const customers = [1, 2, 3].map((seq) => s.fixture.customer({ name: `户${seq}`, customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq }));
    s.fixture.openPeriod('2026-10');
    for (const c of customers) s.fixture.read('2026-10', c.pointId, { kwh: kwh(100 + c.accountNo.length) });
    // The third bill's lines cannot be written (a full disk, a power cut…).
    s.backend.store.db.exec(`CREATE TEMP TRIGGER fail_third BEFORE INSERT ON bill_lines WHEN (SELECT count(*) FROM bill_rows) >= 3
                             BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    const job = await s.job(s.clerk.call('billing.run', { period: '2026-10' }));
    expect(job.status).toBe('failed');
    const count = (table: string) => s.backend.store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
    for (const table of ['bills', 'bill_rows', 'bill_lines', 'bill_readings', 'billing_runs', 'billing_runs_open', 'bill_flags']) expect(count(table)).toBe(0);
    expect(s.backend.store.read.value(sql`SELECT count(*) FROM counters WHERE name = 'bill'`)).toBe(0);
    s.backend.store.db.exec('DROP TRIGGER fail_third');
    expect(await run('2026-10')).toMatchObject({ billed: 3 });
    expect(count('bill_lines')).toBe(3);
  });

  it('sends every bill of a run to head office in the outbox, with one audit entry per book', async () => {
    const other = s.fixture.book('B02', '西村一本');
    const customers = [
      s.fixture.customer({ name: '甲', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 1 }),
      s.fixture.customer({ name: '乙', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 2 }),
      s.fixture.customer({ name: '丙', customerClass: 'residential', tariffCode: 'RES-GD', bookId: other, seq: 1 }),
    ];
    s.fixture.openPeriod('2026-10');
    for (const c of customers) s.fixture.read('2026-10', c.pointId, { kwh: kwh(100) });
    const result = await run('2026-10');
    await issue('2026-10');
    const db = s.backend.store.read;
    // Bills travel as references (sync/entities.ts): the batch carries each bill's row as stored,
    // with its lines, readings and flags.
    const batch: { entity: string; row: Record<string, unknown>; children: Record<string, Record<string, unknown>[]> }[] = [];
    for await (const line of batchLines(s.backend.store.db, 0, db.value<number>(sql`SELECT max(seq) FROM outbox`) ?? 0, {})) batch.push(JSON.parse(line));
    expect(db.value(sql`SELECT count(*) FROM outbox WHERE entity IN ('bill', 'bill_issue') AND payload IS NOT NULL`)).toBe(0);
    const sentBills = batch.filter((b) => b.entity === 'bill');
    const sent = sentBills.map((b) => ({ id: String(b.row.id), runId: b.row.run_id, period: b.row.period, lines: b.children.bill_lines ?? [], readingIds: (b.children.bill_readings ?? []).map((r) => r.reading_id), totalFen: Number(b.row.total_fen) }));
    expect(sent.map((b) => b.id).sort()).toEqual(db.column<string>(sql`SELECT id FROM bills ORDER BY id`));
    expect(sent.every((b) => b.runId === result.runId && b.period === '2026-10' && b.lines.length === 1 && b.readingIds.length === 1)).toBe(true);
    const rows = db.all<{ id: string; bill_no: string; created_at: number; customer_id: string; total_fen: number; book_seq: number }>(sql`
      SELECT id, bill_no, created_at, customer_id, total_fen, book_seq FROM bills ORDER BY id`);
    expect([...sentBills].sort((a, b) => (String(a.row.id) < String(b.row.id) ? -1 : 1)).map((b) => {
      const j = b.row;
      return { id: j.id, bill_no: j.bill_no, created_at: j.created_at, customer_id: j.customer_id, total_fen: j.total_fen, book_seq: j.book_seq };
    })).toEqual(rows);
    const issues = batch.filter((b) => b.entity === 'bill_issue').map((b) => ({ ledgerEntry: { amountFen: Number(b.children.ledger_entries?.[0]?.amount_fen) } }));
    expect(issues.map((i) => i.ledgerEntry.amountFen)).toEqual(sent.map((b) => b.totalFen));
    expect(db.all(sql`SELECT action, count(*) AS n FROM audit_log WHERE action IN ('bill.create', 'bill.issue') GROUP BY action`)).toEqual([
      { action: 'bill.create', n: 2 },
      { action: 'bill.issue', n: 1 },
    ]);
    expect(db.value(sql`SELECT count(*) FROM outbox WHERE entity = 'billing_run' AND entity_id = ${result.runId}`)).toBe(1);
  });

  it('runs by book: only that book’s customers are billed', async () => {
    const other = s.fixture.book('B02', '西村一本');
    const east = s.fixture.customer({ name: '东', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 1 });
    const west = s.fixture.customer({ name: '西', customerClass: 'residential', tariffCode: 'RES-GD', bookId: other, seq: 1 });
    s.fixture.openPeriod('2026-10');
    s.fixture.read('2026-10', east.pointId, { kwh: kwh(10) });
    s.fixture.read('2026-10', west.pointId, { kwh: kwh(20) });
    expect(await run('2026-10', other)).toMatchObject({ billed: 1, bookId: other });
    const { rows } = await s.clerk.call('bills.list', { period: '2026-10' });
    expect(rows.map((r) => r.accountNo)).toEqual([west.accountNo]);
    expect((await s.clerk.fail('billing.run', { period: '2026-10', bookId: 'nope' })).code).toBe('not_found');
  });
});

describe('annual tiers', () => {
  it('splits the month that crosses the tier-1 bound on the year’s cumulative usage', async () => {
    const book = s.fixture.book('B01', '东村一本');
    const c = s.fixture.customer({ name: '王五', customerClass: 'residential', tariffCode: 'RES-ANNUAL', bookId: book, seq: 1, openedDate: '2020-03-01' });
    for (const [period, used] of [
      ['2026-01', 1000],
      ['2026-02', 1000],
      ['2026-03', 300],
    ] as const) {
      s.fixture.openPeriod(period);
      s.fixture.read(period, c.pointId, { kwh: kwh(used) });
      await run(period);
      await issue(period);
    }
    const march = await billOf(c.accountNo, '2026-03');
    // 2,000 kWh before March; bound 2,160: 160 kWh in tier 1 at 0.5283, 140 kWh in tier 2 at 0.5783.
    expect(lines(march)).toEqual([
      ['tier1', 16000, '0.5283', 8453],
      ['tier2', 14000, '0.5783', 8096],
    ]);
    const detail = await s.clerk.call('bills.get', { billNo: march.billNo });
    expect(detail.details.tiers).toEqual({ basis: 'annual', bounds: [2160, 4200], household: 'standard', tierYearStart: '2026-01', months: 12, kwh: [16000, 14000, 0], cumulativeBefore: 200000 });
  });

  it('pro-rates the bounds for a customer connected mid-year', async () => {
    const book = s.fixture.book('B01', '东村一本');
    const c = s.fixture.customer({ name: '新户', customerClass: 'residential', tariffCode: 'RES-ANNUAL', bookId: book, seq: 1, openedDate: '2026-06-10' });
    s.fixture.openPeriod('2026-06');
    s.fixture.read('2026-06', c.pointId, { kwh: kwh(1300) });
    await run('2026-06');
    const bill = await billOf(c.accountNo, '2026-06');
    // 7 months of 12: 2160 × 7/12 = 1260, 4200 × 7/12 = 2450.
    expect(lines(bill)).toEqual([
      ['tier1', 126000, '0.5283', 66566],
      ['tier2', 4000, '0.5783', 2313],
    ]);
  });
});

describe('review and issue', () => {
  let book: string;
  beforeEach(() => {
    book = s.fixture.book('B01', '东村一本');
  });

  it('lists zero, high and negative-line bills for review; issue holds them back until reviewed', async () => {
    const steady = s.fixture.customer({ name: '稳定户', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 1 });
    const zero = s.fixture.customer({ name: '空户', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 2 });
    const factory = s.fixture.customer({ name: '青山水泥厂', customerClass: 'large_industry', tariffCode: 'LI-10KV', bookId: book, seq: 3, capacityKva: 400, tou: true, multiplier: 100 });
    s.fixture.openPeriod('2026-09');
    s.fixture.read('2026-09', steady.pointId, { kwh: kwh(100) });
    s.fixture.read('2026-09', zero.pointId, { kwh: kwh(100) });
    s.fixture.read('2026-09', factory.pointId, { kwh: kwh(50000), tou: { peak: kwh(15000), valley: kwh(20000) } });
    // The factory's reactive energy for the power factor: 50,000 kWh and 12,000 kvarh → PF 0.97 (a credit).
    await s.clerk.call('billing.enterExtras', { period: '2026-09', customerId: factory.customerId, kvarh: '12000' });
    await run('2026-09');
    // The power-factor credit is a negative line: held until reviewed.
    expect(await issue('2026-09')).toMatchObject({ issued: 2, held: 1 });
    const september = await s.clerk.call('billing.exceptions', { period: '2026-09' });
    expect(september.bills.map((b) => b.customerName)).toEqual(['青山水泥厂']);
    await s.clerk.call('bills.review', { billId: september.bills[0]!.id, note: '力调减收，正常' });
    expect(await issue('2026-09')).toMatchObject({ issued: 1, held: 0 });

    s.fixture.openPeriod('2026-10');
    s.fixture.read('2026-10', steady.pointId, { kwh: kwh(500) }); // 5× September
    s.fixture.read('2026-10', zero.pointId, { kwh: 0 });
    s.fixture.read('2026-10', factory.pointId, { kwh: kwh(50000), tou: { peak: kwh(15000), valley: kwh(20000) } });
    await s.clerk.call('billing.enterExtras', { period: '2026-10', customerId: factory.customerId, kvarh: '12000' });
    expect(await run('2026-10')).toMatchObject({ billed: 3, flagged: 3 });
    const { bills } = await s.clerk.call('billing.exceptions', { period: '2026-10' });
    const flags = Object.fromEntries(bills.map((b) => [b.customerName, b.flags.map((f) => f.code)]));
    expect(flags).toEqual({ 稳定户: ['high'], 空户: ['zero'], 青山水泥厂: ['negative_line'] });
    const high = bills.find((b) => b.customerName === '稳定户');
    expect(high?.flags[0]?.params).toEqual({ averageFen: 5989, factor: '3', bills: 1 });
    const factoryBill = bills.find((b) => b.customerName === '青山水泥厂');
    expect(factoryBill?.lines?.map((l) => l.labelKey)).toEqual(['capacity', 'peak', 'flat', 'valley', 'power_factor']);
    expect(factoryBill?.lines?.at(-1)?.amountFen).toBeLessThan(0);

    const first = await issue('2026-10');
    expect(first).toMatchObject({ issued: 0, held: 3 });
    for (const b of bills) await s.clerk.call('bills.review', { billId: b.id, note: '已电话核实' });
    const second = await issue('2026-10');
    expect(second).toMatchObject({ issued: 3, held: 0, dueDate: '2026-12-11' });
    // Once issued, a bill is no longer reviewed or voided: it is corrected.
    expect((await s.clerk.fail('bills.review', { billId: bills[0]!.id, note: '' })).message).toContain('已发行');
  });

  it('posts each issued bill to the ledger with the due date, and calls the on-issue hooks in the same transaction', async () => {
    const c = s.fixture.customer({ name: '张三', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 1 });
    s.fixture.openPeriod('2026-10');
    s.fixture.read('2026-10', c.pointId, { kwh: kwh(120) });
    await run('2026-10');
    const seen: IssuedBill[] = [];
    BILLS_ISSUED_HOOKS.push((_unit, bills) => seen.push(...bills));
    try {
      await issue('2026-10');
    } finally {
      BILLS_ISSUED_HOOKS.pop();
    }
    expect(seen).toEqual([expect.objectContaining({ customerId: c.customerId, totalFen: 7186, dueDate: '2026-12-11', period: '2026-10' })]);
    const db = s.backend.store.read;
    expect(customerBalance(db, c.customerId)).toBe(7186);
    expect(openBills(db, c.customerId)).toEqual([expect.objectContaining({ billNo: 'GD01-B-00000001', totalFen: 7186, dueDate: '2026-12-11' })]);
    expect(db.all(sql`SELECT entry_type, amount_fen, period FROM ledger_entries`)).toEqual([{ entry_type: 'bill', amount_fen: 7186, period: '2026-10' }]);
    // An issued bill is a fact: the database refuses edits.
    expect(() => s.backend.store.write((tx) => tx.run(sql`DELETE FROM bill_issues`))).toThrow(/facts/);
    expect((await s.clerk.fail('bills.void', { billId: seen[0]!.billId, reason: '写错了' })).code).toBe('conflict');
  });

  it('issues a limit of drafts per call in book order, leaving the held ones, until none is left (the demo builder\'s slices)', async () => {
    const customers = [1, 2, 3].map((seq) => s.fixture.customer({ name: `户${seq}`, customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq }));
    const zero = s.fixture.customer({ name: '空户', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 4 });
    s.fixture.openPeriod('2026-09');
    for (const c of [...customers, zero]) s.fixture.read('2026-09', c.pointId, { kwh: kwh(100) });
    await run('2026-09');
    await issue('2026-09');
    s.fixture.openPeriod('2026-10');
    for (const c of customers) s.fixture.read('2026-10', c.pointId, { kwh: kwh(120) });
    s.fixture.read('2026-10', zero.pointId, { kwh: 0 });
    expect(await run('2026-10')).toMatchObject({ billed: 4, flagged: 1 });
    const issueSome = (limit: number) => s.backend.write({ staffId: null, label: 'test' }, (unit) => issueDrafts(unit, { period: '2026-10' }, unit.at, limit));
    // The calls before the last say nothing of the held ones; the last (fewer than the limit) counts them.
    expect(issueSome(2)).toMatchObject({ issued: 2, held: 0, dueDate: '2026-12-11' });
    expect(issueSome(2)).toMatchObject({ issued: 1, held: 1 });
    expect(issueSome(2)).toMatchObject({ issued: 0, held: 1 });
    const db = s.backend.store.read;
    expect(db.column(sql`SELECT c.name FROM bill_issues i JOIN bills b ON b.id = i.bill_id JOIN customers c ON c.id = b.customer_id WHERE b.period = '2026-10' ORDER BY i.rowid`)).toEqual(['户1', '户2', '户3']);
    expect(db.value(sql`SELECT count(*) FROM ledger_entries WHERE period = '2026-10'`)).toBe(3);
  });

  it('a hook that throws rolls the issue back', async () => {
    const c = s.fixture.customer({ name: '张三', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 1 });
    s.fixture.openPeriod('2026-10');
    s.fixture.read('2026-10', c.pointId, { kwh: kwh(120) });
    await run('2026-10');
    BILLS_ISSUED_HOOKS.push(() => {
      throw new Error('collection refused');
    });
    try {
      const job = await s.job(s.clerk.call('billing.issue', { period: '2026-10' }));
      expect(job.status).toBe('failed');
    } finally {
      BILLS_ISSUED_HOOKS.pop();
    }
    expect(s.backend.store.read.value(sql`SELECT count(*) FROM bill_issues`)).toBe(0);
    expect(s.backend.store.read.value(sql`SELECT count(*) FROM ledger_entries`)).toBe(0);
  });

  it('a voided draft is billed again by the next run from the corrected reading', async () => {
    const c = s.fixture.customer({ name: '张三', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 1 });
    s.fixture.openPeriod('2026-10');
    const wrong = s.fixture.read('2026-10', c.pointId, { kwh: kwh(1200) });
    await run('2026-10');
    const draft = await billOf(c.accountNo, '2026-10');
    expect((await s.clerk.fail('bills.void', { billId: draft.id, reason: '' })).code).toBe('invalid_input');
    await s.clerk.call('bills.void', { billId: draft.id, reason: '止码抄错，退回抄表员' });
    s.fixture.correct('2026-10', c.pointId, wrong, { kwh: kwh(120) });
    expect(await run('2026-10')).toMatchObject({ billed: 1 });
    const again = await billOf(c.accountNo, '2026-10');
    expect(again.totalFen).toBe(7186);
    const all = await s.clerk.call('bills.list', { period: '2026-10' });
    expect(all.rows.map((r) => r.status).sort()).toEqual(['draft', 'voided']);
  });
});

describe('corrections', () => {
  it('the station head approves: the original stays, a credit and a new bill, the balance moves by the difference', async () => {
    const book = s.fixture.book('B01', '东村一本');
    const c = s.fixture.customer({ name: '张三', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 1 });
    s.fixture.openPeriod('2026-10');
    const wrong = s.fixture.read('2026-10', c.pointId, { kwh: kwh(450) });
    await run('2026-10');
    await s.clerk.call('bills.review', { billId: (await billOf(c.accountNo, '2026-10')).id, note: '' }).catch(() => undefined);
    await issue('2026-10');
    const original = await billOf(c.accountNo, '2026-10');
    const db = s.backend.store.read;
    const before = customerBalance(db, c.customerId);
    expect(before).toBe(original.totalFen);

    // Nothing changed yet: nothing to correct.
    expect((await s.clerk.fail('corrections.request', { billId: original.id, reason: '客户投诉电量偏高' })).message).toContain('没有变化');
    s.fixture.correct('2026-10', c.pointId, wrong, { kwh: kwh(150) });
    const preview = await s.clerk.call('corrections.preview', { billId: original.id });
    expect(preview).toMatchObject({ originalTotalFen: original.totalFen, newKwh: 15000 });
    const { correction } = await s.clerk.call('corrections.request', { billId: original.id, reason: '止码抄错，复核后更正' });
    expect(correction).toMatchObject({ status: 'pending', requestedBy: '钱核算', expectedTotalFen: preview.newTotalFen });
    expect((await s.clerk.fail('corrections.request', { billId: original.id, reason: '再来一次' })).code).toBe('conflict');

    // The billing clerk cannot approve; the station head can, by their own login.
    expect((await s.clerk.fail('corrections.approve', { correctionId: correction.id, note: '' })).code).toBe('forbidden');
    const { correction: approved } = await s.head.call('corrections.approve', { correctionId: correction.id, note: '同意' });
    expect(approved).toMatchObject({ status: 'approved', decidedBy: '李所长', newBillNo: 'GD01-B-00000002' });

    const after = customerBalance(db, c.customerId);
    expect(after - before).toBe(preview.newTotalFen - original.totalFen);
    expect(db.all(sql`SELECT entry_type, amount_fen FROM ledger_entries ORDER BY at, entry_type`)).toEqual([
      { entry_type: 'bill', amount_fen: original.totalFen },
      { entry_type: 'bill', amount_fen: preview.newTotalFen },
      { entry_type: 'bill_credit', amount_fen: -original.totalFen },
    ]);
    const old = await s.clerk.call('bills.get', { billNo: original.billNo });
    expect(old).toMatchObject({ status: 'corrected', totalFen: original.totalFen, replacedBy: { billNo: 'GD01-B-00000002' } });
    const fresh = await s.clerk.call('bills.get', { billNo: 'GD01-B-00000002' });
    expect(fresh).toMatchObject({ status: 'issued', kind: 'correction', totalFen: preview.newTotalFen, replaces: { billNo: original.billNo } });
    expect(fresh.corrections[0]).toMatchObject({ reason: '止码抄错，复核后更正', decidedBy: '李所长' });
    expect(openBills(db, c.customerId).map((b) => b.billNo)).toEqual(['GD01-B-00000002']);
    expect((await s.head.fail('corrections.approve', { correctionId: correction.id, note: '' })).code).toBe('conflict');
  });

  it('refuses an approval when the data changed since the request; a rejection leaves the bill as it was', async () => {
    const book = s.fixture.book('B01', '东村一本');
    const c = s.fixture.customer({ name: '张三', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 1 });
    s.fixture.openPeriod('2026-10');
    const r1 = s.fixture.read('2026-10', c.pointId, { kwh: kwh(300) });
    await run('2026-10');
    await issue('2026-10');
    const bill = await billOf(c.accountNo, '2026-10');
    const r2 = s.fixture.correct('2026-10', c.pointId, r1, { kwh: kwh(200) });
    const { correction } = await s.clerk.call('corrections.request', { billId: bill.id, reason: '止码抄错' });
    s.fixture.correct('2026-10', c.pointId, r2, { kwh: kwh(210) });
    const refused = await s.head.fail('corrections.approve', { correctionId: correction.id, note: '' });
    expect(refused.message).toContain('申请后有变化');
    await s.head.call('corrections.reject', { correctionId: correction.id, note: '请重新核对后再申请' });
    expect((await s.clerk.call('bills.get', { billNo: bill.billNo })).status).toBe('issued');
    expect(s.backend.store.read.value(sql`SELECT count(*) FROM ledger_entries`)).toBe(1);
    const hooks: unknown[] = [];
    BILL_CREDITED_HOOKS.push((_u, credited) => hooks.push(credited));
    try {
      const { correction: again } = await s.clerk.call('corrections.request', { billId: bill.id, reason: '止码抄错，已复核' });
      await s.head.call('corrections.approve', { correctionId: again.id, note: '' });
    } finally {
      BILL_CREDITED_HOOKS.pop();
    }
    expect(hooks).toEqual([expect.objectContaining({ billNo: bill.billNo, creditFen: -bill.totalFen })]);
  });
});

describe('notices, totals and export', () => {
  it('prints the book in book order with the arrears carried and the due date', async () => {
    const book = s.fixture.book('B01', '东村一本');
    const second = s.fixture.customer({ name: '李四', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 2 });
    const first = s.fixture.customer({ name: '张三', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 1 });
    for (const [period, used] of [
      ['2026-09', 100],
      ['2026-10', 120],
    ] as const) {
      s.fixture.openPeriod(period);
      s.fixture.read(period, first.pointId, { kwh: kwh(used) });
      s.fixture.read(period, second.pointId, { kwh: kwh(used) });
      await run(period);
      await issue(period);
    }
    const { notices, paymentChannels, station } = await s.clerk.call('bills.notices', { period: '2026-10', bookId: book });
    expect(station).toEqual({ code: 'GD01', name: '青山供电所' });
    expect(paymentChannels[0]).toBe('供电所营业厅：现金、银行卡');
    expect(notices.map((n) => [n.customerName, n.seq, n.totalFen, n.arrearsFen, n.amountDueFen, n.dueDate])).toEqual([
      ['张三', 1, 7186, 5989, 13175, '2026-12-11'],
      ['李四', 2, 7186, 5989, 13175, '2026-12-11'],
    ]);
    expect(notices[0]?.readings[0]).toMatchObject({ previousValue: 10000, value: 22000, multiplier: 1, consumption: 12000 });
    expect((await s.clerk.fail('bills.notices', { billNos: ['GD01-B-99999999'] })).message).toContain('GD01-B-99999999');
  });

  it('totals the period by book, class and tariff, and exports them with every bill and line', async () => {
    const book = s.fixture.book('B01', '东村一本');
    const a = s.fixture.customer({ name: '张三', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 1 });
    const b = s.fixture.customer({ name: '粮站', customerClass: 'agricultural', tariffCode: 'AGR', bookId: book, seq: 2 });
    s.fixture.openPeriod('2026-10');
    s.fixture.read('2026-10', a.pointId, { kwh: kwh(120) });
    s.fixture.read('2026-10', b.pointId, { kwh: kwh(1000) });
    await run('2026-10');
    const summary = await s.clerk.call('billing.summary', { period: '2026-10' });
    expect(summary.byClass.map((r) => [r.key, r.bills, r.kwh, r.amountFen])).toEqual([
      ['agricultural', 1, 100000, 48460],
      ['residential', 1, 12000, 7186],
    ]);
    expect(summary.byBook).toEqual([expect.objectContaining({ key: book, label: 'B01 东村一本', bills: 2 })]);
    expect(summary.byTariff.map((r) => r.key)).toEqual(['AGR', 'RES-GD']);
    expect(summary.totals).toMatchObject({ bills: 2, amountFen: 55646 });

    // The station's workbook holds the totals; a book's workbook adds its bills and their lines.
    const file = await s.clerk.call('billing.export', { period: '2026-10' });
    expect(file.fileName).toBe('电费统计-2026-10.xlsx');
    const workbook = XLSX.read(Buffer.from(file.base64, 'base64'), { type: 'buffer' });
    expect(workbook.SheetNames).toEqual(['汇总']);
    const totals = XLSX.utils.sheet_to_json<unknown[]>(workbook.Sheets['汇总']!, { header: 1 });
    expect(totals).toContainEqual(['B01', '东村一本', 2, 1120, 556.46]);
    expect(totals).toContainEqual(['agricultural', '农业生产', 1, 1000, 484.6]);
    expect(totals.at(-1)).toEqual(['合计', '', 2, 1120, 556.46]);

    const ofBook = await s.clerk.call('billing.export', { period: '2026-10', bookId: book });
    expect(ofBook.fileName).toBe('电费统计-2026-10-B01.xlsx');
    const bookWorkbook = XLSX.read(Buffer.from(ofBook.base64, 'base64'), { type: 'buffer' });
    expect(bookWorkbook.SheetNames).toEqual(['汇总', '账单', '明细']);
    const bills = XLSX.utils.sheet_to_json<Record<string, unknown>>(bookWorkbook.Sheets['账单']!);
    expect(bills.map((r) => [r['户号'], r['电费']])).toEqual([
      [a.accountNo, 71.86],
      [b.accountNo, 484.6],
    ]);
    const lines = XLSX.utils.sheet_to_json<Record<string, unknown>>(bookWorkbook.Sheets['明细']!);
    expect(lines.map((r) => [r['户号'], r['项目'], r['数量'], r['单价（元）'], r['金额']])).toEqual([
      [a.accountNo, '第1档', 120, '0.59886875', 71.86],
      [b.accountNo, '电度电费', 1000, '0.4846', 484.6],
    ]);
  });

  it('lets others read bills but not run, issue or approve', async () => {
    const reader = await s.staffClient('M001', ['meter_reader']);
    const counter = await s.staffClient('C001', ['clerk']);
    expect((await counter.call('bills.list', { period: '2026-10' })).rows).toEqual([]);
    expect((await reader.fail('billing.run', { period: '2026-10' })).code).toBe('forbidden');
    expect((await counter.fail('billing.issue', { period: '2026-10' })).code).toBe('forbidden');
    expect((await s.head.fail('billing.run', { period: '2026-10' })).code).toBe('forbidden');
    expect((await counter.fail('corrections.approve', { correctionId: 'x', note: '' })).code).toBe('forbidden');
    expect((await s.clerk.fail('billing.run', { period: '2026-13' })).message).toContain('账期应写成');
  });
});

describe('griddesk check', () => {
  it('finds nothing wrong after a month billed, issued and corrected, and names a bill whose lines do not add up', async () => {
    const { billingInvariants } = await import('./invariants');
    const book = s.fixture.book('B01', '东村一本');
    const c = s.fixture.customer({ name: '张三', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 1 });
    s.fixture.openPeriod('2026-10');
    const r = s.fixture.read('2026-10', c.pointId, { kwh: kwh(450) });
    await run('2026-10');
    await issue('2026-10');
    s.fixture.correct('2026-10', c.pointId, r, { kwh: kwh(150) });
    const bill = await billOf(c.accountNo, '2026-10');
    const { correction } = await s.clerk.call('corrections.request', { billId: bill.id, reason: '止码抄错' });
    await s.head.call('corrections.approve', { correctionId: correction.id, note: '' });
    expect(billingInvariants.flatMap((i) => i.check(s.backend))).toEqual([]);

    s.backend.store.write((tx) => {
      tx.run(sql`INSERT INTO bills (id, station_id, bill_no, customer_id, period, tariff_code, tariff_effective_from, kwh, total_fen, created_at)
                 SELECT 'bad', id, 'GD01-B-X', ${c.customerId}, '2026-11', 'RES-GD', '2026-01-01', 100, 999, 1 FROM station`);
      tx.run(sql`INSERT INTO bill_lines (bill_id, line_no, kind, label_key, amount_fen) VALUES ('bad', 1, 'energy', 'tier1', 998)`);
    });
    // Written behind the back of writeStaged: its period is not listed either.
    expect(billingInvariants.flatMap((i) => i.check(s.backend))).toEqual([
      'bill GD01-B-X: total 999 fen but its lines add up to 998 fen',
      '1 bill(s) of 2026-11, a period missing from bill_periods: the customers\' pages and the counter do not see them',
    ]);
  });
});
