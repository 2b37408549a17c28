import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultMigrationsDir, loadMigrations } from './migrations';
import { GRIDDESK_APPLICATION_ID, openStore } from './open';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'griddesk-open-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const LATEST = loadMigrations().length;

// These tests are about opening itself: new files run every migration, not the suite's migrated
// template (vitest.config.ts, db/testTemplate.ts), except the test of the template below.
process.env.GRIDDESK_TEST_TEMPLATE = '0';

describe('opening a station database', () => {
  it('creates a new database with WAL, synchronous=FULL, foreign keys and every migration', () => {
    const file = join(tempDir(), 'griddesk.db');
    const { store, fromVersion, toVersion } = openStore({ file });
    expect([fromVersion, toVersion]).toEqual([0, LATEST]);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('application_id', { simple: true })).toBe(GRIDDESK_APPLICATION_ID);
    store.close();
    // Opening again migrates nothing.
    const again = openStore({ file });
    expect([again.fromVersion, again.toVersion]).toEqual([LATEST, LATEST]);
    again.store.close();
  });

  it('keeps the driver build it was opened with, for another thread\'s connection to the same file (a job\'s checkpoints aside)', () => {
    const file = join(tempDir(), 'griddesk.db');
    const nativeBinding = createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
    const { store } = openStore({ file, nativeBinding });
    expect(store.nativeBinding).toBe(nativeBinding);
    store.close();
    const plain = openStore({ file });
    expect(plain.store.nativeBinding).toBeUndefined();
    plain.store.close();
  });

  it('refuses a database from a newer version, naming both versions', () => {
    const file = join(tempDir(), 'griddesk.db');
    openStore({ file }).store.close();
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST + 3}`);
    db.close();
    expect(() => openStore({ file })).toThrow(new RegExp(`version ${LATEST + 3}.*up to ${LATEST}`));
  });

  it('refuses a file that is not SQLite, and an SQLite file that is not GridDesk', () => {
    const dir = tempDir();
    const text = join(dir, 'notes.db');
    writeFileSync(text, 'this is a spreadsheet, not a database');
    expect(() => openStore({ file: text })).toThrow(/not an SQLite database/);
    const other = join(dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(() => openStore({ file: other })).toThrow(/not a GridDesk database/);
  });

  it('backs up before migrating an older database, and refuses migrations out of step', () => {
    const dir = tempDir();
    const older = join(dir, 'older-migrations');
    mkdirSync(older);
    const shipped = readdirSync(defaultMigrationsDir()).filter((f) => f.endsWith('.sql')).sort();
    // A database made by a build that had only the first migration …
    copyFileSync(join(defaultMigrationsDir(), shipped[0] ?? ''), join(older, shipped[0] ?? ''));
    const file = join(dir, 'griddesk.db');
    openStore({ file, migrationsDir: older }).store.close();
    if (LATEST > 1) {
      // … opened by this build is migrated, after a backup.
      const backups = join(dir, 'backups');
      const opened = openStore({ file, backupsDir: backups });
      expect(opened.fromVersion).toBe(1);
      expect(opened.backupFile && existsSync(opened.backupFile)).toBe(true);
      opened.store.close();
    }
    // A build whose first migration has another name refuses the database.
    const renamed = join(dir, 'renamed');
    mkdirSync(renamed);
    copyFileSync(join(defaultMigrationsDir(), shipped[0] ?? ''), join(renamed, '0001_something_else.sql'));
    expect(() => openStore({ file, migrationsDir: renamed })).toThrow(/(upgrades this program does not know|newer GridDesk)/);
  });

  it('the test suite\'s template: a new file starts as the same schema the migrations make, and only under vitest', () => {
    const dir = tempDir();
    const schemaOf = (file: string) => {
      const db = new Database(file, { readonly: true });
      try {
        return {
          schema: db.prepare(`SELECT type, name, sql FROM sqlite_schema ORDER BY name`).all(),
          migrations: db.prepare(`SELECT version, name FROM schema_migrations ORDER BY version`).all(),
          version: db.pragma('user_version', { simple: true }),
          applicationId: db.pragma('application_id', { simple: true }),
        };
      } finally {
        db.close();
      }
    };
    const plain = openStore({ file: join(dir, 'plain.db') });
    expect(plain.fromVersion).toBe(0);
    plain.store.close();
    process.env.GRIDDESK_TEST_TEMPLATE = '1';
    try {
      const copied = openStore({ file: join(dir, 'copied.db') });
      expect([copied.fromVersion, copied.toVersion]).toEqual([LATEST, LATEST]);
      copied.store.close();
      const vitest = process.env.VITEST;
      delete process.env.VITEST;
      try {
        const outside = openStore({ file: join(dir, 'outside.db') });
        expect(outside.fromVersion).toBe(0); // a station never copies a template
        outside.store.close();
      } finally {
        process.env.VITEST = vitest;
      }
    } finally {
      process.env.GRIDDESK_TEST_TEMPLATE = '0';
    }
    expect(schemaOf(join(dir, 'copied.db'))).toEqual(schemaOf(join(dir, 'plain.db')));
  });
});
