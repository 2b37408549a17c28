// Nothing waits (issue 18): a station billing run beside the counter.
// - The longest single write transaction of the run (target ≤ 250 ms) and the run's total time,
//   sliced (today) beside the one-transaction write it replaced (the baseline, same run, same
//   station copy state);
// - a payment's latency at the counter, posted from a second process on its own connection (as
//   the CLI or a second host would) every 50 ms: while idle, and while the run is running;
//   payments that failed (SQLITE_BUSY after the 5 s busy_timeout) are counted;
// - the back end's longest stall of its event loop during the run (a 10 ms timer), which is what
//   a call served by the same process (browser mode) would wait.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Backend } from '../../electron/backend/context';
import { sql } from '../../electron/backend/db/sql';
import { runBilling, startBillingRun, type BillingRunResult, type RunOptions } from '../../electron/backend/billing/run';
import { buildStation, MEASURED } from './billing';
import { flushedCopy, ratio, stats, type Bench, type BenchContext } from './harness';

const ACTOR = { staffId: null, label: 'bench' };
const IDLE_MS = 3000;
const PAYER = join(import.meta.dirname, '..', '..', 'electron', 'backend', 'billing', 'testing', 'payer.ts');

interface Payment {
  at: number;
  ms: number;
  error?: string;
}

async function runBesideCounter(ctx: BenchContext, file: string, options: RunOptions, onJobThread = false) {
  const backend = new Backend({ db: file, jobThreads: onJobThread });
  const clerk = backend.store.read.get<{ id: string; staffNo: string; name: string }>(sql`SELECT id, staff_no AS staffNo, name FROM staff WHERE staff_no = 'B001'`);
  const customerId = backend.store.read.value<string>(sql`SELECT id FROM customers ORDER BY account_no LIMIT 1`);
  if (!clerk || !customerId) throw new Error('nowait: no clerk or customer in the bench station');
  const payer = spawn(process.execPath, ['--import', 'tsx', PAYER, JSON.stringify({ db: file, customerId, clerk, count: 100_000, everyMs: 50 })], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  payer.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => payer.on('exit', () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));

  let last = performance.now();
  let longestStall = 0;
  const watch = setInterval(() => {
    const now = performance.now();
    longestStall = Math.max(longestStall, now - last - 10);
    last = now;
  }, 10);
  const transactions: number[] = [];
  const began = Date.now();
  const started = performance.now();
  // Progress ticks yield to the event loop as the job runner's do.
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  let result: BillingRunResult;
  if (onJobThread) {
    // As `griddesk serve` runs it: a job on its own thread; this thread only watches.
    const job = await backend.jobs.finished(startBillingRun(backend, ACTOR, { period: MEASURED }).id);
    if (job.status !== 'succeeded') throw new Error(`nowait: job thread run ${job.status}: ${job.error?.message}`);
    result = job.result as BillingRunResult;
    transactions.push(result.longestSliceMs ?? NaN);
  } else {
    result = await runBilling(backend, ACTOR, { period: MEASURED }, { tick }, { ...options, onSlice: (_bills, ms) => void transactions.push(ms) });
  }
  const totalMs = performance.now() - started;
  longestStall = Math.max(longestStall, performance.now() - last - 10);
  const ended = Date.now();
  clearInterval(watch);
  await new Promise((resolve) => setTimeout(resolve, 500));
  payer.kill();
  await exited;
  backend.close();

  const payments = out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Payment);
  const idle = payments.filter((p) => p.at < began).slice(5); // the first few warm the payer's connection
  const during = payments.filter((p) => p.at >= began && p.at <= ended);
  ctx.log(`nowait: ${onJobThread ? 'job thread' : options.sliced === false ? 'one transaction' : 'sliced'} run ${Math.round(totalMs)} ms, longest write ${Math.round(Math.max(...transactions))} ms, ${during.length} payments during it`);
  return {
    billed: result.billed,
    totalFen: result.totalFen,
    totalMs: Math.round(totalMs),
    writeTransactions: onJobThread ? result.slices : transactions.length,
    longestWriteTransactionMs: Math.round(Math.max(...transactions)),
    writeTransactionMs: stats(transactions),
    backEndLongestLoopStallMs: Math.round(longestStall),
    paymentIdleMs: stats(idle.filter((p) => !p.error).map((p) => p.ms)),
    paymentDuringRunMs: stats(during.filter((p) => !p.error).map((p) => p.ms)),
    paymentsDuringRun: during.length,
    paymentsFailedDuringRun: during.filter((p) => p.error).length,
    paymentErrors: [...new Set(during.filter((p) => p.error).map((p) => p.error))],
  };
}

export const nowaitBench: Bench = {
  name: 'nowait',
  async run(ctx) {
    const station = await buildStation(ctx);
    const copy = join(ctx.workDir, 'nowait-run.db');
    const samples = Number(process.env.BENCH_NOWAIT_SAMPLES ?? 1);
    const before: Awaited<ReturnType<typeof runBesideCounter>>[] = [];
    const sliced: Awaited<ReturnType<typeof runBesideCounter>>[] = [];
    const threaded: Awaited<ReturnType<typeof runBesideCounter>>[] = [];
    try {
      for (let i = 0; i < samples; i++) {
        before.push(await runBesideCounter(ctx, flushedCopy(station, copy), { sliced: false }));
        sliced.push(await runBesideCounter(ctx, flushedCopy(station, copy), {}));
        threaded.push(await runBesideCounter(ctx, flushedCopy(station, copy), {}, true));
      }
    } finally {
      for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) rmSync(f, { force: true });
    }
    for (const [a, b] of before.flatMap((x, i) => [[x, sliced[i]], [x, threaded[i]]] as const)) {
      if (!b || a.billed !== b.billed || a.totalFen !== b.totalFen) throw new Error(`nowait: sliced run billed ${b?.billed} (${b?.totalFen} fen), one transaction ${a.billed} (${a.totalFen} fen)`);
    }
    const median = (runs: typeof sliced, pick: (r: (typeof sliced)[number]) => number) => stats(runs.map(pick)).median;
    return {
      customers: ctx.customers,
      samples,
      billingRun: {
        sliced: sliced.length === 1 ? sliced[0] : sliced,
        oneTransactionBaseline: before.length === 1 ? before[0] : before,
        // The sliced run on a job thread, as browser mode and the CLI run it: the host's loop stall is this thread's.
        slicedOnJobThread: threaded.length === 1 ? threaded[0] : threaded,
        totalTimeRatioSlicedToBaseline: ratio(median(sliced, (r) => r.totalMs), median(before, (r) => r.totalMs)),
        longestWriteTransactionTargetMs: 250,
        meetsWriteTarget: median(sliced, (r) => r.longestWriteTransactionMs) <= 250,
        paymentDuringRunP95TargetMs: 50,
      },
      loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
    };
  },
};
