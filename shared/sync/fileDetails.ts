// What is wrong inside a signed sync file (同步文件), said for whoever picked the file: the
// detail of a `sync.file.<code>` refusal (electron/backend/sync/signedFile.ts), as a coded
// message `sync.fileDetail.<code>` so it reads in the caller's language (shared/i18n/syncFiles.ts).
import { coded, type CodedMessage } from '../i18n/coded';

export const SYNC_FILE_DETAILS = [
  'badPublicKey',
  'publicKeyLength',
  'manifestTooLarge',
  'manifestNotObject',
  'noFormat',
  'formatUnreadable',
  'noKeyId',
  'untrustedKey',
  'notCanonical',
  'unknownKind',
  'notACount',
  'noPayloadHash',
  'wrongKind',
  'payloadOverCap',
  'bytesAfterPayload',
  'tooManyRows',
  'rowNotJson',
  'rowNotObject',
  'moreRowsThanDeclared',
  'inflatesPastSize',
  'rowTooLong',
  'rowOverBytes',
  'cannotInflate',
  'noFinalNewline',
  'notDeclaredSize',
  'changedWhileRead',
  'rowCount',
  'notSyncFile',
  'cutShort',
  'manifestDamaged',
  'signatureMismatch',
  'payloadHashMismatch',
  'ackFields',
  'noVersion',
] as const;
export type SyncFileDetail = (typeof SYNC_FILE_DETAILS)[number];

export function fileDetail(code: SyncFileDetail, params?: Readonly<Record<string, string | number>>): CodedMessage {
  return coded(`sync.fileDetail.${code}`, params);
}
