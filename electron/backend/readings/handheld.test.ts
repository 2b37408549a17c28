import XLSX from 'xlsx';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReadingImportCommitResult, ReadingImportPreview } from '../../../shared/contract';
import { sql } from '../db/sql';
import type { TestClient } from '../testing';
import { addMeters } from './fixtures';
import { bookWith, households, makeReadingStation, openPeriod, type ReadingStation } from './test-station';

let rs: ReadingStation;
afterEach(() => rs?.station.close());

function workbook(rows: (string | number)[][]): string {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), '抄表');
  return (XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer).toString('base64');
}

async function preview(rs: ReadingStation, client: TestClient, base64: string, period = '2026-11') {
  const { jobId } = await client.call('readings.importPreview', { period, fileName: '抄表机.xlsx', base64 });
  const state = await rs.station.backend.jobs.finished(jobId);
  if (state.status !== 'succeeded') throw new Error(state.error?.message ?? 'failed');
  return state.result as ReadingImportPreview;
}

async function commit(rs: ReadingStation, client: TestClient, previewId: string, confirmRollovers = false) {
  const { jobId } = await client.call('readings.importCommit', { previewId, confirmRollovers });
  const state = await rs.station.backend.jobs.finished(jobId);
  if (state.status !== 'succeeded') throw new Error(state.error?.message ?? 'failed');
  return state.result as ReadingImportCommitResult;
}

const readingCount = () => rs.station.backend.store.read.value<number>(sql`SELECT count(*) FROM readings`);

