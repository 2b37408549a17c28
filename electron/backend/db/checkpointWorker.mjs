// Copies a long job's WAL frames into the station file on a thread of its own
// (jobs/checkpointAside.ts), while the job goes on with its next slices. It opens its own connection to
// the file and, for each request, runs a PASSIVE checkpoint (no write lock: the job's slices and
// the counter's commits go on beside it) and says how it went in the shared `signal`:
// [0] 1 while a checkpoint runs, 0 once it is done (Atomics.notify); [1] the frames in the WAL,
// -1 if the checkpoint could not run, -2 once the thread cannot open the file (it then ends);
// [2] 1 once the thread has its connection open (ready for requests). `{ close: true }` closes
// the connection and ends the thread.
// It writes no row. Plain JavaScript, like queryWorker.mjs: the desktop build copies it beside the
// bundle (scripts/build-electron.mjs).
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const { file, nativeBinding, driverEntry, signal } = workerData;
const state = new Int32Array(signal);

function done(frames) {
  Atomics.store(state, 1, frames);
  Atomics.store(state, 0, 0);
  Atomics.notify(state, 0);
}

let db;
try {
  // The desktop bundle passes the file the back end loaded the driver from (inside app.asar).
  const Database = driverEntry ? createRequire(import.meta.url)(driverEntry) : (await import('better-sqlite3')).default;
  db = new Database(file, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  // As every connection to the file (db/open.ts): a checkpoint waits for the disk before the WAL is reused.
  db.pragma('synchronous = FULL');
  db.pragma('wal_autocheckpoint = 0');
  Atomics.store(state, 2, 1);
} catch (error) {
  db = undefined;
  Atomics.store(state, 1, -2);
  parentPort.postMessage({ failed: `${file}: ${error instanceof Error ? error.message : String(error)}` });
}

parentPort.on('message', (message) => {
  // Closing: the job's side has let go of the shared flags (a new thread may have them already).
  if (message?.close) {
    db?.close();
    parentPort.close();
    return;
  }
  if (!db) {
    done(-2);
    parentPort.close();
    return;
  }
  let frames = -1;
  try {
    const [answer] = db.pragma('wal_checkpoint(PASSIVE)');
    // busy: another checkpoint (the counter's own, in its commit) had the file; the next request tries again.
    if (answer && !answer.busy) frames = answer.log;
  } catch {
    // a busy or read-only file: the job's next checkpoint runs on its own thread
  }
  done(frames);
});
