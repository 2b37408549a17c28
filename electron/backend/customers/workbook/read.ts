// Reading an untrusted workbook: size cap here, parsing in readWorker.mjs (frozen prototypes,
// only the first sheet's values, read as a stream), a time limit that terminates the worker.
// Rows arrive in batches while the worker reads on, so the caller checks one batch while the
// next is parsed, and the sheet is never held whole as text, cells and rows at once.
// Memory is bounded on any input (issue 15): the worker has a heap limit, the text it hands
// over is capped (MAX_TEXT_CHARS, cells × characters), batches are bounded in rows and
// characters, and at most two are in flight (the worker waits on a shared counter this thread
// advances). The time limit is checked by a timer, on every message, and in the worker itself.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export const MAX_WORKBOOK_BYTES = 30 * 1024 * 1024;
export const READ_TIME_LIMIT_MS = 60_000;
/**
 * Characters of cell text a workbook may hand over, counted per cell (a shared string named by
 * 100,000 cells counts 100,000 times, as it becomes that many copies), shared strings included:
 * 32 million, about 330 per row of a 100,000-row file, several times what a real customer
 * file holds (~60 per row), and at most ~64 MB of strings.
 */
export const MAX_TEXT_CHARS = 32 * 1024 * 1024;
/** What one part of the zip may unpack to (readWorker.mjs PART_CAP): a zip bomb stops here. */
export const MAX_UNPACKED_BYTES = 512 * 1024 * 1024;
/** The reader thread's heap (old generation); a file that needs more is refused as too much text. */
export const WORKER_HEAP_MB = 160;
/** Columns read from each row; cells further right are ignored (the customer sheet has 28). */
export const MAX_COLUMNS = 100;

export type WorkbookRefusal =
  | 'notWorkbook'
  | 'tooBig'
  | 'unpackedTooBig'
  | 'tooMuchText'
  | 'encrypted'
  | 'oldFormat'
  | 'empty'
  | 'timeout'
  | 'refused'
  | 'noSheet';

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
  /** Characters of cell text to hand over at most (MAX_TEXT_CHARS). */
  maxChars?: number;
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
/** An OLE compound file: an old .xls, or an Office file saved with a password (its package is encrypted inside one). */
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** The stream an encrypted Office file keeps its package in (a UTF-16 name in the compound file's directory). */
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');

const startsWith = (bytes: Uint8Array, magic: number[]) => bytes.byteLength >= magic.length && magic.every((b, i) => bytes[i] === b);

/** Why bytes that are not a zip cannot be a workbook we read: empty, saved with a password, an old .xls, anything else. */
function notZip(bytes: Uint8Array): WorkbookRefusal {
  if (bytes.byteLength === 0) return 'empty';
  if (startsWith(bytes, OLE_MAGIC)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(ENCRYPTED_PACKAGE) ? 'encrypted' : 'oldFormat';
  return 'notWorkbook';
}

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
  // An .xlsx is a zip: anything else (a CSV, an old .xls, a file saved with a password, a renamed
  // file) is refused before parsing, with what it is when that can be told.
  if (!startsWith(bytes, ZIP_MAGIC)) throw new WorkbookError(notZip(bytes));
  const timeLimit = options.timeLimitMs ?? READ_TIME_LIMIT_MS;
  const deadline = Date.now() + timeLimit;
  // A copy to hand over to the worker (a Node Buffer may be a view on a shared pool: never transfer that).
  const copy = new Uint8Array(bytes).buffer;
  // handled[0]: batches this thread has handled; the worker waits on it (back-pressure).
  const flow = new SharedArrayBuffer(4);
  const handled = new Int32Array(flow);
  const worker = new Worker(workerScript(), {
    workerData: { bytes: copy, maxRows: options.maxRows, maxColumns: MAX_COLUMNS, maxChars: options.maxChars ?? MAX_TEXT_CHARS, deadline, flow },
    transferList: [copy],
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 16 },
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
    const timeout = () => finish(() => reject(new WorkbookError('timeout')));
    const timer = setTimeout(timeout, timeLimit);
    worker.on('message', (message: WorkerMessage) => {
      if (settled) return;
      // The timer cannot fire while this thread is busy with a queue of messages: each one is
      // checked against the deadline too.
      if (Date.now() > deadline) return timeout();
      try {
        if (message.type === 'rows') {
          options.onRows(message.rows);
          Atomics.add(handled, 0, 1);
          Atomics.notify(handled, 0);
        } else if (message.type === 'size') options.onSize?.(message.rows);
        else if (message.type === 'done') finish(() => resolve({ sheetName: message.sheetName, truncated: message.truncated }));
        else finish(() => reject(new WorkbookError(message.reason)));
      } catch (error) {
        finish(() => reject(error));
      }
    });
    // Out of its heap: the file needed more memory than any real workbook does.
    worker.once('error', (error: Error & { code?: string }) =>
      finish(() => reject(new WorkbookError(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'tooMuchText' : 'notWorkbook'))),
    );
    worker.once('exit', () => finish(() => reject(new WorkbookError('notWorkbook'))));
  });
}
