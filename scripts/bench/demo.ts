// The demo builder in slices (issue 18, "Nothing waits": no write transaction over 250 ms, the
// demo builder included). Builds the demo station of `ctx.customers` customers twice in the same
// run, alternately:
// - sliced: as the first-run screen and `griddesk demo` build it now;
// - the baseline: the same build with `Pace.fixed` huge, so every sliced loop of the demo (and
//   the demo's own slicing of the desks' writes) is one transaction: what one transaction per
//   loop costs, on this machine at this load.
// For each, per step: the write transactions, the longest, the median, how many took over 100 ms
// and over 250 ms, the most rows one wrote; the build's total time; the longest stall of this
// thread's event loop (a 10 ms timer: what a call served by the building process would wait);
// and the load average around it. `GRIDDESK_BENCH_DEMO_ROUNDS` (default 1) repeats them.
// A third build, sliced with the building file's tuning off (demo/pace.ts tuneBuildingFile: SQLite's
// own checkpoint in the commits and an fsync per commit, as any station file), shows what the
// tuning is worth; `GRIDDESK_BENCH_DEMO_UNTUNED=0` leaves it out.
// `GRIDDESK_BENCH_DEMO_PACES=20,40` builds sliced once per demo slice length (DEMO_PACE.targetMs)
// in each round, beside the same baseline (`sliced` and the comparisons are the first pace's).
// The loop's longest stall is also given per step (the step of the last write or progress).
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { buildDemoStation, demoOptions } from '../../electron/backend/demo/build';
import { DEMO_PACE } from '../../electron/backend/demo/pace';
import { demoBuildingFiles } from '../../electron/backend/demo/stopped';
import { Pace } from '../../electron/backend/jobs/pace';
import { ratio, stats, type Bench, type BenchContext } from './harness';

const SEED = 1;
const AS_OF = '2026-11-26';

interface StepFigures {
  longestLoopStallMs?: number;
  /** Wall time from the step's first tick or the start of its first write to its last tick or write (its reads and pauses included). */
  elapsedMs?: number;
  transactions: number;
  longestMs: number;
  medianMs: number;
  over100Ms: number;
  over250Ms: number;
  mostRows: number;
  writeMs: number;
}

interface BuildFigures {
  paceMs: number;
  totalMs: number;
  /** Before the steps' first write or progress: the building file's set-up. */
  loopStallBeforeStepsMs: number;
  longestLoopStallMs: number;
  loadBefore: number;
  loadAfter: number;
  steps: Record<string, StepFigures>;
  all: StepFigures;
}

const round = (x: number) => Math.round(x * 10) / 10;

function figures(samples: { ms: number; rows: number }[]): StepFigures {
  const ms = samples.map((s) => s.ms);
  return {
    transactions: samples.length,
    longestMs: round(Math.max(0, ...ms)),
    medianMs: round(stats(ms).median),
    over100Ms: ms.filter((x) => x > 100).length,
    over250Ms: ms.filter((x) => x > 250).length,
    mostRows: Math.max(0, ...samples.map((s) => s.rows)),
    writeMs: Math.round(ms.reduce((s, x) => s + x, 0)),
  };
}

