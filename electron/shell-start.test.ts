import Database from 'better-sqlite3';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { scheduleDailyBackup } from './backend/backup/backup';
import { Backend } from './backend/context';
import { GRIDDESK_APPLICATION_ID } from './backend/db/open';
import { startShell, type ShellProcess } from './shell-start';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, resetFakeElectron, session } from './testing/fake-electron';

vi.mock('electron', () => import('./testing/fake-electron'));
vi.mock('./backend/backup/backup', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./backend/backup/backup')>()),
  scheduleDailyBackup: vi.fn(),
}));

// Start-up against a real station database. The app folder is a temp copy holding the shipped
// migrations and, as "the Electron build" of better-sqlite3, a copy of the Node build (tests run
// in Node), so the path the shell hands to `nativeBinding` is really the one loaded.
const REPO = join(import.meta.dirname, '..');
const NODE_BUILD = join(createRequire(import.meta.url).resolve('better-sqlite3/package.json'), '..', 'build', 'Release', 'better_sqlite3.node');

let dir: string;
let appDir: string;
let userData: string;
let proc: ShellProcess;
const nativeFile = () => join(appDir, '.electron-native', 'test-electron', 'better_sqlite3.node');
const closeSpy = vi.spyOn(Backend.prototype, 'close');

beforeEach(() => {
  resetFakeElectron();
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {}); // start-up failures are logged as well as shown
  vi.mocked(scheduleDailyBackup).mockClear();
  closeSpy.mockClear();
  dir = mkdtempSync(join(tmpdir(), 'griddesk-start-'));
  appDir = join(dir, 'app');
  userData = join(dir, 'userData');
  cpSync(join(REPO, 'migrations'), join(appDir, 'migrations'), { recursive: true });
  mkdirSync(join(nativeFile(), '..'), { recursive: true });
  copyFileSync(NODE_BUILD, nativeFile());
  app.appPath = appDir;
  app.paths.userData = userData;
  app.version = '9.9.9';
  proc = { argv: ['electron', '.'], env: {}, cwd: dir, resourcesPath: join(dir, 'resources'), electronVersion: 'test-electron' };
});
afterEach(() => {
  app.emit('will-quit'); // closes the database so the folder can go
  rmSync(dir, { recursive: true, force: true });
});

const mainWindow = () => BrowserWindow.created[0];
const invoke = (name: string) => {
  const window = mainWindow()!;
  return ipcMain.invoke('griddesk:invoke', window.webContents, window.webContents.mainFrame, name, {}) as Promise<any>;
};

