// Reading an untrusted workbook: size cap here, parsing in readWorker.mjs (frozen prototypes,
// only the first sheet's values), a time limit that terminates the worker.
import { Worker } from 'node:worker_threads';

export const MAX_WORKBOOK_BYTES = 30 * 1024 * 1024;
export const READ_TIME_LIMIT_MS = 60_000;

export type WorkbookRefusal = 'notWorkbook' | 'tooBig' | 'timeout' | 'refused' | 'noSheet';

export class WorkbookError extends Error {
  override name = 'WorkbookError';
  constructor(readonly reason: WorkbookRefusal) {
    super(`workbook refused: ${reason}`);
  }
}

export interface SheetRows {
  /** Every row of the first sheet as text cells (row 0 is the header), at most maxRows + 1. */
  rows: string[][];
  sheetName: string;
  /** The sheet had more rows than were read. */
  truncated: boolean;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export async function readWorkbook(bytes: Uint8Array, options: { maxRows: number; timeLimitMs?: number }): Promise<SheetRows> {
  if (bytes.byteLength > MAX_WORKBOOK_BYTES) throw new WorkbookError('tooBig');
  // An .xlsx is a zip: anything else (a CSV, an old .xls, a renamed file) is refused before parsing.
  if (bytes.byteLength < 4 || ZIP_MAGIC.some((b, i) => bytes[i] !== b)) throw new WorkbookError('notWorkbook');
  // A copy to hand over to the worker (a Node Buffer may be a view on a shared pool: never transfer that).
  const copy = new Uint8Array(bytes).buffer;
  const worker = new Worker(new URL('./readWorker.mjs', import.meta.url), {
    workerData: { bytes: copy, maxRows: options.maxRows },
    transferList: [copy],
    resourceLimits: { maxOldGenerationSizeMb: 1536 },
  });
  return new Promise<SheetRows>((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new WorkbookError('timeout'));
    }, options.timeLimitMs ?? READ_TIME_LIMIT_MS);
    const done = () => clearTimeout(timer);
    worker.once('message', (message: { ok: true; rows: string[][]; sheetName: string; truncated: boolean } | { ok: false; reason: WorkbookRefusal }) => {
      done();
      void worker.terminate();
      if (message.ok) resolve({ rows: message.rows, sheetName: message.sheetName, truncated: message.truncated });
      else reject(new WorkbookError(message.reason));
    });
    worker.once('error', () => {
      done();
      reject(new WorkbookError('notWorkbook'));
    });
    worker.once('exit', (code) => {
      done();
      if (code !== 0) reject(new WorkbookError('notWorkbook'));
    });
  });
}
