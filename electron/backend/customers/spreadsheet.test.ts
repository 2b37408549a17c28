import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import XLSX from 'xlsx';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mapHeader, parseSheetRow, rowOf, SHEET_COLUMNS, sheetRowOf } from '../../../shared/customers/sheet';
import { checkRecord } from './bulk';
import { sql } from '../db/sql';
import { writeWorkbook } from './workbook/write';
import { makeTestStation, type TestClient, type TestStation } from '../testing';
import { newCustomerInput, newMeterInput } from './fixtures';
import { buildDemoStation, demoOptions } from '../demo/build';
import { Backend } from '../context';
import type { JobState } from '../../../shared/contract';

let station: TestStation;
let clerk: TestClient;

beforeEach(async () => {
  station = makeTestStation();
  await station.setUp();
  clerk = await station.staffClient('C001', ['clerk'], '王芳');
});
afterEach(() => station.close());

async function finished(jobId: string): Promise<JobState> {
  return station.backend.jobs.finished(jobId);
}

async function preview(client: TestClient, bytes: Buffer, fileName = '客户.xlsx') {
  const { jobId } = await client.call('customers.importPreview', { fileName, base64: bytes.toString('base64') });
  return finished(jobId);
}

const header = SHEET_COLUMNS.map((c) => c.header);
function resident(i: number, overrides: Record<string, string> = {}): string[] {
  const row = sheetRowOf(
    { ...newCustomerInput({ name: `测试${i}`, phone: `138${String(i).padStart(8, '0')}` }), accountNo: '', status: 'active', statusDate: '2026-01-05' },
    { label: '', meter: newMeterInput({ meterNo: `IMP-${String(i).padStart(4, '0')}` }) },
  );
  for (const [header, value] of Object.entries(overrides)) row[SHEET_COLUMNS.findIndex((c) => c.header === header)] = value;
  return row;
}

