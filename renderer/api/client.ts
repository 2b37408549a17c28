import type { ChannelName, InputOf, JobState, OutputOf } from '../../shared/contract';
import type { ApiError, ApiResult } from '../../shared/errors';
import type { Locale } from '../../shared/i18n';

// The typed client: the only way the UI talks to the back end. It does not know which back end
// answers: in the desktop app the preload's `window.griddesk.invoke` (Electron IPC), in browser
// mode `POST /api/<channel>` to the local web host.

interface DesktopBridge {
  invoke(name: string, input: unknown, options?: { locale?: string }): Promise<ApiResult<unknown>>;
}

declare global {
  interface Window {
    griddesk?: DesktopBridge;
  }
}

/** A call the back end refused: `error.code` for logic, `error.message` for the clerk. */
export class ApiFailure extends Error {
  override name = 'ApiFailure';
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

let currentLocale: Locale = 'zh-CN';
export function setClientLocale(locale: Locale): void {
  currentLocale = locale;
}

/** Listeners told when any call answers `not_logged_in` (the session ended elsewhere). */
const sessionLostListeners = new Set<() => void>();
export function onSessionLost(listener: () => void): () => void {
  sessionLostListeners.add(listener);
  return () => sessionLostListeners.delete(listener);
}

export const isDesktop = (): boolean => typeof window !== 'undefined' && window.griddesk !== undefined;

async function transport(name: string, input: unknown): Promise<ApiResult<unknown>> {
  if (window.griddesk) return window.griddesk.invoke(name, input, { locale: currentLocale });
  let response: Response;
  try {
    response = await fetch(`./api/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-GridDesk-Locale': currentLocale },
      body: JSON.stringify(input ?? {}),
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, error: { code: 'internal', message: currentLocale === 'en' ? 'Cannot reach the local service' : '无法连接到本机服务' } };
  }
  try {
    return (await response.json()) as ApiResult<unknown>;
  } catch {
    return { ok: false, error: { code: 'internal', message: `HTTP ${response.status}` } };
  }
}

export async function call<N extends ChannelName>(name: N, ...[input]: {} extends InputOf<N> ? [InputOf<N>?] : [InputOf<N>]): Promise<OutputOf<N>> {
  const result = await transport(name, input ?? {});
  if (!result.ok) {
    if (result.error.code === 'not_logged_in') for (const listener of sessionLostListeners) listener();
    throw new ApiFailure(result.error);
  }
  return result.value as OutputOf<N>;
}

/**
 * Follows a job until it finishes: server-sent events in browser mode, the `jobs.watch` long
 * poll in the desktop app. Returns a function that stops following.
 */
export function watchJob(jobId: string, onUpdate: (state: JobState) => void): () => void {
  let stopped = false;
  const deliver = (state: JobState) => {
    if (!stopped && state.id === jobId) onUpdate(state);
  };
  if (!isDesktop() && typeof EventSource !== 'undefined') {
    const source = new EventSource('./api/events');
    source.addEventListener('job', (event) => deliver(JSON.parse((event as MessageEvent<string>).data) as JobState));
    // Catch up with anything that happened before the stream opened.
    source.addEventListener('open', () => {
      void call('jobs.get', { jobId }).then(deliver, () => {});
    });
    return () => {
      stopped = true;
      source.close();
    };
  }
  void (async () => {
    let version = -1;
    while (!stopped) {
      try {
        const state = await call('jobs.watch', { jobId, afterVersion: version });
        version = state.version;
        deliver(state);
        if (state.status !== 'running') return;
      } catch {
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  })();
  return () => {
    stopped = true;
  };
}

/** Runs a job-starting call and resolves with the finished job (progress through onUpdate). */
export function runJob(start: () => Promise<{ jobId: string }>, onUpdate: (state: JobState) => void): Promise<JobState> {
  return start().then(
    ({ jobId }) =>
      new Promise<JobState>((resolve) => {
        const stop = watchJob(jobId, (state) => {
          onUpdate(state);
          if (state.status !== 'running') {
            stop();
            resolve(state);
          }
        });
      }),
  );
}
