#!/usr/bin/env node
// Bundles the Electron shell with esbuild: electron/main.ts → dist-electron/main.cjs (the window,
// the protocol and the IPC relay), electron/backend-main.ts → dist-electron/backend.cjs (the whole
// back end and shared/, run as a utility process), electron/preload.ts → dist-electron/preload.cjs, and the
// workers → dist-electron/readWorker.mjs (workbook reader), queryWorker.mjs (reads on a second
// thread), checkpointWorker.mjs (a long job's checkpoints beside its slices) and job-thread.cjs (a
// long job's thread), since a worker runs its own file.
// Main and preload are CommonJS because a sandboxed preload cannot load ES modules, and one format
// for both keeps it simple; the worker stays an ES module (it awaits at top level). `electron` is provided by Electron itself; better-sqlite3 stays in node_modules because
// its JavaScript loads the native binary by path (the main process passes `nativeBinding`).
//
//   node scripts/build-electron.mjs
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Electron 45 embeds Node 22 or newer; building for node22 stays within what it runs. */
export const ELECTRON_NODE_TARGET = 'node22';

export function bundleOptions(root = ROOT) {
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: ELECTRON_NODE_TARGET,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
  };
  return {
    main: {
      ...common,
      entryPoints: ['electron/main.ts'],
      outfile: 'dist-electron/main.cjs',
      external: ['electron', 'better-sqlite3'],
      logOverride: { 'empty-import-meta': 'silent' },
    },
    // The back-end process: plain Node with a parent port, never `electron`.
    backend: {
      ...common,
      entryPoints: ['electron/backend-main.ts'],
      outfile: 'dist-electron/backend.cjs',
      external: ['better-sqlite3'],
      // `import.meta` is empty in CommonJS. The places the bundle reaches that use it do not
      // need it there: the shell passes the migrations folder, and the workbook reader and the
      // query worker are found beside the bundle (a test runs the bundle to prove it starts).
      logOverride: { 'empty-import-meta': 'silent' },
    },
    // A long job's thread (jobs/thread.ts), started by the back end from beside its bundle, outside
    // app.asar: self-contained (better-sqlite3's JavaScript inside, its native part loaded by the
    // path the shell passes), since a worker there does not resolve packages from app.asar.
    jobThread: {
      ...common,
      entryPoints: ['electron/backend/jobs/threadMain.ts'],
      outfile: 'dist-electron/job-thread.cjs',
      // db/parallelRead.ts resolves the driver at run time only where its host did not say (the thread is told).
      logOverride: { 'empty-import-meta': 'silent', 'require-resolve-not-external': 'silent' },
    },
    // The sandboxed preload may require only `electron`: nothing else is external, and a test
    // checks that the bundle requires nothing more.
    preload: { ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist-electron/preload.cjs', external: ['electron'] },
    // The workbook reader's worker, an ES module with top-level await; Node built-ins only.
    worker: { ...common, format: 'esm', entryPoints: ['electron/backend/customers/workbook/readWorker.mjs'], outfile: 'dist-electron/readWorker.mjs' },
    // Reads queries on a second thread (billing run, big reading imports); loads better-sqlite3 from the path the main
    // process gives it, so the driver is external here.
    queryWorker: { ...common, format: 'esm', entryPoints: ['electron/backend/db/queryWorker.mjs'], outfile: 'dist-electron/queryWorker.mjs', external: ['better-sqlite3'] },
    // Copies a long job's WAL into the file beside its slices (jobs/checkpointAside.ts); the driver as for the query worker.
    checkpointWorker: { ...common, format: 'esm', entryPoints: ['electron/backend/db/checkpointWorker.mjs'], outfile: 'dist-electron/checkpointWorker.mjs', external: ['better-sqlite3'] },
  };
}

/** Builds the bundles; with `write: false` returns the output text instead (for tests). */
export async function buildElectron({ root = ROOT, write = true } = {}) {
  const options = bundleOptions(root);
  const [main, backend, preload, worker, queryWorker, checkpointWorker, jobThread] = await Promise.all([
    build({ ...options.main, write }),
    build({ ...options.backend, write }),
    build({ ...options.preload, write }),
    build({ ...options.worker, write }),
    build({ ...options.queryWorker, write }),
    build({ ...options.checkpointWorker, write }),
    build({ ...options.jobThread, write }),
  ]);
  return { main, backend, preload, worker, queryWorker, checkpointWorker, jobThread };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildElectron();
  console.log('build-electron: dist-electron/main.cjs, backend.cjs, preload.cjs, readWorker.mjs, queryWorker.mjs, checkpointWorker.mjs and job-thread.cjs');
}
