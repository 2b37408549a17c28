// Building the demo station: every step of DEMO_STEPS in order, into a fresh database file that
// is renamed into place only when all of them are done, so a failed or interrupted build leaves
// nothing behind (DESIGN.md "Jobs": complete, or nothing half-written).
import { renameSync, rmSync } from 'node:fs';
import { shanghaiDate } from '../../../shared/time';
import type { Actor } from '../audit/record';
import { Backend } from '../context';
import { sql } from '../db/sql';
import { AppError } from '../errors';
import type { JobProgress } from '../jobs/runner';
import { runInJobThread } from '../jobs/thread';
import { setupStation } from '../station/setup';
import { syncBuildingFile, tuneBuildingFile } from './pace';
import { Random } from './random';
import { DEMO_ADMIN, DEMO_PASSWORD } from './staffStep';
import { DEMO_BUILDING_SUFFIX } from './stopped';
import { DEMO_STEPS, type DemoOptions, type DemoStaff } from './steps';

export const DEMO_STATION = { code: 'QS01', name: '青山供电所（演示）' };
const DEMO_ACTOR_LABEL = 'demo';

export function demoOptions(partial: Partial<DemoOptions> = {}, now = Date.now()): DemoOptions {
  return { customers: 2000, months: 13, seed: 1, asOf: shanghaiDate(now), ...partial };
}

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
}

/**
 * Builds a demo station into `target` (which must not hold a station). Returns who can log in.
 * `progress` runs from 0 to 1000 over all steps, weighted.
 */
export async function buildDemoStation(
  target: string,
  options: DemoOptions,
  progress: JobProgress,
  /** Called just before the built file replaces `target` (close what holds it open; throw to give up). */
  beforeSwap: () => void = () => {},
  /** Told each write transaction's time, the step it belongs to and the rows it wrote (tests and the bench). */
  onTransaction?: (ms: number, step: string, rows: number) => void,
  /** The driver of the station it replaces: the desktop's Electron build of better-sqlite3 and its migrations folder. */
  driver: Backend['driver'] = {},
): Promise<{ staff: DemoStaff[]; ms: number }> {
  const started = performance.now();
  const building = `${target}${DEMO_BUILDING_SUFFIX}`;
  removeDatabase(building);
  const backend = new Backend({ db: building, backupsDir: `${building}-backups`, ...driver });
  try {
    await setupStation(backend, { stationCode: DEMO_STATION.code, stationName: DEMO_STATION.name, adminNo: DEMO_ADMIN.staffNo, adminName: DEMO_ADMIN.name, password: DEMO_PASSWORD });
    tuneBuildingFile(backend.store); // no fsync, the slices checkpoint (demo/pace.ts)
    const actor: Actor = { staffId: null, label: DEMO_ACTOR_LABEL };
    const staff: DemoStaff[] = [];
    const totalWeight = DEMO_STEPS.reduce((s, step) => s + step.weight, 0);
    let before = 0;
    for (const step of DEMO_STEPS) {
      if (onTransaction) backend.store.onTransaction = (ms, rows) => onTransaction(ms, step.name, rows);
      const share = step.weight / totalWeight;
      const base = before;
      await step.run({
        backend,
        options,
        random: Random.forStep(options.seed, step.name),
        staff,
        actor,
        progress: (done, total) => progress.tick(Math.round((base + (total > 0 ? (done / total) * share : 0)) * 1000), 1000, step.name),
      });
      before += share;
    }
    backend.write(actor, (unit) =>
      unit.audit({
        action: 'demo.build',
        entity: 'station',
        entityId: unit.stationId(),
        summary: { customers: options.customers, months: options.months, seed: options.seed, asOf: options.asOf, steps: DEMO_STEPS.map((s) => s.name) },
      }),
    );
    syncBuildingFile(backend.store);
    backend.close();
    rmSync(`${building}-backups`, { recursive: true, force: true });
    beforeSwap();
    removeDatabase(target);
    renameSync(building, target);
    return { staff, ms: Math.round(performance.now() - started) };
  } catch (error) {
    backend.close();
    removeDatabase(building);
    rmSync(`${building}-backups`, { recursive: true, force: true });
    throw error;
  }
}

/** Databases with a demo being built into them right now (one build at a time per file). */
const building = new Set<string>();

/** The first-run screen's demo: only while the open database has no station; swaps it in place. */
export async function buildDemoInPlace(backend: Backend, options: DemoOptions, progress: JobProgress, alsoBeforeSwap: () => void = () => {}) {
  const refuseIfSetUp = () => {
    if (backend.station() || backend.store.read.value(sql`SELECT 1 FROM station`)) throw new AppError('conflict', 'customers.err.stationExists');
  };
  refuseIfSetUp();
  const target = backend.paths.db;
  if (building.has(target)) throw new AppError('conflict', 'customers.err.demoBuilding');
  building.add(target);
  try {
    return await buildDemoStation(
      target,
      options,
      progress,
      () => {
        refuseIfSetUp(); // someone may have set the station up while the demo was building
        backend.store.close();
        alsoBeforeSwap();
      },
      undefined,
      backend.driver,
    );
  } finally {
    // Open again: the demo station after a swap, the old empty database if the swap never came.
    if (!backend.store.isOpen) backend.reopen();
    building.delete(target);
  }
}

/**
 * The first-run screen's demo as a job: on a job thread in browser mode and the CLI (issue 18).
 * The thread builds into its own file and swaps it in; just before the swap it waits while this
 * thread closes its connection to the empty database, and this thread opens the demo station when
 * the job ends. This thread counts the build as running, so a second start is refused here.
 */
export function buildDemoJob(backend: Backend, options: DemoOptions, progress: JobProgress): Promise<{ staff: DemoStaff[]; ms: number }> {
  if (!backend.jobThreads) return buildDemoInPlace(backend, options, progress);
  if (backend.station() || backend.store.read.value(sql`SELECT 1 FROM station`)) throw new AppError('conflict', 'customers.err.stationExists');
  const target = backend.paths.db;
  if (building.has(target)) throw new AppError('conflict', 'customers.err.demoBuilding');
  building.add(target);
  const done = () => {
    if (!backend.store.isOpen) backend.reopen();
    building.delete(target);
  };
  return runInJobThread<{ staff: DemoStaff[]; ms: number }>(
    backend,
    { kind: 'demo.build', options },
    progress,
    () => {
      building.delete(target);
      return buildDemoInPlace(backend, options, progress);
    },
    { answers: { beforeSwap: () => backend.store.close() } },
  ).finally(done);
}
