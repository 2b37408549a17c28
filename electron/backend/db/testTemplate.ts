import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Migration } from './migrations';

// The test suite opens a new station file in hundreds of tests, and each ran every migration
// (0.1–0.4 s on the loaded 2-core machine). Under vitest (its config sets
// GRIDDESK_TEST_TEMPLATE=1; a station never has it) a new, empty file starts as a copy of one
// migrated template instead: made once by the first process that needs it, named by the
// migrations' own text so a changed migration makes a new one, and renamed into place whole, so
// processes running side by side never see half of it. The migration tests open older versions
// through their own path and are not affected; opening then finds the copy at the latest version.

function wanted(file: string, migrationsDir: string | undefined): boolean {
  if (!process.env.VITEST || process.env.GRIDDESK_TEST_TEMPLATE !== '1' || migrationsDir !== undefined) return false;
  return !existsSync(file) || statSync(file).size === 0;
}

/**
 * Puts a copy of the migrated template at `file` when the test setting asks for it and `file` is
 * new. `loadMigrations` is called only then; `migrateNew(path)` makes a migrated station file at
 * `path` the normal way.
 */
export function copyTestTemplate(file: string, migrationsDir: string | undefined, loadMigrations: () => Migration[], migrateNew: (path: string) => void): void {
  if (!wanted(file, migrationsDir)) return; // a station (no test setting) reads nothing more at open
  const migrations = loadMigrations();
  const digest = createHash('sha256');
  for (const m of migrations) digest.update(`${m.version}\0${m.name}\0${m.sql}\0`);
  const template = join(tmpdir(), `griddesk-test-template-v${migrations.length}-${digest.digest('hex').slice(0, 16)}.db`);
  if (!existsSync(template)) {
    const making = `${template}.${process.pid}.${Date.now()}`;
    migrateNew(making);
    for (const suffix of ['-wal', '-shm']) rmSync(making + suffix, { force: true });
    renameSync(making, template);
  }
  for (const suffix of ['-wal', '-shm']) rmSync(file + suffix, { force: true });
  copyFileSync(template, file);
}
