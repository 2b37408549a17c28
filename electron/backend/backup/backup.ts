import { backupFileReason } from '../../../shared/backupFile';
import type { CodedMessage, CodedParam } from '../../../shared/i18n/coded';
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { BackupFile, BackupHealth } from '../../../shared/contract';
import { shanghaiDate } from '../../../shared/time';
import type { Actor } from '../audit/record';
import type { Backend, StationIdentity } from '../context';
import { GRIDDESK_APPLICATION_ID, backupStamp } from '../db/open';
import { loadMigrations } from '../db/migrations';
import { sql } from '../db/sql';
import { openReadonly, type ReadonlyDatabase } from '../db/readonly';
import { storageError } from '../db/storageErrors';
import { AppError } from '../errors';
import type { JobProgress } from '../jobs/runner';
import { runInJobThread } from '../jobs/thread';
import { liveHolders } from '../db/holders';
import { fsyncDir, fsyncFile, heldError, replaceStationFile } from './replace';

// Backups are whole-database copies made with SQLite's online backup (the app keeps working
// while it runs), written to a temp file, fsynced and renamed, so a backup file either is
// complete or does not exist. Automatic backups: at most one a day, the last 14 kept.
//
// Every copy is checked (PRAGMA integrity_check on the copy) before it is renamed into place:
// a copy of a damaged file is renamed to `….db.failed` instead — in backups/failed/ for the
// backups folder — so it never counts as a backup, never rotates a good one out, and tells the
// administrator and the station head that the live file itself is damaged (备份校验失败).

export type BackupKind = BackupFile['kind'];
export const DAILY_BACKUPS_KEPT = 14;
const NAME_RE = /^griddesk-(?:[A-Z0-9]+-)?(manual|daily|premigration|prerestore)-(?:v\d+-to-v\d+-)?(\d{8})-(\d{6})(?:-\d+)?\.db$/;
/** Where failed copies are kept, apart from the good ones. */
export const FAILED_DIR = 'failed';
export const FAILED_SUFFIX = '.failed';

