import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

// Opening a database file only to read it: a backup on a USB stick, a CD, a read-only share.
// Backups are written in rollback mode (backup.ts), which read-only media can serve as they are.
// A file in WAL mode (an older backup, a live station's file) needs its -shm index beside it,
// which read-only media cannot hold, and this SQLite build takes no `immutable` URI: such a file
// is read from a copy in the temp folder, removed again on close.

export interface ReadonlyDatabase {
  db: Database.Database;
  /** Closes the connection and removes the temp copy, if one was made. */
  close(): void;
}

function firstRead(db: Database.Database): void {
  db.pragma('user_version'); // the first read: here a WAL file on read-only media fails
}

export function openReadonly(file: string, driver: { nativeBinding?: string } = {}): ReadonlyDatabase {
  const binding = driver.nativeBinding ? { nativeBinding: driver.nativeBinding } : {};
  const db = new Database(file, { readonly: true, fileMustExist: true, ...binding });
  try {
    firstRead(db);
    return { db, close: () => db.close() };
  } catch (error) {
    db.close();
    const code = (error as { code?: string }).code ?? '';
    if (!code.startsWith('SQLITE_CANTOPEN') && !code.startsWith('SQLITE_READONLY')) throw error;
  }
  const dir = mkdtempSync(join(tmpdir(), 'griddesk-readonly-'));
  try {
    const copy = join(dir, basename(file));
    copyFileSync(file, copy);
    const fromCopy = new Database(copy, { readonly: true, fileMustExist: true, ...binding });
    firstRead(fromCopy);
    return {
      db: fromCopy,
      close: () => {
        fromCopy.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
