#!/usr/bin/env node
// better-sqlite3 for Electron, built beside — never over — the Node build in node_modules.
//
// One node_modules holds one ABI of a native module: the Node build there is what vitest, the
// CLI and the web host load. Electron needs a build for its own ABI, so this script makes one in
// a temporary copy of the package and keeps it in .electron-native/<Electron version>/, where the
// main process loads it through better-sqlite3's `nativeBinding` option.
//
//   node scripts/electron-native.mjs            ensure the binary for this PC's platform and arch
//   node scripts/electron-native.mjs --stage    …and copy it to dist-electron/native for packaging
//
// It first asks prebuild-install for the published Electron binary (no compiler needed), then
// compiles with node-gyp against Electron's headers. Offline, point ELECTRON_HEADERS_DIR at an
// unpacked node-v<version>-headers.tar.gz from https://electronjs.org/headers/v<version>/.
//
// The file also serves as electron-builder's beforePack hook, refusing to package a binary built
// for another platform or arch.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BINARY = 'better_sqlite3.node';

export function electronVersion(root = ROOT) {
  return JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
}

/** Electron's NODE_MODULE_VERSION, which the electron package ships in abi_version. */
export function electronAbi(root = ROOT) {
  const file = join(root, 'node_modules/electron/abi_version');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
}

/**
 * The ABI a compiled module was built for, read from its `node_register_module_v<ABI>` export
 * (what Node and Electron compare before loading it), or null if it has none.
 */
export function abiOfBinary(file) {
  const match = /node_register_module_v(\d+)/.exec(readFileSync(file).toString('latin1'));
  return match ? match[1] : null;
}

export function electronBinaryPath(root = ROOT, version = electronVersion(root)) {
  return join(root, '.electron-native', version, BINARY);
}

function run(command, args, cwd) {
  console.log(`electron-native: ${[command, ...args].join(' ')}`);
  return spawnSync(command, args, { cwd, stdio: 'inherit' }).status === 0;
}

/** node-gyp from node_modules, else the copy bundled with npm. */
function nodeGypScript(root) {
  try {
    return createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    const npmCli = process.env.npm_execpath;
    const bundled = npmCli && join(dirname(npmCli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (bundled && existsSync(bundled)) return bundled;
    throw new Error('electron-native: node-gyp not found (npm install, or install node-gyp globally)');
  }
}

/** Builds better-sqlite3 for Electron in a temporary copy; returns the path of the binary made. */
function buildInTempCopy(root, version, arch) {
  const source = join(root, 'node_modules/better-sqlite3');
  const work = mkdtempSync(join(tmpdir(), 'griddesk-electron-native-'));
  const pkg = join(work, 'better-sqlite3');
  // The Node build (build/) stays behind: only sources are copied.
  cpSync(source, pkg, { recursive: true, filter: (path) => !path.startsWith(join(source, 'build')) });
  const built = join(pkg, 'build', 'Release', BINARY);

  const prebuild = createRequire(join(root, 'package.json')).resolve('prebuild-install/bin.js');
  if (run(process.execPath, [prebuild, '--runtime=electron', `--target=${version}`, `--arch=${arch}`, '--verbose'], pkg) && existsSync(built)) {
    return { built, work };
  }
  console.log('electron-native: no published binary for this Electron; compiling with node-gyp');
  const gypArgs = [
    nodeGypScript(root),
    'rebuild',
    '--release',
    `--target=${version}`,
    `--arch=${arch}`,
    '--dist-url=https://electronjs.org/headers',
    `--devdir=${join(root, '.electron-native', 'headers')}`,
  ];
  if (process.env.ELECTRON_HEADERS_DIR) gypArgs.push(`--nodedir=${process.env.ELECTRON_HEADERS_DIR}`);
  if (run(process.execPath, gypArgs, pkg) && existsSync(built)) return { built, work };
  rmSync(work, { recursive: true, force: true });
  throw new Error(
    `electron-native: could not build better-sqlite3 for Electron ${version}. Needs the network (prebuilt binary or ` +
      'Electron headers) or ELECTRON_HEADERS_DIR, plus a C++ toolchain (Windows: Visual Studio Build Tools; Debian: build-essential python3).',
  );
}

/** Makes sure .electron-native/<version>/better_sqlite3.node exists and has Electron's ABI. */
export function ensureElectronNative({ root = ROOT, arch = process.arch } = {}) {
  const version = electronVersion(root);
  const target = electronBinaryPath(root, version);
  const abi = electronAbi(root);
  if (existsSync(target) && (!abi || abiOfBinary(target) === abi)) return target;

  const { built, work } = buildInTempCopy(root, version, arch);
  try {
    const builtAbi = abiOfBinary(built);
    if (abi && builtAbi !== abi) throw new Error(`electron-native: built ABI ${builtAbi}, but Electron ${version} needs ${abi}`);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(built, target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`electron-native: ${target} (ABI ${abi ?? '?'})`);
  return target;
}

/** The copy electron-builder ships (extraResources → resources/native/), with what it was built for. */
export function stageForPackaging({ root = ROOT, arch = process.arch } = {}) {
  const dir = join(root, 'dist-electron', 'native');
  mkdirSync(dir, { recursive: true });
  copyFileSync(electronBinaryPath(root), join(dir, BINARY));
  const target = { platform: process.platform, arch, electron: electronVersion(root), abi: electronAbi(root) };
  writeFileSync(join(dir, 'target.json'), `${JSON.stringify(target, null, 2)}\n`);
  return target;
}

// electron-builder numbers its arches (builder-util's Arch enum).
const BUILDER_ARCH = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

/**
 * electron-builder's beforePack hook: a native binary only runs on the platform and arch it was
 * built on, so packaging for another target (a Windows installer on a Linux PC) is refused
 * rather than shipping an app that cannot open its database.
 */
export default async function beforePack(context) {
  const dir = join(context.packager?.projectDir ?? ROOT, 'dist-electron', 'native');
  const want = { platform: context.electronPlatformName, arch: BUILDER_ARCH[context.arch] ?? String(context.arch) };
  if (!existsSync(join(dir, BINARY)) || !existsSync(join(dir, 'target.json'))) {
    throw new Error('electron-native: no staged better-sqlite3 binary; run `npm run dist` (it stages dist-electron/native first)');
  }
  const staged = JSON.parse(readFileSync(join(dir, 'target.json'), 'utf8'));
  if (staged.platform !== want.platform || staged.arch !== want.arch) {
    throw new Error(
      `electron-native: the staged better-sqlite3 is for ${staged.platform}-${staged.arch}, but this package is for ` +
        `${want.platform}-${want.arch}. Build each installer on its own platform (the Windows installer on Windows x64).`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    ensureElectronNative();
    if (process.argv.includes('--stage')) stageForPackaging();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
