import { join } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { Actor } from '../audit/record';
import type { BillingScope } from '../billing/calculate';
import type { Backend } from '../context';
import { driverEntry } from '../db/parallelRead';
import type { PendingImport } from '../customers/spreadsheet';
import type { DemoOptions } from '../demo/steps';
import { AppError } from '../errors';
import type { CallStaff } from '../handler';
import type { StoredPreview } from '../readings/handheld';
import type { JobProgress } from './runner';

// Long jobs on a thread of their own (issue 18): in browser mode and the CLI the back end serves
// every call on one thread, and a whole station's billing run reads for seconds before it writes
// its first slice. On a worker thread with its own connection to the station file the job holds
// only that thread; the host's thread keeps answering (a payment waits for one write slice at
// most, the job's slices and the payment's transaction taking turns at the file's write lock).
// The job's code is the same; only where it runs changes. The desktop bundle runs jobs on the
// back-end process runs them on job threads too (dist-electron/job-thread.cjs): a payment from the
// window goes to that process, and a billing run there read for 3.4 s before its first slice on
// the 100,000-customer station, every call waiting meanwhile. The CLI and `griddesk serve` start
// them from their prebuilt bundle (dist-cli/job-thread.cjs, built with it) or from the sources
// through tsx.

/**
 * A job a thread can run: what it does and with what, as plain data (structured-cloned into the
 * thread). What a job kept in the host's memory between its preview and its commit (an import's
 * checked rows) travels with it.
 */
export type ThreadJob =
  | { kind: 'billing.run'; actor: Actor; scope: BillingScope }
  /** `batch` comes without its groups and names: they follow in parts (ThreadOptions.follow). */
  | { kind: 'customers.importCommit'; actor: Actor; importId: string; batch: PendingImport }
  | { kind: 'readings.importCommit'; staff: CallStaff | null; actor: Actor; previewId: string; confirmRollovers: boolean; preview: StoredPreview }
  | { kind: 'readings.openPeriod'; actor: Actor; period: string }
  | { kind: 'sync.export'; actor: Actor; outDir?: string | undefined }
  | { kind: 'backup'; actor: Actor; backupKind: 'manual' | 'daily' }
  | { kind: 'demo.build'; options: DemoOptions };

export interface ThreadJobData {
  entry: string;
  /** The job-thread bundle built with the host's bundle (scripts/cli-bundle.mjs), run instead of `entry` through tsx. */
  bundle?: JobThreadBundle | undefined;
  /** `driverEntry`: the host's better-sqlite3 (db/parallelRead.ts), for the query thread a job starts in the desktop app. */
  store: { db: string; nativeBinding?: string | undefined; migrationsDir?: string | undefined; backupsDir: string; driverEntry?: string | undefined };
  /** The host's version (an export's manifest names it: the same range is the same bytes from either thread). */
  appVersion: string;
  /** The host's clock less the real one when the job starts: the thread's clock follows the host's (tests set a station's clock). */
  clockOffsetMs: number;
  /** Linux: the thread's nice value (the counter's thread is 0); see ThreadOptions.niceness. */
  niceness?: number | undefined;
  /** The thread waits on it for the host's answer to an `ask` (0 waiting, 1 done, 2 failed). */
  answer: SharedArrayBuffer;
  /** Parts of the job's data follow as messages (ToJobThread) before the job may begin. */
  follows?: boolean;
  job: ThreadJob;
}

export type ThreadError = { code: AppError['code']; key: AppError['key']; params: AppError['params']; issues?: AppError['issues'] } | { message: string };

/**
 * A spare thread's data (see keepJobThreadWarm): where its code is, no job. It loads the code,
 * says `ready`, and waits for its job as a message (ToJobThread `job`).
 */
export interface ThreadBootData {
  warm: true;
  entry: string;
  bundle?: JobThreadBundle | undefined;
}

export type FromJobThread =
  | { type: 'tick'; done: number; total?: number | undefined; message?: string | undefined }
  /**
   * `handback`: what the host must know of the job's in-memory state afterwards (an import's
   * preview used or gone). `warm`: the thread had loaded its code before its job came (a spare).
   */
  | { type: 'done'; result: unknown; handback?: unknown; warm?: boolean }
  | { type: 'failed'; error: ThreadError; handback?: unknown; warm?: boolean }
  /** A spare thread has loaded its code and waits for its job. */
  | { type: 'ready' }
  /** The thread waits (Atomics.wait on `answer`) until the host has done `name` (the demo's swap: the host closes its connection first). */
  | { type: 'ask'; name: string };

