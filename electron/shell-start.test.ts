import Database from 'better-sqlite3';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Backend } from './backend/context';
import { GRIDDESK_APPLICATION_ID } from './backend/db/open';
import { startShell, type ShellProcess } from './shell-start';
import { readSignedFile } from './backend/sync/signedFile';
import { runGriddesk } from './hosts/cli/testing';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, resetFakeElectron, safeStorage, session, utilityProcess } from './testing/fake-electron';

vi.mock('electron', () => import('./testing/fake-electron'));

// Start-up against a real station database, opened by the real back-end bundle
// (dist-electron/backend.cjs, built here) in its own process: the stand-in for Electron's utility
// process is a Node child process. The app folder is a temp copy holding the shipped migrations,
// the bundle and, as "the Electron build" of better-sqlite3, a copy of the Node build (tests run
// in Node), so the path the shell hands to `nativeBinding` is really the one loaded.
const REPO = join(import.meta.dirname, '..');
const NODE_BUILD = join(createRequire(import.meta.url).resolve('better-sqlite3/package.json'), '..', 'build', 'Release', 'better_sqlite3.node');
const bundleDir = mkdtempSync(join(tmpdir(), 'griddesk-backend-bundle-'));
beforeAll(async () => {
  const script = await import(/* @vite-ignore */ new URL('../scripts/build-electron.mjs', import.meta.url).href);
  const { build } = await import('esbuild');
  await build({ ...script.bundleOptions(REPO).backend, outfile: join(bundleDir, 'backend.cjs'), sourcemap: false });
  await build({ ...script.bundleOptions(REPO).jobThread, outfile: join(bundleDir, 'job-thread.cjs'), sourcemap: false });
}, 60_000);
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

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
  closeSpy.mockClear();
  dir = mkdtempSync(join(tmpdir(), 'griddesk-start-'));
  appDir = join(dir, 'app');
  userData = join(dir, 'userData');
  cpSync(join(REPO, 'migrations'), join(appDir, 'migrations'), { recursive: true });
  mkdirSync(join(appDir, 'dist-electron'), { recursive: true });
  copyFileSync(join(bundleDir, 'backend.cjs'), join(appDir, 'dist-electron', 'backend.cjs'));
  copyFileSync(join(bundleDir, 'job-thread.cjs'), join(appDir, 'dist-electron', 'job-thread.cjs'));
  mkdirSync(join(nativeFile(), '..'), { recursive: true });
  copyFileSync(NODE_BUILD, nativeFile());
  app.appPath = appDir;
  app.paths.userData = userData;
  app.version = '9.9.9';
  proc = { argv: ['electron', '.'], env: {}, cwd: dir, resourcesPath: join(dir, 'resources'), electronVersion: 'test-electron' };
});
afterEach(async () => {
  app.emit('will-quit', { preventDefault() {} }); // closes the database so the folder can go
  for (const child of utilityProcess.forked) {
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await child.exited;
    clearTimeout(killer);
  }
  rmSync(dir, { recursive: true, force: true });
});
const backendChild = () => utilityProcess.forked.at(-1)!;
/** Electron becomes ready; resolves once the shell showed its window or gave up (the back end opens in its own process first). */
const becomeReady = async () => {
  await app.becomeReady();
  await vi.waitFor(
    () => {
      if (!BrowserWindow.created.length && !dialog.errorBoxes.length && app.quitCalls === 0) throw new Error('still starting');
    },
    { timeout: 15_000, interval: 20 },
  );
};

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
    await becomeReady();
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
    await becomeReady();
    expect((await invoke('shell.print')).error.code).toBe('not_logged_in');
  });

  it('opens the file given with --db instead', async () => {
    const training = join(dir, 'training', 'practice.db');
    startShell({ ...proc, argv: ['electron', '.', '--db', training] });
    await becomeReady();
    expect(existsSync(training)).toBe(true);
    expect(existsSync(join(userData, 'griddesk.db'))).toBe(false);
  });

  it('loads better-sqlite3 from the Electron build it was given, not the Node build in node_modules', async () => {
    writeFileSync(nativeFile(), 'not a shared library');
    startShell(proc);
    await becomeReady();
    expect(dialog.errorBoxes).toHaveLength(1);
    expect(dialog.errorBoxes[0]?.content).toMatch(/^启动时出现意外错误：/);
    expect(BrowserWindow.created).toHaveLength(0);
  });

  it('says how to build the Electron binary when it is missing, and quits', async () => {
    rmSync(nativeFile());
    startShell(proc);
    await becomeReady();
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
    await becomeReady();
    expect(dialog.errorBoxes[0]?.content).toMatch(/来自更新版本的 GridDesk（数据库版本 999，本程序支持到 \d+）/);
    expect(app.quitCalls).toBe(1);
    expect(BrowserWindow.created).toHaveLength(0);
  });

  it('a back end that cannot even start is a start-up failure, shown once, not restarted', async () => {
    rmSync(join(appDir, 'dist-electron', 'backend.cjs'));
    startShell(proc);
    await becomeReady();
    expect(dialog.errorBoxes).toEqual([{ title: 'GridDesk 无法启动', content: expect.stringMatching(/^启动时出现意外错误：exit \d+/) }]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(utilityProcess.forked).toHaveLength(1);
    expect(BrowserWindow.created).toHaveLength(0);
    expect(app.quitCalls).toBe(1);
  });

  it('refuses a file that is not a database', async () => {
    mkdirSync(userData, { recursive: true });
    writeFileSync(join(userData, 'griddesk.db'), 'this is not SQLite at all, just a text file');
    startShell(proc);
    await becomeReady();
    expect(dialog.errorBoxes[0]?.content).toBe(`${join(userData, 'griddesk.db')} 不是 SQLite 数据库文件`);
    expect(app.quitCalls).toBe(1);
  });
});

