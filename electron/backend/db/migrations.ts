import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Migrations are numbered SQL files in migrations/ (0001_platform.sql, 0002_customers.sql, …),
// append-only: a shipped file is never edited, a change is a new file. The database records
// what it has applied (PRAGMA user_version and the schema_migrations table), and start-up
// refuses a database whose applied migrations are not a prefix of the shipped ones.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE_RE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** The migrations folder next to the sources (tsx, vitest) — the Electron shell passes its own. */
export function defaultMigrationsDir(): string {
  return fileURLToPath(new URL('../../../migrations', import.meta.url));
}

export function loadMigrations(dir: string = defaultMigrationsDir()): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const migrations = files.map((file, index): Migration => {
    const m = FILE_RE.exec(file);
    if (!m) throw new Error(`migrations: "${file}" is not named NNNN_name.sql`);
    const version = Number(m[1]);
    if (version !== index + 1) {
      throw new Error(`migrations: expected version ${index + 1} but found "${file}" (numbers must run 0001, 0002, … without gaps)`);
    }
    return { version, name: m[2] ?? file, sql: readFileSync(join(dir, file), 'utf8') };
  });
  if (migrations.length === 0) throw new Error(`migrations: none found in ${dir}`);
  return migrations;
}
