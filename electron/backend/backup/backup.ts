import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { BackupFile } from '../../../shared/contract';
import { shanghaiDate } from '../../../shared/time';
import type { Actor } from '../audit/record';
import type { Backend } from '../context';
import { GRIDDESK_APPLICATION_ID, backupStamp } from '../db/open';
import { loadMigrations } from '../db/migrations';
import { sql } from '../db/sql';
import { AppError } from '../errors';
import type { JobProgress } from '../jobs/runner';

// Backups are whole-database copies made with SQLite's online backup (the app keeps working
// while it runs), written to a temp file, fsynced and renamed, so a backup file either is
// complete or does not exist. Automatic backups: at most one a day, the last 14 kept.

export type BackupKind = BackupFile['kind'];
export const DAILY_BACKUPS_KEPT = 14;
const NAME_RE = /^griddesk-(?:[A-Z0-9]+-)?(manual|daily|premigration|prerestore)-(?:v\d+-to-v\d+-)?(\d{8})-(\d{6})(?:-\d+)?\.db$/;

/** The time in a backup's name (Asia/Shanghai, as backupStamp wrote it), in epoch ms. */
function stampTime(date: string, time: string): number {
  const iso = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}Z`;
  return Date.parse(iso) - 8 * 3600_000;
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  // Make the rename itself durable; not possible on Windows, where it is not needed either.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function backupName(kind: BackupKind, stationCode: string | undefined, at: number): string {
  return `griddesk-${stationCode ? `${stationCode}-` : ''}${kind}-${backupStamp(at)}.db`;
}

/** Copies the live database to `target` (temp file, fsync, rename), reporting progress by pages. */
export async function backupToFile(backend: Backend, target: string, progress?: JobProgress): Promise<number> {
  const temp = `${target}.partial`;
  try {
    await backend.store.db.backup(temp, {
      progress: ({ totalPages, remainingPages }) => {
        void progress?.tick(totalPages - remainingPages, totalPages);
        return 256; // pages per step: small steps keep the app responsive during a backup
      },
    });
    fsyncFile(temp);
    renameSync(temp, target);
    fsyncDir(dirname(target));
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return statSync(target).size;
}

/** A backup into the backups folder, named by kind, station and time. */
export async function backupTo(backend: Backend, kind: BackupKind, progress?: JobProgress): Promise<BackupFile> {
  const dir = backend.paths.backupsDir;
  const at = backend.now();
  let name = backupName(kind, backend.station()?.code, at);
  if (existsSync(join(dir, name))) name = name.replace(/\.db$/, `-${at % 1000}.db`);
  const size = await backupToFile(backend, join(dir, name), progress);
  return { file: name, kind, size, createdAt: at };
}

export function listBackups(backend: Backend): BackupFile[] {
  const dir = backend.paths.backupsDir;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((file) => ({ file, m: NAME_RE.exec(file) }))
    .filter((x): x is { file: string; m: RegExpExecArray } => x.m !== null)
    .map(({ file, m }) => ({
      file,
      kind: m[1] as BackupKind,
      size: statSync(join(dir, file)).size,
      // The name carries the time the backup was taken (the file's mtime moves when copied).
      createdAt: stampTime(m[2] ?? '', m[3] ?? ''),
    }))
    .sort((a, b) => b.createdAt - a.createdAt || b.file.localeCompare(a.file));
}

/** Keeps the newest DAILY_BACKUPS_KEPT automatic backups; manual ones are the administrator's. */
export function pruneDailyBackups(backend: Backend): string[] {
  const daily = listBackups(backend).filter((b) => b.kind === 'daily');
  const removed = daily.slice(DAILY_BACKUPS_KEPT).map((b) => b.file);
  for (const file of removed) rmSync(join(backend.paths.backupsDir, file), { force: true });
  return removed;
}

/** True when no automatic backup was taken today (Asia/Shanghai). */
export function dailyBackupDue(backend: Backend): boolean {
  const today = shanghaiDate(backend.now());
  return !listBackups(backend).some((b) => b.kind === 'daily' && shanghaiDate(b.createdAt) === today);
}

/** Starts a backup job with an audit entry at the end; returns the job state. */
export function startBackupJob(backend: Backend, actor: Actor, kind: 'manual' | 'daily') {
  return backend.jobs.start('backup', actor.staffId, async (progress) => {
    const result = await backupTo(backend, kind, progress);
    if (kind === 'daily') pruneDailyBackups(backend);
    if (backend.station()) {
      backend.write(actor, (unit) =>
        unit.audit({ action: 'backup.create', entity: 'backup', entityId: result.file, summary: { kind, size: result.size } }),
      );
    }
    return result;
  });
}

/**
 * Checks that a file is a whole GridDesk database this program can open: the SQLite header,
 * our application id, a schema version not from the future, and `PRAGMA integrity_check`.
 * Throws an AppError whose message says which check failed.
 */
export function verifyBackupFile(file: string, driver: { migrationsDir?: string; nativeBinding?: string } = {}): void {
  const fail = (reason: string) => new AppError('validation', 'error.backupFile', { file: basename(file), reason });
  if (!existsSync(file)) throw fail('file not found');
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, ...(driver.nativeBinding ? { nativeBinding: driver.nativeBinding } : {}) });
  } catch (error) {
    throw fail((error as Error).message);
  }
  try {
    let appId: number;
    try {
      appId = db.pragma('application_id', { simple: true }) as number;
    } catch (error) {
      throw fail(`not an SQLite database (${(error as Error).message})`);
    }
    if (appId !== GRIDDESK_APPLICATION_ID) throw fail('not a GridDesk database');
    const version = db.pragma('user_version', { simple: true }) as number;
    const latest = loadMigrations(driver.migrationsDir).length;
    if (version > latest) throw fail(`made by a newer GridDesk (version ${version} > ${latest})`);
    const check = db.pragma('integrity_check', { simple: true }) as string;
    if (check !== 'ok') throw fail(`integrity_check: ${check}`);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw fail((error as Error).message);
  } finally {
    db.close();
  }
}

/** Resolves a backup name from the list to its path, refusing anything outside the folder. */
export function backupPath(backend: Backend, name: string): string {
  const dir = resolve(backend.paths.backupsDir);
  const path = resolve(dir, name);
  if (dirname(path) !== dir || !NAME_RE.test(basename(path)) || path.includes(`..${sep}`)) {
    throw new AppError('not_found', 'error.not_found', { what: name });
  }
  return path;
}

/**
 * Replaces the live database with `source` after checking it; the current data is backed up
 * first ('prerestore'). The store is closed and reopened (migrating an older backup forward),
 * and every session ends.
 */
export async function restoreFrom(backend: Backend, source: string, actor: Actor): Promise<{ prerestore: BackupFile }> {
  verifyBackupFile(source, backend.driver);
  const prerestore = await backupTo(backend, 'prerestore');
  const target = backend.paths.db;
  const temp = `${target}.restoring`;
  copyFileSync(source, temp);
  fsyncFile(temp);
  backend.store.close();
  try {
    rmSync(`${target}-wal`, { force: true });
    rmSync(`${target}-shm`, { force: true });
    renameSync(temp, target);
    fsyncDir(dirname(target));
  } finally {
    rmSync(temp, { force: true });
    backend.reopen();
  }
  if (backend.station()) {
    // The restored data may predate the person restoring it: then the log names them by label only.
    const known = actor.staffId !== null && backend.store.read.value(sql`SELECT 1 FROM staff WHERE id = ${actor.staffId}`) === 1;
    backend.write(known ? actor : { staffId: null, label: actor.label }, (unit) =>
      unit.audit({ action: 'backup.restore', entity: 'backup', entityId: basename(source), summary: { prerestore: prerestore.file } }),
    );
  }
  return { prerestore };
}

/**
 * On start-up: if no automatic backup was taken today, take one in the background after
 * `delayMs`, so opening the app never waits on copying the database.
 */
export function scheduleDailyBackup(backend: Backend, delayMs = 10_000): NodeJS.Timeout {
  const timer = setTimeout(() => {
    if (backend.store.isOpen && backend.station() && dailyBackupDue(backend)) {
      startBackupJob(backend, { staffId: null, label: 'system' }, 'daily');
    }
  }, delayMs);
  timer.unref();
  return timer;
}
