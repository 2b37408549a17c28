// A recording stand-in for the `electron` module, for the shell's unit tests: the Electron binary
// cannot be downloaded on the build machines, so tests replace the module with
//   vi.mock('electron', () => import('./testing/fake-electron'));
// and read back what the shell asked of it. It does only what the shell uses, and behaves like
// Electron where the shell relies on it (e.g. registering a scheme after `ready` throws).
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';

type Listener = (...args: any[]) => unknown;

/** An Electron event: `preventDefault()` is recorded. */
export function fakeEvent<T extends object>(fields: T): T & { preventDefault(): void; defaultPrevented: boolean } {
  const event = {
    ...fields,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

export class FakeFrame {
  constructor(
    public url: string,
    public parent: FakeFrame | null = null,
  ) {}
}

class FakeSession {
  permissionRequestHandler: Listener | null = null;
  permissionCheckHandler: Listener | null = null;
  blockedRequests: { filter: { urls: string[] }; listener: Listener } | null = null;
  readonly webRequest = {
    onBeforeRequest: (filter: { urls: string[] }, listener: Listener) => {
      this.blockedRequests = { filter, listener };
    },
  };
  setPermissionRequestHandler(handler: Listener | null) {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Listener | null) {
    this.permissionCheckHandler = handler;
  }
  reset() {
    this.permissionRequestHandler = null;
    this.permissionCheckHandler = null;
    this.blockedRequests = null;
  }
}

export const session = { defaultSession: new FakeSession() };

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame = new FakeFrame('');
  windowOpenHandler: Listener | null = null;
  /** What `print` answers (Electron calls back with success and a reason). */
  printResult = { success: true, failureReason: '' };
  readonly printCalls: unknown[] = [];
  /** What `printToPDF` resolves with. */
  pdfBytes = Buffer.from('%PDF-1.7 fake');
  readonly pdfCalls: unknown[] = [];

  setWindowOpenHandler(handler: Listener) {
    this.windowOpenHandler = handler;
  }
  print(options: unknown, callback?: (success: boolean, failureReason: string) => void) {
    this.printCalls.push(options);
    setImmediate(() => callback?.(this.printResult.success, this.printResult.failureReason));
  }
  async printToPDF(options: unknown): Promise<Buffer> {
    this.pdfCalls.push(options);
    return this.pdfBytes;
  }
  /** Fires `will-navigate` as Chromium would; answers whether the shell prevented it. */
  navigate(url: string): boolean {
    const event = fakeEvent({ url, isMainFrame: true, isSameDocument: false, frame: this.mainFrame });
    this.emit('will-navigate', event, url);
    return event.defaultPrevented;
  }
  /** A frame inside the page (an iframe), for sender checks. */
  childFrame(url: string): FakeFrame {
    return new FakeFrame(url, this.mainFrame);
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly created: BrowserWindow[] = [];
  static focused: BrowserWindow | null = null;
  static getFocusedWindow() {
    return BrowserWindow.focused;
  }
  static getAllWindows() {
    return [...BrowserWindow.created];
  }

  readonly webContents = new FakeWebContents();
  readonly loadedUrls: string[] = [];
  shown = false;
  maximized = false;
  minimized = false;
  focusCount = 0;
  title = '';

  constructor(readonly options: Record<string, any> = {}) {
    super();
    this.title = options.title ?? '';
    BrowserWindow.created.push(this);
  }
  async loadURL(url: string) {
    this.loadedUrls.push(url);
    this.webContents.mainFrame.url = url;
  }
  show() {
    this.shown = true;
  }
  maximize() {
    this.maximized = true;
  }
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.minimized = false;
  }
  focus() {
    this.focusCount++;
    BrowserWindow.focused = this;
  }
  getTitle() {
    return this.title;
  }
  isDestroyed() {
    return false;
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  version = '0.1.0';
  appPath = '/fake/app';
  paths: Record<string, string> = {};
  singleInstanceLock = true;
  quitCalls = 0;
  isReadyNow = false;
  private markReady: () => void = () => {};
  private ready: Promise<void> = Promise.resolve();

  reset() {
    this.removeAllListeners();
    this.isPackaged = false;
    this.version = '0.1.0';
    this.appPath = '/fake/app';
    this.paths = { userData: '/fake/userData', documents: '/fake/documents' };
    this.singleInstanceLock = true;
    this.quitCalls = 0;
    this.isReadyNow = false;
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
  }
  getVersion() {
    return this.version;
  }
  getAppPath() {
    return this.appPath;
  }
  getPath(name: string) {
    const path = this.paths[name];
    if (!path) throw new Error(`fake app: no path "${name}"`);
    return path;
  }
  requestSingleInstanceLock() {
    return this.singleInstanceLock;
  }
  quit() {
    this.quitCalls++;
  }
  isReady() {
    return this.isReadyNow;
  }
  whenReady() {
    return this.ready;
  }
  /** Test side: Electron becomes ready; resolves once the shell's ready work has run. */
  async becomeReady() {
    this.isReadyNow = true;
    this.markReady();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export const app = new FakeApp();

export const ipcMain = {
  handlers: new Map<string, Listener>(),
  handle(channel: string, listener: Listener) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  },
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  },
  /** Test side: what `ipcRenderer.invoke` from `sender`'s `frame` would get back. */
  async invoke(channel: string, sender: FakeWebContents, frame: FakeFrame | null, ...args: unknown[]) {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return listener({ sender, senderFrame: frame, frameId: 1, processId: 1, type: 'frame' }, ...args);
  },
};

export const ipcRenderer = {
  calls: [] as unknown[][],
  async invoke(...args: unknown[]) {
    this.calls.push(args);
    return { ok: true, value: 'answered' };
  },
};

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown) {
    if (this.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object`);
    this.exposed.set(key, api);
  },
};

export const protocol = {
  privileged: [] as unknown[],
  handlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
  registerSchemesAsPrivileged(schemes: unknown[]) {
    // Electron only accepts this before `ready`.
    if (app.isReadyNow) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    this.privileged.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>) {
    if (this.handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    this.handlers.set(scheme, handler);
  },
  /** Test side: fetch a URL through the registered handler. */
  async fetch(url: string): Promise<Response> {
    const handler = this.handlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) throw new Error(`no handler for ${url}`);
    return handler(new Request(url));
  },
};

export interface FakeMenu {
  template: any[];
}

export const Menu = {
  applicationMenu: null as FakeMenu | null,
  buildFromTemplate(template: any[]): FakeMenu {
    return { template };
  },
  setApplicationMenu(menu: FakeMenu | null) {
    this.applicationMenu = menu;
  },
};

export const dialog = {
  saveResult: { canceled: false, filePath: '' } as { canceled: boolean; filePath?: string },
  saveCalls: [] as { window: unknown; options: Record<string, any> }[],
  errorBoxes: [] as { title: string; content: string }[],
  messageBoxes: [] as { window: unknown; options: Record<string, any> }[],
  async showSaveDialog(window: unknown, options: Record<string, any>) {
    this.saveCalls.push({ window, options });
    return this.saveResult;
  },
  showErrorBox(title: string, content: string) {
    this.errorBoxes.push({ title, content });
  },
  async showMessageBox(window: unknown, options: Record<string, any>) {
    this.messageBoxes.push({ window, options });
    return { response: 0, checkboxChecked: false };
  },
};

function xor(bytes: Buffer, by: number): Buffer {
  for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i]! ^ by;
  return bytes;
}

/**
 * The OS secret store. By default there is none (the sync key stays an owner-only file); a test
 * sets `available` to have one. Sealing XORs with a per-"user" byte behind a marker, so sealed
 * bytes never contain the plain text, and another `user` cannot open them (as DPAPI under
 * another Windows account). It records how often it was asked.
 */
export const safeStorage = {
  available: false,
  backend: 'gnome_libsecret',
  user: 0x5a,
  sealed: 0,
  opened: 0,
  isEncryptionAvailable() {
    return this.available;
  },
  getSelectedStorageBackend() {
    return this.backend;
  },
  encryptString(plain: string): Buffer {
    if (!this.available) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
    this.sealed++;
    return Buffer.concat([Buffer.from('v10'), xor(Buffer.from(plain, 'utf8'), this.user)]);
  },
  decryptString(sealed: Buffer): string {
    if (!this.available) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString. Decryption is not available.');
    const body = xor(Buffer.from(sealed.subarray(3)), this.user);
    if (sealed.subarray(0, 3).toString() !== 'v10' || !body.toString('utf8').startsWith('-----BEGIN')) {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    }
    this.opened++;
    return body.toString('utf8');
  },
  reset() {
    this.available = false;
    this.backend = 'gnome_libsecret';
    this.user = 0x5a;
    this.sealed = 0;
    this.opened = 0;
  },
};

const REPO = join(import.meta.dirname, '..', '..');

/**
 * Electron's utility process, stood in for by a real Node child process running the real module
 * (a `.ts` file through tsx, a bundle as it is), with `process.parentPort` given by a shim. It
 * records what main sent; `exited` resolves with the exit code.
 */
export class FakeUtilityProcess extends EventEmitter {
  readonly sent: any[] = [];
  /** What the child wrote to stderr (kept, not shown: failing opens log there on purpose). */
  stderr = '';
  readonly exited: Promise<number>;
  readonly pid: number | undefined;
  private readonly child: ChildProcess;

  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: Record<string, any>,
  ) {
    super();
    const execArgv = [...(modulePath.endsWith('.ts') ? ['--import', 'tsx'] : []), '--require', join(import.meta.dirname, 'parent-port-shim.cjs')];
    this.child = fork(modulePath, args, {
      execArgv,
      serialization: 'advanced', // structured clone, as Electron's postMessage
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      // A bundle outside the repository still finds better-sqlite3 (packed beside it in the app).
      env: { ...process.env, NODE_PATH: join(REPO, 'node_modules') },
    });
    this.pid = this.child.pid;
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    this.child.on('message', (message) => this.emit('message', message));
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        const exitCode = code ?? (signal ? 128 : 0);
        this.emit('exit', exitCode);
        resolve(exitCode);
      });
    });
  }
  postMessage(message: unknown) {
    this.sent.push(message);
    // Electron drops a message to a process that has just died; Node reports the broken pipe (EPIPE)
    // to the callback, which would otherwise surface as an uncaught error of the child process.
    if (this.child.connected) this.child.send(message as never, (error) => void (error && (this.lost += 1)));
  }
  /** Messages the process was gone for (it died while they were on their way). */
  lost = 0;
  kill(signal: NodeJS.Signals = 'SIGTERM') {
    return this.child.kill(signal);
  }
}

export const utilityProcess = {
  forked: [] as FakeUtilityProcess[],
  fork(modulePath: string, args: string[] = [], options: Record<string, any> = {}) {
    const child = new FakeUtilityProcess(modulePath, args, options);
    this.forked.push(child);
    return child;
  },
};

/** Puts every stand-in back to its first state; call in `beforeEach`. */
export function resetFakeElectron(): void {
  app.reset();
  session.defaultSession.reset();
  BrowserWindow.created.length = 0;
  BrowserWindow.focused = null;
  ipcMain.handlers.clear();
  ipcRenderer.calls.length = 0;
  contextBridge.exposed.clear();
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  Menu.applicationMenu = null;
  dialog.saveResult = { canceled: false, filePath: '' };
  dialog.saveCalls.length = 0;
  dialog.errorBoxes.length = 0;
  dialog.messageBoxes.length = 0;
  utilityProcess.forked.length = 0;
  safeStorage.reset();
}

resetFakeElectron();
