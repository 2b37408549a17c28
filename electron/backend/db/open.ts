import Database from 'better-sqlite3';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../errors';
import { defaultProgram, registerHolder } from './holders';
import { copyTestTemplate } from './testTemplate';
import { loadMigrations, type Migration } from './migrations';
import { openReadonly } from './readonly';
import { storageError } from './storageErrors';
import { fileIdentity, PAGE_CACHE_KIB, Store, type FileIdentity } from './store';

/** PRAGMA application_id of every GridDesk database ('GDSK'), so a stray SQLite file is refused. */
export const GRIDDESK_APPLICATION_ID = 0x4744534b;

export interface OpenStoreOptions {
  file: string;
  migrationsDir?: string;
  /** Where the automatic pre-migration backup goes (default: backups/ beside the file). */
  backupsDir?: string;
  /** better-sqlite3's nativeBinding: the Electron shell passes an Electron-ABI build. */
  nativeBinding?: string;
  now?: () => number;
  /** Told about a pre-migration backup (the path), for logs. */
  onBackup?: (file: string) => void;
  /**
   * Open read-only: true, false, or 'auto' (the default): read-only when the file exists but
   * cannot be written (read-only media such as a USB stick, or a read-only file), so `check`
   * and `restore --from` work on a backup there instead of failing on the first write.
   */
  readonly?: boolean | 'auto';
  /** What this process is, for the holders list a restore reads (default: from argv). */
  program?: string;
}

export interface OpenedStore {
  store: Store;
  /** Schema version before and after opening. */
  fromVersion: number;
  toVersion: number;
  backupFile?: string;
}

const SQLITE_HEADER = 'SQLite format 3\u0000';

function assertSqliteFile(file: string): void {
  if (!existsSync(file) || statSync(file).size === 0) return;
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(16);
    readSync(fd, header, 0, 16, 0);
    if (header.toString('latin1') !== SQLITE_HEADER) throw new AppError('validation', 'store.notDatabase', { file });
  } finally {
    closeSync(fd);
  }
}

function isCorruption(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code);
}

export function backupStamp(ms: number): string {
  // 20261126-185301 in Asia/Shanghai, the office's clock
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

/**
 * Opens (creating if needed) a station database: pragmas, identity check, migrations.
 * Refuses a file that is not SQLite, not GridDesk, from a newer version, or whose applied
 * migrations differ from the shipped ones — each with a message naming the file and versions.
 */
/** True when `file` exists but this process cannot write it or the folder its journal goes in. */
export function cannotWrite(file: string): boolean {
  if (!existsSync(file)) return false;
  for (const path of [file, dirname(file)]) {
    try {
      accessSync(path, constants.W_OK);
    } catch {
      return true;
    }
  }
  return false;
}

export function openStore(options: OpenStoreOptions): OpenedStore {
  const { file } = options;
  const readonly = options.readonly === true || ((options.readonly ?? 'auto') === 'auto' && cannotWrite(file));
  try {
    if (!readonly && !existsSync(dirname(file))) mkdirSync(dirname(file), { recursive: true });
    assertSqliteFile(file);
    if (!readonly) copyTestTemplate(file, options.migrationsDir, () => loadMigrations(options.migrationsDir), (path) => migrateNewFile(path, options));
    // The file the connection opens is certain only when the path names the same file before
    // the open and after the first read: a restore that renamed a new file into place in
    // between would otherwise leave this process writing into the old, deleted one.
    for (let attempt = 0; ; attempt++) {
      const opened = openOnce(options, readonly);
      if (opened !== undefined) return opened;
      if (attempt >= 5) throw new AppError('conflict', 'storage.busy', { file });
    }
  } catch (error) {
    throw storageError(error, file) ?? error;
  }
}

/** A new station file, migrated the normal way and closed (the test template: `testTemplate.ts`). */
function migrateNewFile(path: string, options: OpenStoreOptions): void {
  const db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    migrate(db, path, loadMigrations(options.migrationsDir), options.now ?? Date.now, options);
  } finally {
    db.close();
  }
}

/** A read-only file (read-only media or file) is read as it is; nothing is written, not even a holder entry. */
function openReadonlyStore(options: OpenStoreOptions): OpenedStore {
  const { file } = options;
  const opened = openReadonly(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    opened.db.pragma('foreign_keys = ON');
    opened.db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    const result = checkReadonly(opened.db, file, loadMigrations(options.migrationsDir));
    return { store: new Store(opened.db, file, { readonly: true, onClose: opened.close }), ...result };
  } catch (error) {
    opened.close();
    if (isCorruption(error)) throw new AppError('validation', 'store.corrupt', { file, detail: error.message });
    throw error;
  }
}

