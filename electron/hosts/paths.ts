import { homedir } from 'node:os';
import { join } from 'node:path';

// Where a station's data lives when no --db is given: the same folder the desktop app uses
// (Electron's userData for the product name "GridDesk"), so the CLI and the app share a file.
export function defaultDataDir(): string {
  const home = homedir();
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'GridDesk');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'GridDesk');
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'GridDesk');
}

/** --db FILE, else GRIDDESK_DB, else griddesk.db in the data folder. */
export function resolveDbPath(flag: string | undefined): string {
  return flag ?? process.env.GRIDDESK_DB ?? join(defaultDataDir(), 'griddesk.db');
}