describe('start-up', () => {
  it('registers app:// and takes the single-instance lock before Electron is ready, opening nothing yet', () => {
    startShell(proc);
    expect(protocol.privileged).toHaveLength(1);
    expect(BrowserWindow.created).toHaveLength(0);
    expect(existsSync(join(userData, 'griddesk.db'))).toBe(false);
  });

  it('opens the station database in the user-data folder, then the window at app://griddesk', async () => {
    startShell(proc);
    await app.becomeReady();
    expect(dialog.errorBoxes).toEqual([]);
    expect(existsSync(join(userData, 'griddesk.db'))).toBe(true);
    expect(existsSync(join(userData, 'backups'))).toBe(true);
    expect(mainWindow()?.loadedUrls).toEqual(['app://griddesk/index.html']);
    expect(mainWindow()?.options.webPreferences.preload).toBe(join(appDir, 'dist-electron', 'preload.cjs'));
    expect(protocol.handlers.has('app')).toBe(true);
    expect(session.defaultSession.permissionRequestHandler).not.toBeNull();
    expect(Menu.applicationMenu?.template.map((item) => item.label)).toEqual(['文件', '编辑', '视图', '帮助']);
    expect(await invoke('system.info')).toMatchObject({ ok: true, value: { desktop: true, appVersion: '9.9.9', setUp: false } });
  });

  it('serves the shell channels from the window (not the back end’s not_available)', async () => {
    startShell(proc);
    await app.becomeReady();
    expect((await invoke('shell.print')).error.code).toBe('not_logged_in');
  });

  it('opens the file given with --db instead', async () => {
    const training = join(dir, 'training', 'practice.db');
    startShell({ ...proc, argv: ['electron', '.', '--db', training] });
    await app.becomeReady();
    expect(existsSync(training)).toBe(true);
    expect(existsSync(join(userData, 'griddesk.db'))).toBe(false);
  });

  it('loads better-sqlite3 from the Electron build it was given, not the Node build in node_modules', async () => {
    writeFileSync(nativeFile(), 'not a shared library');
    startShell(proc);
    await app.becomeReady();
    expect(dialog.errorBoxes).toHaveLength(1);
    expect(dialog.errorBoxes[0]?.content).toMatch(/^启动时出现意外错误：/);
    expect(BrowserWindow.created).toHaveLength(0);
  });

  it('says how to build the Electron binary when it is missing, and quits', async () => {
    rmSync(nativeFile());
    startShell(proc);
    await app.becomeReady();
    expect(dialog.errorBoxes).toEqual([{ title: 'GridDesk 无法启动', content: expect.stringContaining(nativeFile()) }]);
    expect(dialog.errorBoxes[0]?.content).toContain('npm start');
    expect(app.quitCalls).toBe(1);
    expect(BrowserWindow.created).toHaveLength(0);
  });

  it('refuses a database from a newer GridDesk with the dictionary’s Chinese message, and quits', async () => {
    mkdirSync(userData, { recursive: true });
    const newer = new Database(join(userData, 'griddesk.db'));
    newer.pragma(`application_id = ${GRIDDESK_APPLICATION_ID}`);
    newer.pragma('user_version = 999');
    newer.close();
    startShell(proc);
    await app.becomeReady();
    expect(dialog.errorBoxes[0]?.content).toMatch(/来自更新版本的 GridDesk（数据库版本 999，本程序支持到 \d+）/);
    expect(app.quitCalls).toBe(1);
    expect(BrowserWindow.created).toHaveLength(0);
  });

  it('refuses a file that is not a database', async () => {
    mkdirSync(userData, { recursive: true });
    writeFileSync(join(userData, 'griddesk.db'), 'this is not SQLite at all, just a text file');
    startShell(proc);
    await app.becomeReady();
    expect(dialog.errorBoxes[0]?.content).toBe(`${join(userData, 'griddesk.db')} 不是 SQLite 数据库文件`);
    expect(app.quitCalls).toBe(1);
  });
});

describe('one copy per PC', () => {
  it('a second copy quits at once, before opening anything', async () => {
    app.singleInstanceLock = false;
    startShell(proc);
    expect(app.quitCalls).toBe(1);
    await app.becomeReady();
    expect(BrowserWindow.created).toHaveLength(0);
    expect(existsSync(join(userData, 'griddesk.db'))).toBe(false);
  });

  it('launching again brings the open window forward', async () => {
    startShell(proc);
    await app.becomeReady();
    const window = mainWindow()!;
    window.minimized = true;
    app.emit('second-instance');
    expect(window.minimized).toBe(false);
    expect(window.focusCount).toBe(1);
  });
});

describe('after start-up', () => {
  it('schedules the daily backup only once the window is shown', async () => {
    startShell(proc);
    await app.becomeReady();
    expect(scheduleDailyBackup).not.toHaveBeenCalled();
    mainWindow()!.emit('ready-to-show');
    expect(scheduleDailyBackup).toHaveBeenCalledTimes(1);
    expect(vi.mocked(scheduleDailyBackup).mock.calls[0]?.[0]).toBeInstanceOf(Backend);
  });

  it('closes the database once when the app quits', async () => {
    startShell(proc);
    await app.becomeReady();
    app.emit('window-all-closed');
    expect(app.quitCalls).toBe(1);
    app.emit('will-quit');
    app.emit('will-quit');
    expect(closeSpy).toHaveBeenCalledTimes(1);
  });
});
