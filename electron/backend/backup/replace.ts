import Database from 'better-sqlite3';
import { closeSync, copyFileSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { liveHolders, type Holder } from '../db/holders';
import { storageError } from '../db/storageErrors';
import { AppError } from '../errors';

// Replacing the station file (恢复时替换数据库文件) under an exclusive hold. The one reliable
// witness of "someone else has this file open" is SQLite's own lock: in WAL mode every open
// connection holds a shared lock on the file for as long as it is open, so switching the file
// out of WAL mode (journal_mode=DELETE) succeeds only when this is the sole connection. Then
// BEGIN EXCLUSIVE keeps everyone out — a program that starts meanwhile waits, then fails to
// open — while the new file is renamed into place. The holders list (holders.ts) only supplies
// the names for the refusal message.

export function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function fsyncDir(dir: string): void {
  // Make the rename itself durable; not possible on Windows, where it is not needed either.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** How long a restore waits for a command in progress (a `pay`, a `check`) to let go of the file. */
export const HOLD_WAIT_MS = 1_500;

function describeHolders(holders: Holder[]): string {
  if (holders.length === 0) return '未登记的程序 / an unregistered program';
  return holders
    .map((h) => `${h.program} (pid ${h.pid}${h.host ? ` @ ${h.host}` : ''}, ${new Date(h.since + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')})`)
    .join('; ');
}

/** The refusal naming who holds the file. */
export function heldError(file: string): AppError {
  return new AppError('conflict', 'restore.held', { file, holders: describeHolders(liveHolders(file)) });
}

/**
 * Switches the file out of WAL mode on `lock`: 'delete' once it is the file's only connection.
 * While another is open SQLite refuses at once (SQLITE_BUSY, or the answer 'wal') without waiting
 * for it, so it is asked again every 25 ms until `waitMs` has passed: a connection about to close
 * (a command finishing, a job's thread letting go as its job ends) does not refuse the restore.
 */
function leaveWal(lock: Database.Database, waitMs: number): unknown {
  const until = performance.now() + waitMs;
  for (;;) {
    try {
      const mode = lock.pragma('journal_mode = DELETE', { simple: true });
      if (mode === 'delete' || performance.now() >= until) return mode;
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (!code.startsWith('SQLITE_BUSY') || performance.now() >= until) throw error;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
  }
}

/**
 * Takes the station file for this process alone, or throws `restore.held` naming the other
 * holders. Returns the connection that holds it: close it to let go.
 */
export function holdExclusively(file: string, driver: { nativeBinding?: string } = {}, waitMs = HOLD_WAIT_MS): Database.Database {
  // Registered holders first: this names them even before SQLite is asked.
  if (liveHolders(file).length > 0) throw heldError(file);
  const lock = new Database(file, { fileMustExist: true, timeout: waitMs, ...(driver.nativeBinding ? { nativeBinding: driver.nativeBinding } : {}) });
  try {
    let mode: unknown;
    try {
      mode = leaveWal(lock, waitMs);
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (!/^SQLITE_(CORRUPT|NOTADB)/.test(code)) throw error;
      // A file too damaged to read its schema: SQLite's exclusive locking mode still takes the
      // file for this connection alone (and fails while anyone else holds it) without reading it.
      lock.pragma('locking_mode = EXCLUSIVE');
      lock.exec('BEGIN EXCLUSIVE');
      return lock;
    }
    if (mode !== 'delete') throw heldError(file);
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if (error instanceof AppError) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) throw heldError(file);
    throw storageError(error, file) ?? error;
  }
  return lock;
}

/**
 * Puts a copy of `source` in place of `target` while holding `target` exclusively. The copy is
 * written beside the target and fsynced before anything is touched; the rename is atomic, so
 * the station file is either the old one or the whole new one.
 */
export function replaceStationFile(target: string, source: string, driver: { nativeBinding?: string } = {}): void {
  const temp = `${target}.restoring`;
  try {
    copyFileSync(source, temp);
    fsyncFile(temp);
    const lock = holdExclusively(target, driver);
    try {
      // The old file left WAL mode under the lock (its log was folded in and removed); clear
      // what may remain so the new file starts without a stranger's log or index.
      rmSync(`${target}-wal`, { force: true });
      rmSync(`${target}-shm`, { force: true });
      renameSync(temp, target);
      fsyncDir(dirname(target));
    } finally {
      lock.close(); // held a read-free exclusive transaction: no journal, nothing written
    }
  } catch (error) {
    throw storageError(error, target) ?? error;
  } finally {
    rmSync(temp, { force: true });
  }
}
