// Where the shell finds and keeps things, as pure functions of what Electron reports, so each
// choice is tested without Electron.
import { dirname, isAbsolute, join, resolve } from 'node:path';

/**
 * better-sqlite3 compiled for Electron's ABI. It is loaded through better-sqlite3's
 * `nativeBinding` option, so node_modules keeps the Node build that the tests and the CLI use.
 * Installed: shipped beside the app in resources/native (electron-builder extraResources).
 * From source: built by `npm start` into .electron-native/<Electron version>/.
 */
export function nativeBindingPath(where: { packaged: boolean; resourcesPath: string; appPath: string; electronVersion: string }): string {
  if (where.packaged) return join(where.resourcesPath, 'native', 'better_sqlite3.node');
  return join(where.appPath, '.electron-native', where.electronVersion, 'better_sqlite3.node');
}

/** The station database: `--db FILE` (or `--db=FILE`), else GRIDDESK_DB, else griddesk.db in the user-data folder. */
export function databaseFile(argv: readonly string[], env: Record<string, string | undefined>, userData: string, cwd: string): string {
  let chosen: string | undefined;
  argv.forEach((arg, index) => {
    if (arg === '--db' && argv[index + 1]) chosen = argv[index + 1];
    else if (arg.startsWith('--db=') && arg.length > '--db='.length) chosen = arg.slice('--db='.length);
  });
  chosen ??= env.GRIDDESK_DB || undefined;
  if (!chosen) return join(userData, 'griddesk.db');
  return isAbsolute(chosen) ? chosen : resolve(cwd, chosen);
}

export interface ShellPaths {
  db: string;
  backupsDir: string;
  migrationsDir: string;
  rendererDir: string;
  preload: string;
  /** The back-end process's entry, forked as a utility process (see backend-process.ts). */
  backendEntry: string;
  icon: string;
  nativeBinding: string;
}

/**
 * Everything lives under the app folder (app.asar when installed) except the data, which lives
 * in the user-data folder (%APPDATA%\GridDesk on Windows, ~/.config/GridDesk on Linux), so an
 * upgrade or reinstall never touches it. Backups go to backups/ beside the database: the
 * user-data folder normally, and beside a `--db` file (a training copy) so its backups never mix
 * with the station's own.
 */
export function shellPaths(where: {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  cwd: string;
  userData: string;
  appPath: string;
  packaged: boolean;
  resourcesPath: string;
  electronVersion: string;
}): ShellPaths {
  const db = databaseFile(where.argv, where.env, where.userData, where.cwd);
  return {
    db,
    backupsDir: join(dirname(db), 'backups'),
    migrationsDir: join(where.appPath, 'migrations'),
    rendererDir: join(where.appPath, 'dist', 'renderer'),
    preload: join(where.appPath, 'dist-electron', 'preload.cjs'),
    backendEntry: join(where.appPath, 'dist-electron', 'backend.cjs'),
    icon: join(where.appPath, 'build', 'icon.png'),
    nativeBinding: nativeBindingPath(where),
  };
}
