// The back-end process's protocol without a process: `serveParent` on this thread, messages
// passed as structured clones on the next turn as a port would. For tests of the relay that need
// a real back end but no child process (shell-ipc.test.ts); shell-start.test.ts forks the real one.
import { EventEmitter } from 'node:events';
import { serveParent, type FromBackend, type ToBackend } from '../backend-process';
import type { BackendChild } from '../shell-backend';

export function inProcessBackend(): BackendChild & { backend(): import('../backend/context').Backend | undefined } {
  const toChild = new EventEmitter();
  const toMain = new EventEmitter();
  const served = serveParent(
    {
      on: (_event, listener) => toChild.on('message', listener),
      postMessage: (message) => setImmediate(() => toMain.emit('message', structuredClone(message))),
    },
    { onClosed: () => setImmediate(() => toMain.emit('exit', 0)) },
  );
  return {
    pid: undefined,
    postMessage: (message: ToBackend) => setImmediate(() => toChild.emit('message', { data: structuredClone(message) })),
    on: (event: 'message' | 'exit', listener: (value: never) => void) => toMain.on(event, listener as (value: unknown) => void),
    kill: () => {
      served.backend()?.close();
      toMain.emit('exit', 1);
      return true;
    },
    backend: served.backend,
  } as BackendChild & { backend(): import('../backend/context').Backend | undefined };
}
export type { FromBackend };
