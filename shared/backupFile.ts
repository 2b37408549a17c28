// Why a file cannot be restored or kept as a backup (备份文件): `backupFile.<reason>` in the
// dictionary (shared/i18n/figures.ts), the `{reason}` of `error.backupFile` and the `{detail}` of
// `backup.failedCheck`, so the administrator reads it in the app's language.
import { coded, type CodedMessage } from './i18n/coded';

export const BACKUP_FILE_REASONS = ['notFound', 'notSqlite', 'notGridDesk', 'newer', 'damaged', 'unreadable'] as const;
export type BackupFileReason = (typeof BACKUP_FILE_REASONS)[number];

export function backupFileReason(reason: BackupFileReason, params?: Readonly<Record<string, string | number>>): CodedMessage {
  return coded(`backupFile.${reason}`, params);
}