export interface ThreadOptions {
  /** V8 limits of the thread (the export caps its old generation: its memory is bounded, issue 19). */
  resourceLimits?: ResourceLimits;
  /**
   * Linux: the thread's nice value (0–19). A job that only reads and writes a file (the export)
   * yields the CPU to the counter's thread this way on a busy machine; where the CPU is free it
   * runs as fast. Elsewhere the thread runs at the process's priority.
   */
  niceness?: number;
  /** Told the job's handback when it ends (done or failed). */
  onHandback?: (handback: unknown) => void;
  /** What the host does when the thread asks (see FromJobThread `ask`). */
  answers?: Record<string, () => void>;
  /**
   * Parts of the job's data sent after the thread has started, a turn of the host's loop between
   * them (the thread waits for them all before the job begins). Cloning a big job's data into the
   * thread in one piece held the host's thread: a 50,000-row import's checked rows 0.5 s.
   */
  follow?: Iterable<unknown>;
}

/** What the host sends a thread after it started: a spare's job; the parts of a job's data (ThreadOptions.follow). */
export type ToJobThread = { type: 'job'; data: ThreadJobData } | { type: 'part'; part: unknown } | { type: 'partsDone' };

/** A job-thread bundle: the file, and where its V8 code cache goes (none in the desktop app: its folder is read-only). */
export interface JobThreadBundle {
  file: string;
  cache?: string | undefined;
}

/**
 * The job-thread bundle the host was started with: the CLI's (scripts/cli-bundle.mjs runBundle) or
 * the desktop back end's (electron/backend-main.ts). Loading the back end's code through tsx took a
 * thread 1.0–1.5 s (here, 2026-12-06); a bundle a fraction of that.
 */
function jobThreadBundle(): JobThreadBundle | undefined {
  return (globalThis as { __griddeskJobThread?: JobThreadBundle }).__griddeskJobThread;
}

/** Whether this host can start a job thread: from the sources, the CLI's bundle or the desktop's. */
export function jobThreadsAvailable(): boolean {
  return Boolean(import.meta.url) || jobThreadBundle() !== undefined;
}

/** Where the desktop build keeps the job-thread bundle: beside the back end's, outside app.asar (`asarUnpack`). */
export function bundledJobThreadPath(dir: string): string {
  return join(dir, 'job-thread.cjs').replace(/\.asar([\\/])/, '.asar.unpacked$1');
}

export function toThreadError(error: unknown): ThreadError {
  return error instanceof AppError
    ? { code: error.code, key: error.key, params: error.params, ...(error.issues ? { issues: error.issues } : {}) }
    : { message: String((error as Error)?.message ?? error) };
}

function fromThreadError(error: ThreadError): Error {
  return 'key' in error ? new AppError(error.code, error.key, error.params, error.issues) : new Error(error.message);
}

/** Where a thread's first module is, and the bundle it runs (ThreadJobData `entry`, `bundle`). */
function threadCode(): { entry: string; bundle: JobThreadBundle | undefined } {
  return { entry: import.meta.url ? new URL('./threadMain.ts', import.meta.url).href : '', bundle: jobThreadBundle() };
}

/**
 * The host's Node options less tsx's loader, for a thread that runs a bundle: a worker inherits
 * the host's `execArgv`, so under tsx (the bench, the tests) every thread loaded tsx again before
 * its first line (~50 ms here, 2026-12-06: 70 ms to a worker's first line against 20 ms). The
 * bundle needs no loader; `griddesk` from its bundle and the desktop app run without one anyway.
 */
function bundleExecArgv(): string[] {
  const args = process.execArgv;
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const loader = /^--(require|import|loader|experimental-loader)(=(.*))?$/.exec(arg);
    if (loader) {
      const value = loader[3] ?? args[i + 1] ?? '';
      if (loader[3] === undefined) i++;
      if (/[\\/]tsx[\\/]|^tsx(\/|$)/.test(value)) continue;
      out.push(arg, ...(loader[3] === undefined ? [value] : []));
      continue;
    }
    out.push(arg);
  }
  return out;
}

/** Starts a thread with `workerData`: the desktop's bundle directly, else threadBoot.mjs (which runs the CLI's bundle or the sources). */
function startWorker(workerData: ThreadJobData | ThreadBootData, options: ThreadOptions): Worker {
  const limits = options.resourceLimits ? { resourceLimits: options.resourceLimits } : {};
  const kept = workerData.bundle ? bundleExecArgv() : process.execArgv;
  const execArgv = kept.length !== process.execArgv.length ? { execArgv: kept } : {};
  // The desktop's bundle (`import.meta` empty there) starts the job-thread bundle itself.
  return import.meta.url
    ? new Worker(new URL('./threadBoot.mjs', import.meta.url), { workerData, ...limits, ...execArgv })
    : new Worker(workerData.bundle?.file ?? '', { workerData, ...limits, ...execArgv });
}

