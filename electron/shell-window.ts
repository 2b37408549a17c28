// The one application window and the locks on it. The page is our own built renderer, but it
// shows data typed in by people and read from imported workbooks, so it is treated as
// untrusted: no Node, a sandboxed renderer, isolated preload, no navigation away, no pop-ups,
// no device permissions, no network.
import { BrowserWindow, type BrowserWindowConstructorOptions, type Session } from 'electron';
import { APP_HOST, APP_SCHEME } from './shell-protocol';

export interface MainWindowPaths {
  preload: string;
  icon: string;
}

export function mainWindowOptions(paths: MainWindowPaths, packaged: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    show: false, // shown at 'ready-to-show', so the clerk never sees a blank white window
    backgroundColor: '#ffffff',
    title: 'GridDesk 供电所营销服务台',
    icon: paths.icon,
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: !packaged,
    },
  };
}

/** True for a URL of our own app (app://griddesk/…); everything else is outside. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

export function createMainWindow(paths: MainWindowPaths, packaged: boolean): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(paths, packaged));
  const contents = window.webContents;
  // Routes are hash changes, which never fire 'will-navigate'; a full load may only stay in the
  // app (a reload). A link to a website or a file is refused rather than opened in the window.
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => {
    window.maximize();
    window.show();
  });
  return window;
}

/** No remote requests: the CSP already refuses them; this stops them below the page too. */
export const REMOTE_URL_PATTERNS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*'];

/** The one permission the page gets: writing text to the clipboard (copy an account number). */
export function isPermissionAllowed(permission: string, requestingUrl: string): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl);
}

/** Refuses every other permission (camera, notifications, geolocation…) and every remote request. */
export function guardSession(target: Session): void {
  target.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isPermissionAllowed(permission, details.requestingUrl)),
  );
  target.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin));
  target.webRequest.onBeforeRequest({ urls: REMOTE_URL_PATTERNS }, (_details, callback) => callback({ cancel: true }));
}
