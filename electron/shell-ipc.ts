// The IPC relay: the window's one `invoke` arrives here and goes on to the back-end process (see
// shell-backend.ts), which answers through the same `dispatch` the web host uses. Main checks the
// sender frame before anything leaves it. The session token stays in the main process (per window
// contents), never in the page, like an HttpOnly cookie.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { ApiResult } from '../shared/errors';
import { isLocale, type Locale } from '../shared/i18n';
import { INVOKE_CHANNEL } from './shell-bridge';
import type { BackendLink } from './shell-backend';
import { shellText } from './shell-text';
import { isAppUrl } from './shell-window';

/**
 * True only for a call from the top frame of our window showing our app. Electron's guidance:
 * check the sender frame, since an embedded frame or a page navigated elsewhere could otherwise
 * reach the back end.
 */
export function isFromOurWindow(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, window: BrowserWindow): boolean {
  const frame = event.senderFrame;
  if (!frame || window.isDestroyed()) return false;
  return event.sender === window.webContents && frame.parent === null && isAppUrl(frame.url);
}

/** The caller's UI language; anything unknown falls back to Chinese. */
export function localeOf(options: unknown): Locale {
  const locale = (options as { locale?: unknown } | null | undefined)?.locale;
  return isLocale(locale) ? locale : 'zh-CN';
}

export interface Relay {
  /** Forgets every window's login (the back end that knew them has restarted). */
  forgetSessions(): void;
}

/** Registers the one `griddesk:invoke` handler, relaying `window`'s calls to `backend`. */
export function serveInvoke(backend: BackendLink, window: BrowserWindow): Relay {
  const tokens = new Map<number, string>();
  ipcMain.handle(INVOKE_CHANNEL, async (event, name: unknown, input: unknown, options: unknown): Promise<ApiResult<unknown>> => {
    const locale = localeOf(options);
    if (!isFromOurWindow(event, window)) {
      return { ok: false, error: { code: 'forbidden', message: shellText(locale, 'foreignFrame') } };
    }
    const contentsId = event.sender.id;
    const answer = await backend.call(typeof name === 'string' ? name : '', input, tokens.get(contentsId) ?? null, locale);
    if (answer.token === null) tokens.delete(contentsId);
    else if (answer.token !== undefined) tokens.set(contentsId, answer.token);
    return answer.result;
  });
  return { forgetSessions: () => tokens.clear() };
}
