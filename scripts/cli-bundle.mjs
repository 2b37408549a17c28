// The `griddesk` command's prebuilt bundle: where it lives, whether it is still true to the
// sources, and how it is loaded with a V8 code cache. Node built-ins only, so the launcher's fast
// path loads nothing else (scripts/build-cli.mjs builds it with esbuild).
//
//   dist-cli/griddesk.cjs            the CLI bundled (CommonJS: V8 can cache its compiled code)
//   dist-cli/griddesk.manifest.json  every source file it was built from, with size and mtime
//   dist-cli/griddesk.*.cache        V8's code cache of the bundle, written after the first run:
//                                    one for a plain `version` (which loads little), one for the rest
//   dist-cli/job-thread.cjs          a job thread's code (electron/backend/jobs/threadMain.ts), built
//                                    with the bundle: `griddesk serve` and the CLI start their job
//                                    threads from it (and its own code cache, job-thread.cache)
//                                    instead of compiling the sources through tsx in each thread
//
// The bundle is used only while every recorded source file still has the size and mtime it had
// when the build started; any edit, checkout, added import or new lock file makes it stale, and
// the launcher builds again before running. Stale code never runs.
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const MANIFEST_VERSION = 2;

export function distDir(root = ROOT) {
  return process.env.GRIDDESK_CLI_DIST ?? join(root, 'dist-cli');
}

export function bundlePaths(root = ROOT) {
  const dir = distDir(root);
  return {
    dir,
    bundle: join(dir, 'griddesk.cjs'),
    manifest: join(dir, 'griddesk.manifest.json'),
    cache: (kind) => join(dir, `griddesk.${kind}.cache`),
    jobThread: join(dir, 'job-thread.cjs'),
    jobThreadCache: join(dir, 'job-thread.cache'),
  };
}

/**
 * Which code cache a call uses: a plain `griddesk version [--json]` runs little of the bundle
 * (main.ts answers it before loading the rest), so its cache would lack what every other command
 * needs. The same test as main.ts's plainVersion().
 */
export function cacheKind(argv) {
  const rest = argv.filter((a) => a !== '--json');
  return rest.length === 1 && rest[0] === 'version' ? 'version' : 'full';
}

/** True when the manifest's every input is unchanged (same size and mtime) and the bundle exists. */
export function isFresh(paths = bundlePaths(), root = ROOT) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(paths.manifest, 'utf8'));
  } catch {
    return false;
  }
  if (manifest.version !== MANIFEST_VERSION || manifest.root !== root) return false;
  try {
    if (statSync(paths.bundle).size !== manifest.bundleSize) return false;
    if (paths.jobThread && statSync(paths.jobThread).size !== manifest.jobThreadSize) return false;
    for (const [file, size, mtimeMs] of manifest.inputs) {
      const stat = statSync(join(root, file));
      if (stat.size !== size || stat.mtimeMs !== mtimeMs) return false;
    }
  } catch {
    return false;
  }
  return true;
}

/**
 * Runs a CommonJS bundle in this thread with V8's code cache: compiling megabytes of JavaScript is
 * most of a cold start, and the cache skips it. A missing or rejected cache is written at exit
 * when `keepCache()` says the run has compiled what later runs need.
 */
function runCommonJs(file, cacheFile, keepCache) {
  const source = readFileSync(file, 'utf8');
  let cachedData;
  try {
    if (!cacheFile) throw new Error('no cache');
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // The CommonJS wrapper, as Node's own loader puts around a module.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      if (!cacheFile || !keepCache()) return;
      try {
        const temp = `${cacheFile}.${process.pid}.${Math.random().toString(36).slice(2)}`;
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, cacheFile);
      } catch {
        // A read-only install runs without the cache; nothing else depends on it.
      }
    });
  }
  const module = { exports: {} };
  // Packages left out of the bundle (better-sqlite3, xlsx, playwright-core) resolve from the
  // project, wherever the bundle was written (GRIDDESK_CLI_DIST).
  const require = createRequire(join(ROOT, 'package.json'));
  script.runInThisContext()(module.exports, require, module, file, dirname(file));
}

/**
 * Runs the bundle in this process. Job threads it starts run the job-thread bundle built with it
 * (jobs/thread.ts reads `globalThis.__griddeskJobThread`): the same build, so the thread's code
 * is the host's even if the sources change while `griddesk serve` runs.
 */
export function runBundle(paths = bundlePaths(), argv = process.argv.slice(2)) {
  if (paths.jobThread) globalThis.__griddeskJobThread = { file: paths.jobThread, cache: paths.jobThreadCache };
  // The full cache is written by a run that opened the station (CliContext.backend sets the
  // flag), so it holds the back end's compiled code too, not just --help's.
  runCommonJs(paths.bundle, paths.cache(cacheKind(argv)), () => cacheKind(argv) !== 'full' || Boolean(globalThis.__griddeskBackendOpened));
}

/** A job thread's code from the job-thread bundle (jobs/threadBoot.mjs); its cache written once the job ran. */
export function runJobThreadBundle(bundle) {
  runCommonJs(bundle.file, bundle.cache, () => true);
}
