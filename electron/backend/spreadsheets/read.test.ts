import XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { readWorkbook } from './read';
import { writeWorkbook } from '../customers/workbook/write';

function xlsx(rows: unknown[][], dateFormat = false): Buffer {
  const sheet = XLSX.utils.aoa_to_sheet(rows, dateFormat ? { cellDates: true, dateNF: 'yyyy-mm-dd' } : {});
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, '抄表');
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.messageIn('zh-CN');
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('reading an untrusted workbook', () => {
  it('gives the first sheet as text: numbers as typed, date cells as calendar dates', async () => {
    const file = xlsx([['户号', '止码', '抄表日期'], ['GD01', 12345.67, new Date(Date.UTC(2026, 9, 5))], [' GD02 ', 0.5, '2026-10-06']], true);
    expect(await readWorkbook(file, 'a.xlsx')).toEqual({
      sheet: '抄表',
      rows: [['户号', '止码', '抄表日期'], ['GD01', '12345.67', '2026-10-05'], ['GD02', '0.5', '2026-10-06']],
    });
  });

  it('reads back what the workbook writer wrote', async () => {
    const file = await writeWorkbook([{ name: 'B001', rows: [['a', 'b'], ['1', '']] }]);
    expect((await readWorkbook(file, 'b.xlsx')).rows).toEqual([['a', 'b'], ['1', '']]);
  });

  it('refuses a file over the size cap, a non-xlsx file, a damaged zip, too many rows, and a parse over the time limit', async () => {
    const file = xlsx([['a'], ['1'], ['2'], ['3']]);
    expect(await failure(readWorkbook(file, 'big.xlsx', { maxBytes: 100 }))).toMatch(/^文件大小 0\.0 MB 超过上限/);
    expect(await failure(readWorkbook(Buffer.from('a,b\n1,2'), 'c.csv'))).toBe('c.csv 不是可读取的 xlsx 工作簿：not an xlsx (zip) file');
    expect(await failure(readWorkbook(Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.alloc(200, 7)]), 'd.xlsx'))).toMatch(/^d\.xlsx 不是可读取的 xlsx 工作簿：/);
    expect(await failure(readWorkbook(file, 'e.xlsx', { maxRows: 2 }))).toBe('工作簿超过 2 行，请分成几个文件导入');
    expect(await failure(readWorkbook(file, 'f.xlsx', { timeoutMs: 1 }))).toBe('读取工作簿超过 1 秒仍未完成，文件可能已损坏');
  });
});
