import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMigrationsDir } from '../migrations';
import { openStore } from '../open';
import type { Store } from '../store';

/**
 * For migration tests: a database made by the build just before migration `version` (with
 * `seed` writing that build's data), then opened by a build that ships migrations up to
 * `version`. Returns the upgraded store.
 */
export function upgradeTo(version: number, seed?: (store: Store) => void): { store: Store; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'griddesk-migration-'));
  const files = readdirSync(defaultMigrationsDir()).filter((f) => f.endsWith('.sql')).sort();
  const build = (upTo: number) => {
    const folder = join(dir, `build-${upTo}`);
    mkdirSync(folder, { recursive: true });
    for (const f of files.slice(0, upTo)) copyFileSync(join(defaultMigrationsDir(), f), join(folder, f));
    return folder;
  };
  const file = join(dir, 'griddesk.db');
  if (version > 1) {
    const previous = openStore({ file, migrationsDir: build(version - 1) }).store;
    seed?.(previous);
    previous.close();
  }
  const { store } = openStore({ file, migrationsDir: build(version), backupsDir: join(dir, 'backups') });
  return {
    store,
    dir,
    cleanup: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
