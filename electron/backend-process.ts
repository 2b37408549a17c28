// The back end's own process (后台进程). In the desktop app the station back end — better-sqlite3,
// which is synchronous, and every handler — runs in an Electron utility process, not in the main
// process that draws the window: a billing run's long statements then stall only this process,
// never the window, its menu or the IPC relay. Main forks this module (bundled as
// dist-electron/backend.cjs) and talks to it over the utility process's parent port.
//
// This file never imports `electron`: a utility process is plain Node with a message port, and
// the tests run it as an ordinary Node child process.
import type { ApiResult } from '../shared/errors';
import type { Locale } from '../shared/i18n';
import { scheduleDailyBackup } from './backend/backup/backup';
import { scheduleRunResume } from './backend/billing/run';
import { Backend, type BackendOptions } from './backend/context';
import { dispatch } from './backend/dispatch';
import { AppError } from './backend/errors';
import type { HandlerGroup } from './backend/handler';
import { createHandlers } from './backend/handlers';
import { setKeyProtector } from './backend/sync/keys';
import { shellText } from './shell-text';

/** The channels main serves itself (window, dialogs, printing): the back end asks main for them. */
export const MAIN_CHANNELS = ['shell.print', 'shell.savePdf', 'shell.saveFile'] as const;
export type MainChannel = (typeof MAIN_CHANNELS)[number];

/** Messages from main to the back-end process. */
export type ToBackend =
  /** `sealKeys`: main can seal with safeStorage, so the station's sync key is sealed through it (docs/sync.md "Keys"). */
  | { type: 'open'; options: BackendOptions; sealKeys?: boolean }
  /** A window's call; `token` is the window's session, which main keeps (never the page). */
  | { type: 'call'; id: number; name: string; input: unknown; token: string | null; locale: Locale }
  /** Main's answer to a `main` request. */
  | { type: 'main-answer'; id: number; result: ApiResult<unknown> }
  /** Main's answer to a `key` request: the sealed or opened bytes, or why it could not. */
  | { type: 'key-answer'; id: number; ok: true; bytes: Uint8Array }
  | { type: 'key-answer'; id: number; ok: false; message: string }
  /** The window is shown: the daily backup may be scheduled now, so it never slows the start. */
  | { type: 'window-shown' }
  /** Quit: close the database (PRAGMA optimize, WAL folded back) and exit. */
  | { type: 'close' };

/** Messages from the back-end process to main. */
export type FromBackend =
  | { type: 'ready'; schemaVersion: number }
  /** Opening failed; `message` is the clerk-readable reason in Chinese. */
  | { type: 'failed'; message: string }
  /** The answer to a call; `token` is present when the call logged in (string) or out (null). */
  | { type: 'answer'; id: number; result: ApiResult<unknown>; token?: string | null }
  /** A channel main serves (printing, save dialogs), already checked for session and permission here. */
  | { type: 'main'; id: number; name: MainChannel; input: unknown; locale: Locale }
  /**
   * Seal or open the station's sync private key with safeStorage, which only main can call. Not a
   * channel: no page can ask for it; only this process sends it, when it makes or loads the key.
   */
  | { type: 'key'; id: number; op: 'seal' | 'open'; bytes: Uint8Array }
  | { type: 'closed' };

/** What Electron gives a utility process as `process.parentPort` (and the tests' stand-in). */
export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

/** The clerk-readable reason opening failed (AppError messages are in the dictionary). */
export function openFailureMessage(error: unknown): string {
  if (error instanceof AppError) return error.messageIn('zh-CN');
  return shellText('zh-CN', 'unexpected', { detail: error instanceof Error ? error.message : String(error) });
}

/** An error main answered with for a relayed channel, passed on to the page as main worded it. */
class RelayedError extends AppError {
  constructor(private readonly answer: ApiResult<unknown> & { ok: false }) {
    super(answer.error.code, 'error.internal');
  }
  override toApi() {
    return this.answer.error;
  }
  override messageIn() {
    return this.answer.error.message;
  }
}

export interface ServeOptions {
  /** Called after the database is closed on `close` (the real entry exits the process). */
  onClosed?: () => void;
}

/**
 * Serves the back end on `port`: opens it on `open`, answers `call`s through the same `dispatch`
 * the web host and the CLI use, and hands the main-only channels to main after the session and
 * permission checks passed here.
 */
export function serveParent(port: ParentPortLike, options: ServeOptions = {}): { backend(): Backend | undefined } {
  let backend: Backend | undefined;
  let nextMainId = 1;
  const waitingOnMain = new Map<number, (result: ApiResult<unknown>) => void>();
  const send = (message: FromBackend) => port.postMessage(message);

  const askMain = (name: MainChannel) => (input: unknown, call: { locale: Locale }) =>
    new Promise<never>((resolve, reject) => {
      const id = nextMainId++;
      waitingOnMain.set(id, (result) => (result.ok ? resolve(result.value as never) : reject(new RelayedError(result))));
      send({ type: 'main', id, name, input, locale: call.locale });
    });
  let nextKeyId = 1;
  const waitingOnKey = new Map<number, { resolve: (bytes: Buffer) => void; reject: (error: Error) => void }>();
  const askKey = (op: 'seal' | 'open') => (bytes: Buffer) =>
    new Promise<Buffer>((resolve, reject) => {
      const id = nextKeyId++;
      waitingOnKey.set(id, { resolve, reject });
      send({ type: 'key', id, op, bytes: new Uint8Array(bytes) });
    });

  const overrides = Object.fromEntries(MAIN_CHANNELS.map((name) => [name, askMain(name)])) as HandlerGroup;
  const handlers = createHandlers(overrides);

  port.on('message', ({ data }) => {
    const message = data as ToBackend;
    switch (message.type) {
      case 'open':
        // The CLI and browser mode never send sealKeys: their key stays an owner-only file.
        setKeyProtector(message.sealKeys ? { name: 'safeStorage', seal: askKey('seal'), open: askKey('open') } : null);
        try {
          backend = new Backend(message.options);
          send({ type: 'ready', schemaVersion: backend.schemaVersion });
          // A billing run a crash stopped half-way is finished now (its bills were never shown).
          scheduleRunResume(backend);
        } catch (error) {
          console.error('GridDesk back end: opening failed', error);
          send({ type: 'failed', message: openFailureMessage(error) });
        }
        return;
      case 'call': {
        const { id, name, input, token, locale } = message;
        if (!backend) {
          send({ type: 'answer', id, result: { ok: false, error: { code: 'internal', message: shellText(locale, 'backendNotOpen') } } });
          return;
        }
        let changed: { token: string | null } | undefined;
        void dispatch(backend, handlers, name, input, {
          token,
          locale,
          setSessionToken(next) {
            changed = { token: next };
          },
        }).then((result) => send({ type: 'answer', id, result, ...(changed ? { token: changed.token } : {}) }));
        return;
      }
      case 'main-answer': {
        const settle = waitingOnMain.get(message.id);
        waitingOnMain.delete(message.id);
        settle?.(message.result);
        return;
      }
      case 'key-answer': {
        const waiting = waitingOnKey.get(message.id);
        waitingOnKey.delete(message.id);
        if (message.ok) waiting?.resolve(Buffer.from(message.bytes));
        else waiting?.reject(new Error(message.message));
        return;
      }
      case 'window-shown':
        if (backend) scheduleDailyBackup(backend);
        return;
      case 'close':
        try {
          backend?.close();
        } finally {
          backend = undefined;
          send({ type: 'closed' });
          options.onClosed?.();
        }
        return;
    }
  });
  return { backend: () => backend };
}
