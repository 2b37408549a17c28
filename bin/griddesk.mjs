#!/usr/bin/env node
// The `griddesk` command. It runs the prebuilt bundle (dist-cli/, made by `npm ci`'s prepare
// step or here on first run) with V8's code cache, so a call starts in a blink; when any source
// file changed since the bundle was built, it builds again first, so stale code never runs
// (scripts/cli-bundle.mjs). Without esbuild (an install without dev dependencies), or with
// GRIDDESK_CLI_SOURCE=1, it runs the TypeScript sources through tsx as before.
import { bundlePaths, isFresh, runBundle } from '../scripts/cli-bundle.mjs';

const paths = bundlePaths();
let bundled = process.env.GRIDDESK_CLI_SOURCE !== '1' && isFresh(paths);
if (!bundled && process.env.GRIDDESK_CLI_SOURCE !== '1') {
  try {
    const { buildCli } = await import('../scripts/build-cli.mjs');
    await buildCli(undefined, { quiet: true });
    bundled = true;
  } catch (error) {
    if (process.env.GRIDDESK_CLI_DEBUG) process.stderr.write(`griddesk: bundle not built (${error?.message ?? error}); running from the sources\n`);
  }
}
if (bundled) {
  runBundle(paths);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../electron/hosts/cli/main.ts');
}
