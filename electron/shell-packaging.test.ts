import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nativeBindingPath, shellPaths } from './shell-paths';

// Packaging: electron-builder's config in package.json, the icons, the native-binary scripts and
// the esbuild bundles. electron-builder itself cannot run here (it needs the Electron binary).
const ROOT = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const config = pkg.build;
// The scripts are plain .mjs run by Node; loaded by URL so the type checker leaves them alone.
const script = (name: string) => import(/* @vite-ignore */ new URL(`../scripts/${name}`, import.meta.url).href);

describe('electron-builder config', () => {
  it('passes electron-builder’s own schema', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    await expect(validateConfiguration(config, { isEnabled: false, add() {} })).resolves.toBeUndefined();
  });

  it('never rebuilds node_modules in place (the Node build of better-sqlite3 is for the tests)', () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.nodeGypRebuild).toBe(false);
    expect(config.buildDependenciesFromSource).toBe(false);
  });

  it('ships the Electron build of better-sqlite3 where the installed app looks for it', () => {
    expect(config.extraResources).toEqual([{ from: 'dist-electron/native/better_sqlite3.node', to: 'native/better_sqlite3.node' }]);
    const resources = join('/opt', 'GridDesk', 'resources');
    const where = { packaged: true, resourcesPath: resources, appPath: join(resources, 'app.asar'), electronVersion: 'x' };
    expect(nativeBindingPath(where)).toBe(join(resources, ...config.extraResources[0].to.split('/')));
  });

  it('packs the bundles, the built renderer, the migrations and only the JavaScript of better-sqlite3', () => {
    expect(config.files).toEqual(
      expect.arrayContaining(['package.json', pkg.main, 'dist-electron/backend.cjs', 'dist-electron/preload.cjs', 'dist/renderer/**', 'migrations/*.sql', 'build/icon.png']),
    );
    // node_modules: nothing but better-sqlite3's lib (everything else is bundled into main.cjs);
    // its build/ folder, the Node binary, is never shipped.
    expect(config.files).toContain('!node_modules/**');
    expect(config.files.filter((f: string) => f.startsWith('node_modules/'))).toEqual([
      'node_modules/better-sqlite3/package.json',
      'node_modules/better-sqlite3/lib/**',
    ]);
  });

  it('puts everything where the shell looks for it inside the app folder', () => {
    const paths = shellPaths({ argv: [], env: {}, cwd: '/', userData: '/u', appPath: '/app', packaged: true, resourcesPath: '/r', electronVersion: 'x' });
    expect(paths.preload).toBe(join('/app', 'dist-electron', 'preload.cjs'));
    expect(paths.backendEntry).toBe(join('/app', 'dist-electron', 'backend.cjs'));
    expect(paths.migrationsDir).toBe(join('/app', 'migrations'));
    expect(pkg.main).toBe('dist-electron/main.cjs');
  });

  it('makes a Windows x64 installer in Chinese that asks where to install and never deletes the data', () => {
    expect(config.appId).toBe('cn.griddesk.station');
    expect(config.productName).toBe('GridDesk');
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.nsis).toMatchObject({
      oneClick: false,
      allowToChangeInstallationDirectory: true,
      installerLanguages: ['zh_CN'],
      deleteAppDataOnUninstall: false,
    });
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
  });

  it('uses the icons in build/: a 512×512 PNG and an ICO with a 256 px image', () => {
    expect(config.directories.buildResources).toBe('build');
    const png = readFileSync(join(ROOT, config.linux.icon));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);

    const ico = readFileSync(join(ROOT, config.win.icon));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]); // reserved, type icon
    const entries = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => 6 + 16 * i);
    const sizes = entries.map((at) => ico[at] || 256);
    expect(sizes).toContain(256);
    for (const at of entries) {
      const offset = ico.readUInt32LE(at + 12);
      expect(ico.subarray(offset + 1, offset + 4).toString('latin1')).toBe('PNG');
    }
  });
});