async function build(ctx: BenchContext, label: string, fixed: number | undefined, tuning = true, paceMs = DEMO_PACE.targetMs): Promise<BuildFigures> {
  const file = join(ctx.workDir, `demo-bench-${label}.db`);
  for (const f of [file, `${file}-wal`, `${file}-shm`, ...demoBuildingFiles(file)]) rmSync(f, { force: true });
  const samples = new Map<string, { ms: number; rows: number }[]>();
  let last = performance.now();
  let longestStall = 0;
  let step = 'setup';
  const stepStalls = new Map<string, number>();
  // Each step's span: from its first tick or the start of its first write (a one-transaction
  // step's write is seen only as it commits) to its last tick or write.
  const stepSpans = new Map<string, { from: number; to: number }>();
  const enter = (name: string, writeMs = 0) => {
    step = name;
    const now = performance.now();
    const span = stepSpans.get(name);
    if (span) span.to = now;
    else stepSpans.set(name, { from: now - writeMs, to: now });
  };
  const watch = setInterval(() => {
    const now = performance.now();
    const stall = now - last - 10;
    longestStall = Math.max(longestStall, stall);
    stepStalls.set(step, Math.max(stepStalls.get(step) ?? 0, stall));
    last = now;
  }, 10);
  const loadBefore = Number(loadavg()[0]?.toFixed(1));
  let lastLog = 0;
  Pace.fixed = fixed;
  const paceBefore = DEMO_PACE.targetMs;
  DEMO_PACE.targetMs = paceMs;
  const tuningBefore = process.env.GRIDDESK_DEMO_TUNING;
  if (!tuning) process.env.GRIDDESK_DEMO_TUNING = '0';
  const started = performance.now();
  try {
    await buildDemoStation(
      file,
      demoOptions({ customers: ctx.customers, seed: SEED, asOf: AS_OF }),
      {
        tick: async (done, _total, name) => {
          if (name) enter(name);
          if (done - lastLog >= 100) {
            lastLog = done;
            ctx.log(`demo (${label}): ${name ?? ''} ${Math.round(done / 10)}%`);
          }
          await new Promise((resolve) => setImmediate(resolve));
        },
      },
      undefined,
      (ms, name, rows) => {
        enter(name, ms);
        const list = samples.get(name) ?? [];
        list.push({ ms, rows });
        samples.set(name, list);
      },
    );
  } finally {
    Pace.fixed = undefined;
    DEMO_PACE.targetMs = paceBefore;
    if (tuningBefore === undefined) delete process.env.GRIDDESK_DEMO_TUNING;
    else process.env.GRIDDESK_DEMO_TUNING = tuningBefore;
    clearInterval(watch);
  }
  const totalMs = Math.round(performance.now() - started);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  const steps = Object.fromEntries([...samples].map(([name, list]) => [name, { ...figures(list), longestLoopStallMs: Math.round(stepStalls.get(name) ?? 0), elapsedMs: Math.round((stepSpans.get(name)?.to ?? 0) - (stepSpans.get(name)?.from ?? 0)) }]));
  const result = { paceMs, totalMs, longestLoopStallMs: Math.round(longestStall), loopStallBeforeStepsMs: Math.round(stepStalls.get('setup') ?? 0), loadBefore, loadAfter: Number(loadavg()[0]?.toFixed(1)), steps, all: figures([...samples.values()].flat()) };
  ctx.log(`demo (${label}): ${totalMs} ms, longest write ${result.all.longestMs} ms, ${result.all.over250Ms} over 250 ms, load ${loadBefore}–${result.loadAfter}`);
  return result;
}

