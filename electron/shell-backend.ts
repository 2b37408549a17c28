// Main's side of the back-end process (后台进程): forks it as an Electron utility process, relays
// the window's calls to it, serves the channels only main can (printing, save dialogs) when the
// back end asks, and restarts it if it dies. Main itself opens no database: whatever the back end
// does, the window keeps drawing and the menu keeps answering.
import { utilityProcess } from 'electron';
import { EventEmitter } from 'node:events';
import type { ApiResult } from '../shared/errors';
import type { Locale } from '../shared/i18n';
import type { FromBackend, MainChannel, ToBackend } from './backend-process';
import type { BackendOptions } from './backend/context';
import { AppError } from './backend/errors';
import type { Call, HandlerGroup } from './backend/handler';
import type { KeyVault } from './shell-keys';
import { shellText } from './shell-text';

/** What main needs of a child process: Electron's UtilityProcess, or an in-process stand-in in tests. */
export interface BackendChild {
  readonly pid?: number | undefined;
  postMessage(message: ToBackend): void;
  on(event: 'message', listener: (message: FromBackend) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

/** A call's answer and, when the call logged in or out, the window's new session token. */
export interface RelayAnswer {
  result: ApiResult<unknown>;
  token?: string | null;
}

/** What the IPC relay needs: send a window's call to the back end. */
export interface BackendLink {
  call(name: string, input: unknown, token: string | null, locale: Locale): Promise<RelayAnswer>;
}

export interface BackendProcessOptions {
  /** The bundled entry, dist-electron/backend.cjs. */
  entry: string;
  /** How the back end opens the station (file, migrations, native binding, version). */
  backend: BackendOptions;
  /** The channels main serves (shellChannels(window)). */
  mainHandlers: HandlerGroup;
  /** safeStorage, when it is usable: the back end seals the station's sync key through it. */
  keyVault?: KeyVault | null;
  /** How to start the child (default: Electron's utilityProcess.fork). */
  spawn?: (entry: string) => BackendChild;
  /** Restarts allowed within `restartWindowMs` before giving up (default 3 in 60 s). */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** How long a closing back end may take to fold its WAL back before it is killed (default 10 s). */
  closeTimeoutMs?: number;
}

const defaultSpawn = (entry: string): BackendChild =>
  utilityProcess.fork(entry, [], { serviceName: 'GridDesk back end', stdio: 'inherit' }) as unknown as BackendChild;

const failure = (message: string): ApiResult<unknown> => ({ ok: false, error: { code: 'internal', message } });

/**
 * The back-end process and its restarts. Events: `restarted` (after an unexpected exit, once the
 * new process is open; `code` is the exit code), `gone` (it kept dying: `message` says why).
 */
export class BackendProcess extends EventEmitter {
  private child: BackendChild | undefined;
  private opened: Promise<void> = Promise.resolve();
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (answer: RelayAnswer) => void; locale: Locale }>();
  private readonly crashes: number[] = [];
  private closing: Promise<void> | undefined;
  private givenUp = false;

  constructor(private readonly options: BackendProcessOptions) {
    super();
  }

  /** The running child's process id (tests kill it to prove a restart loses nothing committed). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Forks the back end and opens the station; rejects with the clerk-readable reason it could not. */
  start(): Promise<void> {
    const child = (this.options.spawn ?? defaultSpawn)(this.options.entry);
    this.child = child;
    let ready = false;
    this.opened = new Promise<void>((resolve, reject) => {
      child.on('message', (message: FromBackend) => {
        if (this.child !== child) return;
        switch (message.type) {
          case 'ready':
            ready = true;
            resolve();
            return;
          case 'failed':
            reject(new Error(message.message));
            return;
          case 'answer': {
            const waiting = this.pending.get(message.id);
            this.pending.delete(message.id);
            waiting?.resolve('token' in message ? { result: message.result, token: message.token ?? null } : { result: message.result });
            return;
          }
          case 'main':
            void this.serveMain(child, message.id, message.name, message.input, message.locale);
            return;
          case 'key':
            this.serveKey(child, message.id, message.op, message.bytes);
            return;
          case 'closed':
            return;
        }
      });
      child.on('exit', (code: number) => {
        if (this.child !== child) return;
        this.child = undefined;
        reject(new Error(shellText('zh-CN', 'unexpected', { detail: `exit ${code}` })));
        // A process that never opened the station is a start-up failure (start() says why), not a crash to restart.
        if (!this.closing && ready) this.crashed(code);
        else this.answerPending('backendNotOpen');
      });
    });
    child.postMessage({ type: 'open', options: this.options.backend, ...(this.options.keyVault ? { sealKeys: true } : {}) });
    return this.opened;
  }

  /** Sends one call; resolves with its answer (a crash answers it with the restart notice). */
  async call(name: string, input: unknown, token: string | null, locale: Locale): Promise<RelayAnswer> {
    try {
      await this.opened;
    } catch {
      // fall through: a back end that is not open answers below
    }
    const child = this.child;
    if (!child || this.closing) return { result: failure(shellText(locale, 'backendNotOpen')) };
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, locale });
      child.postMessage({ type: 'call', id, name, input, token, locale });
    });
  }

  /** Tells the back end the window is shown (it then schedules the daily backup). */
  windowShown(): void {
    this.child?.postMessage({ type: 'window-shown' });
  }

  /** Closes the database and ends the process (killed if it takes longer than closeTimeoutMs). */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    const child = this.child;
    if (!child) return (this.closing = Promise.resolve());
    this.closing = new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill(), this.options.closeTimeoutMs ?? 10_000);
      child.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.postMessage({ type: 'close' });
    });
    return this.closing;
  }

  private async serveMain(child: BackendChild, id: number, name: MainChannel, input: unknown, locale: Locale): Promise<void> {
    const handler = this.options.mainHandlers[name] as ((input: unknown, call: Call) => unknown) | undefined;
    let result: ApiResult<unknown>;
    try {
      if (!handler) throw new AppError('not_available', 'error.not_available', { what: name });
      // Main's handlers use only the caller's language: who may call them was checked in the back end.
      result = { ok: true, value: await handler(input, { locale } as Call) };
    } catch (error) {
      if (!(error instanceof AppError)) console.error(`GridDesk: ${name} failed`, error);
      result = { ok: false, error: (error instanceof AppError ? error : new AppError('internal', 'error.internal')).toApi(locale) };
    }
    if (this.child === child) child.postMessage({ type: 'main-answer', id, result });
  }

  /** Seals or opens the sync key's bytes; the bytes are never logged (a failure logs only its reason). */
  private serveKey(child: BackendChild, id: number, op: 'seal' | 'open', bytes: Uint8Array): void {
    const vault = this.options.keyVault;
    let answer: ToBackend;
    try {
      if (!vault) throw new Error('safeStorage is not available');
      const input = Buffer.from(bytes);
      answer = { type: 'key-answer', id, ok: true, bytes: new Uint8Array(op === 'seal' ? vault.seal(input) : vault.open(input)) };
    } catch (error) {
      answer = { type: 'key-answer', id, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    if (this.child === child) child.postMessage(answer);
  }

  private crashed(code: number): void {
    // Every call in flight is answered: what it wrote either committed (and is in the file the new
    // process opens) or rolled back with the process.
    this.answerPending('backendRestarted');
    const now = Date.now();
    this.crashes.push(now);
    while (this.crashes.length && (this.crashes[0] ?? 0) < now - (this.options.restartWindowMs ?? 60_000)) this.crashes.shift();
    if (this.crashes.length > (this.options.maxRestarts ?? 3)) return this.giveUp(`exit ${code}`);
    console.error(`GridDesk: the back-end process exited (${code}); restarting it`);
    this.start().then(
      () => this.emit('restarted', code),
      (error: Error) => this.giveUp(error.message),
    );
  }

  private answerPending(key: 'backendRestarted' | 'backendNotOpen'): void {
    for (const [id, waiting] of this.pending) {
      this.pending.delete(id);
      waiting.resolve({ result: failure(shellText(waiting.locale, key)) });
    }
  }

  private giveUp(detail: string): void {
    if (this.givenUp) return;
    this.givenUp = true;
    this.emit('gone', shellText('zh-CN', 'backendGone', { detail }));
  }
}
