// Start-up and shut-down of the desktop app: one running copy per PC, open the station database
// (refusing, with a readable message, one that is damaged or from a newer GridDesk), then the
// window, the menu and the IPC transport. The back end is the same one the web host and the CLI
// run; only the window, dialogs and printing are Electron's.
import { app, dialog, Menu, safeStorage, session, type BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import { AppError } from './backend/errors';
import type { HandlerGroup } from './backend/handler';
import { BackendProcess, type BackendChild } from './shell-backend';
import { shellChannels } from './shell-channels';
import { serveInvoke } from './shell-ipc';
import { keyVault } from './shell-keys';
import { menuTemplate } from './shell-menu';
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
  /** How to start the back-end process (default: Electron's utilityProcess.fork); tests pass their own. */
  spawnBackend?: (entry: string) => BackendChild;
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

  let backend: BackendProcess | undefined;
  let window: BrowserWindow | undefined;

  app.on('second-instance', () => {
    // The shortcut was opened again: bring the open window forward instead.
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event?: { preventDefault(): void }) => {
    // The back end's close runs PRAGMA optimize and folds the WAL back into the database file:
    // quitting waits for it (a back end that hangs is killed after 10 s).
    const closing = backend;
    if (!closing) return;
    backend = undefined;
    event?.preventDefault();
    void closing.close().then(() => app.quit());
  });

  const fail = (error: unknown) => {
    console.error('GridDesk: start-up failed', error);
    dialog.showErrorBox(shellText('zh-CN', 'startFailed'), typeof error === 'string' ? error : startFailureMessage(error));
    app.quit();
  };

  const whenReady = async () => {
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

    const mainHandlers: HandlerGroup = {};
    const started = new BackendProcess({
      entry: paths.backendEntry,
      backend: {
        db: paths.db,
        backupsDir: paths.backupsDir,
        migrationsDir: paths.migrationsDir,
        nativeBinding: paths.nativeBinding,
        desktop: true,
        appVersion: app.getVersion(),
        // The long jobs on threads of the back-end process (its bundle's job-thread.cjs).
        jobThreads: true,
      },
      // Printing and save dialogs need the window: the back end asks main for them through the relay.
      mainHandlers,
      // The station's sync key is sealed with safeStorage where it is usable; the back end asks main.
      keyVault: keyVault(safeStorage),
      ...(proc.spawnBackend ? { spawn: proc.spawnBackend } : {}),
    });
    backend = started;
    try {
      await started.start();
    } catch (error) {
      backend = undefined;
      await started.close();
      return fail(error instanceof Error ? error.message : error);
    }
    console.log(`GridDesk ${app.getVersion()}: database ${paths.db} (back end in process ${started.pid ?? '?'})`);

    serveRenderer(paths.rendererDir);
    guardSession(session.defaultSession);
    const shown = createMainWindow({ preload: paths.preload, icon: paths.icon }, app.isPackaged);
    window = shown;
    Object.assign(mainHandlers, shellChannels(shown));
    const relay = serveInvoke(started, shown);
    started.on('restarted', () => {
      // The new process knows no session: every window logs in again, and is told why.
      relay.forgetSessions();
      started.windowShown();
      void dialog.showMessageBox(shown, {
        type: 'warning',
        title: shellText('zh-CN', 'backendRestartedTitle'),
        message: shellText('zh-CN', 'backendRestarted'),
      });
    });
    started.on('gone', (message: string) => {
      backend = undefined;
      fail(message);
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ version: app.getVersion(), packaged: app.isPackaged })));
    // The daily backup waits until the clerk has a window, so it never slows the start.
    shown.once('ready-to-show', () => started.windowShown());
    return shown.loadURL(APP_START_URL);
  };

  app
    .whenReady()
    .then(whenReady)
    .catch(fail);
}
