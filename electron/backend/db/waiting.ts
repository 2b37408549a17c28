import { mkdirSync, readdirSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

// Writers waiting for the station file's write lock (等候写入登记, issue 18). A long job writes in
// slices and lets other writes in between them; it need not pause at all when nobody waits, so
// a write that finds the lock taken says so: it puts a small file into `<db>-waiting/` while it
// waits and removes it when its transaction is over. Between two slices a job looks into the folder
// (one readdir, a few microseconds when it is empty or absent) and holds back while anything is
// there. This works across threads and processes alike: the counter on the host's thread while
// the job runs on a job thread, the CLI beside `griddesk serve` or the desktop app.

export function waitingDir(db: string): string {
  return `${db}-waiting`;
}

/** An entry older than this belongs to a writer that died waiting (killed, power cut): ignored and removed. */
const STALE_MS = 30_000;

let sequence = 0;

/** Says that this thread waits to write `db`; returns the function that withdraws it. Never throws. */
export function announceWaiting(db: string): () => void {
  const dir = waitingDir(db);
  const file = join(dir, `${process.pid}-${threadId}-${++sequence}`);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, '', { flag: 'wx' });
      return () => withdraw(dir, file);
    } catch {
      // The last writer out removed the folder between mkdir and the write: try again. Read-only
      // media or a full disk: the write still waits in SQLite's busy handler, only unannounced.
    }
  }
  return () => {};
}

function withdraw(dir: string, file: string): void {
  try {
    rmSync(file, { force: true });
    rmdirSync(dir); // the last one out leaves no folder behind
  } catch {
    /* others still wait, or it is gone already */
  }
}

/** True while another writer waits for `db`'s write lock (entries of dead writers are swept). */
export function writersWaiting(db: string, now: number = Date.now()): boolean {
  let names: string[];
  try {
    names = readdirSync(waitingDir(db));
  } catch {
    return false;
  }
  let waiting = false;
  for (const name of names) {
    const file = join(waitingDir(db), name);
    try {
      if (now - statSync(file).mtimeMs > STALE_MS) rmSync(file, { force: true });
      else waiting = true;
    } catch {
      /* withdrawn meanwhile */
    }
  }
  return waiting;
}