function openOnce(options: OpenStoreOptions, readonly: boolean): OpenedStore | undefined {
  const { file } = options;
  if (readonly) return openReadonlyStore(options);
  const now = options.now ?? Date.now;
  const migrations = loadMigrations(options.migrationsDir);
  const before = fileIdentity(file);
  let db: Database.Database;
  try {
    db = new Database(file, {
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      ...(readonly ? { readonly: true, fileMustExist: true } : {}),
    });
  } catch (error) {
    if (isCorruption(error)) throw new AppError('validation', 'store.corrupt', { file, detail: error.message });
    throw error;
  }
  try {
    if (!readonly) db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    if (!readonly) db.pragma('synchronous = FULL'); // money is written here: a commit survives power loss
    db.pragma('foreign_keys = ON');
    // A station's file grows to gigabytes (a 100,000-customer station after a year: ~10 GB);
    // SQLite's default 2 MB page cache re-reads the same index pages from the OS on every
    // lookup. 64 MB keeps the hot upper levels of the big indexes in memory.
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    db.pragma('user_version'); // the first read: from here on the connection holds its file
    const after = fileIdentity(file);
    if (!sameIdentity(before, after) && before !== undefined) {
      db.close();
      return undefined; // replaced while opening: open again
    }
    const result = readonly ? checkReadonly(db, file, migrations) : migrate(db, file, migrations, now, options);
    const release = readonly ? () => {} : registerHolder(file, options.program ?? defaultProgram(), now());
    return { store: new Store(db, file, { identity: after, readonly, onClose: release, nativeBinding: options.nativeBinding }), ...result };
  } catch (error) {
    db.close();
    if (isCorruption(error)) throw new AppError('validation', 'store.corrupt', { file, detail: error.message });
    throw error;
  }
}

function sameIdentity(a: FileIdentity | undefined, b: FileIdentity | undefined): boolean {
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}

/** A read-only file is used as it is: it must already be a GridDesk database of this version. */
function checkReadonly(db: Database.Database, file: string, migrations: Migration[]): Omit<OpenedStore, 'store'> {
  const latest = migrations.length;
  const version = db.pragma('user_version', { simple: true }) as number;
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  if (applicationId !== GRIDDESK_APPLICATION_ID) throw new AppError('validation', 'store.notGridDesk', { file });
  if (version > latest) throw new AppError('validation', 'store.tooNew', { file, found: version, supported: latest });
  if (version < latest) throw new AppError('validation', 'storage.readonlyOld', { file, found: version, supported: latest });
  assertAppliedPrefix(db, file, migrations, version);
  return { fromVersion: version, toVersion: version };
}

function migrate(
  db: Database.Database,
  file: string,
  migrations: Migration[],
  now: () => number,
  options: OpenStoreOptions,
): Omit<OpenedStore, 'store'> {
  const latest = migrations.length;
  const version = db.pragma('user_version', { simple: true }) as number;
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const tableCount = db.prepare(`SELECT count(*) FROM sqlite_schema`).pluck().get() as number;

  if (applicationId !== GRIDDESK_APPLICATION_ID && (tableCount > 0 || version !== 0)) {
    throw new AppError('validation', 'store.notGridDesk', { file });
  }
  if (version > latest) {
    throw new AppError('validation', 'store.tooNew', { file, found: version, supported: latest });
  }
  if (version > 0) assertAppliedPrefix(db, file, migrations, version);
  if (version === latest) return { fromVersion: version, toVersion: version };

  let backupFile: string | undefined;
  if (version > 0) {
    // Automatic backup before any migration (DESIGN.md): a consistent copy via VACUUM INTO.
    const dir = options.backupsDir ?? join(dirname(file), 'backups');
    mkdirSync(dir, { recursive: true });
    backupFile = join(dir, `griddesk-premigration-v${version}-to-v${latest}-${backupStamp(now())}.db`);
    db.prepare(`VACUUM INTO ?`).run(backupFile);
    options.onBackup?.(backupFile);
  }

  db.transaction(() => {
    // Another process may have migrated between our check and taking the write lock.
    const current = db.pragma('user_version', { simple: true }) as number;
    for (const migration of migrations.slice(current)) {
      db.exec(migration.sql);
      db.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`).run(
        migration.version,
        migration.name,
        now(),
      );
    }
    db.pragma(`application_id = ${GRIDDESK_APPLICATION_ID}`);
    db.pragma(`user_version = ${latest}`);
  }).immediate();
  return { fromVersion: version, toVersion: latest, ...(backupFile ? { backupFile } : {}) };
}

function assertAppliedPrefix(db: Database.Database, file: string, migrations: Migration[], version: number): void {
  const applied = db.prepare(`SELECT version, name FROM schema_migrations ORDER BY version`).all() as {
    version: number;
    name: string;
  }[];
  for (let v = 1; v <= version; v++) {
    const found = applied[v - 1];
    const expected = migrations[v - 1];
    if (!found || !expected || found.version !== v || found.name !== expected.name) {
      throw new AppError('validation', 'store.outOfStep', {
        file,
        version: v,
        found: found?.name ?? '—',
        expected: expected?.name ?? '—',
      });
    }
  }
}
