import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHEET_COLUMNS, sheetRowOf } from '../../../shared/customers/sheet';
import { newCustomerInput, newMeterInput } from '../../backend/customers/fixtures';
import { writeWorkbook } from '../../backend/customers/workbook/write';
import { runGriddesk } from './testing';


let dir: string;
let db: string;
const cli = (...args: string[]) => runGriddesk([...args, '--db', db]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'griddesk-cli-'));
  db = join(dir, 'griddesk.db');
  expect((await cli('init', '--station', 'GD01', '--name', '青山供电所', '--admin', 'A001', '--password', 'admin1234')).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const row = (i: number, phone = `139${String(10_000_000 + i)}`) =>
  sheetRowOf({ ...newCustomerInput({ name: `命令行${i}`, phone }), accountNo: '', status: 'active', statusDate: '2026-01-05' }, { label: '', meter: newMeterInput({ meterNo: `CLI-${1000 + i}` }) });

describe('griddesk customers', () => {
  it('import previews with the bad rows by row and column and exit 1; --commit files the rest', async () => {
    const file = join(dir, 'in.xlsx');
    writeFileSync(file, await writeWorkbook([{ name: 's', rows: [SHEET_COLUMNS.map((c) => c.header), row(1), row(2, '12345'), row(3)] }]));
    const preview = await cli('customers', 'import', file);
    expect(preview.code).toBe(1);
    expect(preview.stdout).toContain('共 3 行：2 行可以导入（2 户），1 行有错误');
    expect(preview.stdout).toContain('第 3 行，联系电话：“12345”不是有效的电话');
    const committed = await cli('customers', 'import', file, '--commit');
    expect(committed.code).toBe(0);
    expect(committed.stdout).toContain('已导入 2 户（2 块表）');
  });

  it('search --json gives account, name, phone, address, meters and status; show prints the file', async () => {
    const found = await cli('customers', 'search', 'ml', '--json');
    expect(found.code).toBe(0);
    const hits = JSON.parse(found.stdout) as Record<string, unknown>[];
    expect(hits).toHaveLength(2);
    expect(hits[0]).toMatchObject({ accountNo: 'GD010000001', name: '命令行1', phone: '13910000001', address: '青山镇 东村 3组12号', meterNos: ['CLI-1001'], status: 'active' });
    const shown = await cli('customers', 'show', 'GD010000001');
    expect(shown.stdout).toContain('GD010000001  命令行1  (正常 2026-01-05)');
    expect(shown.stdout).toContain('CLI-1001');
    expect((await cli('customers', 'search', '没有这个人')).code).toBe(1);
  });

  it('export and template write workbooks; demo refuses a station that is set up', async () => {
    const out = join(dir, 'out.xlsx');
    const exported = await cli('customers', 'export', '--out', out, '--json');
    expect(JSON.parse(exported.stdout)).toMatchObject({ customers: 2 });
    expect((await cli('customers', 'template', '--out', join(dir, 't.xlsx'))).code).toBe(0);
    const demo = await cli('demo', '--customers', '20');
    expect(demo.code).toBe(1);
    expect(demo.stderr).toContain('供电所已经建立');
  });
});
