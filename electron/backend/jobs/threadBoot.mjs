// A job thread's first module (see thread.ts) where the host runs from the sources or the CLI's
// bundle: from the bundle, it runs the job-thread bundle built with it; from the sources, a worker
// does not inherit the TypeScript loader the host runs under, so it registers tsx itself, then
// loads the TypeScript entry. (The desktop's back end starts its threads from its own bundle.)
// A spare thread (thread.ts keepJobThreadWarm) comes here without a job or a nice value: it loads
// the same code and waits; threadMain.ts sets the nice value when its job comes.
import { workerData } from 'node:worker_threads';
import { setThreadNiceness } from './niceness.mjs';

// Its nice value first (a thread started for its job): loading the job's code is work too.
setThreadNiceness(workerData.niceness);
if (workerData.bundle) {
  const { runJobThreadBundle } = await import('../../../scripts/cli-bundle.mjs');
  runJobThreadBundle(workerData.bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(workerData.entry);
}