describe('the better-sqlite3 binaries', () => {
  it('node_modules still holds the Node build (what the tests load), as the ABI reader sees it', async () => {
    const { abiOfBinary } = await script('electron-native.mjs');
    const nodeBuild = join(require.resolve('better-sqlite3/package.json'), '..', 'build', 'Release', 'better_sqlite3.node');
    expect(abiOfBinary(nodeBuild)).toBe(process.versions.modules);
  });

  it('the Electron build lives in .electron-native/<Electron version>, as the shell expects when run from source', async () => {
    const { electronBinaryPath, electronVersion } = await script('electron-native.mjs');
    const where = { packaged: false, resourcesPath: '/r', appPath: ROOT, electronVersion: electronVersion(ROOT) };
    expect(electronBinaryPath(ROOT)).toBe(nativeBindingPath(where));
  });

  describe('packaging refuses a binary built for another platform', () => {
    const projectDir = mkdtempSync(join(tmpdir(), 'griddesk-pack-'));
    afterAll(() => rmSync(projectDir, { recursive: true, force: true }));
    const stage = (target: object) => {
      mkdirSync(join(projectDir, 'dist-electron', 'native'), { recursive: true });
      writeFileSync(join(projectDir, 'dist-electron', 'native', 'better_sqlite3.node'), 'binary');
      writeFileSync(join(projectDir, 'dist-electron', 'native', 'target.json'), JSON.stringify(target));
    };
    const X64 = 1; // builder-util's Arch.x64

    it('accepts the platform and arch it was built on', async () => {
      const { default: beforePack } = await script('electron-native.mjs');
      stage({ platform: 'win32', arch: 'x64' });
      await expect(beforePack({ packager: { projectDir }, electronPlatformName: 'win32', arch: X64 })).resolves.toBeUndefined();
    });

    it('refuses a Linux binary in a Windows installer', async () => {
      const { default: beforePack } = await script('electron-native.mjs');
      stage({ platform: 'linux', arch: 'x64' });
      await expect(beforePack({ packager: { projectDir }, electronPlatformName: 'win32', arch: X64 })).rejects.toThrow(
        /for linux-x64, but this package is for win32-x64/,
      );
    });

    it('refuses to package without a staged binary', async () => {
      const { default: beforePack } = await script('electron-native.mjs');
      rmSync(join(projectDir, 'dist-electron'), { recursive: true, force: true });
      await expect(beforePack({ packager: { projectDir }, electronPlatformName: 'linux', arch: X64 })).rejects.toThrow(/no staged/);
    });

    it('is the beforePack hook in the config', () => {
      expect(config.beforePack).toBe('./scripts/electron-native.mjs');
    });
  });
});

