import type { Actor } from '../audit/record';
import type { Backend } from '../context';
import type { JobProgress } from '../jobs/runner';
import { runInJobThread } from '../jobs/thread';
import { commitImport, forgetPendingImport, pendingImport, pendingImportParts, pendingImportState } from './spreadsheet';

type CommitResult = Awaited<ReturnType<typeof commitImport>>;

/**
 * The customer import's commit (导入入库) as a job: on a job thread in browser mode and the CLI
 * (issue 18), with its own connection. The checked rows live in this thread's memory until the
 * commit, so they travel with the job; this thread marks them used while the job runs (a second
 * commit of the same check is refused here) and learns afterwards whether they were filed (gone)
 * or may be committed again (nothing filed).
 */
export function commitImportJob(backend: Backend, actor: Actor, importId: string, progress: JobProgress): Promise<CommitResult> {
  const batch = pendingImport(importId);
  // Refusals of a missing or used check come from the same code here, at once.
  if (!backend.jobThreads || !batch || batch.used) return commitImport(backend, actor, importId, progress);
  batch.used = true;
  // The checked rows go in parts after the thread has started: in one piece they held this thread.
  const { batch: bare, parts } = pendingImportParts(batch);
  return runInJobThread<CommitResult>(
    backend,
    { kind: 'customers.importCommit', actor, importId, batch: bare },
    progress,
    () => {
      batch.used = false;
      return commitImport(backend, actor, importId, progress);
    },
    {
      follow: parts,
      onHandback: (state) => {
        const { gone, used } = state as ReturnType<typeof pendingImportState>;
        if (gone) forgetPendingImport(importId);
        else batch.used = used;
      },
    },
  );
}
