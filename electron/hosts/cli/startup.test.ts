import { build, type Metafile } from 'esbuild';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBundleOptions } from '../../../scripts/build-cli.mjs';

// Start-up of the `griddesk` command (issue 21): every verb loads the command table (run.ts and
// all it imports at the top), so a module imported there is evaluated by `griddesk balance` too.
// Modules only some verbs need load through import() in those verbs, which the bundle keeps
// lazy. Head office and the Chromium printing were half of balance's start before; this keeps
// them, and the packages they bring, out of the table's static imports.

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Loaded only by the verbs that use them (and the packages they pull in). */
const LAZY = [/^electron\/hq\//, /^electron\/hosts\/printToPdf\.ts$/, /^electron\/hosts\/webPdf\.ts$/, /node_modules\/pg\//, /node_modules\/undici\//, /node_modules\/@electric-sql\//];
/** Packages the bundle leaves to node_modules that the command table must not require at start. */
const LAZY_EXTERNAL = ['xlsx', 'playwright-core', '@electric-sql/pglite', 'esbuild'];

function staticClosure(meta: Metafile, root: string): { files: Set<string>; externals: Set<string> } {
  const files = new Set<string>();
  const externals = new Set<string>();
  const todo = [root];
  while (todo.length) {
    const file = todo.pop()!;
    if (files.has(file) || !meta.inputs[file]) continue;
    files.add(file);
    for (const i of meta.inputs[file].imports) {
      if (i.kind === 'dynamic-import') continue;
      if (i.external) externals.add(i.path);
      else todo.push(i.path);
    }
  }
  return { files, externals };
}

describe('griddesk start-up', () => {
  it('loads the command table without head office, printing, PostgreSQL or xlsx', async () => {
    const result = await build({ ...cliBundleOptions(ROOT, join(ROOT, 'dist-cli', 'startup-test.cjs')), write: false, logLevel: 'silent' });
    const meta = result.metafile as Metafile;
    const { files, externals } = staticClosure(meta, 'electron/hosts/cli/run.ts');
    // The closure is real: the back end and the verbs are in it.
    expect(files.has('electron/backend/handlers.ts')).toBe(true);
    expect(files.has('electron/hosts/cli/hq.ts')).toBe(true);
    // …and the lazy modules are in the bundle, reached only through import().
    expect(Object.keys(meta.inputs).some((f) => f.startsWith('electron/hq/'))).toBe(true);
    expect([...files].filter((f) => LAZY.some((re) => re.test(f)))).toEqual([]);
    expect([...externals].filter((e) => LAZY_EXTERNAL.some((p) => e === p || e.startsWith(`${p}/`)))).toEqual([]);
  }, 60_000);
});
