import * as XLSX from 'xlsx';

// Workbooks the collection desk writes (the daily closing, the arrears list). Writing is safe:
// the xlsx advisories concern reading untrusted files, which this desk never does.

export type Cell = string | number | null;

export interface Sheet {
  name: string;
  rows: Cell[][];
  /** Column widths in characters. */
  widths?: number[];
}

export function workbookBase64(sheets: readonly Sheet[]): string {
  const book = XLSX.utils.book_new();
  for (const sheet of sheets) {
    const ws = XLSX.utils.aoa_to_sheet(sheet.rows);
    if (sheet.widths) ws['!cols'] = sheet.widths.map((wch) => ({ wch }));
    XLSX.utils.book_append_sheet(book, ws, sheet.name);
  }
  return XLSX.write(book, { type: 'base64', bookType: 'xlsx', compression: true }) as string;
}

/** Fen as a yuan number for a spreadsheet cell (exact: at most 2 decimals, well inside a double). */
export function yuanCell(fen: number): number {
  return fen / 100;
}
