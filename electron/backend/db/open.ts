import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../errors';
import { loadMigrations, type Migration } from './migrations';
import { PAGE_CACHE_KIB, Store } from './store';

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
export function openStore(options: OpenStoreOptions): OpenedStore {
  const { file } = options;
  const now = options.now ?? Date.now;
  mkdirSync(dirname(file), { recursive: true });
  assertSqliteFile(file);
  const migrations = loadMigrations(options.migrationsDir);
  let db: Database.Database;
  try {
    db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (error) {
    if (isCorruption(error)) throw new AppError('validation', 'store.corrupt', { file, detail: error.message });
    throw error;
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL'); // money is written here: a commit survives power loss
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // A station's file grows to gigabytes (a 100,000-customer station after a year: ~10 GB);
    // SQLite's default 2 MB page cache re-reads the same index pages from the OS on every
    // lookup. 64 MB keeps the hot upper levels of the big indexes in memory.
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    const result = migrate(db, file, migrations, now, options);
    return { store: new Store(db, file), ...result };
  } catch (error) {
    db.close();
    if (isCorruption(error)) throw new AppError('validation', 'store.corrupt', { file, detail: error.message });
    throw error;
  }
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
