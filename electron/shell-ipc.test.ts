import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserWindow as ElectronWindow } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ADMIN, makeTestStation, type TestStation } from './backend/testing';
import { BackendProcess } from './shell-backend';
import { shellChannels } from './shell-channels';
import { isFromOurWindow, localeOf, serveInvoke } from './shell-ipc';
import { BrowserWindow, dialog, FakeFrame, ipcMain, resetFakeElectron, type FakeWebContents } from './testing/fake-electron';
import { inProcessBackend } from './testing/in-process-backend';

vi.mock('electron', () => import('./testing/fake-electron'));

// The IPC relay against a real station database: calls go from main's relay over the back-end
// protocol to `dispatch` exactly as in the desktop app (here on this thread: shell-start.test.ts
// runs the back end in its own process), with the shell's own channels served by main.
let station: TestStation;
let window: BrowserWindow;
let backend: BackendProcess;

beforeEach(async () => {
  resetFakeElectron();
  station = makeTestStation({ desktop: true });
  window = new BrowserWindow();
  await window.loadURL('app://griddesk/index.html');
  const asElectron = window as unknown as ElectronWindow;
  backend = new BackendProcess({
    entry: 'in-process',
    backend: { db: join(station.dir, 'griddesk.db'), desktop: true },
    mainHandlers: shellChannels(asElectron),
    spawn: inProcessBackend,
  });
  await backend.start();
  serveInvoke(backend, asElectron);
});
afterEach(async () => {
  await backend.close();
  station.close();
});

/** A call from the page's top frame, as the preload sends it. */
const invoke = (name: unknown, input: unknown = {}, options?: unknown, from: { sender?: FakeWebContents; frame?: FakeFrame | null } = {}) =>
  ipcMain.invoke('griddesk:invoke', from.sender ?? window.webContents, from.frame === undefined ? window.webContents.mainFrame : from.frame, name, input, options) as Promise<any>;

const login = () => invoke('auth.login', { staffNo: ADMIN.staffNo, password: ADMIN.password });

describe('calls from our window', () => {
  it('reach the back end through dispatch', async () => {
    const answer = await invoke('system.info');
    expect(answer).toMatchObject({ ok: true, value: { desktop: true, setUp: false } });
  });

  it('keep the login in the main process: the page never sees a token, later calls are the same staff', async () => {
    await station.setUp();
    const loggedIn = await login();
    expect(loggedIn.ok).toBe(true);
    expect(JSON.stringify(loggedIn)).not.toMatch(/token/i);
    expect((await invoke('auth.me')).value.staff).toMatchObject({ staffNo: ADMIN.staffNo });
    expect((await invoke('auth.logout')).ok).toBe(true);
    expect((await invoke('auth.me')).value.staff).toBeNull();
  });

  it('answer in the locale asked for, Chinese otherwise', async () => {
    expect((await invoke('staff.list', {}, { locale: 'en' })).error).toEqual({ code: 'not_logged_in', message: 'Please log in first' });
    expect((await invoke('staff.list', {}, { locale: 'fr' })).error.message).toBe('请先登录');
    expect((await invoke('staff.list', {}, undefined)).error.message).toBe('请先登录');
  });

  it('with a name that is not a string are an unknown channel, not a crash', async () => {
    expect((await invoke({ toString: 'x' })).error.code).toBe('unknown_channel');
  });
});

describe('calls from anywhere else are refused before the back end sees them', () => {
  const setupInput = { stationCode: 'EV01', stationName: '冒名供电所', adminNo: 'X001', adminName: '冒名', password: 'evil12345' };

  it('refuses a frame inside our page (an iframe)', async () => {
    const answer = await invoke('station.setup', setupInput, undefined, { frame: window.webContents.childFrame('app://griddesk/index.html') });
    expect(answer).toEqual({ ok: false, error: { code: 'forbidden', message: '此页面无权使用营销服务台' } });
    expect((await invoke('system.info')).value.setUp).toBe(false); // nothing was written
  });

  it('refuses our window once it shows a page that is not ours', async () => {
    window.webContents.mainFrame.url = 'https://example.com/';
    expect((await invoke('station.setup', setupInput)).error.code).toBe('forbidden');
    window.webContents.mainFrame.url = 'app://griddesk/index.html';
    expect((await invoke('system.info')).value.setUp).toBe(false);
  });

  it('refuses another window, even one showing our app', async () => {
    const other = new BrowserWindow();
    await other.loadURL('app://griddesk/index.html');
    const answer = await invoke('station.setup', setupInput, undefined, { sender: other.webContents, frame: other.webContents.mainFrame });
    expect(answer.error.code).toBe('forbidden');
  });

  it('refuses a call whose frame is gone', async () => {
    expect((await invoke('system.info', {}, undefined, { frame: null })).error.code).toBe('forbidden');
  });

  it('answers the refusal in the caller’s language', async () => {
    const answer = await invoke('system.info', {}, { locale: 'en' }, { frame: null });
    expect(answer.error.message).toBe('This page may not use GridDesk');
  });
});

describe('the shell channels through IPC', () => {
  it('need a login like any other channel', async () => {
    expect((await invoke('shell.print', {})).error.code).toBe('not_logged_in');
    expect(window.webContents.printCalls).toEqual([]);
  });

  it('save the window as PDF for a logged-in clerk', async () => {
    await station.setUp();
    await login();
    const file = join(station.dir, 'receipt.pdf');
    dialog.saveResult = { canceled: false, filePath: file };
    const answer = await invoke('shell.savePdf', { suggestedName: '收据 0001', pageSize: 'Roll80' });
    expect(answer).toEqual({ ok: true, value: { saved: true, file } });
    expect(existsSync(file) && readFileSync(file, 'latin1')).toBe('%PDF-1.7 fake');
  });

  it('print the window', async () => {
    await station.setUp();
    await login();
    expect(await invoke('shell.print', {})).toEqual({ ok: true, value: { printed: true } });
    expect(window.webContents.printCalls).toEqual([{ silent: false, printBackground: true }]);
  });
});

describe('helpers', () => {
  it('isFromOurWindow wants our contents, the top frame and an app:// URL', () => {
    const asElectron = window as unknown as ElectronWindow;
    const event = (sender: unknown, senderFrame: unknown) => ({ sender, senderFrame }) as never;
    expect(isFromOurWindow(event(window.webContents, window.webContents.mainFrame), asElectron)).toBe(true);
    expect(isFromOurWindow(event(window.webContents, new FakeFrame('app://griddesk/', null)), asElectron)).toBe(true);
    expect(isFromOurWindow(event(window.webContents, new FakeFrame('app://griddesk/', window.webContents.mainFrame)), asElectron)).toBe(false);
  });

  it('localeOf takes only the two known locales', () => {
    expect(localeOf({ locale: 'en' })).toBe('en');
    expect(localeOf({ locale: 'zh-CN' })).toBe('zh-CN');
    expect(localeOf({ locale: 'EN' })).toBe('zh-CN');
    expect(localeOf(null)).toBe('zh-CN');
    expect(localeOf('en')).toBe('zh-CN');
  });
});
