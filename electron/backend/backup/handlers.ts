import type { HandlerGroup } from '../handler';
import { backupHealth, backupPath, listBackups, listFailedBackups, restoreFrom, startBackupJob } from './backup';

export const backupHandlers = {
  'backup.run': (_input, call) => ({ jobId: startBackupJob(call.backend, call.actor, 'manual').id }),
  'backup.list': (_input, { backend }) => ({ rows: listBackups(backend), failed: listFailedBackups(backend), health: backupHealth(backend) }),
  'backup.health': (_input, { backend }) => backupHealth(backend),
  'backup.restore': async (input, call) => {
    // The back end lets go of the file, replaces it under an exclusive hold and opens it again.
    await restoreFrom(call.backend, backupPath(call.backend, input.file), call.actor, { replaceStation: input.replaceStation === true });
    call.setSessionToken(null); // every session ended with the old data
    return { done: true as const };
  },
} satisfies HandlerGroup;
