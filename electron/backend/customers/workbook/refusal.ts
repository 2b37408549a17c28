// One set of messages for a workbook that cannot be read, shared by every import that reads
// one (customers, handheld readings) and by the CLI's own checks of the file it was given, so
// the same broken file is described the same way everywhere, in the caller's language.
import { readFileSync, statSync } from 'node:fs';
import type { MessageKey } from '../../../../shared/i18n';
import { AppError } from '../../errors';
import { MAX_TEXT_CHARS, MAX_UNPACKED_BYTES, MAX_WORKBOOK_BYTES, READ_TIME_LIMIT_MS, WorkbookError } from './read';

export const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The clerk's message for a workbook the reader refused; anything else is rethrown as it is. */
export function workbookRefusal(error: unknown, fileName: string, size: number): never {
  if (!(error instanceof WorkbookError)) throw error;
  throw new AppError('validation', `workbook.err.${error.reason}` as MessageKey, {
    file: fileName,
    size: megabytes(size),
    max: megabytes(MAX_WORKBOOK_BYTES),
    unpacked: megabytes(MAX_UNPACKED_BYTES),
    chars: MAX_TEXT_CHARS.toLocaleString('en-US'),
    seconds: READ_TIME_LIMIT_MS / 1000,
  });
}

/**
 * A workbook file's bytes for an import from the command line, refused with the shared
 * messages before anything large is read: missing, a folder, empty, over the size cap (the
 * file is never read whole then: a 420 MB file once ended in "Cannot create a string longer
 * than…"), or unreadable.
 */
export function readWorkbookFile(path: string, fileName: string): Buffer {
  const fail = (key: MessageKey, params: Record<string, string> = {}): never => {
    throw new AppError('validation', key, { file: fileName, ...params });
  };
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) fail('workbook.err.folder');
    size = stat.size;
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? fail('workbook.err.missing') : fail('workbook.err.unreadable', { reason: code ?? String(error) });
  }
  if (size === 0) fail('workbook.err.empty');
  if (size > MAX_WORKBOOK_BYTES) fail('workbook.err.tooBig', { size: megabytes(size), max: megabytes(MAX_WORKBOOK_BYTES) });
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') fail('workbook.err.folder');
    return fail('workbook.err.unreadable', { reason: code ?? String(error) });
  }
}
