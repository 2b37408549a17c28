import { z } from 'zod';
import { importPreviewSchema } from './customers';
import { backupFileSchema, type JobState } from './platform';
import { readingImportCommitResultSchema, readingImportPreviewSchema } from './readings';
import { ackResultSchema } from './sync';

// What each job hands back when it succeeds (issue 18 item 4): the job runner checks a job's
// result against its kind's schema before reporting it succeeded, and the renderer and the CLI
// read a result through `jobResult(kind, state)` instead of casting it. Objects are loose: a job
// may report more (how it was done: slices, threads) than its readers need.

const int = z.number().int();

/** A batch written for head office (sync/station.ts `ExportResult`). */
const syncExportSchema = z.looseObject({
  file: z.string(),
  fileName: z.string(),
  sha256: z.string(),
  bytes: int,
  epoch: int,
  fromSeq: int,
  toSeq: int,
  count: int,
  counts: z.record(z.string(), int),
  again: z.boolean(),
});

export const jobResultSchemas = {
  'billing.run': z.looseObject({
    runId: z.string(),
    period: z.string(),
    bookId: z.string().nullable(),
    billed: int,
    totalFen: int,
    kwh: int,
    flagged: int,
    problems: int,
    alreadyBilled: int,
    waiting: int,
    changed: int,
    slices: int.optional(),
    longestSliceMs: z.number().optional(),
  }),
  'billing.issue': z.looseObject({ issued: int, totalFen: int, held: int, dueDate: z.string() }),
  'customers.importPreview': importPreviewSchema,
  'customers.importCommit': z.looseObject({ customers: int, meters: int, batch: z.string(), slices: int.optional(), longestSliceMs: z.number().optional() }),
  'customers.export': z.looseObject({ fileName: z.string(), base64: z.string(), count: int }),
  'demo.build': z.looseObject({ ms: z.number(), logins: z.array(z.looseObject({ staffNo: z.string(), name: z.string(), role: z.string() })) }),
  'readings.importPreview': readingImportPreviewSchema,
  'readings.importCommit': readingImportCommitResultSchema,
  'readings.openPeriod': z.looseObject({ period: z.string(), books: int, due: int, slices: int.optional(), longestSliceMs: z.number().optional() }),
  'sync.export': syncExportSchema,
  'sync.push': z.looseObject({ export: syncExportSchema, ack: ackResultSchema }),
  backup: backupFileSchema.loose(),
} as const;

export type JobKind = keyof typeof jobResultSchemas;
export type JobResultOf<K extends JobKind> = z.output<(typeof jobResultSchemas)[K]>;

export function isCheckedJobKind(kind: string): kind is JobKind {
  return Object.hasOwn(jobResultSchemas, kind);
}

/** A succeeded job's result, as its kind's schema says (throws if the state is of another kind or not succeeded). */
export function jobResult<K extends JobKind>(kind: K, state: JobState): JobResultOf<K> {
  if (state.kind !== kind) throw new Error(`job ${state.id} is ${state.kind}, not ${kind}`);
  if (state.status !== 'succeeded') throw new Error(`job ${state.id} has not succeeded (${state.status})`);
  return jobResultSchemas[kind].parse(state.result) as JobResultOf<K>;
}
