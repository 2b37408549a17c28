import type { ReadingImportCommitResult } from '../../../shared/contract';
import type { Actor } from '../audit/record';
import type { Backend } from '../context';
import type { CallStaff } from '../handler';
import type { JobProgress } from '../jobs/runner';
import { runInJobThread } from '../jobs/thread';
import { commitImport, findPreview, forgetPreview, keepPreview } from './handheld';

/**
 * The handheld import's commit (抄表机导入入库) as a job: on a job thread in browser mode and the
 * CLI (issue 18). The checked rows are in this thread's memory, so they travel with the job; they
 * leave this thread's store at once, as the commit itself takes them (a second commit of the same
 * preview meanwhile finds nothing), and come back only if no thread could start.
 */
export function commitImportJob(backend: Backend, staff: CallStaff | null, actor: Actor, previewId: string, confirmRollovers: boolean, progress: JobProgress): Promise<ReadingImportCommitResult> {
  if (!backend.jobThreads) return commitImport(backend, staff, actor, previewId, confirmRollovers, { progress });
  const preview = findPreview(backend, staff, previewId);
  forgetPreview(backend, previewId);
  return runInJobThread<ReadingImportCommitResult>(backend, { kind: 'readings.importCommit', staff, actor, previewId, confirmRollovers, preview }, progress, () => {
    keepPreview(backend, previewId, preview);
    return commitImport(backend, staff, actor, previewId, confirmRollovers, { progress });
  });
}
