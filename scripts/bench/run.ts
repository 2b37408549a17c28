// `npm run bench [-- --only platform,customers] [--customers N]`: prints one JSON document with
// every desk's figures and the machine it ran on. Progress goes to stderr.
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { appraisalBench } from './appraisal';
import { billingBench } from './billing';
import { checkBench } from './check';
import { cliBench } from './cli';
import { benchDir, type Bench } from './harness';
import { collectionBench } from './collection';
import { customersBench } from './customers';
import { nowaitBench } from './nowait';
import { platformBench } from './platform';
import { readingsBench } from './readings';
import { intakeBench } from './intake';

// Each desk adds its benchmark here.
const BENCHES: Bench[] = [platformBench, customersBench, readingsBench, billingBench, collectionBench];
BENCHES.push(checkBench);
BENCHES.push(intakeBench);
BENCHES.push(appraisalBench);
BENCHES.push(syncBench);
import { syncBench } from './sync';
import { hqBench } from './hq';

// Each desk adds its benchmark here.
BENCHES.push(hqBench);
BENCHES.push(nowaitBench);
BENCHES.push(cliBench);
import { serviceBench } from './service';
BENCHES.push(serviceBench);
import { demoBench } from './demo';
BENCHES.push(demoBench);

const { values } = parseArgs({ options: { only: { type: 'string' }, customers: { type: 'string' } }, strict: true });
const only = values.only ? new Set(values.only.split(',')) : undefined;
const root = join(import.meta.dirname, '..', '..');
const ctx = {
  workDir: benchDir(root),
  customers: values.customers ? Number(values.customers) : 100_000,
  log: (message: string) => process.stderr.write(`${message}\n`),
};

const results: Record<string, unknown> = {
  machine: { node: process.versions.node, cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30) },
  startedAt: new Date().toISOString(),
};
for (const bench of BENCHES) {
  if (only && !only.has(bench.name)) continue;
  ctx.log(`bench: ${bench.name}…`);
  const started = performance.now();
  try {
    results[bench.name] = await bench.run(ctx);
  } catch (error) {
    results[bench.name] = { error: String((error as Error)?.stack ?? error) };
    process.exitCode = 1;
  }
  ctx.log(`bench: ${bench.name} done in ${Math.round((performance.now() - started) / 1000)} s`);
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