export const demoBench: Bench = {
  name: 'demo',
  async run(ctx) {
    const rounds = Number(process.env.GRIDDESK_BENCH_DEMO_ROUNDS ?? 1);
    const untunedToo = process.env.GRIDDESK_BENCH_DEMO_UNTUNED !== '0';
    // GRIDDESK_BENCH_DEMO_BASELINE=0: the sliced build alone (the baseline's figures come out null),
    // for a check of the slices at 100,000 customers without the baseline's 12 minutes.
    const baselineToo = process.env.GRIDDESK_BENCH_DEMO_BASELINE !== '0';
    const paces = (process.env.GRIDDESK_BENCH_DEMO_PACES ?? String(DEMO_PACE.targetMs)).split(',').map(Number);
    const byPace = new Map<number, BuildFigures[]>(paces.map((p) => [p, []]));
    const baseline: BuildFigures[] = [];
    const untuned: BuildFigures[] = [];
    for (let i = 0; i < rounds; i++) {
      // Alternately, baseline first (a warm page cache favours the later ones, so the sliced build has no edge).
      if (baselineToo) baseline.push(await build(ctx, 'baseline', 1_000_000_000));
      for (const p of paces) byPace.get(p)!.push(await build(ctx, paces.length > 1 ? `sliced-${p}ms` : 'sliced', undefined, true, p));
      if (untunedToo) untuned.push(await build(ctx, 'sliced-untuned', undefined, false));
    }
    const sliced = byPace.get(paces[0]!)!;
    const median = (runs: BuildFigures[], pick: (r: BuildFigures) => number) => stats(runs.map(pick)).median;
    const stepNames = Object.keys(sliced[0]?.steps ?? {});
    return {
      customers: ctx.customers,
      rounds,
      ...(paces.length > 1
        ? {
            paces: Object.fromEntries(
              paces.map((p) => {
                const runs = byPace.get(p)!;
                return [
                  `${p}ms`,
                  {
                    totalMs: median(runs, (r) => r.totalMs),
                    ratio: ratio(median(runs, (r) => r.totalMs), median(baseline, (r) => r.totalMs)),
                    longestWriteMs: median(runs, (r) => r.all.longestMs),
                    over100Ms: median(runs, (r) => r.all.over100Ms),
                    over250Ms: median(runs, (r) => r.all.over250Ms),
                    transactions: median(runs, (r) => r.all.transactions),
                    longestLoopStallMs: median(runs, (r) => r.longestLoopStallMs),
                  },
                ];
              }),
            ),
          }
        : {}),
      compare: {
        totalMs: { sliced: median(sliced, (r) => r.totalMs), baseline: median(baseline, (r) => r.totalMs), ratio: ratio(median(sliced, (r) => r.totalMs), median(baseline, (r) => r.totalMs)) },
        longestWriteMs: { sliced: median(sliced, (r) => r.all.longestMs), baseline: median(baseline, (r) => r.all.longestMs) },
        longestLoopStallMs: { sliced: median(sliced, (r) => r.longestLoopStallMs), baseline: median(baseline, (r) => r.longestLoopStallMs) },
        ...(untunedToo
          ? {
              fileUntuned: {
                totalMs: median(untuned, (r) => r.totalMs),
                longestWriteMs: median(untuned, (r) => r.all.longestMs),
                over100Ms: median(untuned, (r) => r.all.over100Ms),
                over250Ms: median(untuned, (r) => r.all.over250Ms),
                writeMs: median(untuned, (r) => r.all.writeMs),
              },
              fileTuned: {
                totalMs: median(sliced, (r) => r.totalMs),
                longestWriteMs: median(sliced, (r) => r.all.longestMs),
                over100Ms: median(sliced, (r) => r.all.over100Ms),
                over250Ms: median(sliced, (r) => r.all.over250Ms),
                writeMs: median(sliced, (r) => r.all.writeMs),
              },
            }
          : {}),
        perStep: Object.fromEntries(
          stepNames.map((step) => [
            step,
            {
              elapsedMs: { sliced: median(sliced, (r) => r.steps[step]?.elapsedMs ?? NaN), baseline: median(baseline, (r) => r.steps[step]?.elapsedMs ?? NaN) },
              longestMs: { sliced: median(sliced, (r) => r.steps[step]?.longestMs ?? NaN), baseline: median(baseline, (r) => r.steps[step]?.longestMs ?? NaN) },
              longestLoopStallMs: { sliced: median(sliced, (r) => r.steps[step]?.longestLoopStallMs ?? NaN), baseline: median(baseline, (r) => r.steps[step]?.longestLoopStallMs ?? NaN) },
              over100Ms: { sliced: median(sliced, (r) => r.steps[step]?.over100Ms ?? NaN), baseline: median(baseline, (r) => r.steps[step]?.over100Ms ?? NaN) },
              over250Ms: { sliced: median(sliced, (r) => r.steps[step]?.over250Ms ?? NaN), baseline: median(baseline, (r) => r.steps[step]?.over250Ms ?? NaN) },
              transactions: { sliced: median(sliced, (r) => r.steps[step]?.transactions ?? NaN), baseline: median(baseline, (r) => r.steps[step]?.transactions ?? NaN) },
              mostRows: { sliced: median(sliced, (r) => r.steps[step]?.mostRows ?? NaN), baseline: median(baseline, (r) => r.steps[step]?.mostRows ?? NaN) },
            },
          ]),
        ),
      },
      sliced,
      ...(paces.length > 1 ? { slicedByPace: Object.fromEntries(paces.slice(1).map((p) => [`${p}ms`, byPace.get(p)])) } : {}),
      baseline,
      ...(untunedToo ? { untuned } : {}),
    };
  },
};
