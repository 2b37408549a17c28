import type { HandlerGroup } from '../handler';
import { applyAck, applyReference, exportBatch, pushBatch, syncStatus } from './station';

// The 数据上报 screen's channels (docs/sync.md). Export and push run as jobs with a progress bar;
// the export reads on its own connection in slices, so the counter is never held.
export const syncHandlers = {
  'sync.status': (_input, call) => syncStatus(call.backend),
  'sync.export': (_input, call) => ({
    jobId: call.backend.jobs.start('sync.export', call.staff?.id ?? null, (progress) => exportBatch(call.backend, call.actor, { progress: (done, total) => progress.tick(done, total) })).id,
  }),
  'sync.ack': (input, call) => applyAck(call.backend, call.actor, Buffer.from(input.dataBase64, 'base64')),
  'sync.apply': (input, call) => applyReference(call.backend, call.actor, Buffer.from(input.dataBase64, 'base64')),
  'sync.push': (input, call) => ({
    jobId: call.backend.jobs.start('sync.push', call.staff?.id ?? null, (progress) => pushBatch(call.backend, call.actor, input.url, { progress: (done, total) => progress.tick(done, total) })).id,
  }),
} satisfies HandlerGroup;