describe('one copy per PC', () => {
  it('a second copy quits at once, before opening anything', async () => {
    app.singleInstanceLock = false;
    startShell(proc);
    expect(app.quitCalls).toBe(1);
    await becomeReady();
    expect(BrowserWindow.created).toHaveLength(0);
    expect(existsSync(join(userData, 'griddesk.db'))).toBe(false);
  });

  it('launching again brings the open window forward', async () => {
    startShell(proc);
    await becomeReady();
    const window = mainWindow()!;
    window.minimized = true;
    app.emit('second-instance');
    expect(window.minimized).toBe(false);
    expect(window.focusCount).toBe(1);
  });
});

describe('after start-up', () => {
  it('tells the back end the window is shown only once it is, so the daily backup never slows the start', async () => {
    startShell(proc);
    await becomeReady();
    const shownMessages = () => backendChild().sent.filter((m) => m.type === 'window-shown');
    expect(shownMessages()).toHaveLength(0);
    mainWindow()!.emit('ready-to-show');
    expect(shownMessages()).toHaveLength(1);
  });

  it('quitting waits for the back end to close the database (WAL folded back), then quits', async () => {
    startShell(proc);
    await becomeReady();
    expect((await invoke('system.info')).ok).toBe(true);
    const event = { defaultPrevented: false, preventDefault() { event.defaultPrevented = true; } };
    app.emit('window-all-closed');
    expect(app.quitCalls).toBe(1);
    app.emit('will-quit', event);
    expect(event.defaultPrevented).toBe(true);
    expect(await backendChild().exited).toBe(0);
    await vi.waitFor(() => expect(app.quitCalls).toBe(2));
    expect(existsSync(join(userData, 'griddesk.db-wal'))).toBe(false);
    const again = { defaultPrevented: false, preventDefault() { again.defaultPrevented = true; } };
    app.emit('will-quit', again); // the second time through, nothing holds the quit
    expect(again.defaultPrevented).toBe(false);
    expect(closeSpy).not.toHaveBeenCalled(); // main never opened a Backend of its own
  });
});

