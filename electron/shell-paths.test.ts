import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseFile, nativeBindingPath, shellPaths } from './shell-paths';

const userData = join('/home', 'clerk', '.config', 'GridDesk');

describe('the Electron build of better-sqlite3', () => {
  it('comes from resources/native when installed', () => {
    const where = { packaged: true, resourcesPath: join('/opt', 'GridDesk', 'resources'), appPath: join('/opt', 'GridDesk', 'resources', 'app.asar'), electronVersion: '45.5.0' };
    expect(nativeBindingPath(where)).toBe(join('/opt', 'GridDesk', 'resources', 'native', 'better_sqlite3.node'));
  });

  it('comes from .electron-native/<Electron version> when run from source, never from node_modules', () => {
    const where = { packaged: false, resourcesPath: '/electron/resources', appPath: join('/work', 'griddesk'), electronVersion: '45.5.0' };
    expect(nativeBindingPath(where)).toBe(join('/work', 'griddesk', '.electron-native', '45.5.0', 'better_sqlite3.node'));
  });
});

describe('the station database', () => {
  it('is griddesk.db in the user-data folder by default', () => {
    expect(databaseFile(['electron', '.'], {}, userData, '/cwd')).toBe(join(userData, 'griddesk.db'));
  });

  it('can be chosen with --db FILE or --db=FILE, relative to where the app was started', () => {
    expect(databaseFile(['GridDesk.exe', '--db', 'training.db'], {}, userData, '/cwd')).toBe(resolve('/cwd', 'training.db'));
    expect(databaseFile(['GridDesk.exe', '--db=/data/station.db'], {}, userData, '/cwd')).toBe(resolve('/data/station.db'));
  });

  it('can be chosen with GRIDDESK_DB; --db wins over it', () => {
    expect(databaseFile(['electron', '.'], { GRIDDESK_DB: '/data/env.db' }, userData, '/cwd')).toBe(resolve('/data/env.db'));
    expect(databaseFile(['electron', '.', '--db', '/data/arg.db'], { GRIDDESK_DB: '/data/env.db' }, userData, '/cwd')).toBe(resolve('/data/arg.db'));
  });

  it('ignores a --db with no file after it', () => {
    expect(databaseFile(['electron', '.', '--db'], {}, userData, '/cwd')).toBe(join(userData, 'griddesk.db'));
  });
});

describe('shellPaths', () => {
  const base = { env: {}, cwd: '/cwd', userData, appPath: '/app', packaged: false, resourcesPath: '/r', electronVersion: '45.5.0' };

  it('keeps data and backups in the user-data folder and everything shipped under the app folder', () => {
    expect(shellPaths({ ...base, argv: ['electron', '.'] })).toEqual({
      db: join(userData, 'griddesk.db'),
      backupsDir: join(userData, 'backups'),
      migrationsDir: join('/app', 'migrations'),
      rendererDir: join('/app', 'dist', 'renderer'),
      preload: join('/app', 'dist-electron', 'preload.cjs'),
      backendEntry: join('/app', 'dist-electron', 'backend.cjs'),
      icon: join('/app', 'build', 'icon.png'),
      nativeBinding: join('/app', '.electron-native', '45.5.0', 'better_sqlite3.node'),
    });
  });

  it('keeps the backups of a --db file beside it, apart from the station’s own', () => {
    expect(shellPaths({ ...base, argv: ['electron', '.', '--db', '/training/t.db'] }).backupsDir).toBe(resolve('/training', 'backups'));
  });
});
