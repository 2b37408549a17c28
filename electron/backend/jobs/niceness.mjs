// A job thread's nice value (Linux; ThreadOptions.niceness in thread.ts): the counter's thread is
// 0, and a job that only reads and writes a file yields the CPU to it on a busy machine. Plain
// JavaScript so the thread's first module (threadBoot.mjs) sets it before it loads anything;
// jobs/threadMain.ts sets it again (the same value) where the thread starts from a bundle.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Sets this thread's nice value; where that is not possible the thread runs at the process's priority. */
export function setThreadNiceness(niceness) {
  if (!niceness || process.platform !== 'linux') return;
  try {
    // /proc/thread-self is <pid>/task/<tid>; setpriority on a thread id sets that thread's nice only.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (tid > 0) setPriority(tid, niceness);
  } catch {
    // runs at the process's priority
  }
}
