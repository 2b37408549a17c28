// Reading an untrusted workbook: size cap here, parsing in readWorker.mjs (frozen prototypes,
// only the first sheet's values, read as a stream), a time limit that terminates the worker.
// Rows arrive in batches while the worker reads on, so the caller checks one batch while the
// next is parsed, and the sheet is never held whole as text, cells and rows at once.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export const MAX_WORKBOOK_BYTES = 30 * 1024 * 1024;
export const READ_TIME_LIMIT_MS = 60_000;
/** Columns read from each row; cells further right are ignored (the customer sheet has 28). */
export const MAX_COLUMNS = 100;

export type WorkbookRefusal = 'notWorkbook' | 'tooBig' | 'timeout' | 'refused' | 'noSheet';

export class WorkbookError extends Error {
  override name = 'WorkbookError';
  constructor(readonly reason: WorkbookRefusal) {
    super(`workbook refused: ${reason}`);
  }
}

/** A row of the first sheet that has a value: its Excel row number and text cells ('' where empty). */
export interface WorkbookRow {
  row: number;
  cells: string[];
}

export interface ReadOptions {
  /** Rows after the first (the header) to read at most; more are not read (`truncated`). */
  maxRows: number;
  timeLimitMs?: number;
  /** Called with each batch of rows, in order; what it throws stops the reading and is rethrown. */
  onRows(rows: WorkbookRow[]): void;
  /** Told the sheet's declared number of rows (its dimension), when it has one: for a progress bar. */
  onSize?(rows: number): void;
}

export interface WorkbookRead {
  sheetName: string;
  /** The sheet had more rows than were read. */
  truncated: boolean;
}

type WorkerMessage =
  | { type: 'rows'; rows: WorkbookRow[] }
  | { type: 'size'; rows: number }
  | { type: 'done'; sheetName: string; truncated: boolean }
  | { type: 'refused'; reason: WorkbookRefusal };

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/**
 * Where the desktop build keeps the worker: scripts/build-electron.mjs writes it beside the
 * bundle (`dir`), and electron-builder keeps it out of app.asar (`asarUnpack`), since a worker's
 * ES module is loaded from a real file, not from inside the archive.
 */
export function bundledWorkerPath(dir: string): string {
  return join(dir, 'readWorker.mjs').replace(/\.asar([\\/])/, '.asar.unpacked$1');
}

/**
 * The worker's script: beside this module when run from source (the CLI through tsx, the tests);
 * beside the bundle in the desktop build, where esbuild leaves `import.meta` empty and `__dirname`
 * is the bundle's folder.
 */
function workerScript(): URL {
  return import.meta.url ? new URL('./readWorker.mjs', import.meta.url) : pathToFileURL(bundledWorkerPath(__dirname));
}

export async function readWorkbook(bytes: Uint8Array, options: ReadOptions): Promise<WorkbookRead> {
  if (bytes.byteLength > MAX_WORKBOOK_BYTES) throw new WorkbookError('tooBig');
  // An .xlsx is a zip: anything else (a CSV, an old .xls, a renamed file) is refused before parsing.
  if (bytes.byteLength < 4 || ZIP_MAGIC.some((b, i) => bytes[i] !== b)) throw new WorkbookError('notWorkbook');
  // A copy to hand over to the worker (a Node Buffer may be a view on a shared pool: never transfer that).
  const copy = new Uint8Array(bytes).buffer;
  const worker = new Worker(workerScript(), {
    workerData: { bytes: copy, maxRows: options.maxRows, maxColumns: MAX_COLUMNS },
    transferList: [copy],
    resourceLimits: { maxOldGenerationSizeMb: 512 },
  });
  return new Promise<WorkbookRead>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(() => finish(() => reject(new WorkbookError('timeout'))), options.timeLimitMs ?? READ_TIME_LIMIT_MS);
    worker.on('message', (message: WorkerMessage) => {
      if (settled) return;
      try {
        if (message.type === 'rows') options.onRows(message.rows);
        else if (message.type === 'size') options.onSize?.(message.rows);
        else if (message.type === 'done') finish(() => resolve({ sheetName: message.sheetName, truncated: message.truncated }));
        else finish(() => reject(new WorkbookError(message.reason)));
      } catch (error) {
        finish(() => reject(error));
      }
    });
    worker.once('error', () => finish(() => reject(new WorkbookError('notWorkbook'))));
    worker.once('exit', () => finish(() => reject(new WorkbookError('notWorkbook'))));
  });
}
