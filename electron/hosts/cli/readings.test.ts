import XLSX from 'xlsx';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../backend/audit/record';
import { Backend } from '../../backend/context';
import { createBook, movePoints } from '../../backend/readings/books';
import { addMeters } from '../../backend/readings/fixtures';
import { runGriddesk } from './testing';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const griddesk = (...argv: string[]) => runGriddesk(argv);

/** A station with one book B001 of three households (set up as the books screen would). */
async function station() {
  const dir = mkdtempSync(join(tmpdir(), 'griddesk-cli-readings-'));
  dirs.push(dir);
  const db = join(dir, 'griddesk.db');
  expect((await griddesk('init', '--db', db, '--station', 'GD01', '--name', '青山供电所', '--admin', 'A001', '--password', 'admin1234')).code).toBe(0);
  const backend = new Backend({ db });
  const points = addMeters(backend, [1, 2, 3].map((i) => ({ accountNo: `GD0100000${i}`, name: `住户${i}`, meterNo: `M-00${i}`, installDate: '2025-12-20' })));
  backend.write(SYSTEM_ACTOR, (unit) => {
    const book = createBook(unit, { name: '东村一本', readerId: null, readingDay: 20 });
    movePoints(unit, points.map((p) => p.pointId), book.id);
  });
  backend.close();
  return { dir, db };
}

describe('griddesk readings commands', () => {
  it('lists books, opens a period, exports the handheld file and imports it back, lists and closes', async () => {
    const { dir, db } = await station();
    const books = await griddesk('books', 'list', '--db', db, '--json');
    expect(JSON.parse(books.stdout).rows).toMatchObject([{ bookNo: 'B001', name: '东村一本', points: 3 }]);
    expect((await griddesk('books', 'list', '--db', db)).stdout).toMatch(/B001\s+东村一本\s+—\s+20\s+3\s+是/);

    const open = await griddesk('period', 'open', '2026-01', '--db', db);
    expect(open).toMatchObject({ code: 0, stdout: '2026-01 期已开启：1 本共 3 块表待抄' });

    const file = join(dir, 'B001.xlsx');
    const exported = await griddesk('readings', 'export', '--book', 'b001', '--period', '2026-01', '--out', file, '--db', db);
    expect(exported.code).toBe(0);
    expect(existsSync(`${file}.partial`)).toBe(false);
    const book = XLSX.read(readFileSync(file), { type: 'buffer' });
    const rows = XLSX.utils.sheet_to_json<(string | number)[]>(book.Sheets[book.SheetNames[0]!]!, { header: 1 });
    rows[1]![8] = 31;
    rows[1]![9] = '2026-01-20';
    rows[2]![8] = 'abc';
    rows[2]![9] = '2026-01-20';
    rows[3]![8] = 29.5;
    rows[3]![9] = '2026-01-20';
    const sheet = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(sheet, XLSX.utils.aoa_to_sheet(rows), 'B001');
    writeFileSync(file, XLSX.write(sheet, { type: 'buffer', bookType: 'xlsx' }) as Buffer);

    const preview = await griddesk('readings', 'import', file, '--period', '2026-01', '--db', db);
    expect(preview.code).toBe(1);
    expect(preview.stdout).toContain('3 行，正常 2，有警示 0，待确认翻转 0，错误 1');
    expect(preview.stdout).toContain('第 3 行  错误  M-002  止码: “abc”不是有效读数（数字，最多 2 位小数）');
    expect(preview.stdout).toContain('只是预览，未保存');
    const committed = await griddesk('readings', 'import', file, '--period', '2026-01', '--commit', '--db', db, '--json');
    expect(committed.code).toBe(1);
    expect(JSON.parse(committed.stdout).committed).toEqual({ saved: 2, skipped: 0, rolloversConfirmed: 0 });

    const list = await griddesk('readings', 'list', '--period', '2026-01', '--book', 'B001', '--db', db, '--json');
    expect(JSON.parse(list.stdout).rows.map((r: Record<string, unknown>) => [r.meter, r.previous, r.current, r.consumption, r.status])).toEqual([
      ['M-001', '0', '31', '31', 'clean'],
      ['M-002', '0', null, null, 'not_entered'],
      ['M-003', '0', '29.5', '29.5', 'clean'],
    ]);
    const close = await griddesk('period', 'close', '2026-01', '--db', db);
    expect(close.code).toBe(1);
    expect(close.stderr).toContain('2026-01 期还不能关账：B001 1 块未录入');
  });

  it('exits 2 on a missing option and 1 on a bad period or an unknown book', async () => {
    const { db } = await station();
    expect((await griddesk('readings', 'export', '--period', '2026-01', '--db', db)).code).toBe(2);
    const badPeriod = await griddesk('readings', 'list', '--period', '2026-13', '--db', db);
    expect(badPeriod).toMatchObject({ code: 1, stderr: expect.stringContaining('期别的写法是 YYYY-MM') });
    const noBook = await griddesk('readings', 'list', '--period', '2026-01', '--book', 'B999', '--db', db);
    expect(noBook).toMatchObject({ code: 1, stderr: expect.stringContaining('--book B999：没有这个抄表本') });
  });
});