// A spare thread per Backend (issue 18 "Nothing waits"): starting a job's thread cost ~0.2 s on
// the 100,000-customer bench (the worker's start, the bundle's code, its modules' set-up: zod's
// schemas of the contract, the messages), a third of a period open's own time. A Backend with
// job threads keeps one thread started ahead, with its code loaded and no job, and gives it the
// next job as a message. It holds no connection while it waits (a restore or the demo's swap
// replaces the file): the job's own connection is opened when the job comes, as before.

/** How long after a Backend starts, and after each job's thread ends, its spare thread starts: not in the host's own start-up, nor beside the job. */
export const WARM_AFTER_MS = 1500;

interface Spare {
  worker: Worker;
  /** It said `ready`: its code is loaded. */
  ready: boolean;
  /** Takes the spare's own listeners off (the job's come on). */
  release(): void;
}

interface Warmth {
  afterMs: number;
  /** Warm even from the sources (through tsx, a second or more of a core): only when the Backend asked for it. */
  fromSources: boolean;
  timer?: ReturnType<typeof setTimeout> | undefined;
  spare?: Spare | undefined;
  closed: boolean;
  /** Job threads of this Backend still running: no spare starts beside them (it would take a core from the job). */
  running: number;
  /** A spare could not start: no more spares for this Backend (each job starts its own thread, as before). */
  failed: boolean;
  /**
   * How each job's thread started: a spare that was ready, a spare still loading, a thread of its
   * own; `saidWarm`, the jobs whose thread said (in its outcome) it had its code before the job came.
   */
  counts: { warm: number; warming: number; fresh: number; saidWarm: number };
}

const warmths = new WeakMap<Backend, Warmth>();

/**
 * Keeps a spare job thread for `backend` (Backend with `jobThreads`; `afterMs` as WARM_AFTER_MS,
 * false for none). From a bundle (the CLI's, the desktop's) by default; from the sources only when
 * `afterMs` is given. The spare never keeps the process alive (`unref`), and `stopJobThreads`
 * (Backend.close) ends it.
 */
export function keepJobThreadWarm(backend: Backend, afterMs?: number | false): void {
  if (afterMs === false) return;
  warmths.set(backend, { afterMs: afterMs ?? WARM_AFTER_MS, fromSources: afterMs !== undefined, closed: false, running: 0, failed: false, counts: { warm: 0, warming: 0, fresh: 0, saidWarm: 0 } });
  scheduleSpare(backend);
}

/** Ends `backend`'s spare thread (a job's thread runs on to its end) and starts no other. */
export function stopJobThreads(backend: Backend): void {
  const warmth = warmths.get(backend);
  if (!warmth) return;
  warmth.closed = true;
  clearTimeout(warmth.timer);
  warmth.timer = undefined;
  const spare = warmth.spare;
  warmth.spare = undefined;
  if (spare) {
    spare.release();
    spare.worker.on('error', () => {}); // an error as it ends is of no interest now
    void spare.worker.terminate();
  }
}

/** Where `backend`'s spare stands, and how its jobs' threads started (tests, the bench). */
export function jobThreadState(backend: Backend): { spare: 'none' | 'starting' | 'ready'; counts: Warmth['counts'] } {
  const warmth = warmths.get(backend);
  const spare = warmth?.spare;
  return { spare: spare ? (spare.ready ? 'ready' : 'starting') : 'none', counts: { ...(warmth?.counts ?? { warm: 0, warming: 0, fresh: 0, saidWarm: 0 }) } };
}

function scheduleSpare(backend: Backend): void {
  const warmth = warmths.get(backend);
  if (!warmth || warmth.closed || warmth.failed || warmth.spare || warmth.timer || warmth.running > 0) return;
  warmth.timer = setTimeout(() => {
    warmth.timer = undefined;
    startSpare(warmth);
  }, warmth.afterMs);
  warmth.timer.unref();
}

function startSpare(warmth: Warmth): void {
  if (warmth.closed || warmth.failed || warmth.spare || warmth.running > 0 || !jobThreadsAvailable()) return;
  const code = threadCode();
  if (!code.bundle && !warmth.fromSources) return;
  let worker: Worker;
  try {
    worker = startWorker({ warm: true, ...code }, {});
  } catch (error) {
    warmth.failed = true;
    console.warn('a spare job thread could not start; each job starts its own', error);
    return;
  }
  const onMessage = (message: FromJobThread) => {
    if (message.type === 'ready') spare.ready = true;
  };
  const onError = (error: unknown) => {
    drop();
    warmth.failed = true;
    console.warn('a spare job thread could not start; each job starts its own', error);
  };
  const drop = () => {
    spare.release();
    if (warmth.spare === spare) warmth.spare = undefined;
  };
  const spare: Spare = {
    worker,
    ready: false,
    release: () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', drop);
    },
  };
  worker.on('message', onMessage);
  worker.on('error', onError);
  worker.on('exit', drop);
  // After the listeners: a 'message' listener refs the worker's port again.
  worker.unref();
  warmth.spare = spare;
}