describe('the back end in its own process', () => {
  const setupInput = { stationCode: 'QS01', stationName: '青山供电所', adminNo: 'A001', adminName: '管理员', password: 'admin12345' };

  it('runs the real back-end entry in a utility process, not in main', async () => {
    startShell(proc);
    await becomeReady();
    expect(utilityProcess.forked).toHaveLength(1);
    expect(backendChild().modulePath).toBe(join(appDir, 'dist-electron', 'backend.cjs'));
    expect(backendChild().pid).not.toBe(process.pid);
    expect(backendChild().sent[0]).toMatchObject({ type: 'open', options: { db: join(userData, 'griddesk.db'), nativeBinding: nativeFile(), desktop: true } });
    expect(await invoke('system.info')).toMatchObject({ ok: true, value: { desktop: true } });
    expect(closeSpy).not.toHaveBeenCalled();
  });

  it('long jobs run on a thread of the back-end process, from job-thread.cjs beside its bundle: the first-run demo builds there while the back end answers', async () => {
    // A mark the thread's bundle leaves when it runs: proof the job ran there, not on the back end's thread.
    const mark = join(dir, 'ran-on-job-thread');
    const threadFile = join(appDir, 'dist-electron', 'job-thread.cjs');
    writeFileSync(threadFile, `${readFileSync(threadFile, 'utf8')}\nrequire('node:fs').writeFileSync(${JSON.stringify(mark)}, 'yes');\n`);
    startShell(proc);
    await becomeReady();
    expect(backendChild().sent[0]).toMatchObject({ type: 'open', options: { jobThreads: true } });
    const window = mainWindow()!;
    const call = (name: string, input: unknown) => ipcMain.invoke('griddesk:invoke', window.webContents, window.webContents.mainFrame, name, input) as Promise<any>;
    const started = await call('demo.build', { customers: 40, months: 2, seed: 3 });
    expect(started.ok).toBe(true);
    // The back end answers while the demo builds on its thread.
    let answeredWhileBuilding = 0;
    let state = (await call('demo.watch', { jobId: started.value.jobId, afterVersion: 0 })).value;
    while (state.status === 'running') {
      if ((await call('system.info', {})).ok) answeredWhileBuilding += 1;
      state = (await call('demo.watch', { jobId: started.value.jobId, afterVersion: state.version })).value;
    }
    expect(state, JSON.stringify(state.error)).toMatchObject({ status: 'succeeded', result: { logins: expect.arrayContaining([expect.objectContaining({ staffNo: 'A001' })]) } });
    expect(answeredWhileBuilding).toBeGreaterThan(0);
    expect(readFileSync(mark, 'utf8')).toBe('yes');
    // The demo station swapped in and opened by the back end's own connection.
    expect((await call('system.info', {})).value).toMatchObject({ setUp: true });
    expect((await call('auth.login', { staffNo: 'A001', password: 'demo1234' })).ok).toBe(true);
  }, 120_000);

  it('the relay refuses a foreign frame before anything reaches the back end', async () => {
    startShell(proc);
    await becomeReady();
    const window = mainWindow()!;
    const calls = () => backendChild().sent.filter((m: { type: string }) => m.type === 'call');
    const iframe = window.webContents.childFrame('app://griddesk/index.html');
    const answer = await ipcMain.invoke('griddesk:invoke', window.webContents, iframe, 'station.setup', setupInput);
    expect(answer).toEqual({ ok: false, error: { code: 'forbidden', message: '此页面无权使用营销服务台' } });
    const other = new BrowserWindow();
    await other.loadURL('app://griddesk/index.html');
    expect(((await ipcMain.invoke('griddesk:invoke', other.webContents, other.webContents.mainFrame, 'station.setup', setupInput)) as any).error.code).toBe('forbidden');
    expect(calls()).toEqual([]);
    expect((await invoke('system.info')).value.setUp).toBe(false);
  });

  it('a crash is reported to the window and the back end restarts with every committed write', async () => {
    startShell(proc);
    await becomeReady();
    const window = mainWindow()!;
    const call = (name: string, input: unknown) => ipcMain.invoke('griddesk:invoke', window.webContents, window.webContents.mainFrame, name, input) as Promise<any>;
    expect((await call('station.setup', setupInput)).ok).toBe(true); // committed
    expect((await call('auth.login', { staffNo: 'A001', password: 'admin12345' })).ok).toBe(true);
    const first = backendChild();

    // A call in flight when the process dies (power to the process cut: SIGKILL, no clean-up).
    const inFlight = call('auth.me', {});
    first.kill('SIGKILL');
    expect(await inFlight).toEqual({ ok: false, error: { code: 'internal', message: expect.stringContaining('后台进程意外退出') } });
    expect(await first.exited).not.toBe(0);

    await vi.waitFor(() => expect(dialog.messageBoxes).toHaveLength(1), { timeout: 15_000 });
    expect(dialog.messageBoxes[0]).toMatchObject({ window, options: { type: 'warning', message: expect.stringContaining('已保存的数据都在') } });
    expect(utilityProcess.forked).toHaveLength(2);
    expect(backendChild().pid).not.toBe(first.pid);

    // The station set up before the crash is there; the login was the old process's and is gone.
    expect((await call('system.info', {})).value).toMatchObject({ setUp: true });
    expect((await call('auth.me', {})).value.staff).toBeNull();
    expect((await call('auth.login', { staffNo: 'A001', password: 'admin12345' })).ok).toBe(true);
    expect((await call('auth.me', {})).value.staff).toMatchObject({ staffNo: 'A001' });
  }, 30_000);

  it('print and save dialogs stay in main, reached through the relay after the back end checked the session', async () => {
    startShell(proc);
    await becomeReady();
    const window = mainWindow()!;
    const call = (name: string, input: unknown) => ipcMain.invoke('griddesk:invoke', window.webContents, window.webContents.mainFrame, name, input) as Promise<any>;
    expect((await call('shell.print', {})).error.code).toBe('not_logged_in');
    expect(window.webContents.printCalls).toEqual([]);
    await call('station.setup', setupInput);
    await call('auth.login', { staffNo: 'A001', password: 'admin12345' });
    expect(await call('shell.print', {})).toEqual({ ok: true, value: { printed: true } });
    expect(window.webContents.printCalls).toEqual([{ silent: false, printBackground: true }]);
    dialog.saveResult = { canceled: true };
    expect(await call('shell.saveFile', { suggestedName: '客户.xlsx', base64: 'AAAA' })).toEqual({ ok: true, value: { saved: false } });
    expect(dialog.saveCalls).toHaveLength(1);
  });
});