describe('handheld files (抄表机文件)', () => {
  it('exports a book in order with 起码 and blanks, and reads the same file back', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(3, { startReading: '12.5' }));
    const book = await bookWith(rs, points, 'M001');
    await openPeriod(rs, '2026-11');
    const file = await rs.reader.call('readings.export', { period: '2026-11', bookId: book.id });
    expect(file).toMatchObject({ fileName: `${book.bookNo}-2026-11.xlsx`, rows: 3 });
    const sheet = XLSX.read(Buffer.from(file.base64, 'base64'), { type: 'buffer' });
    const rows = XLSX.utils.sheet_to_json<(string | number)[]>(sheet.Sheets[sheet.SheetNames[0]!]!, { header: 1, defval: '' });
    expect(rows[0]).toEqual(['序号', '户号', '户名', '地址', '表号', '位数', '倍率', '起码', '止码', '抄表日期', '抄表员', '类型', '原因']);
    // Text cells throughout: account and meter numbers keep their zeros.
    expect(rows[1]).toEqual(['1', 'GD01D000001', '住户D1', '青山镇东村1号', 'D-0001', '5', '1', '12.5', '', '', 'M001', '', '']);
    // The terminal fills in readings and dates; the same workbook imports.
    const filled = rows.map((row, i) => (i === 0 ? row : [...row.slice(0, 8), 100 + i, '2026-11-25', 'M001']));
    const result = await preview(rs, rs.reader, workbook(filled));
    expect(result).toMatchObject({ rows: 3, ok: 3, flagged: 0, confirm: 0, errors: 0, lines: [] });
    expect(readingCount()).toBe(0); // nothing written before commit
    expect(await commit(rs, rs.reader, result.previewId)).toEqual({ saved: 3, skipped: 0, rolloversConfirmed: 0 });
    expect(rs.station.backend.store.read.all(sql`SELECT source, value, read_by FROM readings ORDER BY value`)).toEqual([
      { source: 'import', value: 10100, read_by: rs.staffId('M001') },
      { source: 'import', value: 10200, read_by: rs.staffId('M001') },
      { source: 'import', value: 10300, read_by: rs.staffId('M001') },
    ]);
    // The import is audited once for the batch; every reading travels to head office.
    expect(rs.station.backend.store.read.all(sql`SELECT action, summary FROM audit_log WHERE action LIKE 'reading.%'`)).toEqual([
      { action: 'reading.import', summary: expect.stringContaining('"saved":3') },
    ]);
    expect(rs.station.backend.store.read.value(sql`SELECT count(*) FROM outbox WHERE entity = 'reading'`)).toBe(3);
    expect((await rs.reader.fail('readings.importCommit', { previewId: result.previewId })).code).toBe('not_found');
  });

  it('lists exactly the rows with a bad meter number and a non-numeric reading, and commits the rest', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(4));
    await bookWith(rs, points, 'M001');
    await openPeriod(rs, '2026-11');
    const result = await preview(rs, rs.reader, workbook([
      ['表号', '止码', '抄表日期'],
      ['D-0001', 120, '2026-11-25'],
      ['D-9999', 130, '2026-11-25'],
      ['D-0003', '一百四', '2026-11-25'],
      ['D-0004', 150.25, '2026-11-25'],
    ]));
    expect(result).toMatchObject({ rows: 4, ok: 2, errors: 2 });
    expect(result.lines.map((l) => [l.row, l.status, l.errors])).toEqual([
      [3, 'error', [{ column: '表号', message: '表号 D-9999 不在 2026-11 期的抄表任务中' }]],
      [4, 'error', [{ column: '止码', message: '“一百四”不是有效读数（数字，最多 2 位小数）' }]],
    ]);
    expect(await commit(rs, rs.reader, result.previewId)).toMatchObject({ saved: 2 });
    expect(rs.station.backend.store.read.column(sql`SELECT value FROM readings ORDER BY value`)).toEqual([12000, 15025]);
  });

  it('checks rows like the grid: other readers\' books, duplicates, entered meters, rollovers to confirm, warnings', async () => {
    rs = await makeReadingStation();
    const mine = addMeters(rs.station.backend, [
      ...households(2),
      { accountNo: 'GD01N1', name: '满码户', meterNo: 'N-0001', startReading: '99950', installDate: '2026-07-25' },
    ]);
    const theirs = addMeters(rs.station.backend, households(1, {}, 'W'));
    await bookWith(rs, mine, 'M001', 25, '东村一本');
    await bookWith(rs, theirs, 'M002', 25, '西村本');
    await openPeriod(rs, '2026-11');
    await rs.reader.call('readings.save', { period: '2026-11', pointId: mine[1]!.pointId, value: '50', readingDate: '2026-11-25' });
    const result = await preview(rs, rs.reader, workbook([
      ['Account', 'Reading', 'Date', 'Kind', 'Reason'],
      ['GD01D000001', 80, '2026-11-25', '', ''],
      ['GD01D000001', 81, '2026-11-25', '', ''],
      ['GD01D000002', 60, '2026-11-25', '', ''],
      ['GD01N1', 20, '2026-11-25', '', ''],
      ['GD01W000001', 70, '2026-11-25', '', ''],
      ['GD01D000001', '', '2026-13-01', '估抄', ''],
    ]));
    expect(result.lines.map((l) => [l.row, l.status, l.errors.map((e) => `${e.column}: ${e.message}`)])).toEqual([
      [3, 'error', ['户号: 与第 2 行是同一块表']],
      [4, 'error', ['止码: 本期已有读数；导入不覆盖已有读数，如需修改请在录入界面更正']],
      [5, 'confirm', []],
      [6, 'error', ['户号: 抄表本 B002 不是分配给您的，不能录入']],
      [7, 'error', ['户号: 与第 2 行是同一块表', '止码: 缺少止码', '抄表日期: “2026-13-01”不是有效日期']],
    ]);
    expect(result.lines.find((l) => l.row === 5)?.consumption).toBe(7000);
    expect(await commit(rs, rs.reader, result.previewId)).toEqual({ saved: 1, skipped: 1, rolloversConfirmed: 0 });
    const again = await preview(rs, rs.reader, workbook([['户号', '止码', '抄表日期'], ['GD01N1', 20, '2026-11-25']]));
    expect(await commit(rs, rs.reader, again.previewId, true)).toEqual({ saved: 1, skipped: 0, rolloversConfirmed: 1 });
    expect(rs.station.backend.store.read.value(sql`SELECT rollover FROM readings r JOIN meters m ON m.id = r.meter_id WHERE m.meter_no = 'N-0001'`)).toBe(1);
  });

  it('checks every row again at commit when something was written since the preview', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(3));
    await bookWith(rs, points, 'M001');
    await openPeriod(rs, '2026-11');
    const result = await preview(rs, rs.reader, workbook([['表号', '止码', '抄表日期'], ['D-0001', 10, '2026-11-25'], ['D-0002', 20, '2026-11-25'], ['D-0003', 30, '2026-11-25']]));
    expect(result.ok).toBe(3);
    // Meanwhile the reader keys D-0002 on the grid.
    await rs.reader.call('readings.save', { period: '2026-11', pointId: points[1]!.pointId, value: '21', readingDate: '2026-11-25' });
    expect(await commit(rs, rs.reader, result.previewId)).toEqual({ saved: 2, skipped: 1, rolloversConfirmed: 0 });
    expect(rs.station.backend.store.read.column(sql`SELECT value FROM readings ORDER BY value`)).toEqual([1000, 2100, 3000]);
  });

  it('refuses what is not a workbook, and one without the needed header, writing nothing', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(1));
    await bookWith(rs, points, 'M001');
    await openPeriod(rs, '2026-11');
    const notXlsx = await rs.reader.call('readings.importPreview', { period: '2026-11', fileName: 'a.csv', base64: Buffer.from('户号,止码\nGD01D000001,1').toString('base64') });
    expect(await rs.station.backend.jobs.finished(notXlsx.jobId)).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('文件“a.csv”不是 Excel 工作簿（.xlsx），或已损坏') } });
    const noHeader = await rs.reader.call('readings.importPreview', { period: '2026-11', fileName: 'b.xlsx', base64: workbook([['编号', '数'], ['1', 2]]) });
    expect(await rs.station.backend.jobs.finished(noHeader.jobId)).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('没有找到表头') } });
    expect(readingCount()).toBe(0);
  });
});
