// Benchmark harness: `npm run bench` runs each desk's figures and prints one JSON document.
// Benchmarks are not tests: they measure, with a baseline measured in the same run (the
// machines are shared and noisy, so ratios and medians matter, not lone absolute times).
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface Stats {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    n: sorted.length,
    median: round(at(0.5)),
    p95: round(at(0.95)),
    min: round(sorted[0] ?? NaN),
    max: round(sorted.at(-1) ?? NaN),
    mean: round(sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length)),
  };
}

/** Times `fn` `n` times (after `warmup` untimed runs); milliseconds. */
export async function measure(n: number, fn: (i: number) => unknown | Promise<unknown>, warmup = Math.min(20, Math.ceil(n / 10))): Promise<Stats> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn(i);
    samples.push(performance.now() - start);
  }
  return stats(samples);
}

/** Times one run of `fn`, in milliseconds, with the peak RSS seen while it ran (sampled). */
export async function once<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const start = performance.now();
  try {
    const value = await fn();
    const ms = performance.now() - start;
    peak = Math.max(peak, process.memoryUsage().rss);
    return { ms: Math.round(ms * 10) / 10, value, peakRssMb: Math.round(peak / 1024 / 1024) };
  } finally {
    clearInterval(timer);
  }
}

export function ratio(value: number, baseline: number): number {
  return baseline > 0 ? Math.round((value / baseline) * 100) / 100 : NaN;
}

export interface BenchContext {
  /** Cached inputs live here between runs (.bench/ in the project, ignored by git). */
  workDir: string;
  /** Size of the demo station (default 100,000 customers). */
  customers: number;
  /** Progress notes go to stderr; stdout is the JSON result only. */
  log(message: string): void;
}

export interface Bench {
  name: string;
  run(ctx: BenchContext): Promise<Record<string, unknown>>;
}

/** `.bench/` in the project, or GRIDDESK_BENCH_DIR (several worktrees may share one cache). */
export function benchDir(root: string): string {
  const dir = process.env.GRIDDESK_BENCH_DIR || join(root, '.bench');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Copies a cached station to `target` (removing any old copy and its WAL) and flushes the copy to
 * disk before anything is timed on it: otherwise the kernel writes the gigabytes of the fresh
 * copy back while the bench measures, which slowed the billing run's writes by 1–1.5 s. A
 * station's file in use has no gigabytes of unwritten pages.
 */
export function flushedCopy(source: string, target: string): string {
  for (const suffix of ['', '-wal', '-shm']) rmSync(target + suffix, { force: true });
  copyFileSync(source, target);
  const fd = openSync(target, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return target;
}

/**
 * A cached station at the current schema: `file` names it with `-v<N>` (the migration count). When
 * it is missing but a cache of an older schema is there, that copy is upgraded by the station's
 * own migrations (what every real station goes through) instead of building the station again,
 * which takes most of an hour at 100,000 customers. Returns whether `file` now exists.
 */
export async function upgradedCache(file: string, openToMigrate: (path: string) => void | Promise<void>): Promise<boolean> {
  if (existsSync(file)) return true;
  const name = basename(file);
  const match = /^(.*-v)(\d+)(.*)$/.exec(name);
  if (!match) return false;
  const [, head, , tail] = match;
  const older = readdirSync(dirname(file))
    .map((f) => ({ f, m: f.startsWith(head!) && f.endsWith(tail!) ? Number(f.slice(head!.length, f.length - tail!.length)) : NaN }))
    .filter((x) => Number.isInteger(x.m) && x.m < Number(match[2]))
    .sort((a, b) => b.m - a.m)[0];
  if (!older) return false;
  const upgrading = `${file}.upgrading`;
  flushedCopy(join(dirname(file), older.f), upgrading);
  await openToMigrate(upgrading);
  for (const suffix of ['-wal', '-shm']) rmSync(upgrading + suffix, { force: true });
  renameSync(upgrading, file);
  return true;
}

/**
 * Watches this thread's event loop with a 10 ms timer: `stop()` ends the watch and gives the
 * longest stall seen (how long a call served by this thread would have waited), in ms.
 */
export function watchLoopStall(): { stop(): number } {
  let last = performance.now();
  let longest = 0;
  const watch = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 10);
    last = now;
  }, 10);
  return {
    stop() {
      clearInterval(watch);
      return Math.max(longest, performance.now() - last - 10);
    },
  };
}
