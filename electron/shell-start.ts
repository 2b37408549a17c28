// Start-up and shut-down of the desktop app: one running copy per PC, open the station database
// (refusing, with a readable message, one that is damaged or from a newer GridDesk), then the
// window, the menu and the IPC transport. The back end is the same one the web host and the CLI
// run; only the window, dialogs and printing are Electron's.
import { app, dialog, Menu, safeStorage, session, type BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import { scheduleDailyBackup } from './backend/backup/backup';
import { Backend } from './backend/context';
import { AppError } from './backend/errors';
import { createHandlers } from './backend/handlers';
import { shellChannels } from './shell-channels';
import { serveInvoke } from './shell-ipc';
import { menuTemplate } from './shell-menu';
import { protectSyncKeys } from './shell-keys';
import { shellPaths } from './shell-paths';
import { APP_START_URL, registerAppScheme, serveRenderer } from './shell-protocol';
import { shellText } from './shell-text';
import { createMainWindow, guardSession } from './shell-window';

/** What the main process knows about itself (process.*), passed in so tests can choose. */
export interface ShellProcess {
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  resourcesPath: string;
  electronVersion: string;
}

/** The clerk-readable reason start-up failed (AppError messages are in the dictionary). */
export function startFailureMessage(error: unknown): string {
  if (error instanceof AppError) return error.messageIn('zh-CN');
  return shellText('zh-CN', 'unexpected', { detail: error instanceof Error ? error.message : String(error) });
}

export function startShell(proc: ShellProcess): void {
  registerAppScheme(); // before 'ready', or Chromium treats app:// as an opaque, insecure scheme

  // One running copy per PC: two would both write the station's book and both take backups.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  let backend: Backend | undefined;
  let window: BrowserWindow | undefined;

  app.on('second-instance', () => {
    // The shortcut was opened again: bring the open window forward instead.
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    // close() runs PRAGMA optimize and folds the WAL back into the database file.
    backend?.close();
    backend = undefined;
  });

  const fail = (error: unknown) => {
    console.error('GridDesk: start-up failed', error);
    dialog.showErrorBox(shellText('zh-CN', 'startFailed'), startFailureMessage(error));
    app.quit();
  };

  const whenReady = () => {
    const paths = shellPaths({
      argv: proc.argv,
      env: proc.env,
      cwd: proc.cwd,
      userData: app.getPath('userData'),
      appPath: app.getAppPath(),
      packaged: app.isPackaged,
      resourcesPath: proc.resourcesPath,
      electronVersion: proc.electronVersion,
    });
    // Without it better-sqlite3 would fall back to the Node build and fail with an ABI error.
    if (!existsSync(paths.nativeBinding)) return fail(shellText('zh-CN', 'nativeMissing', { file: paths.nativeBinding }));

    // Before the back end can make the station's sync key: seal it with safeStorage where usable.
    protectSyncKeys(safeStorage);
    const opened = new Backend({
      db: paths.db,
      backupsDir: paths.backupsDir,
      migrationsDir: paths.migrationsDir,
      nativeBinding: paths.nativeBinding,
      desktop: true,
      appVersion: app.getVersion(),
    });
    backend = opened;
    console.log(`GridDesk ${app.getVersion()}: database ${paths.db}`);

    serveRenderer(paths.rendererDir);
    guardSession(session.defaultSession);
    const shown = createMainWindow({ preload: paths.preload, icon: paths.icon }, app.isPackaged);
    window = shown;
    serveInvoke(opened, createHandlers(shellChannels(shown)), shown);
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ version: app.getVersion(), packaged: app.isPackaged })));
    // The daily backup waits until the clerk has a window, so it never slows the start.
    shown.once('ready-to-show', () => scheduleDailyBackup(opened));
    return shown.loadURL(APP_START_URL);
  };

  app
    .whenReady()
    .then(whenReady)
    .catch(fail);
}
