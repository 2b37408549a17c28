// A job thread (see thread.ts): opens the station file on its own connection, runs the job it was
// given with the same code the back end's thread would, and reports progress and the outcome.
// A thread started for its job has the job in its workerData; a spare (thread.ts
// keepJobThreadWarm) loads this code, says `ready`, and gets its job as a message, then opens
// the file: it holds no connection while it waits. Either way a thread runs one job and ends.
import { parentPort, workerData } from 'node:worker_threads';
import { Backend } from '../context';
import { useDriverEntry } from '../db/parallelRead';
import { AppError } from '../errors';
import { setThreadNiceness } from './niceness.mjs';
import { yieldToLoop } from './runner';
import type { ArrivingParts } from '../customers/spreadsheet';
import { toThreadError, type FromJobThread, type ThreadBootData, type ThreadJobData, type ToJobThread } from './thread';

const boot = workerData as ThreadJobData | ThreadBootData;
const send = (message: FromJobThread) => parentPort?.postMessage(message);

/** The parts of the job's data the host sends after the start (ThreadOptions.follow), gathered as they come. */
const gathered: unknown[] = [];
let partsComplete = false;
let partCame: (() => void) | undefined;
const arriving: ArrivingParts = {
  received: gathered,
  done: () => partsComplete,
  next: () => new Promise<void>((resolve) => (partCame = resolve)),
};
let begun = false;

// One listener from the start: a spare's port is read from its start (it waits for its job), so
// parts that come before the job asks for them must be kept, not missed.
const listen = (message: ToJobThread) => {
  if (message.type === 'job') {
    if (!begun) begin(message.data, true);
    return;
  }
  if (message.type === 'part') gathered.push(message.part);
  else partsComplete = true;
  const came = partCame;
  partCame = undefined;
  came?.();
};
parentPort?.on('message', listen);

/**
 * Opens the station and starts the job. A station that cannot be opened throws here, outside the
 * job's try: the thread ends with an error before it said anything of the job, and the host runs
 * the job on its own thread (as for a thread that could not start).
 */
function begin(data: ThreadJobData, warm: boolean): void {
  begun = true;
  // Set by threadBoot.mjs already where a thread started for its job ran it; a spare and the
  // desktop's threads set it here, as the job comes.
  setThreadNiceness(data.niceness);
  useDriverEntry(data.store.driverEntry);
  const { store, appVersion, clockOffsetMs } = data;
  const backend = new Backend({
    db: store.db,
    backupsDir: store.backupsDir,
    appVersion,
    ...(clockOffsetMs ? { now: () => Date.now() + clockOffsetMs } : {}),
    ...(store.nativeBinding ? { nativeBinding: store.nativeBinding } : {}),
    ...(store.migrationsDir ? { migrationsDir: store.migrationsDir } : {}),
  });
  void main(backend, data, warm);
}

/**
 * The job, and what the host must learn of its in-memory state afterwards. Each kind loads only
 * its own modules: a thread that exports loads the sync code, not the billing run or the demo
 * builder (less memory, a quicker start).
 */
async function run(backend: Backend, data: ThreadJobData): Promise<{ result: Promise<unknown>; handback?: () => unknown }> {
  const { job } = data;
  const progress = {
    tick: async (done: number, total?: number, message?: string) => {
      send({ type: 'tick', done, total, message });
      await yieldToLoop();
    },
  };
  switch (job.kind) {
    case 'billing.run': {
      const { runBilling } = await import('../billing/run');
      return { result: runBilling(backend, job.actor, job.scope, progress) };
    }
    case 'customers.importCommit': {
      const { adoptPendingImport, commitImport, pendingImportState } = await import('../customers/spreadsheet');
      // Its checked rows come in parts while the commit files the first ones.
      adoptPendingImport(job.batch, data.follows ? arriving : []);
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
      return { result: buildDemoInPlace(backend, job.options, progress, () => ask(data, 'beforeSwap')) };
    }
  }
}

/** Waits (blocking this thread only) until the host has done `name`. */
function ask(data: ThreadJobData, name: string): void {
  const flag = new Int32Array(data.answer);
  Atomics.store(flag, 0, 0);
  send({ type: 'ask', name });
  Atomics.wait(flag, 0, 0);
  if (Atomics.load(flag, 0) !== 1) throw new Error(`the back end's thread could not do ${name}`);
}

/** Runs the job and reports its outcome (a function, not top-level await: the thread's bundle is CommonJS). */
async function main(backend: Backend, data: ThreadJobData, warm: boolean): Promise<void> {
  let handback: (() => unknown) | undefined;
  const said = warm ? { warm } : {};
  let outcome: FromJobThread;
  try {
    const started = await run(backend, data);
    handback = started.handback;
    const result = await started.result;
    outcome = { type: 'done', result, ...(handback ? { handback: handback() } : {}), ...said };
  } catch (error) {
    if (!(error instanceof AppError)) console.error(`job thread: ${data.job.kind} failed`, error);
    outcome = { type: 'failed', error: toThreadError(error), ...(handback ? { handback: handback() } : {}), ...said };
  }
  // The thread lets go of the station file before it says the job has ended: a restore started
  // the moment the host hears it found the file still open here, and was refused as held by
  // "an unregistered program" (a CI run, 2026-12-07).
  try {
    backend.close();
  } catch (error) {
    console.error(`job thread: closing the station after ${data.job.kind}`, error);
  }
  send(outcome);
  // Nothing more comes for this thread: with its port no longer read, it ends when its work has.
  parentPort?.off('message', listen);
}

if ('warm' in boot) send({ type: 'ready' });
else begin(boot, false);
