import type { HandlerGroup } from '../handler';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { markNoticeRead } from './reference';
import { exportBatchJob, pushBatchJob } from './exportJob';
import { applyAck, applyReference, installHqKey, outgoingDir, pullReference, rotateStationKey, syncStatus, writeEnrolment } from './station';

// The 数据上报 screen's channels (docs/sync.md). Export and push run as jobs with a progress bar;
// the export reads on its own connection in slices, so the counter is never held; in browser mode
// and the CLI it runs on a job thread (exportJob.ts).
export const syncHandlers = {
  'sync.status': (_input, call) => syncStatus(call.backend),
  'sync.export': (_input, call) => ({
    jobId: call.backend.jobs.start('sync.export', call.staff?.id ?? null, (progress) => exportBatchJob(call.backend, call.actor, progress)).id,
  }),
  'sync.ack': (input, call) => applyAck(call.backend, call.actor, Buffer.from(input.dataBase64, 'base64')),
  'sync.apply': (input, call) => applyReference(call.backend, call.actor, Buffer.from(input.dataBase64, 'base64')),
  'sync.push': (input, call) => ({
    jobId: call.backend.jobs.start('sync.push', call.staff?.id ?? null, (progress) => pushBatchJob(call.backend, call.actor, input.url, progress)).id,
  }),
  'sync.pull': (input, call) => pullReference(call.backend, call.actor, input.url),
  'sync.enrol': async (_input, call) => {
    const station = call.backend.requireStation();
    const fileName = `${station.code}-enrolment.gdsync`;
    mkdirSync(outgoingDir(call.backend), { recursive: true });
    const r = await writeEnrolment(call.backend, call.actor, join(outgoingDir(call.backend), fileName));
    return { fileName, dataBase64: readFileSync(r.file).toString('base64'), keyId: r.keyId, fingerprint: r.fingerprint, epoch: r.epoch, fromSeq: r.fromSeq };
  },
  'sync.trust': (input, call) => installHqKey(call.backend, call.actor, input.keyText, input.hqId),
  'sync.rotateKey': (_input, call) => rotateStationKey(call.backend, call.actor),
  'sync.noticeRead': (input, call) => markNoticeRead(call.backend, call.actor, input.id),
} satisfies HandlerGroup;
