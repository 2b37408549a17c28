import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SqlFragment } from './sql';
import { PAGE_CACHE_KIB, type ReadableDB } from './store';

// Reading on the second core (DESIGN.md "Jobs"): a job that must gather much from the station file
// before it computes (the billing run reads a year of ledger entries while it reads the month's
// readings; a big handheld import reads most of its meters' history) hands some of its queries to a worker thread with its own read-only connection, and
// goes on with its own. The rows come back as arrays. It is only an accelerator: if the thread
// cannot start or fails, the job runs the same queries itself (`rowsOf`), so the answer is the same.

/** Where the desktop build keeps a worker of the store (`name`): beside the bundle, outside app.asar (`asarUnpack`). */
export function bundledStoreWorkerPath(dir: string, name: string): string {
  return join(dir, name).replace(/\.asar([\\/])/, '.asar.unpacked$1');
}

/** Beside this module from source; beside the bundle in the desktop build (`import.meta` empty there). */
function workerScript(): URL {
  return import.meta.url ? new URL('./queryWorker.mjs', import.meta.url) : pathToFileURL(bundledStoreWorkerPath(__dirname, 'queryWorker.mjs'));
}

let driverOverride: string | undefined;

/**
 * The driver's entry file, in the desktop bundle (CommonJS), for the worker to load the same one.
 * A desktop job thread (its bundle outside app.asar, the driver inside) is told its host's.
 */
export function driverEntry(): string | undefined {
  return driverOverride ?? (import.meta.url ? undefined : require.resolve('better-sqlite3'));
}

/** A job thread takes its host's driver entry (jobs/threadMain.ts). */
export function useDriverEntry(entry: string | undefined): void {
  driverOverride = entry;
}

export interface StoreFile {
  file: string;
  nativeBinding?: string | undefined;
}

type Answer = { rows: unknown[][][] } | { failed: string };

/** Queries being read on another thread; `rowsOf` gives each one's rows, read here if the thread failed. */
export class ParallelRead {
  /** Why the thread failed (the queries were then read here), for the log; null if it did not. */
  failure: string | null = null;
  private readonly answer: Promise<unknown[][][] | null>;

  private constructor(
    private readonly queries: readonly SqlFragment[],
    start: () => Worker,
  ) {
    this.answer = new Promise((resolve) => {
      let answered = false;
      const fail = (why: string) => {
        if (answered) return;
        answered = true;
        this.failure = why;
        resolve(null);
      };
      let worker: Worker;
      try {
        worker = start();
      } catch (error) {
        fail(error instanceof Error ? error.message : String(error));
        return;
      }
      worker.once('message', (message: Answer) => {
        if ('failed' in message) return fail(message.failed);
        answered = true;
        resolve(message.rows);
      });
      worker.once('error', (error) => fail(error.stack ?? error.message));
      worker.once('exit', (code) => fail(`the query thread exited (${code}) without answering`));
    });
  }

  /** Starts reading `queries` from `store` on a worker thread. */
  static start(store: StoreFile, queries: readonly SqlFragment[]): ParallelRead {
    // Everything that can throw runs inside the constructor's try: a failure here only means the
    // queries are read on this thread.
    return new ParallelRead(queries, () => {
      if (!store.file || store.file === ':memory:') throw new Error('an in-memory store cannot be read from another thread');
      const workerData = {
        file: store.file,
        nativeBinding: store.nativeBinding,
        driverEntry: driverEntry(),
        cacheKib: PAGE_CACHE_KIB,
        queries: queries.map((q) => ({ text: q.text, params: q.params })),
      };
      return new Worker(workerScript(), { workerData });
    });
  }

  /** The rows of every query, as arrays: the thread's, or read with `db` if it failed (and logged). */
  async rowsOf(db: ReadableDB): Promise<unknown[][][]> {
    const rows = await this.answer;
    if (rows) return rows;
    console.warn('a query thread failed; its queries were read on the back end\'s thread.', this.failure);
    return this.queries.map((q) => db.rows(q));
  }

  /** Whether the rows came from the other thread (after `rowsOf`). */
  get helped(): boolean {
    return this.failure === null;
  }
}
