// A job thread (see thread.ts): opens the station file on its own connection, runs the job it was
// given with the same code the back end's thread would, and reports progress and the outcome.
import { parentPort, workerData } from 'node:worker_threads';
import { Backend } from '../context';
import { useDriverEntry } from '../db/parallelRead';
import { AppError } from '../errors';
import { setThreadNiceness } from './niceness.mjs';
import { yieldToLoop } from './runner';
import { toThreadError, type FromJobThread, type ThreadJob, type ThreadJobData, type ToJobThread } from './thread';

const { store, job, appVersion, clockOffsetMs, answer, follows, niceness } = workerData as ThreadJobData;
// Set by threadBoot.mjs already where it ran; the desktop's threads start here.
setThreadNiceness(niceness);
useDriverEntry(store.driverEntry);

const send = (message: FromJobThread) => parentPort?.postMessage(message);
const backend = new Backend({
  db: store.db,
  backupsDir: store.backupsDir,
  appVersion,
  ...(clockOffsetMs ? { now: () => Date.now() + clockOffsetMs } : {}),
  ...(store.nativeBinding ? { nativeBinding: store.nativeBinding } : {}),
  ...(store.migrationsDir ? { migrationsDir: store.migrationsDir } : {}),
});
const progress = {
  tick: async (done: number, total?: number, message?: string) => {
    send({ type: 'tick', done, total, message });
    await yieldToLoop();
  },
};

/** Waits (blocking this thread only) until the host has done `name`. */
function ask(name: string): void {
  const flag = new Int32Array(answer);
  Atomics.store(flag, 0, 0);
  send({ type: 'ask', name });
  Atomics.wait(flag, 0, 0);
  if (Atomics.load(flag, 0) !== 1) throw new Error(`the back end's thread could not do ${name}`);
}

/**
 * The job, and what the host must learn of its in-memory state afterwards. Each kind loads only
 * its own modules: a thread that exports loads the sync code, not the billing run or the demo
 * builder (less memory, a quicker start).
 */
async function run(job: ThreadJob): Promise<{ result: Promise<unknown>; handback?: () => unknown }> {
  switch (job.kind) {
    case 'billing.run': {
      const { runBilling } = await import('../billing/run');
      return { result: runBilling(backend, job.actor, job.scope, progress) };
    }
    case 'customers.importCommit': {
      const { adoptPendingImport, commitImport, pendingImportState } = await import('../customers/spreadsheet');
      adoptPendingImport(job.batch, await parts());
      return { result: commitImport(backend, job.actor, job.importId, progress), handback: () => pendingImportState(job.importId) };
    }
    case 'readings.importCommit': {
      const { commitImport, keepPreview } = await import('../readings/handheld');
      keepPreview(backend, job.previewId, job.preview);
      return { result: commitImport(backend, job.staff, job.actor, job.previewId, job.confirmRollovers, { progress }) };
    }
    case 'readings.openPeriod': {
      const { openPeriod } = await import('../readings/periods');
      return { result: openPeriod(backend, job.actor, job.period, progress) };
    }
    case 'sync.export': {
      const { exportBatch } = await import('../sync/station');
      return { result: exportBatch(backend, job.actor, { ...(job.outDir ? { outDir: job.outDir } : {}), progress: (done, total) => progress.tick(done, total) }) };
    }
    case 'backup': {
      const { startBackupWork } = await import('../backup/backup');
      return { result: startBackupWork(backend, job.actor, job.backupKind, progress, { ownConnection: true }) };
    }
    case 'demo.build': {
      const { buildDemoInPlace } = await import('../demo/build');
      return { result: buildDemoInPlace(backend, job.options, progress, () => ask('beforeSwap')) };
    }
  }
}

/** The parts of the job's data the host sends after the start (ThreadOptions.follow), all of them. */
function parts(): Promise<unknown[]> {
  if (!follows) return Promise.resolve([]);
  return new Promise((resolve) => {
    const got: unknown[] = [];
    const listen = (message: ToJobThread) => {
      if (message.type === 'part') got.push(message.part);
      else {
        parentPort?.off('message', listen);
        resolve(got);
      }
    };
    parentPort?.on('message', listen);
  });
}

/** Runs the job and reports its outcome (a function, not top-level await: the thread's bundle is CommonJS). */
async function main(): Promise<void> {
  let handback: (() => unknown) | undefined;
  try {
    const started = await run(job);
    handback = started.handback;
    const result = await started.result;
    send({ type: 'done', result, ...(handback ? { handback: handback() } : {}) });
  } catch (error) {
    if (!(error instanceof AppError)) console.error(`job thread: ${job.kind} failed`, error);
    send({ type: 'failed', error: toThreadError(error), ...(handback ? { handback: handback() } : {}) });
  } finally {
    backend.close();
  }
}

void main();
