#!/usr/bin/env node
// Bundles the `griddesk` command with esbuild: electron/hosts/cli/main.ts → dist-cli/griddesk.cjs,
// and its job threads' code (electron/backend/jobs/threadMain.ts → dist-cli/job-thread.cjs),
// with a manifest of their inputs (scripts/cli-bundle.mjs says how the launcher uses both). Run by
// `npm ci`/`npm install` (the `prepare` script) and by bin/griddesk.mjs whenever the bundle is
// missing or older than a source file, so a fresh clone and a just-edited tree both start fast
// without ever running stale code.
//
//   node scripts/build-cli.mjs            build (prints where)
//   node scripts/build-cli.mjs --prepare  the same, but a failure only warns (npm ci must not
//                                         fail for it: the launcher falls back to the sources)
import { readdirSync, renameSync, statSync, writeFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundlePaths, MANIFEST_VERSION, ROOT } from './cli-bundle.mjs';

/** Files whose change must rebuild the bundle besides its own inputs. */
const ALSO_WATCHED = ['package.json', 'package-lock.json', 'scripts/build-cli.mjs', 'scripts/cli-bundle.mjs'];

/** Every file under the source folders, stat'ed before esbuild reads them (see build()). */
function statTree(root, folders) {
  const out = new Map();
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const stat = statSync(path);
        out.set(relative(root, path).split('\\').join('/'), [stat.size, stat.mtimeMs]);
      }
    }
  };
  for (const folder of folders) walk(join(root, folder));
  for (const file of ALSO_WATCHED) {
    try {
      const stat = statSync(join(root, file));
      out.set(file, [stat.size, stat.mtimeMs]);
    } catch {
      // package-lock.json may be absent in a copy; then it is simply not watched.
    }
  }
  return out;
}

/**
 * `import.meta.url` in a source file becomes that file's own URL, so paths it builds (the
 * migrations folder, the workers, package.json, dist/renderer) keep pointing into the project
 * from the bundle, as when the sources run directly.
 */
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.(ts|mts|mjs|js)$/ }, (args) => {
      if (args.path.includes('node_modules')) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      return {
        contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: args.path.endsWith('ts') ? 'ts' : 'js',
      };
    });
  },
};

export function cliBundleOptions(root = ROOT, outfile = bundlePaths(root).bundle) {
  return {
    absWorkingDir: root,
    entryPoints: ['electron/hosts/cli/main.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Native or asset-carrying packages load from node_modules as usual.
    // xlsx is loaded only by the exports that need it: left out, the bundle (and its cache) is a third smaller.
    external: ['better-sqlite3', 'playwright-core', 'electron', 'esbuild', 'pg-native', '@electric-sql/pglite', 'xlsx'],
    // import() of an external becomes require(): a vm.Script has no module loader of its own.
    supported: { 'dynamic-import': false },
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [sourceUrls],
  };
}

/**
 * Builds the bundle and its manifest (bundle first, manifest last: the manifest commits it).
 * `quiet` (the command's own rebuild) keeps esbuild silent: a folder the caller may not write
 * (another user's install) is not an error of theirs, and the command runs from the sources.
 */
export async function buildCli(root = ROOT, { quiet = false } = {}) {
  const { build } = await import('esbuild');
  const paths = bundlePaths(root);
  mkdirSync(paths.dir, { recursive: true });
  const before = statTree(root, ['electron', 'shared']);
  const temp = `${paths.bundle}.${process.pid}.tmp`;
  const threadTemp = `${paths.jobThread}.${process.pid}.tmp`;
  const silent = quiet ? { logLevel: 'silent' } : {};
  // The command, and a job thread's code (jobs/threadMain.ts) from the same sources at the same time.
  const [result, thread] = await Promise.all([
    build({ ...cliBundleOptions(root, temp), ...silent }),
    build({ ...cliBundleOptions(root, threadTemp), entryPoints: ['electron/backend/jobs/threadMain.ts'], ...silent }),
  ]);
  const inputs = [];
  const seen = new Set();
  for (const file of [...Object.keys(result.metafile.inputs), ...Object.keys(thread.metafile.inputs), ...ALSO_WATCHED]) {
    const clean = file.split('\\').join('/');
    if (clean.includes('node_modules/') || seen.has(clean)) continue;
    seen.add(clean);
    const known = before.get(clean);
    // A file not stat'ed before the build (outside the folders walked) is stat'ed now.
    const [size, mtimeMs] = known ?? (() => {
      try {
        const stat = statSync(join(root, clean));
        return [stat.size, stat.mtimeMs];
      } catch {
        return [-1, -1];
      }
    })();
    if (size >= 0) inputs.push([clean, size, mtimeMs]);
  }
  renameSync(temp, paths.bundle);
  renameSync(threadTemp, paths.jobThread);
  for (const cache of [paths.cache('version'), paths.cache('full'), paths.jobThreadCache]) rmSync(cache, { force: true });
  const manifest = {
    version: MANIFEST_VERSION,
    root,
    builtAt: new Date().toISOString(),
    bundleSize: statSync(paths.bundle).size,
    jobThreadSize: statSync(paths.jobThread).size,
    inputs,
  };
  const manifestTemp = `${paths.manifest}.${process.pid}.tmp`;
  writeFileSync(manifestTemp, JSON.stringify(manifest));
  renameSync(manifestTemp, paths.manifest);
  return { ...paths, inputs: inputs.length, bytes: manifest.bundleSize, jobThreadBytes: manifest.jobThreadSize };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const prepare = process.argv.includes('--prepare');
  try {
    const built = await buildCli();
    console.log(`build-cli: ${relative(ROOT, built.bundle)} (${Math.round(built.bytes / 1024)} KB) and ${relative(ROOT, built.jobThread)} (${Math.round(built.jobThreadBytes / 1024)} KB) from ${built.inputs} source files`);
  } catch (error) {
    if (!prepare) throw error;
    console.warn(`build-cli: the griddesk bundle was not built (${error instanceof Error ? error.message : String(error)}); the command will build it on first run, or run from the sources.`);
  }
}
