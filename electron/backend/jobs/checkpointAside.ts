import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { bundledStoreWorkerPath, driverEntry } from '../db/parallelRead';

// A long job's quiet checkpoints on a thread of their own (issue 18, jobs/pace.ts checkpointNow).
// While nobody else writes to the file, the PASSIVE checkpoint between two slices — copying the
// slices' frames into the file and waiting for the disk twice — runs on a worker thread with its
// own connection (db/checkpointWorker.mjs) while the job goes on with its next slices, instead of
// stopping the job for it. On a loaded disk those waits were what made a sliced job slower than
// its one transaction: 63 fsyncs for the 50,000-row customer-import commit against 5, and its
// time between slices doubled (1.3–1.6 s to 2.7–3.0 s) beside a neighbour writing and syncing.
// A checkpoint aside takes no lock that a slice or a payment waits for. While it runs, a
// payment's own commit finds the checkpoint taken and leaves the copying to it.

/** A checkpoint that ran aside: the frames the WAL then held (-1: it could not run). */
export interface AsideResult {
  frames: number;
  /** The job's slices it covered (those before it started). */
  slices: number;
}

/** Where the worker is: beside this module from source, beside the bundle in the desktop build (as queryWorker.mjs). */
function workerScript(): URL {
  return import.meta.url
    ? new URL('../db/checkpointWorker.mjs', import.meta.url)
    : pathToFileURL(bundledStoreWorkerPath(__dirname, 'checkpointWorker.mjs'));
}

/** The worker's answer once it cannot open the file (db/checkpointWorker.mjs). */
const CANNOT_OPEN = -2;

/** How long the thread stays after its last checkpoint before it closes (the job has ended or stopped). */
const IDLE_CLOSE_MS = 2_000;

/** One job connection's checkpoint thread (started on first use, closed when idle or at the job's end). */
export class CheckpointAside {
  private worker: Worker | undefined;
  private readonly signal = new Int32Array(new SharedArrayBuffer(12));
  private covering = 0;
  private idle: NodeJS.Timeout | undefined;
  /** Why the thread could not be used (the job then checkpoints on its own thread); null while it can. */
  failure: string | null = null;
  /** Checkpoints started aside (tests). */
  started = 0;

  constructor(private readonly store: { file: string; nativeBinding?: string | undefined }) {}

  /** Whether the thread has been started and not closed (its connection may still be opening). */
  get spawned(): boolean {
    return this.worker !== undefined;
  }

  /** Whether the thread has its connection open, ready for a checkpoint. */
  get ready(): boolean {
    return Atomics.load(this.signal, 2) === 1;
  }

  /** Whether a checkpoint is running aside now. */
  get running(): boolean {
    return Atomics.load(this.signal, 0) === 1;
  }

  /**
   * Starts a checkpoint aside covering the job's `slices` since its last one; false when it
   * cannot (the thread failed, is still opening its connection, or one still runs): the caller
   * checkpoints on its own thread instead. The first call starts the thread, which takes a moment
   * to load the driver and open the file (~0.1 s, more on a busy machine): until it is ready the
   * job does not wait for it.
   */
  start(slices: number): boolean {
    if (Atomics.load(this.signal, 1) === CANNOT_OPEN) this.failed('the checkpoint thread could not open the file');
    if (this.failure !== null || this.running) return false;
    const worker = this.worker ?? this.spawn();
    if (!worker) return false;
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.closeWhenIdle(), IDLE_CLOSE_MS);
    this.idle.unref();
    if (!this.ready) return false;
    this.covering = slices;
    this.started += 1;
    Atomics.store(this.signal, 0, 1);
    worker.postMessage({ checkpoint: true });
    return true;
  }

  /**
   * Waits, blocking this thread (at most `ms`), for a checkpoint running aside to end: what it
   * did, or undefined when none ran or it has not ended.
   */
  settle(ms = 10_000): AsideResult | undefined {
    if (this.covering === 0) return undefined;
    if (this.running) Atomics.wait(this.signal, 0, 1, ms);
    if (this.running) return undefined;
    const result = { frames: Atomics.load(this.signal, 1), slices: this.covering };
    this.covering = 0;
    if (result.frames === CANNOT_OPEN) this.failed('the checkpoint thread could not open the file');
    return result;
  }

  /** Ends the thread once no checkpoint runs (its connection closes). */
  close(): void {
    clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    this.settle();
    Atomics.store(this.signal, 2, 0);
    worker.postMessage({ close: true });
  }

  private failed(why: string): void {
    if (this.failure !== null) return;
    this.failure = why;
    console.warn(`${this.store.file}: the job's checkpoints run on its own thread (${why}).`);
  }

  private closeWhenIdle(): void {
    if (this.running) {
      this.idle = setTimeout(() => this.closeWhenIdle(), IDLE_CLOSE_MS);
      this.idle.unref();
      return;
    }
    this.close();
  }

  private spawn(): Worker | undefined {
    if (!this.store.file || this.store.file === ':memory:') {
      this.failure = 'an in-memory store has no WAL to copy';
      return undefined;
    }
    try {
      const worker = new Worker(workerScript(), {
        workerData: { file: this.store.file, nativeBinding: this.store.nativeBinding, driverEntry: driverEntry(), signal: this.signal.buffer },
      });
      worker.unref();
      const gone = (why: string) => {
        // A thread closed already (close(), perhaps a newer one started since) has let go of the flags.
        if (this.worker !== worker) return;
        this.worker = undefined;
        Atomics.store(this.signal, 2, 0);
        if (why) this.failed(why);
        // A checkpoint the thread never finished: nobody waits for it.
        if (this.running) {
          Atomics.store(this.signal, 1, -1);
          Atomics.store(this.signal, 0, 0);
          Atomics.notify(this.signal, 0);
        }
      };
      worker.on('message', (message: { failed?: string }) => {
        if (!message.failed) return;
        gone(message.failed);
        worker.postMessage({ close: true });
      });
      worker.on('error', (error) => gone(error.stack ?? error.message));
      worker.on('exit', () => gone(''));
      this.worker = worker;
      return worker;
    } catch (error) {
      this.failed(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  }
}
