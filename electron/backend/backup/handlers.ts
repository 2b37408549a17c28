import type { HandlerGroup } from '../handler';
import { backupPath, listBackups, restoreFrom, startBackupJob } from './backup';

export const backupHandlers = {
  'backup.run': (_input, call) => ({ jobId: startBackupJob(call.backend, call.actor, 'manual').id }),
  'backup.list': (_input, { backend }) => ({ rows: listBackups(backend) }),
  'backup.restore': async (input, call) => {
    await restoreFrom(call.backend, backupPath(call.backend, input.file), call.actor);
    call.setSessionToken(null); // every session ended with the old data
    return { done: true as const };
  },
} satisfies HandlerGroup;