describe('importing customers from a workbook', () => {
  it('lists exactly the bad rows and columns, then files the 47 good ones with one audit row', async () => {
    const rows = [header, ...Array.from({ length: 50 }, (_, i) => resident(i + 1))];
    rows[8] = resident(8, { 联系电话: '12345' }); // Excel row 9
    rows[20] = resident(20, { 用电类别: '商业用电' }); // row 21
    rows[33] = resident(33, { 表号: 'IMP-0005' }); // row 34: repeats row 6's meter
    const job = await preview(clerk, await writeWorkbook([{ name: '客户', rows }]));
    expect(job.status).toBe('succeeded');
    const result = job.result as { importId: string; rows: number; validRows: number; issues: { row: number; column: string; message: string }[] };
    expect(result).toMatchObject({ rows: 50, validRows: 47 });
    expect(result.issues.map((i) => [i.row, i.column])).toEqual([
      [9, '联系电话'],
      [21, '用电类别'],
      [34, '表号'],
    ]);
    expect(result.issues[2]?.message).toBe('表号 IMP-0005 在文件中与第 6 行重复');
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM customers`)).toBe(0); // the preview wrote nothing

    const { jobId } = await clerk.call('customers.importCommit', { importId: result.importId });
    const commit = await finished(jobId);
    expect(commit.result).toMatchObject({ customers: 47, meters: 47 });
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM customers`)).toBe(47);
    const audits = station.backend.store.read.all<{ actor: string; summary: string }>(sql`SELECT actor, summary FROM audit_log WHERE action = 'customers.import'`);
    expect(audits).toHaveLength(1);
    expect(audits[0]?.actor).toBe('C001 王芳');
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM audit_log WHERE action = 'customer.create'`)).toBe(0);
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM outbox WHERE entity = 'customer'`)).toBe(47);
    // Each travels to head office as its file: the station's 户号, no meters riding along (they go as their own rows).
    const sent = station.backend.store.read.all<{ account_no: string; payload: string }>(sql`
      SELECT c.account_no, o.payload FROM outbox o JOIN customers c ON c.id = o.entity_id WHERE o.entity = 'customer'`);
    for (const { account_no, payload } of sent) {
      const file = JSON.parse(payload) as Record<string, unknown>;
      expect(file.accountNo).toBe(account_no);
      expect(Object.keys(file)).not.toContain('points');
    }
    // Imported customers are searchable at once, and their timeline begins with the import.
    const hit = (await clerk.call('customers.search', { query: '测试47' })).hits[0];
    expect(hit?.name).toBe('测试47');
    const { events } = await clerk.call('customers.history', { customerId: hit?.id ?? '' });
    expect(events.map((e) => e.action)).toEqual(['customers.import']);
    // A second commit of the same preview is refused.
    expect((await finished((await clerk.call('customers.importCommit', { importId: result.importId })).jobId)).status).toBe('failed');
  });

  it('refuses account and meter numbers already in the station', async () => {
    const made = await clerk.call('customers.create', newCustomerInput({ points: [{ label: '', meter: newMeterInput({ meterNo: 'IMP-0002' }) }] }));
    const rows = [header, resident(1, { 户号: made.customer.accountNo }), resident(2)];
    const result = (await preview(clerk, await writeWorkbook([{ name: 's', rows }]))).result as { issues: { row: number; column: string; message: string }[] };
    expect(result.issues.map((i) => `${i.row} ${i.column} ${i.message}`)).toEqual([
      `2 户号 户号 ${made.customer.accountNo} 已被使用`,
      `3 表号 表号 IMP-0002 已装在户号 ${made.customer.accountNo} 上`,
    ]);
  });

  it('finds in the preview what the filing would refuse, so the commit files every valid row', async () => {
    const rows = [
      header,
      resident(1, { 装表日期: '2025-12-31' }), // before 立户日期 2026-01-05
      resident(2, { 状态日期: '2026-02-30' }),
      resident(3, { 户号: 'GD010000009', 状态: '销户', 表号: '', 表位数: '', 倍率: '', 装表日期: '', 起码: '' }),
      resident(4, { 户号: 'GD010000009' }), // the closed customer's second row brings a meter
      resident(5),
    ];
    const result = (await preview(clerk, await writeWorkbook([{ name: 's', rows }]))).result as { importId: string; validRows: number; issues: { row: number; column: string }[] };
    expect(result.issues.map((i) => [i.row, i.column])).toEqual([
      [2, '装表日期'],
      [3, '状态日期'],
      [4, '状态'],
      [5, '户号'], // held back with its customer
    ]);
    const commit = await finished((await clerk.call('customers.importCommit', { importId: result.importId })).jobId);
    expect(commit.result).toMatchObject({ customers: 1, meters: 1 });
  });

  it("checks each row by createCustomer's rules, so the commit files the preview's records as they are", () => {
    const cells = [
      resident(1),
      resident(2, { 户号: 'gd010000077', 户名: ' 欧阳  娜娜 ', 联系电话: '0755 1234 5678', 身份证号: '11010519491231002x', 备注: ' 老户 ' }),
      resident(3, { 表号: 'imp-tou-3', 分时表: '是', 峰起码: '12.5', 平起码: '30', 谷起码: '7.25', 起码: '49.75' }),
      resident(4, { 用电类别: '一般工商业', 合同容量kVA: '50', 电价代码: ' GEN-GD ', 计量点名称: ' 门面 ', 装表日期: '' }),
    ];
    const columns = mapHeader(header);
    for (const row of cells) {
      const parsed = parseSheetRow(rowOf(row, columns));
      expect(parsed.problems).toEqual([]);
      const asRead = { fields: parsed.fields, accountNo: parsed.accountNo, status: parsed.status, statusDate: parsed.statusDate, points: parsed.point ? [parsed.point] : [] };
      // What createCustomer's rules make of the same record: nothing to refuse, nothing to change.
      expect(checkRecord({ ...parsed.fields, accountNo: parsed.accountNo, status: parsed.status, statusDate: parsed.statusDate, points: asRead.points })).toEqual(asRead);
    }
  });

  it('numbers blank 户号 past the ones the file brings, and refuses the whole commit if the station changed since the check', async () => {
    const rows = [header, resident(1), resident(2, { 户号: 'GD010000002' }), resident(3), resident(4, { 表号: 'IMP-LATER' })];
    const result = (await preview(clerk, await writeWorkbook([{ name: 's', rows }]))).result as { importId: string; issues: unknown[] };
    expect(result.issues).toEqual([]);
    // Meanwhile a clerk installs meter IMP-LATER on another customer: the commit files nothing.
    await clerk.call('customers.create', newCustomerInput({ name: '插队', points: [{ label: '', meter: newMeterInput({ meterNo: 'IMP-LATER' }) }] }));
    const refused = await finished((await clerk.call('customers.importCommit', { importId: result.importId })).jobId);
    expect(refused.status).toBe('failed');
    expect(refused.error?.message).toContain('表号 IMP-LATER 已装在户号 GD010000001 上');
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM customers`)).toBe(1);
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM outbox WHERE entity = 'customer'`)).toBe(1);

    const again = (await preview(clerk, await writeWorkbook([{ name: 's', rows: rows.slice(0, 4) }]))).result as { importId: string };
    await finished((await clerk.call('customers.importCommit', { importId: again.importId })).jobId);
    const accounts = station.backend.store.read.column<string>(sql`SELECT account_no FROM customers WHERE import_batch IS NOT NULL ORDER BY account_no`);
    expect(accounts).toEqual(['GD010000002', 'GD010000003', 'GD010000004']);
    const names = station.backend.store.read.column<string>(sql`SELECT name FROM customers WHERE import_batch IS NOT NULL ORDER BY account_no`);
    expect(names).toEqual(['测试2', '测试1', '测试3']);
  });

  it('refuses a file that is not a workbook, and one crafted to pollute prototypes, writing nothing', async () => {
    const notWorkbook = await preview(clerk, Buffer.from('户名,乡镇\n张三,青山镇\n'), '客户.csv.xlsx');
    expect(notWorkbook.status).toBe('failed');
    expect(notWorkbook.error?.message).toContain('不是 Excel 工作簿');

    const crafted = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(crafted, XLSX.utils.aoa_to_sheet([header, resident(1)]), 'Sheet1');
    XLSX.utils.book_append_sheet(crafted, XLSX.utils.aoa_to_sheet([['__proto__', 'polluted']]), 'x');
    const bytes = XLSX.write(crafted, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    const refused = await preview(clerk, bytes);
    expect(refused.status).toBe('failed');
    expect(refused.error?.message).toContain('不安全的内容');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM customers`)).toBe(0);
  });

  it('reads a workbook saved by a spreadsheet program (SheetJS), dates as date cells', async () => {
    const wb = XLSX.utils.book_new();
    const row: (string | Date)[] = resident(1);
    row[header.indexOf('立户日期')] = new Date(2026, 0, 5);
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([header, row], { cellDates: true }), '客户');
    const result = (await preview(clerk, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', cellDates: true }) as Buffer)).result as { validRows: number; issues: unknown[] };
    expect(result.issues).toEqual([]);
    expect(result.validRows).toBe(1);
  });
});

describe('export', () => {
  it('round-trips every field into a fresh station', async () => {
    await clerk.call('customers.create', newCustomerInput({ name: '张三', idCard: '11010519491231002X', phone2: '0571-88001234', notes: '老户', householdSize: 6, multiPerson: true }));
    await clerk.call('customers.create', newCustomerInput({ name: '青山砖厂', customerClass: 'large_industry', capacityKva: 630, tariffCode: 'LI', householdSize: null, points: [
      { label: '照明', meter: newMeterInput({ meterNo: 'LI-0001', multiplier: 80, digits: 6, tou: true, startReading: 123456, startRegisters: { peak: 30000, flat: 50000, valley: 43456 } }) },
      { label: '动力', meter: newMeterInput({ meterNo: 'LI-0002', multiplier: 200, digits: 6 }) },
    ] }));
    const suspended = await clerk.call('customers.create', newCustomerInput({ name: '李四', points: [] }));
    await clerk.call('customers.suspend', { customerId: suspended.customer.id, date: '2026-04-01' });
    const { jobId } = await clerk.call('customers.export', {});
    const exported = (await finished(jobId)).result as { base64: string; count: number };
    expect(exported.count).toBe(3);

    const fresh = makeTestStation();
    try {
      await fresh.setUp();
      const other = await fresh.staffClient('C001', ['clerk']);
      const { jobId: previewJob } = await other.call('customers.importPreview', { fileName: 'export.xlsx', base64: exported.base64 });
      const p = (await fresh.backend.jobs.finished(previewJob)).result as { importId: string; issues: unknown[]; customers: number };
      expect(p.issues).toEqual([]);
      expect(p.customers).toBe(3);
      await fresh.backend.jobs.finished((await other.call('customers.importCommit', { importId: p.importId })).jobId);
      const dump = async (client: TestClient) => {
        const { rows } = await client.call('customers.list', {});
        return Promise.all(
          rows.map(async (r) => {
            const d = await client.call('customers.get', { customerId: r.id });
            const { id: _id, createdAt: _c, updatedAt: _u, ...customer } = d.customer;
            return { customer, points: d.points.map((p) => ({ label: p.label, meters: p.meters.map(({ id: _m, pointId: _p, ...m }) => m) })) };
          }),
        );
      };
      expect(await dump(other)).toEqual(await dump(clerk));
    } finally {
      fresh.close();
    }
  });
});

describe('demo station', () => {
  it('is the same for the same seed, with staff who can log in', async () => {
    const progress = { tick: async () => {} };
    const names = async (file: string) => {
      await buildDemoStation(file, demoOptions({ customers: 300, seed: 7, asOf: '2026-11-26' }), progress);
      const backend = new Backend({ db: file });
      try {
        return backend.store.read.all(sql`SELECT c.account_no, c.name, c.phone, c.id_card, c.village, c.customer_class, m.meter_no, m.multiplier, m.tou
          FROM customers c JOIN metering_points p ON p.customer_id = c.id JOIN meters m ON m.point_id = p.id ORDER BY c.account_no, m.meter_no`);
      } finally {
        backend.close();
      }
    };
    const a = await names(join(station.dir, 'demo-a.db'));
    const b = await names(join(station.dir, 'demo-b.db'));
    expect(a.length).toBeGreaterThanOrEqual(300);
    expect(a).toEqual(b);
    const classes = new Set(a.map((r) => (r as { customer_class: string }).customer_class));
    expect(classes.size).toBe(4);
    expect(readFileSync(join(station.dir, 'demo-a.db')).subarray(0, 15).toString()).toBe('SQLite format 3');

    const demo = new Backend({ db: join(station.dir, 'demo-a.db') });
    try {
      const roles = demo.store.read.column<string>(sql`SELECT DISTINCT role FROM staff_roles ORDER BY role`);
      expect(roles).toEqual(['admin', 'billing_clerk', 'clerk', 'meter_reader', 'station_head']);
      expect(demo.store.read.value(sql`SELECT count(*) FROM audit_log WHERE action = 'demo.build'`)).toBe(1);
    } finally {
      demo.close();
    }
  }, 90_000); // two demo builds: over 30 s on this shared 2-CPU machine under load
});
