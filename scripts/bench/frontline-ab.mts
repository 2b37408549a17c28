// A/B of issue 16's two keystroke paths between two checkouts: copy this file into the other
// checkout's scripts/bench (with openRun, counterFigures, openFigures and keyboardFigures exported),
// then run `npx tsx scripts/bench/frontline-ab.mts [counter|grid]` in each, alternately; it prints
// one JSON line. Uses `--customers`-like AB_CUSTOMERS (default 5,000) and each checkout's .bench.
import { join } from 'node:path';
import { Backend } from '../../electron/backend/context';
import { SYSTEM_ACTOR } from '../../electron/backend/audit/record';
import { openRun, counterFigures } from './collection';
import { openFigures, keyboardFigures } from './readings';
import { demoStationCopy } from './customers';
import { benchDir } from './harness';
const root = join(import.meta.dirname, '..', '..');
const ctx = { workDir: benchDir(root), customers: Number(process.env.AB_CUSTOMERS ?? 5000), log: (m: string) => process.stderr.write(m + '\n') };
const which = process.argv[2] ?? 'both';
const out: Record<string, unknown> = {};
if (which !== 'grid') {
  const run = await openRun(ctx);
  try { out.counter = await counterFigures(run); } finally { run.backend.close(); }
}
if (which !== 'counter') {
  const file = await demoStationCopy(ctx, 'readings-ab');
  const backend = new Backend({ db: file, backupsDir: join(ctx.workDir, 'readings-backups') });
  try {
    await openFigures(backend, SYSTEM_ACTOR, file);
    out.grid = await keyboardFigures(backend, new Set());
  } finally { backend.close(); }
}
process.stdout.write(JSON.stringify(out) + '\n');
