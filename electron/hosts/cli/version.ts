import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadMigrations } from '../../backend/db/migrations';

// `griddesk version`, kept apart from the back end: main.ts answers it without loading the
// contract, the handlers or the database (the start-up bench measures it against a bare node).

let cachedVersion: string | undefined;
/** The version in package.json (the CLI runs from the project or the packaged app). */
export function appVersion(): string {
  if (cachedVersion) return cachedVersion;
  try {
    const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
    cachedVersion = (JSON.parse(text) as { version: string }).version;
  } catch {
    cachedVersion = '0.0.0';
  }
  return cachedVersion;
}

export interface VersionInfo {
  griddesk: string;
  schemaVersion: number;
  node: string;
  sqlite: string;
}

export function versionInfo(): VersionInfo {
  // better-sqlite3 is CommonJS; required here so nothing loads it before it is needed.
  const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');
  const memory = new Database(':memory:');
  const sqlite = memory.prepare('SELECT sqlite_version()').pluck().get() as string;
  memory.close();
  return { griddesk: appVersion(), schemaVersion: loadMigrations().length, node: process.versions.node, sqlite };
}

export function versionText(info: VersionInfo): string {
  return `GridDesk ${info.griddesk} (schema ${info.schemaVersion}; Node ${info.node}; SQLite ${info.sqlite})`;
}