describe('the esbuild bundles', () => {
  const requiresOf = (text: string) => [...new Set([...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1] ?? ''))].sort();

  it('the sandboxed preload requires nothing but electron; main only electron (no database); the back end only better-sqlite3, never electron', async () => {
    const { buildElectron, bundleOptions } = await script('build-electron.mjs');
    const { main, backend, preload, jobThread } = await buildElectron({ write: false });
    const text = (result: { outputFiles: { path: string; text: string }[] }) => result.outputFiles.find((f) => f.path.endsWith('.cjs'))!.text;
    expect(requiresOf(text(preload))).toEqual(['electron']);
    // Node built-ins may be required with or without the node: prefix (xlsx requires 'fs' and 'stream').
    const external = (bundle: string) => requiresOf(bundle).filter((name) => !name.startsWith('node:') && !builtinModules.includes(name));
    expect(external(text(main))).toEqual(['electron']);
    expect(external(text(backend))).toEqual(['better-sqlite3']);
    // The job thread runs outside app.asar, where packages do not resolve: it carries the driver's JavaScript.
    expect(external(text(jobThread))).toEqual([]);
    expect(bundleOptions().jobThread.outfile).toBe('dist-electron/job-thread.cjs');
    expect(bundleOptions().main.outfile).toBe(pkg.main);
    expect(bundleOptions().main.format).toBe('cjs');
    expect(bundleOptions().backend.outfile).toBe('dist-electron/backend.cjs');
  }, 30_000);

  it('main starts: loaded by Node with a stand-in for electron, nothing throws while it loads', async () => {
    // A module-level `new URL(…, import.meta.url)` once crashed the bundle on load: esbuild leaves
    // `import.meta` empty in CommonJS.
    const { buildElectron } = await script('build-electron.mjs');
    const { main } = await buildElectron({ write: false });
    const dir = mkdtempSync(join(tmpdir(), 'griddesk-bundle-'));
    try {
      writeFileSync(join(dir, 'main.cjs'), main.outputFiles.find((f: { path: string }) => f.path.endsWith('main.cjs')).text);
      // Whatever the shell asks of electron answers with more of the same; app.whenReady never settles.
      writeFileSync(join(dir, 'electron.cjs'), `
        const any = () => new Proxy(function () {}, { get: (_, key) => (key === 'then' ? undefined : any()), apply: () => any() });
        const app = new Proxy({ whenReady: () => new Promise(() => {}), requestSingleInstanceLock: () => true, isPackaged: false },
          { get: (target, key) => (key in target ? target[key] : any()) });
        module.exports = new Proxy({ app }, { get: (target, key) => (key in target ? target[key] : any()) });`);
      writeFileSync(join(dir, 'load.cjs'), `
        const Module = require('node:module');
        const resolve = Module._resolveFilename;
        Module._resolveFilename = function (request, ...rest) {
          return request === 'electron' ? ${JSON.stringify(join(dir, 'electron.cjs'))} : resolve.call(this, request, ...rest);
        };
        require('./main.cjs');
        console.log('loaded');`);
      const child = spawnSync(process.execPath, [join(dir, 'load.cjs')], { cwd: ROOT, encoding: 'utf8', timeout: 20_000, env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') } });
      expect(child.stderr).toBe('');
      expect(child.stdout.trim()).toBe('loaded');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('the desktop build reads workbooks: its worker is written beside the bundle and found there', async () => {
    const { buildElectron, bundleOptions } = await script('build-electron.mjs');
    const { worker } = await buildElectron({ write: false });
    expect(bundleOptions().worker.outfile).toBe('dist-electron/readWorker.mjs');
    const dir = mkdtempSync(join(tmpdir(), 'griddesk-bundle-'));
    try {
      writeFileSync(join(dir, 'readWorker.mjs'), worker.outputFiles.find((f: { path: string }) => f.path.endsWith('readWorker.mjs')).text);
      // The reader bundled as main is (CommonJS, `import.meta` empty), beside that worker.
      const { build } = await import('esbuild');
      await build({ ...bundleOptions().main, entryPoints: ['electron/backend/customers/workbook/read.ts'], outfile: join(dir, 'read.cjs'), external: [] });
      const reader = require(join(dir, 'read.cjs'));
      const { writeWorkbook } = await import('./backend/customers/workbook/write');
      const bytes = await writeWorkbook([{ name: '客户', rows: [['户号', '姓名'], ['GD0100001', '张三']] }]);
      const rows: { row: number; cells: string[] }[] = [];
      await reader.readWorkbook(bytes, { maxRows: 10, onRows: (batch: typeof rows) => rows.push(...batch) });
      expect(rows).toEqual([{ row: 1, cells: ['户号', '姓名'] }, { row: 2, cells: ['GD0100001', '张三'] }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  /**
   * A store worker of the desktop build (`worker`: its bundle option's name) written beside the
   * bundle of `entry` (the module that starts it), in a folder inside node_modules so the bundle
   * resolves better-sqlite3 as the packed app does from app.asar; `use` gets that module.
   */
  async function besideBundle(worker: string, entry: string, use: (dir: string, module: Record<string, any>) => Promise<void>) {
    const { buildElectron, bundleOptions } = await script('build-electron.mjs');
    const built = await buildElectron({ write: false });
    expect(bundleOptions()[worker].outfile).toBe(`dist-electron/${worker}.mjs`);
    const dir = mkdtempSync(join(ROOT, 'node_modules', '.griddesk-bundle-'));
    try {
      writeFileSync(join(dir, `${worker}.mjs`), built[worker].outputFiles.find((f: { path: string }) => f.path.endsWith(`${worker}.mjs`)).text);
      const { build } = await import('esbuild');
      await build({ ...bundleOptions().main, entryPoints: [entry], outfile: join(dir, 'entry.cjs') });
      await use(dir, require(join(dir, 'entry.cjs')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('the desktop build reads on a second thread: the query worker is written beside the bundle and loads the driver the main process loaded', async () => {
    await besideBundle('queryWorker', 'electron/backend/db/parallelRead.ts', async (dir, { ParallelRead }) => {
      const Database = require('better-sqlite3');
      const file = join(dir, 'station.db');
      const db = new Database(file);
      db.exec("CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('甲'), ('乙')");
      db.close();
      const read = ParallelRead.start({ file }, [{ text: 'SELECT a FROM t ORDER BY a DESC', params: [] }]);
      expect(await read.rowsOf({ rows: () => [['read here']] })).toEqual([[['甲'], ['乙']]]); // U+7532 sorts after U+4E59
      expect(read.failure).toBeNull();
    });
  }, 60_000);

  it('the desktop build checkpoints beside a job: the checkpoint worker is written beside the bundle and copies the WAL with the driver the main process loaded', async () => {
    await besideBundle('checkpointWorker', 'electron/backend/jobs/checkpointAside.ts', async (dir, { CheckpointAside }) => {
      const Database = require('better-sqlite3');
      const file = join(dir, 'station.db');
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('wal_autocheckpoint = 0');
      db.exec("CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('甲'), ('乙')");
      const aside = new CheckpointAside({ file });
      // The first call starts the thread; it takes requests once its connection is open.
      expect(aside.start(1)).toBe(false);
      const until = Date.now() + 10_000;
      while (!aside.ready && aside.failure === null && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(aside.start(1)).toBe(true);
      const done = aside.settle();
      expect(aside.failure).toBeNull();
      expect(done?.frames).toBeGreaterThan(0);
      const [left] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
      expect(left?.checkpointed).toBe(left?.log);
      aside.close();
      db.close();
    });
  }, 60_000);

  it('looks for the worker outside app.asar in the installed app', async () => {
    const { bundledWorkerPath } = await import('./backend/customers/workbook/read');
    expect(bundledWorkerPath(join('/opt', 'GridDesk', 'resources', 'app.asar', 'dist-electron'))).toBe(
      join('/opt', 'GridDesk', 'resources', 'app.asar.unpacked', 'dist-electron', 'readWorker.mjs'),
    );
    expect(bundledWorkerPath(join('/work', 'griddesk', 'dist-electron'))).toBe(join('/work', 'griddesk', 'dist-electron', 'readWorker.mjs'));
    expect(config.files).toContain('dist-electron/readWorker.mjs');
    const { bundledStoreWorkerPath } = await import('./backend/db/parallelRead');
    expect(bundledStoreWorkerPath(join('/opt', 'GridDesk', 'resources', 'app.asar', 'dist-electron'), 'queryWorker.mjs')).toBe(
      join('/opt', 'GridDesk', 'resources', 'app.asar.unpacked', 'dist-electron', 'queryWorker.mjs'),
    );
    expect(config.files).toContain('dist-electron/queryWorker.mjs');
    const { bundledJobThreadPath } = await import('./backend/jobs/thread');
    expect(bundledJobThreadPath(join('/opt', 'GridDesk', 'resources', 'app.asar', 'dist-electron'))).toBe(
      join('/opt', 'GridDesk', 'resources', 'app.asar.unpacked', 'dist-electron', 'job-thread.cjs'),
    );
    expect(config.files).toContain('dist-electron/job-thread.cjs');
    expect(bundledStoreWorkerPath(join('/opt', 'GridDesk', 'resources', 'app.asar', 'dist-electron'), 'checkpointWorker.mjs')).toBe(
      join('/opt', 'GridDesk', 'resources', 'app.asar.unpacked', 'dist-electron', 'checkpointWorker.mjs'),
    );
    expect(config.files).toContain('dist-electron/checkpointWorker.mjs');
    expect(config.asarUnpack).toEqual(['dist-electron/readWorker.mjs', 'dist-electron/queryWorker.mjs', 'dist-electron/checkpointWorker.mjs', 'dist-electron/job-thread.cjs']);
  });
});
