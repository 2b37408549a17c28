// The IPC transport: the window's one `invoke` arrives here and goes to the same `dispatch` the
// web host uses. The session token stays in the main process (per window contents), never in the
// page, like an HttpOnly cookie.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { ApiResult } from '../shared/errors';
import { isLocale, type Locale } from '../shared/i18n';
import type { Backend } from './backend/context';
import { dispatch } from './backend/dispatch';
import type { HandlerTable } from './backend/handler';
import { INVOKE_CHANNEL } from './shell-bridge';
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

/** Registers the one `griddesk:invoke` handler, serving `window` with `handlers`. */
export function serveInvoke(backend: Backend, handlers: HandlerTable, window: BrowserWindow): void {
  const tokens = new Map<number, string>();
  ipcMain.handle(INVOKE_CHANNEL, (event, name: unknown, input: unknown, options: unknown): Promise<ApiResult<unknown>> | ApiResult<unknown> => {
    const locale = localeOf(options);
    if (!isFromOurWindow(event, window)) {
      return { ok: false, error: { code: 'forbidden', message: shellText(locale, 'foreignFrame') } };
    }
    const contentsId = event.sender.id;
    return dispatch(backend, handlers, typeof name === 'string' ? name : '', input, {
      token: tokens.get(contentsId) ?? null,
      locale,
      setSessionToken(token) {
        if (token === null) tokens.delete(contentsId);
        else tokens.set(contentsId, token);
      },
    });
  });
}