/** The spare for a job (none for a job with its own V8 limits: those are set as a thread starts). */
function takeSpare(backend: Backend, options: ThreadOptions): Spare | undefined {
  const warmth = warmths.get(backend);
  const spare = warmth?.spare;
  if (!warmth || !spare || options.resourceLimits) return undefined;
  warmth.spare = undefined;
  spare.release();
  warmth.counts[spare.ready ? 'warm' : 'warming'] += 1;
  return spare;
}

/**
 * Runs `job` on a worker thread with its own connection; resolves with its result, rejects with
 * its AppError (so the message is the clerk's, in their language) or an Error. `fallback` runs the
 * job here instead if the thread could not start (before it did anything). The thread is the
 * Backend's spare when it has one (keepJobThreadWarm), else one started for the job.
 */
export function runInJobThread<T>(backend: Backend, job: ThreadJob, progress: JobProgress, fallback: () => Promise<T>, options: ThreadOptions = {}): Promise<T> {
  if (!jobThreadsAvailable()) return fallback();
  const answer = new SharedArrayBuffer(4);
  const data: ThreadJobData = {
    ...threadCode(),
    store: { db: backend.paths.db, nativeBinding: backend.driver.nativeBinding, migrationsDir: backend.driver.migrationsDir, backupsDir: backend.paths.backupsDir, driverEntry: driverEntry() },
    appVersion: backend.appVersion,
    clockOffsetMs: backend.now() - Date.now(),
    answer,
    niceness: options.niceness,
    ...(options.follow ? { follows: true } : {}),
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
    const spare = takeSpare(backend, options);
    try {
      if (spare) {
        worker = spare.worker;
        worker.ref(); // a job keeps its host alive, as a thread started for it does
        worker.postMessage({ type: 'job', data } satisfies ToJobThread);
      } else {
        worker = startWorker(data, options);
        const fresh = warmths.get(backend);
        if (fresh) fresh.counts.fresh += 1;
      }
    } catch (error) {
      console.warn('job thread could not start; the job runs on the back end’s thread', error);
      if (spare) {
        void spare.worker.terminate();
        scheduleSpare(backend);
      }
      fallback().then(resolve, reject);
      return;
    }
    // The next spare a while after this job's thread has ended (not beside the job).
    const warmth = warmths.get(backend);
    if (warmth) warmth.running += 1;
    worker.once('exit', () => {
      if (warmth) warmth.running -= 1;
      scheduleSpare(backend);
    });
    const flag = new Int32Array(answer);
    if (options.follow) void sendParts(worker, options.follow, () => settled);
    worker.on('message', (message: FromJobThread) => {
      if (message.type === 'ready') return; // a spare that was still loading: its code is in, the job was sent
      heard = true;
      if (message.type === 'tick') void progress.tick(message.done, message.total, message.message);
      else if (message.type === 'ask') {
        let outcome = 1;
        try {
          options.answers?.[message.name]?.();
        } catch (error) {
          console.error(`job thread: the host could not do ${message.name}`, error);
          outcome = 2;
        }
        Atomics.store(flag, 0, outcome);
        Atomics.notify(flag, 0);
      } else {
        if (message.handback !== undefined) options.onHandback?.(message.handback);
        const warmth = warmths.get(backend);
        if (message.warm && warmth) warmth.counts.saidWarm += 1;
        if (message.type === 'done') settle(() => resolve(message.result as T));
        else settle(() => reject(fromThreadError(message.error)));
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

/** Posts `parts` to the thread one at a time, a turn of this thread's loop between (ThreadOptions.follow). */
async function sendParts(worker: Worker, parts: Iterable<unknown>, stopped: () => boolean): Promise<void> {
  try {
    for (const part of parts) {
      if (stopped()) return;
      worker.postMessage({ type: 'part', part } satisfies ToJobThread);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (!stopped()) worker.postMessage({ type: 'partsDone' } satisfies ToJobThread);
  } catch (error) {
    // The thread is gone (its exit settles the job); nothing more to send.
    if (!stopped()) console.warn('job thread: a part of the job could not be sent', error);
  }
}