describe('the sync key sealed with safeStorage through the relay', () => {
  const setupInput = { stationCode: 'QS01', stationName: '青山供电所', adminNo: 'A001', adminName: '管理员', password: 'admin12345' };
  const keysDir = () => join(userData, 'keys');
  /** Every file under the user-data folder (database, WAL, keys, backups, outgoing files). */
  const allFiles = (root: string): string[] =>
    readdirSync(root, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? allFiles(join(root, e.name)) : [join(root, e.name)]));
  const protection = () => {
    const db = new Database(join(userData, 'griddesk.db'), { readonly: true });
    try {
      return db.prepare('SELECT protection FROM sync_keys ORDER BY epoch').pluck().all();
    } finally {
      db.close();
    }
  };
  const quit = async () => {
    app.emit('will-quit', { preventDefault() {} });
    await backendChild().exited;
  };

  it('the back end seals the key through main, signs with it, never writes it in the clear; the CLI refuses it with a clear message', async () => {
    safeStorage.available = true;
    startShell(proc);
    await becomeReady();
    const window = mainWindow()!;
    const call = (name: string, input: unknown) => ipcMain.invoke('griddesk:invoke', window.webContents, window.webContents.mainFrame, name, input) as Promise<any>;
    expect(backendChild().sent[0]).toMatchObject({ type: 'open', sealKeys: true });
    expect((await call('station.setup', setupInput)).ok).toBe(true);
    // Made at set-up, sealed by main's safeStorage (the back-end process cannot call it).
    expect(safeStorage.sealed).toBe(1);
    const [keyFile, ...more] = readdirSync(keysDir());
    expect(more).toEqual([]);
    const body = readFileSync(join(keysDir(), keyFile!), 'latin1');
    expect(body.startsWith('GDKEY-SEALED-SAFESTORAGE\n')).toBe(true);
    expect(body).not.toContain('PRIVATE KEY');
    expect(protection()).toEqual(['safeStorage']);
    const openedAtSetup = safeStorage.opened; // set-up loads the key it made, as a check

    // Loaded again (unsealed through main) and used: the enrolment verifies with the station's public key.
    expect((await call('auth.login', { staffNo: 'A001', password: 'admin12345' })).ok).toBe(true);
    const enrol = await call('sync.enrol', {});
    expect(enrol.ok, JSON.stringify(enrol)).toBe(true);
    expect(safeStorage.opened).toBe(openedAtSetup + 1);
    const v = await readSignedFile(Buffer.from(enrol.value.dataBase64, 'base64'), new Map(), { kind: 'enrolment', allowSelfSigned: true });
    expect(v.keyId).toBe(keyFile!.slice('station-'.length, -'.key'.length));
    // An export signs with it: the job stays on the back end's thread, the one that can ask main to open the key.
    const exported = await call('sync.export', {});
    expect(exported.ok, JSON.stringify(exported)).toBe(true);
    let job = (await call('jobs.watch', { jobId: exported.value.jobId, afterVersion: 0 })).value;
    while (job.status === 'running') job = (await call('jobs.watch', { jobId: exported.value.jobId, afterVersion: job.version })).value;
    expect(job, JSON.stringify(job.error)).toMatchObject({ status: 'succeeded', result: { epoch: 1, counts: { station: 1 } } });
    // A rotation seals the new key the same way.
    const rotated = await call('sync.rotateKey', {});
    expect(rotated.value).toMatchObject({ epoch: 2 });
    expect(safeStorage.sealed).toBe(2);
    await quit();
    expect(protection()).toEqual(['safeStorage', 'safeStorage']);
    // Nothing under the user-data folder holds the key in the clear: not the key files, the database, the WAL or the outgoing files.
    for (const file of allFiles(userData)) expect(readFileSync(file).toString('latin1'), file).not.toContain('PRIVATE KEY');

    // The CLI cannot reach safeStorage: it refuses the sealed key, saying why, and changes nothing.
    const cli = await runGriddesk(['sync', 'enrol', '--out', join(dir, 'enrol.gdsync'), '--db', join(userData, 'griddesk.db')]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('本站私钥由桌面程序加密保存，只能在桌面程序中使用');
    expect(existsSync(join(dir, 'enrol.gdsync'))).toBe(false);
    expect(protection()).toEqual(['safeStorage', 'safeStorage']);
  }, 30_000);

  it('a key sealed under another account cannot be opened: a clear refusal, not a crash', async () => {
    safeStorage.available = true;
    startShell(proc);
    await becomeReady();
    const window = mainWindow()!;
    const call = (name: string, input: unknown) => ipcMain.invoke('griddesk:invoke', window.webContents, window.webContents.mainFrame, name, input) as Promise<any>;
    await call('station.setup', setupInput);
    await quit();
    // The same files opened by another Windows account (DPAPI) or another keychain.
    resetFakeElectron();
    app.appPath = appDir;
    app.paths.userData = userData;
    safeStorage.available = true;
    safeStorage.user = 0x33;
    startShell(proc);
    await becomeReady();
    const again = mainWindow()!;
    const call2 = (name: string, input: unknown) => ipcMain.invoke('griddesk:invoke', again.webContents, again.webContents.mainFrame, name, input) as Promise<any>;
    await call2('auth.login', { staffNo: 'A001', password: 'admin12345' });
    const enrol = await call2('sync.enrol', {});
    expect(enrol.ok).toBe(false);
    expect(enrol.error.message).toContain('本站私钥无法在这台电脑、这个 Windows 账户下解密');
  }, 30_000);

  it('without a usable secret store (Linux basic_text) the desktop keeps the owner-only file the CLI can use', async () => {
    safeStorage.available = true;
    safeStorage.backend = 'basic_text';
    const linux = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { value: 'linux' });
    try {
      startShell(proc);
      await becomeReady();
    } finally {
      Object.defineProperty(process, 'platform', linux);
    }
    expect(backendChild().sent[0].sealKeys).toBeUndefined();
    expect((await invoke('system.info')).ok).toBe(true);
    const window = mainWindow()!;
    await ipcMain.invoke('griddesk:invoke', window.webContents, window.webContents.mainFrame, 'station.setup', setupInput);
    expect(safeStorage.sealed).toBe(0);
    const [keyFile] = readdirSync(keysDir());
    expect(readFileSync(join(keysDir(), keyFile!), 'latin1')).toContain('PRIVATE KEY');
    if (process.platform !== 'win32') expect(statSync(join(keysDir(), keyFile!)).mode & 0o777).toBe(0o600);
    await quit();
    expect(protection()).toEqual(['file-0600']);
    const cli = await runGriddesk(['sync', 'enrol', '--out', join(dir, 'enrol.gdsync'), '--db', join(userData, 'griddesk.db')]);
    expect(cli.code, cli.stderr).toBe(0);
  }, 30_000);
});
