import type { Actor } from '../audit/record';
import type { Backend } from '../context';
import type { JobProgress } from '../jobs/runner';
import { runInJobThread } from '../jobs/thread';
import { keyProtectorInstalled } from './keys';
import { exportBatch, pushBatch, type ExportResult, type PushResult } from './station';

/**
 * The export's V8 heap caps on a job thread (MB). What the export keeps is bounded (a slice of at
 * most 2,000 outbox rows with their rows and children, gzip's window, at most a few MB of
 * compressed bytes waiting for the disk); the caps make V8 collect the garbage of earlier slices
 * instead of letting the heap grow while memory is free. Measured on the 20,000-customer station,
 * `griddesk sync export`'s peak RSS: 268 MB with a 96 MB old generation and the default young
 * one, 224 MB with 64 + 8 (the CLI itself, before any export, is about 126 MB).
 */
export const EXPORT_THREAD_HEAP_MB = 64;
export const EXPORT_THREAD_YOUNG_MB = 8;

/** The export thread's nice value on Linux (GRIDDESK_EXPORT_NICE overrides; 0 keeps the process's). */
export const EXPORT_THREAD_NICE = 10;
function exportThreadNiceness(): number {
  const set = Number(process.env.GRIDDESK_EXPORT_NICE);
  return Number.isInteger(set) && set >= 0 && set <= 19 ? set : EXPORT_THREAD_NICE;
}

/**
 * Exports a batch (数据上报导出): on a job thread in browser mode and the CLI (issue 18), else here.
 * In the desktop app it stays on the back end's thread: the station key is sealed through main
 * (safeStorage), which only this thread can ask; the export writes nothing to the station file.
 */
export function exportBatchJob(backend: Backend, actor: Actor, progress: JobProgress, options: { outDir?: string } = {}): Promise<ExportResult> {
  const here = () => exportBatch(backend, actor, { ...options, progress: (done, total) => progress.tick(done, total) });
  if (!backend.jobThreads || keyProtectorInstalled()) return here();
  return runInJobThread<ExportResult>(backend, { kind: 'sync.export', actor, outDir: options.outDir }, progress, here, {
    resourceLimits: { maxOldGenerationSizeMb: EXPORT_THREAD_HEAP_MB, maxYoungGenerationSizeMb: EXPORT_THREAD_YOUNG_MB },
    niceness: exportThreadNiceness(),
  });
}

/** Pushes a batch to head office: its export part as exportBatchJob, the HTTP call and the ack here. */
export function pushBatchJob(backend: Backend, actor: Actor, url: string, progress: JobProgress): Promise<PushResult> {
  return pushBatch(backend, actor, url, {
    progress: (done, total) => progress.tick(done, total),
    exportWith: (b, a, o) => exportBatchJob(b, a, progress, o?.outDir ? { outDir: o.outDir } : {}),
  });
}
