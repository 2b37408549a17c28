import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { writeWorkbook } from './write';

// A screen table's export (DataTable → system.exportTable) writes amounts and quantities as
// numbers beside text cells; text keeps its leading zeros, money shows two decimals.
describe('writeWorkbook with number cells', () => {
  it.each([
    { name: 'money beside text', row: ['0012345678', 409.82, '王芳'], formats: [undefined, 'money' as const, undefined], expected: ['0012345678', 409.82, '王芳'], shown: ['0012345678', '409.82', '王芳'] },
    { name: 'whole yuan still shows two decimals', row: ['A', 1200, 'B'], formats: [undefined, 'money' as const, undefined], expected: ['A', 1200, 'B'], shown: ['A', '1,200.00', 'B'] },
    { name: 'a plain count', row: ['B01', 37, ''], formats: [], expected: ['B01', 37], shown: ['B01', '37'] },
    { name: 'a number after an empty text cell', row: ['', 12.5, 'x'], formats: [], expected: [undefined, 12.5, 'x'], shown: [undefined, '12.5', 'x'] },
    { name: 'a negative amount', row: ['退', -210.03], formats: [undefined, 'money' as const], expected: ['退', -210.03], shown: ['退', '-210.03'] },
  ])('$name', async ({ row, formats, expected, shown }) => {
    const buffer = await writeWorkbook([{ name: '表', rows: [['户号', '金额', '户名'], row], widths: [12, 12, 12], formats }]);
    const book = XLSX.read(buffer, { type: 'buffer', cellNF: true });
    const sheet = book.Sheets['表']!;
    const values = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true })[1]!;
    expect(values.slice(0, expected.length)).toEqual(expected);
    const texts = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: false })[1]!;
    expect(texts.slice(0, shown.length)).toEqual(shown);
    for (const [i, v] of expected.entries()) {
      if (typeof v === 'number') expect(sheet[XLSX.utils.encode_cell({ r: 1, c: i })]?.t).toBe('n');
      if (typeof v === 'string') expect(sheet[XLSX.utils.encode_cell({ r: 1, c: i })]?.t).toBe('s');
    }
  });

  it('leaves out a number that is not finite rather than writing NaN', async () => {
    const buffer = await writeWorkbook([{ name: 'S', rows: [['a', 'b'], [Number.NaN, 'x']] }]);
    const values = XLSX.utils.sheet_to_json<unknown[]>(XLSX.read(buffer, { type: 'buffer' }).Sheets['S']!, { header: 1, raw: true })[1]!;
    expect(values).toEqual([undefined, 'x']);
  });
});
