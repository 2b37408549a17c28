// The back-end process's entry, bundled to dist-electron/backend.cjs and forked by main as an
// Electron utility process (see backend-process.ts). Electron gives a utility process
// `process.parentPort`; the tests' stand-in gives a plain Node child the same.
import { serveParent, type ParentPortLike } from './backend-process';

const port = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
if (!port) throw new Error('GridDesk back end: no parent port (start it as a utility process)');
// After `close` the database is closed; nothing else should keep the process.
serveParent(port, { onClosed: () => setImmediate(() => process.exit(0)) });
