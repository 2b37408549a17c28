// Runs read-only queries on a thread of its own (see parallelRead.ts): opens the station file
// read-only, runs every query in one read transaction (one snapshot), answers with their rows as
// arrays, and closes. It never writes. Plain JavaScript: a worker cannot rely on the parent's
// TypeScript loader; the desktop build copies it beside the bundle (scripts/build-electron.mjs).
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

/** @returns {Promise<any>} better-sqlite3's Database class */
async function driver({ driverEntry }) {
  // The desktop bundle passes the file the main process loaded the driver from (inside app.asar).
  if (driverEntry) return createRequire(import.meta.url)(driverEntry);
  return (await import('better-sqlite3')).default;
}

const { file, nativeBinding, cacheKib, queries } = workerData;
let db;
try {
  const Database = await driver(workerData);
  db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  db.pragma('busy_timeout = 5000');
  db.pragma(`cache_size = -${cacheKib}`);
  const read = db.transaction(() => queries.map(({ text, params }) => db.prepare(text).raw(true).all(...params)));
  parentPort.postMessage({ rows: read() });
} catch (error) {
  parentPort.postMessage({ failed: `${file}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` });
} finally {
  db?.close();
}
