// A job thread's first module (see thread.ts): a worker does not inherit the TypeScript loader the
// CLI runs under, so it registers tsx itself, then loads the TypeScript entry.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
