import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../errors';

// SQLite's failures of the disk itself (存储故障), in words an office can act on: a full disk,
// read-only media or file, a disk that fails to read, a file held by another program. Anything
// else is not a storage fault and is left as it is.

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A full disk shows itself at open as a plain I/O error (SQLite cannot grow the -shm index):
 * ask the file system how much room is left, so the office reads "disk full", not "I/O error".
 */
function diskFull(file: string): boolean {
  try {
    const fs = statfsSync(dirname(file));
    return fs.bavail * fs.bsize < 1024 * 1024;
  } catch {
    return false;
  }
}

/** The AppError for a storage fault, or undefined when `error` is something else. */
export function storageError(error: unknown, file: string): AppError | undefined {
  if (error instanceof AppError) return undefined;
  const code = codeOf(error);
  const detail = (error as Error)?.message ?? String(error);
  if (!code) return undefined;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || ((code.startsWith('SQLITE_IOERR') || code === 'EIO') && diskFull(file))) return new AppError('validation', 'storage.full', { file });
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return new AppError('validation', 'storage.readonly', { file });
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return new AppError('validation', 'storage.ioError', { file, detail });
  if (code.startsWith('SQLITE_CANTOPEN')) return new AppError('validation', 'storage.cantOpen', { file, detail });
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new AppError('conflict', 'storage.busy', { file });
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return new AppError('validation', 'store.corrupt', { file, detail });
  return undefined;
}