/** The time in a backup's name (Asia/Shanghai, as backupStamp wrote it), in epoch ms. */
function stampTime(date: string, time: string): number {
  const iso = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}Z`;
  return Date.parse(iso) - 8 * 3600_000;
}

export function backupName(kind: BackupKind, stationCode: string | undefined, at: number): string {
  return `griddesk-${stationCode ? `${stationCode}-` : ''}${kind}-${backupStamp(at)}.db`;
}

/** Why a copy is not a usable backup (integrity_check and the identity checks), or undefined when it is. */
export function backupProblem(file: string, driver: { migrationsDir?: string; nativeBinding?: string } = {}): CodedParam | undefined {
  try {
    verifyBackupFile(file, driver);
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error.params.reason ?? error.message;
    throw error;
  }
}

/**
 * Copies the live database to `target` (temp file, fsync, integrity_check, rename), reporting
 * progress by pages. A copy that fails its check is renamed to `failedTarget` (default
 * `target.failed`) and an AppError says so: nothing named like a good backup is left behind.
 */
export async function backupToFile(backend: Backend, target: string, progress?: JobProgress, failedTarget = `${target}${FAILED_SUFFIX}`, options: BackupOptions = {}): Promise<number> {
  const temp = `${target}.partial`;
  try {
    // A copy made on a connection of its own (a job thread) holds one read snapshot from the first
    // step to the last: SQLite restarts a backup whenever another connection writes between its
    // steps, so on a station taking payments it would never finish. On the back end's own
    // connection the writes go through the copy's connection and are copied as they happen.
    const db = backend.store.db;
    if (options.ownConnection) {
      db.exec('BEGIN');
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    }
    try {
      await db.backup(temp, {
        progress: ({ totalPages, remainingPages }) => {
          void progress?.tick(totalPages - remainingPages, totalPages);
          return 256; // pages per step: small steps keep the app responsive during a backup
        },
      });
    } finally {
      if (options.ownConnection && db.inTransaction) db.exec('COMMIT');
    }
    // A backup is kept in rollback mode: one self-contained file that read-only media (a USB
    // stick, a CD) can serve as it is, with no -wal or -shm beside it.
    const copy = new Database(temp, backend.driver.nativeBinding ? { nativeBinding: backend.driver.nativeBinding } : {});
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    fsyncFile(temp);
  } catch (error) {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(temp + suffix, { force: true });
    throw storageError(error, target) ?? error;
  }
  const problem = backupProblem(temp, backend.driver);
  if (problem !== undefined) {
    mkdirSync(dirname(failedTarget), { recursive: true });
    renameSync(temp, failedTarget);
    throw new AppError('validation', 'backup.failedCheck', { file: basename(failedTarget), detail: problem, db: backend.paths.db });
  }
  renameSync(temp, target);
  fsyncDir(dirname(target));
  return statSync(target).size;
}

/** A backup into the backups folder, named by kind, station and time; a failed copy goes to backups/failed/. */
export interface BackupOptions {
  /** The copy runs on a connection nothing else writes through (a job thread's): it holds one read snapshot. */
  ownConnection?: boolean;
}

export async function backupTo(backend: Backend, kind: BackupKind, progress?: JobProgress, options: BackupOptions = {}): Promise<BackupFile> {
  const dir = backend.paths.backupsDir;
  mkdirSync(dir, { recursive: true });
  const at = backend.now();
  let name = backupName(kind, backend.station()?.code, at);
  if (existsSync(join(dir, name))) name = name.replace(/\.db$/, `-${at % 1000}.db`);
  const size = await backupToFile(backend, join(dir, name), progress, join(dir, FAILED_DIR, `${name}${FAILED_SUFFIX}`), options);
  return { file: name, kind, size, createdAt: at };
}

/** The failed copies kept apart in backups/failed/, newest first. */
export function listFailedBackups(backend: Backend): BackupFile[] {
  const dir = join(backend.paths.backupsDir, FAILED_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(FAILED_SUFFIX))
    .map((file) => ({ file, m: NAME_RE.exec(file.slice(0, -FAILED_SUFFIX.length)) }))
    .filter((x): x is { file: string; m: RegExpExecArray } => x.m !== null)
    .map(({ file, m }) => ({ file, kind: m[1] as BackupKind, size: statSync(join(dir, file)).size, createdAt: stampTime(m[2] ?? '', m[3] ?? '') }))
    .sort((a, b) => b.createdAt - a.createdAt || b.file.localeCompare(a.file));
}

/**
 * Is the live file whole, as far as the backups tell? When the newest copy taken failed its
 * check, the live file it was copied from is damaged: the administrator and the station head
 * are told, with what to do (restore the newest good backup).
 */
export function backupHealth(backend: Backend): BackupHealth {
  const failed = listFailedBackups(backend).filter((b) => b.kind !== 'prerestore')[0];
  const good = listBackups(backend).filter((b) => b.kind !== 'prerestore' && b.kind !== 'premigration')[0];
  if (!failed || (good && good.createdAt >= failed.createdAt)) return { damaged: false, ...(good ? { lastGood: good.file } : {}) };
  return { damaged: true, failedFile: failed.file, failedAt: failed.createdAt, ...(good ? { lastGood: good.file } : {}) };
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

/** Keeps the newest DAILY_BACKUPS_KEPT automatic backups; manual ones are the administrator's. Failed copies are not backups and never count. */
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
  return backend.jobs.start('backup', actor.staffId, (progress) =>
    // Browser mode and the CLI: the copy and its integrity check (minutes on a big station) on a job thread (issue 18).
    backend.jobThreads
      ? runInJobThread<BackupFile>(backend, { kind: 'backup', actor, backupKind: kind }, progress, () => startBackupWork(backend, actor, kind, progress))
      : startBackupWork(backend, actor, kind, progress),
  );
}

/** The backup job's work: the copy, the pruning of old daily copies, the audit entry. */
export async function startBackupWork(backend: Backend, actor: Actor, kind: 'manual' | 'daily', progress: JobProgress, options: BackupOptions = {}): Promise<BackupFile> {
  const result = await backupTo(backend, kind, progress, options);
  if (kind === 'daily') pruneDailyBackups(backend);
  if (backend.station()) {
    backend.write(actor, (unit) =>
      unit.audit({ action: 'backup.create', entity: 'backup', entityId: result.file, summary: { kind, size: result.size } }),
    );
  }
  return result;
}

/**
 * Checks that a file is a whole GridDesk database this program can open: the SQLite header,
 * our application id, a schema version not from the future, and `PRAGMA integrity_check`.
 * Throws an AppError whose message says which check failed.
 */
export function verifyBackupFile(file: string, driver: { migrationsDir?: string; nativeBinding?: string } = {}): void {
  const fail = (reason: CodedMessage) => new AppError('validation', 'error.backupFile', { file: basename(file), reason });
  if (!existsSync(file)) throw fail(backupFileReason('notFound'));
  let opened: ReadonlyDatabase;
  try {
    opened = openReadonly(file, driver);
  } catch (error) {
    throw fail(backupFileReason('notSqlite'));
  }
  const { db } = opened;
  try {
    const appId = db.pragma('application_id', { simple: true }) as number;
    if (appId !== GRIDDESK_APPLICATION_ID) throw fail(backupFileReason('notGridDesk'));
    const version = db.pragma('user_version', { simple: true }) as number;
    const latest = loadMigrations(driver.migrationsDir).length;
    if (version > latest) throw fail(backupFileReason('newer', { version, latest }));
    const check = db.pragma('integrity_check', { simple: true }) as string;
    // SQLite's own words for the damage stay as written (a technician reads them).
    if (check !== 'ok') throw fail(backupFileReason('damaged', { detail: check }));
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw fail(backupFileReason('unreadable'));
  } finally {
    opened.close();
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

/** The station a database file belongs to, read without changing it (undefined: not set up). */
export function stationOfFile(file: string, driver: { nativeBinding?: string } = {}): StationIdentity | undefined {
  const opened = openReadonly(file, driver);
  try {
    return opened.db.prepare(`SELECT id, code, name FROM station`).get() as StationIdentity | undefined;
  } catch {
    return undefined; // a backup from before the station table: nothing to compare
  } finally {
    opened.close();
  }
}

export interface RestoreOptions {
  /** Restore a backup of another station (different code or id): the operator said so. */
  replaceStation?: boolean;
}

/**
 * Refuses a backup of another station (另一个供电所的备份) unless the operator said so: restoring
 * it would make this station's customers disappear. Names both stations.
 */
export function assertSameStation(live: StationIdentity | undefined, incoming: StationIdentity | undefined, file: string, options: RestoreOptions): void {
  if (!live || options.replaceStation) return;
  if (incoming && incoming.id === live.id && incoming.code === live.code) return;
  throw new AppError('conflict', 'restore.otherStation', {
    file: basename(file),
    backupStation: incoming ? `${incoming.code} ${incoming.name}` : '—',
    liveStation: `${live.code} ${live.name}`,
  });
}

/**
 * Replaces the live database with `source` after checking it; the current data is backed up
 * first ('prerestore'). The back end stops using the file, the file is replaced under an
 * exclusive hold (refused, naming the holders, while any other program has it open), and the
 * store is reopened (migrating an older backup forward). Every session ends.
 */
export async function restoreFrom(backend: Backend, source: string, actor: Actor, options: RestoreOptions = {}): Promise<{ prerestore: BackupFile }> {
  verifyBackupFile(source, backend.driver);
  assertSameStation(backend.station(), stationOfFile(source, backend.driver), source, options);
  const running = backend.jobs.running();
  if (running.length) throw new AppError('conflict', 'restore.jobRunning', { jobs: running.map((j) => j.kind).join(', ') });
  // Known holders refuse it before anything is copied; SQLite's lock decides in the end (replace.ts).
  if (liveHolders(backend.paths.db).length > 0) throw heldError(backend.paths.db);
  // The data being replaced is kept, even when the live file is damaged (then the copy lands
  // in backups/failed/: it may still hold what the restored backup lacks).
  let prerestore: BackupFile;
  try {
    prerestore = await backupTo(backend, 'prerestore');
  } catch (error) {
    if (!(error instanceof AppError && error.key === 'backup.failedCheck')) throw error;
    const failed = listFailedBackups(backend).find((b) => b.kind === 'prerestore');
    if (!failed) throw error;
    prerestore = failed;
  }
  const target = backend.paths.db;
  backend.store.close(); // this process lets go of the file first; other holders refuse the restore
  try {
    replaceStationFile(target, source, backend.driver);
  } finally {
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
 * Restores over a station file too damaged to open (store.corrupt): the damaged file is kept in
 * backups/failed/ as a prerestore copy (it may still hold what the backup lacks), then replaced
 * under the same exclusive hold as any restore. Its station cannot be read, so it is not compared.
 */
export function restoreOverDamaged(db: string, backupsDir: string, source: string, now: number, driver: { migrationsDir?: string; nativeBinding?: string } = {}): BackupFile {
  verifyBackupFile(source, driver);
  const failedDir = join(backupsDir, FAILED_DIR);
  mkdirSync(failedDir, { recursive: true });
  const name = `${backupName('prerestore', undefined, now)}${FAILED_SUFFIX}`;
  copyFileSync(db, join(failedDir, name));
  fsyncFile(join(failedDir, name));
  replaceStationFile(db, source, driver);
  return { file: name, kind: 'prerestore', size: statSync(join(failedDir, name)).size, createdAt: now };
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
