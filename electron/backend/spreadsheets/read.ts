import { Worker } from 'node:worker_threads';
import { AppError } from '../errors';

// Reading an untrusted workbook (a handheld terminal's file, a customer list): size cap first,
// then the parse in a worker thread with a time limit (see worker.mjs). Callers get the text of
// the first sheet's cells, row by row, and decide what each column means.

export interface SheetText {
  sheet: string;
  /** rows[0] is the first row of the sheet (usually the header). Cells are trimmed text. */
  rows: string[][];
}

export interface ReadLimits {
  /** Refuse files larger than this (bytes). */
  maxBytes?: number;
  /** Kill the parse after this long (ms). */
  timeoutMs?: number;
  /** Data rows allowed (beyond the header row). */
  maxRows?: number;
  /** Columns read (the rest are ignored). */
  maxColumns?: number;
}

export const DEFAULT_LIMITS: Required<ReadLimits> = { maxBytes: 20 * 1024 * 1024, timeoutMs: 30_000, maxRows: 60_000, maxColumns: 40 };

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Reads the first sheet of an xlsx workbook safely. Throws AppError with a clerk's message. */
export function readWorkbook(bytes: Uint8Array, fileName: string, limits: ReadLimits = {}): Promise<SheetText> {
  const { maxBytes, timeoutMs, maxRows, maxColumns } = { ...DEFAULT_LIMITS, ...limits };
  if (bytes.byteLength > maxBytes) {
    return Promise.reject(new AppError('validation', 'import.tooLarge', { size: megabytes(bytes.byteLength), limit: megabytes(maxBytes) }));
  }
  // xlsx is a zip file: anything else (xls, csv, html posing as a workbook) is refused unread.
  if (bytes.byteLength < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) {
    return Promise.reject(new AppError('validation', 'import.notWorkbook', { fileName, reason: 'not an xlsx (zip) file' }));
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.mjs', import.meta.url), {
      workerData: { bytes, maxRows, maxColumns },
      resourceLimits: { maxOldGenerationSizeMb: 1024 },
    });
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      action();
    };
    const timer = setTimeout(
      () => finish(() => reject(new AppError('validation', 'import.timeout', { seconds: Math.ceil(timeoutMs / 1000) }))),
      timeoutMs,
    );
    worker.once('message', (message: { ok: true; sheet: string; rows: string[][]; truncated: boolean } | { ok: false; reason: string }) =>
      finish(() => {
        if (!message.ok) reject(new AppError('validation', 'import.notWorkbook', { fileName, reason: message.reason }));
        else if (message.truncated) reject(new AppError('validation', 'import.tooManyRows', { limit: maxRows }));
        else resolve({ sheet: message.sheet, rows: message.rows });
      }),
    );
    worker.once('error', (error) => finish(() => reject(new AppError('validation', 'import.notWorkbook', { fileName, reason: error.message.slice(0, 200) }))));
    worker.once('exit', (code) => finish(() => reject(new AppError('validation', 'import.notWorkbook', { fileName, reason: `parser stopped (${code})` }))));
  });
}
