// What the preload puts on `window.griddesk`, shared by the preload and the main process. This
// file imports nothing: the sandboxed preload bundle may only require `electron`.

/** The one IPC channel between the window and the back end. */
export const INVOKE_CHANNEL = 'griddesk:invoke';

/** The name of the object the preload exposes in the page (`window.griddesk`). */
export const BRIDGE_NAME = 'griddesk';

export interface InvokeOptions {
  /** The UI language for messages: 'zh-CN' (default) or 'en'. */
  locale?: string;
}

/**
 * The whole surface the page gets: one function that sends a channel call to the back end and
 * resolves with its `{ ok, value }` or `{ ok: false, error }` answer (never rejects for a refusal).
 */
export interface GridDeskBridge {
  invoke(name: string, input: unknown, options?: InvokeOptions): Promise<unknown>;
}
