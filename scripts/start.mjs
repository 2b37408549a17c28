#!/usr/bin/env node
// `npm start`: build everything the desktop app needs, then run it.
//   1. better-sqlite3 for Electron's ABI in .electron-native/ (once per Electron version);
//   2. the renderer with Vite → dist/renderer;
//   3. the main process and preload with esbuild → dist-electron;
//   4. `electron .` with any arguments given after `--` (e.g. `npm start -- --db training.db`).
// `--build-only` stops after step 3 and stages the native binary for electron-builder (npm run dist).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElectron } from './build-electron.mjs';
import { ensureElectronNative, stageForPackaging } from './electron-native.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const buildOnly = args.includes('--build-only');

function fail(message) {
  console.error(message);
  process.exit(1);
}

try {
  ensureElectronNative();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

// Vite through its own script with this Node: no shell, the same on Windows and Linux.
const vite = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: ROOT, stdio: 'inherit' });
if (vite.status !== 0) fail('start: vite build failed');

await buildElectron();

if (buildOnly) {
  const target = stageForPackaging();
  console.log(`start: built for ${target.platform}-${target.arch}, Electron ${target.electron}`);
} else {
  let electronBinary;
  try {
    // The electron package's main export is the path of its binary (it downloads it if missing).
    electronBinary = createRequire(import.meta.url)('electron');
  } catch (error) {
    fail(
      `start: no Electron binary (${error instanceof Error ? error.message : error}).\n` +
        'With network: npx install-electron --no. Offline: unpack an Electron zip and set ELECTRON_OVERRIDE_DIST_PATH to its folder.',
    );
  }
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // set by some tools; it would make Electron behave as plain Node
  const child = spawn(electronBinary, ['.', ...args], { cwd: ROOT, stdio: 'inherit', env });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}
