import XLSX from 'xlsx';

// Writing a workbook we made ourselves (exports) needs no sandbox: nothing untrusted is parsed.

export type CellValue = string | number | null;

export interface SheetSpec {
  name: string;
  rows: CellValue[][];
  /** Column widths in characters. */
  widths?: number[];
}

export function writeWorkbook(sheets: SheetSpec[]): Buffer {
  const book = XLSX.utils.book_new();
  for (const spec of sheets) {
    const sheet = XLSX.utils.aoa_to_sheet(spec.rows.map((row) => row.map((cell) => (cell === null ? '' : cell))));
    if (spec.widths) sheet['!cols'] = spec.widths.map((wch) => ({ wch }));
    XLSX.utils.book_append_sheet(book, sheet, spec.name);
  }
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}
