// A job thread (see thread.ts): opens the station file on its own connection, runs the job it was
// given with the same code the back end's thread would, and reports progress and the outcome.
import { parentPort, workerData } from 'node:worker_threads';
import { runBilling } from '../billing/run';
import { startBackupWork } from '../backup/backup';
import { Backend } from '../context';
import { adoptPendingImport, commitImport as commitCustomerImport, pendingImportState } from '../customers/spreadsheet';
import { buildDemoInPlace } from '../demo/build';
import { AppError } from '../errors';
import { commitImport as commitReadingsImport, keepPreview } from '../readings/handheld';
import { openPeriod } from '../readings/periods';
import { exportBatch } from '../sync/station';
import { yieldToLoop } from './runner';
import { toThreadError, type FromJobThread, type ThreadJob, type ThreadJobData } from './thread';

const { store, job, appVersion, clockOffsetMs, answer } = workerData as ThreadJobData;
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

/** The job, and what the host must learn of its in-memory state afterwards. */
function run(job: ThreadJob): { result: Promise<unknown>; handback?: () => unknown } {
  switch (job.kind) {
    case 'billing.run':
      return { result: runBilling(backend, job.actor, job.scope, progress) };
    case 'customers.importCommit':
      adoptPendingImport(job.batch);
      return { result: commitCustomerImport(backend, job.actor, job.importId, progress), handback: () => pendingImportState(job.importId) };
    case 'readings.importCommit':
      keepPreview(backend, job.previewId, job.preview);
      return { result: commitReadingsImport(backend, job.staff, job.actor, job.previewId, job.confirmRollovers, { progress }) };
    case 'readings.openPeriod':
      return { result: openPeriod(backend, job.actor, job.period, progress) };
    case 'sync.export':
      return { result: exportBatch(backend, job.actor, { ...(job.outDir ? { outDir: job.outDir } : {}), progress: (done, total) => progress.tick(done, total) }) };
    case 'backup':
      return { result: startBackupWork(backend, job.actor, job.backupKind, progress, { ownConnection: true }) };
    case 'demo.build':
      return { result: buildDemoInPlace(backend, job.options, progress, () => ask('beforeSwap')) };
  }
}

let handback: (() => unknown) | undefined;
try {
  const started = run(job);
  handback = started.handback;
  const result = await started.result;
  send({ type: 'done', result, ...(handback ? { handback: handback() } : {}) });
} catch (error) {
  if (!(error instanceof AppError)) console.error(`job thread: ${job.kind} failed`, error);
  send({ type: 'failed', error: toThreadError(error), ...(handback ? { handback: handback() } : {}) });
} finally {
  backend.close();
}
