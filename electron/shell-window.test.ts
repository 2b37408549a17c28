import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMainWindow, guardSession, isAppUrl, mainWindowOptions } from './shell-window';
import { BrowserWindow, fakeEvent, resetFakeElectron, session } from './testing/fake-electron';

vi.mock('electron', () => import('./testing/fake-electron'));

const paths = { preload: '/app/dist-electron/preload.cjs', icon: '/app/build/icon.png' };

beforeEach(() => resetFakeElectron());

describe('the main window', () => {
  it('is created with Node shut out of the page: isolated, sandboxed, web security on', () => {
    createMainWindow(paths, true);
    const [window] = BrowserWindow.created;
    expect(window?.options.webPreferences).toMatchObject({
      preload: '/app/dist-electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(window?.options.show).toBe(false);
  });

  it('keeps developer tools for development only', () => {
    expect(mainWindowOptions(paths, false).webPreferences?.devTools).toBe(true);
    expect(mainWindowOptions(paths, true).webPreferences?.devTools).toBe(false);
  });

  it('is shown (maximized) only once the page has painted', () => {
    const window = createMainWindow(paths, true) as unknown as BrowserWindow;
    expect(window.shown).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
    expect(window.maximized).toBe(true);
  });

  it('refuses navigation to websites and files but lets the app reload itself', () => {
    const window = createMainWindow(paths, true) as unknown as BrowserWindow;
    const prevented = (url: string) => window.webContents.navigate(url);
    expect(prevented('https://example.com/phish')).toBe(true);
    expect(prevented('http://127.0.0.1:8080/')).toBe(true);
    expect(prevented('file:///C:/Windows/win.ini')).toBe(true);
    expect(prevented('app://elsewhere/index.html')).toBe(true);
    expect(prevented('javascript:alert(1)')).toBe(true);
    expect(prevented('app://griddesk/index.html#/counter')).toBe(false);
  });

  it('denies every new window (window.open, target=_blank)', () => {
    const window = createMainWindow(paths, true) as unknown as BrowserWindow;
    const handler = window.webContents.windowOpenHandler;
    expect(handler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(handler?.({ url: 'app://griddesk/index.html#/receipt/1' })).toEqual({ action: 'deny' });
  });

  it('refuses to attach a <webview>', () => {
    const window = createMainWindow(paths, true) as unknown as BrowserWindow;
    const event = fakeEvent({});
    window.webContents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });
});

describe('the session', () => {
  beforeEach(() => guardSession(session.defaultSession as never));

  it('denies permission requests (camera, notifications, location…)', () => {
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'geolocation', 'openExternal', 'clipboard-read']) {
      session.defaultSession.permissionRequestHandler?.({}, permission, (granted: boolean) => answers.push(granted), {
        requestingUrl: 'app://griddesk/index.html',
      });
    }
    expect(answers).toEqual([false, false, false, false, false]);
    expect(session.defaultSession.permissionCheckHandler?.({}, 'media', 'app://griddesk')).toBe(false);
  });

  it('allows only clipboard writes, and only to our own page', () => {
    const check = session.defaultSession.permissionCheckHandler;
    expect(check?.({}, 'clipboard-sanitized-write', 'app://griddesk')).toBe(true);
    expect(check?.({}, 'clipboard-sanitized-write', 'https://example.com')).toBe(false);
  });

  it('cancels every request to the network', () => {
    const blocked = session.defaultSession.blockedRequests;
    expect(blocked?.filter.urls).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*']));
    let answer: unknown;
    blocked?.listener({ url: 'https://fonts.example.com/noto.woff2' }, (response: unknown) => (answer = response));
    expect(answer).toEqual({ cancel: true });
  });
});

describe('isAppUrl', () => {
  it('accepts only app://griddesk', () => {
    expect(isAppUrl('app://griddesk/index.html')).toBe(true);
    expect(isAppUrl('app://griddesk')).toBe(true);
    expect(isAppUrl('app://griddesk.evil/index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});
