// The back-end process's entry, bundled to dist-electron/backend.cjs and forked by main as an
// Electron utility process (see backend-process.ts). Electron gives a utility process
// `process.parentPort`; the tests' stand-in gives a plain Node child the same.
import { serveParent, type ParentPortLike } from './backend-process';
import { bundledJobThreadPath } from './backend/jobs/thread';

// Long jobs run on job threads from dist-electron/job-thread.cjs, beside this bundle (issue 18):
// the window's calls come to this process, and must not wait for a billing run's reading.
(globalThis as { __griddeskJobThread?: { file: string } }).__griddeskJobThread = { file: bundledJobThreadPath(__dirname) };

const port = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
if (!port) throw new Error('GridDesk back end: no parent port (start it as a utility process)');
// After `close` the database is closed; nothing else should keep the process.
serveParent(port, { onClosed: () => setImmediate(() => process.exit(0)) });
