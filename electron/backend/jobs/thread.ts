import { Worker } from 'node:worker_threads';
import type { Actor } from '../audit/record';
import type { BillingScope } from '../billing/calculate';
import type { Backend } from '../context';
import { AppError } from '../errors';
import type { JobProgress } from './runner';

// Long jobs on a thread of their own (issue 18): in browser mode and the CLI the back end serves
// every call on one thread, and a whole station's billing run reads for seconds before it writes
// its first slice. On a worker thread with its own connection to the station file the job holds
// only that thread; the host's thread keeps answering (a payment waits for one write slice at
// most, the run's slices and the payment's transaction taking turns at the file's write lock).
// The job's code is the same; only where it runs changes. The desktop bundle runs jobs on the
// back-end process's thread (the window is another process already): the thread is started only
// from source (`import.meta.url` set: the CLI and `griddesk serve` through tsx).

/** A job a thread can run: what it does and with what, as plain data. */
export type ThreadJob = { kind: 'billing.run'; actor: Actor; scope: BillingScope };

export interface ThreadJobData {
  entry: string;
  store: { db: string; nativeBinding?: string | undefined; migrationsDir?: string | undefined; backupsDir: string };
  job: ThreadJob;
}

export type FromJobThread =
  | { type: 'tick'; done: number; total?: number | undefined; message?: string | undefined }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: { code: AppError['code']; key: AppError['key']; params: AppError['params'] } | { message: string } };

/** Whether this build can start a job thread (from source; not in the desktop bundle). */
export function jobThreadsAvailable(): boolean {
  return Boolean(import.meta.url);
}

/**
 * Runs `job` on a worker thread with its own connection; resolves with its result, rejects with
 * its AppError (so the message is the clerk's, in their language) or an Error. `fallback` runs the
 * job here instead if the thread could not start (before it did anything).
 */
export function runInJobThread<T>(backend: Backend, job: ThreadJob, progress: JobProgress, fallback: () => Promise<T>): Promise<T> {
  if (!jobThreadsAvailable()) return fallback();
  const data: ThreadJobData = {
    entry: new URL('./threadMain.ts', import.meta.url).href,
    store: { db: backend.paths.db, nativeBinding: backend.driver.nativeBinding, migrationsDir: backend.driver.migrationsDir, backupsDir: backend.paths.backupsDir },
    job,
  };
  return new Promise<T>((resolve, reject) => {
    let heard = false;
    let settled = false;
    const settle = (how: () => void) => {
      if (settled) return;
      settled = true;
      how();
    };
    let worker: Worker;
    try {
      worker = new Worker(new URL('./threadBoot.mjs', import.meta.url), { workerData: data });
    } catch (error) {
      console.warn('job thread could not start; the job runs on the back end’s thread', error);
      fallback().then(resolve, reject);
      return;
    }
    worker.on('message', (message: FromJobThread) => {
      heard = true;
      if (message.type === 'tick') void progress.tick(message.done, message.total, message.message);
      else if (message.type === 'done') settle(() => resolve(message.result as T));
      else {
        const { error } = message;
        settle(() => reject('key' in error ? new AppError(error.code, error.key, error.params) : new Error(error.message)));
      }
    });
    worker.on('error', (error) => {
      if (!heard && !settled) {
        settled = true;
        console.warn('job thread could not start; the job runs on the back end’s thread', error);
        fallback().then(resolve, reject);
        return;
      }
      settle(() => reject(error));
    });
    worker.on('exit', (code) => settle(() => reject(new Error(`job thread exited (${code})`))));
  });
}
