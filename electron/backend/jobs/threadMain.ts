// A job thread (see thread.ts): opens the station file on its own connection, runs the job it was
// given with the same code the back end's thread would, and reports progress and the outcome.
import { parentPort, workerData } from 'node:worker_threads';
import { runBilling } from '../billing/run';
import { Backend } from '../context';
import { AppError } from '../errors';
import { yieldToLoop } from './runner';
import type { FromJobThread, ThreadJobData } from './thread';

const { store, job } = workerData as ThreadJobData;
const send = (message: FromJobThread) => parentPort?.postMessage(message);
const backend = new Backend({
  db: store.db,
  backupsDir: store.backupsDir,
  ...(store.nativeBinding ? { nativeBinding: store.nativeBinding } : {}),
  ...(store.migrationsDir ? { migrationsDir: store.migrationsDir } : {}),
});
const progress = {
  tick: async (done: number, total?: number, message?: string) => {
    send({ type: 'tick', done, total, message });
    await yieldToLoop();
  },
};
try {
  const result = await runBilling(backend, job.actor, job.scope, progress);
  send({ type: 'done', result });
} catch (error) {
  if (!(error instanceof AppError)) console.error(`job thread: ${job.kind} failed`, error);
  send({ type: 'failed', error: error instanceof AppError ? { code: error.code, key: error.key, params: error.params } : { message: String((error as Error)?.message ?? error) } });
} finally {
  backend.close();
}
