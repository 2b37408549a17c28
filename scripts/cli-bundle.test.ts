import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from './build-cli.mjs';
import { bundlePaths, cacheKind, isFresh, MANIFEST_VERSION, ROOT } from './cli-bundle.mjs';

// The `griddesk` launcher: a prebuilt bundle, used only while it is true to the sources.

let dist: string;
let work: string;
const BIN = join(ROOT, 'bin', 'griddesk.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, GRIDDESK_CLI_DIST: dist, GRIDDESK_CLI_SOURCE: '' } });

beforeAll(() => {
  dist = mkdtempSync(join(tmpdir(), 'griddesk-dist-'));
  work = mkdtempSync(join(tmpdir(), 'griddesk-bundle-'));
});
afterAll(() => {
  rmSync(dist, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('the griddesk bundle', () => {
  it('is built on first run when missing, then runs from the bundle with a code cache per kind of call', () => {
    const first = run('version', '--json');
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ griddesk: expect.any(String), schemaVersion: expect.any(Number) });
    const paths = { ...bundlePaths(), dir: dist, bundle: join(dist, 'griddesk.cjs'), manifest: join(dist, 'griddesk.manifest.json'), cache: (k: string) => join(dist, `griddesk.${k}.cache`), jobThread: join(dist, 'job-thread.cjs'), jobThreadCache: join(dist, 'job-thread.cache') };
    expect(isFresh(paths)).toBe(true);
    expect(existsSync(paths.cache('version'))).toBe(true);

    // The whole command from the bundle: a station set up, a refusal in English with the next step.
    const db = join(work, 'station.db');
    const init = run('--db', db, 'init', '--station', 'GD01', '--name', '青山供电所', '--admin', 'A001', '--password', 'admin1234');
    expect(init.status, init.stderr).toBe(0);
    const refused = run('period', 'open', '2026-10', '--db', db, '--lang', 'en');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('Nothing to open');
    expect(refused.stderr).toContain('Next: create a reading book');
    expect(existsSync(paths.cache('full'))).toBe(true);
    const again = run('staff', 'list', '--db', db, '--json');
    expect(JSON.parse(again.stdout).rows).toMatchObject([{ staffNo: 'A001' }]);
  });

  it('is stale as soon as any recorded source changes size or time, is deleted, or the bundle is gone', () => {
    const source = join(work, 'source.ts');
    writeFileSync(source, 'export const a = 1;\n');
    const bundle = join(work, 'griddesk.cjs');
    writeFileSync(bundle, '// bundle');
    const paths = { dir: work, bundle, manifest: join(work, 'm.json'), cache: (k: string) => join(work, `${k}.cache`) };
    const record = () => {
      const { size, mtimeMs } = statSync(source);
      writeFileSync(paths.manifest, JSON.stringify({ version: MANIFEST_VERSION, root: work, bundleSize: 9, inputs: [['source.ts', size, mtimeMs]] }));
    };
    record();
    expect(isFresh(paths, work)).toBe(true);
    writeFileSync(source, 'export const a = 2;\n'); // same size, new content and time
    utimesSync(source, new Date(), new Date(Date.now() + 5000));
    expect(isFresh(paths, work)).toBe(false);
    record();
    expect(isFresh(paths, work)).toBe(true);
    writeFileSync(source, 'export const a = 22;\n'); // new size
    utimesSync(source, new Date(), new Date(JSON.parse(readFileSync(paths.manifest, 'utf8')).inputs[0][2]));
    expect(isFresh(paths, work)).toBe(false);
    record();
    rmSync(source);
    expect(isFresh(paths, work)).toBe(false);
    writeFileSync(source, 'export const a = 22;\n');
    record();
    // The job threads' bundle is part of the build: missing, or not the size recorded, is stale.
    const jobThread = join(work, 'job-thread.cjs');
    expect(isFresh({ ...paths, jobThread }, work)).toBe(false);
    writeFileSync(jobThread, '// thread');
    const manifest = JSON.parse(readFileSync(paths.manifest, 'utf8'));
    writeFileSync(paths.manifest, JSON.stringify({ ...manifest, jobThreadSize: statSync(jobThread).size }));
    expect(isFresh({ ...paths, jobThread }, work)).toBe(true);
    writeFileSync(jobThread, '// a thread');
    expect(isFresh({ ...paths, jobThread }, work)).toBe(false);
    rmSync(bundle);
    expect(isFresh(paths, work)).toBe(false);
    expect(isFresh(paths, join(work, 'elsewhere'))).toBe(false); // built for another checkout
  });

  it('records every project source the bundle was built from, and the lock file', async () => {
    const previous = process.env.GRIDDESK_CLI_DIST;
    process.env.GRIDDESK_CLI_DIST = join(work, 'dist2');
    try {
      const built = await buildCli(ROOT);
      const manifest = JSON.parse(readFileSync(built.manifest, 'utf8')) as { inputs: [string, number, number][] };
      const files = manifest.inputs.map(([f]) => f);
      expect(files).toEqual(expect.arrayContaining(['electron/hosts/cli/main.ts', 'electron/hosts/cli/run.ts', 'shared/contract/index.ts', 'electron/backend/dispatch.ts', 'package-lock.json', 'scripts/build-cli.mjs']));
      // What only the job threads' bundle holds: its entry.
      expect(files).toContain('electron/backend/jobs/threadMain.ts');
      expect(statSync(built.jobThread).size).toBe(JSON.parse(readFileSync(built.manifest, 'utf8')).jobThreadSize);
      expect(files.some((f) => f.includes('node_modules'))).toBe(false);
    } finally {
      if (previous === undefined) delete process.env.GRIDDESK_CLI_DIST;
      else process.env.GRIDDESK_CLI_DIST = previous;
    }
  });

  it('keeps a separate code cache for a plain version', () => {
    expect(cacheKind(['version'])).toBe('version');
    expect(cacheKind(['version', '--json'])).toBe('version');
    expect(cacheKind(['version', '--db', 'x'])).toBe('full');
    expect(cacheKind(['balance', 'GD010000001'])).toBe('full');
  });
});
