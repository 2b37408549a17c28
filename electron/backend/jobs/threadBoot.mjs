// A job thread's first module (see thread.ts): from the CLI's bundle, it runs the job-thread bundle
// built with it; from the sources, a worker does not inherit the TypeScript loader the host runs
// under, so it registers tsx itself, then loads the TypeScript entry.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { workerData } from 'node:worker_threads';

// Its nice value first (Linux, ThreadOptions.niceness): loading the job's code is work too.
// /proc/thread-self is <pid>/task/<tid>; setpriority on a thread id sets that thread's nice only.
if (workerData.niceness && process.platform === 'linux') {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (tid > 0) setPriority(tid, workerData.niceness);
  } catch {
    // runs at the process's priority
  }
}
if (workerData.bundle) {
  const { runJobThreadBundle } = await import('../../../scripts/cli-bundle.mjs');
  runJobThreadBundle(workerData.bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(workerData.entry);
}
