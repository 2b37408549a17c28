/**
 * The signed sync file (同步文件): one format for every file that crosses between a station and
 * head office — batches up, acknowledgements back, reference packs down, enrolment and bootstrap.
 * The same bytes go on a USB stick or in an HTTP body. Plain Node (`node:crypto` Ed25519,
 * `node:zlib`), no Electron and no database, so head office's server uses the same code.
 *
 * Layout (docs/sync.md "The signed file"):
 *
 *   magic      8 bytes   "GDSYNC1\n"
 *   length     4 bytes   manifest byte length, unsigned big-endian
 *   manifest   length    canonical JSON (sorted keys, no whitespace), UTF-8
 *   signature  64 bytes  Ed25519 over magic + length + manifest
 *   payload    manifest.payloadBytes bytes: gzip of NDJSON rows, one JSON object per line
 *
 * The manifest carries the payload's SHA-256 (of the gzip bytes as stored), so the signature
 * covers the payload too, and the reader checks signature, then hash and length, BEFORE it hands
 * back anything. Writing is deterministic: the same inputs give the same bytes (fixed gzip level,
 * zero mtime and a fixed OS byte in the gzip header, no clock in the manifest unless passed in).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip, createGzip, constants as zc } from 'node:zlib';
import { renderMessage, type CodedMessage } from '../../../shared/i18n/coded';
import { fileDetail } from '../../../shared/sync/fileDetails';

export const FORMAT = 'griddesk-sync/1';
export const MAGIC = Buffer.from('GDSYNC1\n', 'latin1');
export const SIGNATURE_BYTES = 64;
const HEADER_BYTES = MAGIC.length + 4;
/** The manifest is small JSON; anything larger is not ours. */
export const MAX_MANIFEST_BYTES = 1 << 20;
/** Default caps; a month of a 100,000-customer station is tens of MB compressed. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 2 * 1024 ** 3;
export const DEFAULT_MAX_RAW_BYTES = 16 * 1024 ** 3;
/** One NDJSON line may not be longer than this (a row of a station table is a few KB). */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
const GZIP_LEVEL = 6;
/** Byte 9 of a gzip header names the OS that wrote it; zlib sets it per platform, so it is fixed
 * to 255 ("unknown") and a Windows station and a Linux one write the same bytes. */
const GZIP_OS_BYTE = 255;

export type SyncKind = 'batch' | 'ack' | 'reference' | 'enrolment' | 'bootstrap';
export const SYNC_KINDS: readonly SyncKind[] = ['batch', 'ack', 'reference', 'enrolment', 'bootstrap'];

/** Stable error codes: programs and the i18n dictionary key off these (`sync.file.<code>`). */
export type SyncFileErrorCode =
  | 'not_sync_file' // wrong magic: not one of our files at all
  | 'truncated' // shorter than its header says
  | 'too_large' // manifest or payload over the cap, or bytes after the payload
  | 'format' // a format version this program does not read
  | 'manifest' // manifest is not canonical JSON or lacks a required field
  | 'unknown_key' // signed by a key that is not trusted here
  | 'signature' // signature does not verify
  | 'payload_hash' // payload bytes do not match the manifest's hash or length
  | 'payload_size' // payload inflates past its declared size (gzip bomb) or is not gzip
  | 'row' // a payload line is not a JSON object
  | 'row_count' // the payload has another number of rows than the manifest says
  | 'kind'; // not the kind the caller asked for

/** A refused sync file: `code` picks the sentence (`sync.file.<code>`), `detail` says what inside is wrong (coded; `message` is its English, for logs and head office). */
export class SyncFileError extends Error {
  override name = 'SyncFileError';
  constructor(
    readonly code: SyncFileErrorCode,
    readonly detail: CodedMessage,
  ) {
    super(renderMessage('en', detail));
  }
}

// ---------------------------------------------------------------------------------------------
// Keys

export type PublicKeyInput = KeyObject | string | Buffer;

export interface StationKeyPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
  keyId: string;
}

export function generateKeyPair(): StationKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey, privateKey, keyId: keyIdOf(publicKey) };
}

/** The 32 raw bytes of an Ed25519 public key. */
export function publicKeyRaw(key: PublicKeyInput): Buffer {
  const k = toPublicKey(key);
  const jwk = k.export({ format: 'jwk' }) as { x?: string; crv?: string };
  if (jwk.crv !== 'Ed25519' || !jwk.x) throw new SyncFileError('manifest', fileDetail('badPublicKey'));
  return Buffer.from(jwk.x, 'base64url');
}

/** Key id: the first 16 hex digits of SHA-256 of the raw public key. */
export function keyIdOf(key: PublicKeyInput): string {
  return createHash('sha256').update(publicKeyRaw(key)).digest('hex').slice(0, 16);
}

/** For people comparing by phone or on paper: all of SHA-256 of the raw key, in groups of four. */
export function fingerprint(key: PublicKeyInput): string {
  const hex = createHash('sha256').update(publicKeyRaw(key)).digest('hex').toUpperCase();
  return hex.match(/.{4}/g)!.join(' ');
}

export function publicKeyToPem(key: PublicKeyInput): string {
  return toPublicKey(key).export({ format: 'pem', type: 'spki' }).toString();
}

export function publicKeyToBase64(key: PublicKeyInput): string {
  return publicKeyRaw(key).toString('base64');
}

/** A public key from PEM (SPKI), base64 of the 32 raw bytes, the raw bytes, or a KeyObject. */
export function toPublicKey(key: PublicKeyInput): KeyObject {
  if (typeof key !== 'string' && !Buffer.isBuffer(key)) {
    if (key.type === 'private') return createPublicKey(key);
    return key;
  }
  if (typeof key === 'string' && key.includes('-----BEGIN')) return createPublicKey(key);
  const raw = typeof key === 'string' ? Buffer.from(key.trim(), 'base64') : key;
  if (raw.length !== 32) throw new SyncFileError('manifest', fileDetail('publicKeyLength'));
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

/** PKCS#8 PEM; encrypted (AES-256-CBC) when a passphrase is given. */
export function privateKeyToPem(key: KeyObject, passphrase?: string): string {
  return key
    .export(passphrase ? { format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase } : { format: 'pem', type: 'pkcs8' })
    .toString();
}

export function privateKeyFromPem(pem: string | Buffer, passphrase?: string): KeyObject {
  return createPrivateKey(passphrase ? { key: pem, format: 'pem', passphrase } : { key: pem, format: 'pem' });
}

/** Trusted keys by key id, from any mix of key forms. */
export function trustedKeyMap(keys: Iterable<PublicKeyInput>): Map<string, KeyObject> {
  const map = new Map<string, KeyObject>();
  for (const k of keys) {
    const pub = toPublicKey(k);
    map.set(keyIdOf(pub), pub);
  }
  return map;
}

// ---------------------------------------------------------------------------------------------
// Canonical JSON

/** JSON with object keys sorted at every level and no whitespace: one value, one text. */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: numbers must be finite');
      return JSON.stringify(value);
    case 'bigint':
      return value.toString();
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
      if (Buffer.isBuffer(value) || value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode ${typeof value}`);
  }
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Writing

/** The fields the codec fills in itself; a caller's manifest may not set them. */
export interface CodecManifestFields {
  format: string;
  kind: SyncKind;
  keyId: string;
  payloadSha256: string;
  /** Bytes of the gzip payload as stored in the file. */
  payloadBytes: number;
  /** Bytes of the NDJSON before compression: the reader stops past this (gzip bomb). */
  payloadRawBytes: number;
  rowCount: number;
}

export type Manifest = CodecManifestFields & Record<string, unknown>;

/** A payload row: an object (written as canonical JSON) or a line already made (no newline). */
export type PayloadRow = string | Record<string, unknown>;

export interface SignedFileInput {
  kind: SyncKind;
  /** The kind's own fields (JSON values only). */
  manifest: Record<string, unknown>;
  payloadLines?: Iterable<PayloadRow>;
  payloadStream?: AsyncIterable<PayloadRow> | Iterable<PayloadRow>;
}

export interface WrittenFile {
  path: string;
  manifest: Manifest;
  /** SHA-256 of the whole file: what a batch's successor and head office's ack refer to. */
  fileSha256: string;
  bytes: number;
}

export interface WriteOptions {
  /** Called now and then with the rows written so far (progress bars). */
  onRows?: (rows: number) => void;
}

/**
 * Writes the file at `target` through a temp name in the same folder: the payload is gzipped to
 * a staging file while its hash is taken, then header + manifest + signature + payload go to a
 * second temp file that is fsynced and renamed over `target` (and the folder fsynced). A crash at
 * any point leaves nothing under `target` but a complete file.
 */
export async function writeSignedFile(
  target: string,
  input: SignedFileInput,
  privateKey: KeyObject,
  keyId: string,
  options: WriteOptions = {},
): Promise<WrittenFile> {
  if (!SYNC_KINDS.includes(input.kind)) throw new TypeError(`unknown sync file kind ${input.kind}`);
  for (const k of ['format', 'kind', 'keyId', 'payloadSha256', 'payloadBytes', 'payloadRawBytes', 'rowCount']) {
    if (k in input.manifest) throw new TypeError(`manifest field ${k} is set by the codec`);
  }
  const dir = path.dirname(path.resolve(target));
  const base = path.basename(target);
  const tag = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const stagePath = path.join(dir, `.${base}.${tag}.payload.tmp`);
  const tempPath = path.join(dir, `.${base}.${tag}.tmp`);
  try {
    const rows = input.payloadStream ?? input.payloadLines ?? [];
    const payload = await gzipRowsToFile(rows, stagePath, options.onRows);
    const manifest: Manifest = {
      ...input.manifest,
      format: FORMAT,
      kind: input.kind,
      keyId,
      payloadSha256: payload.sha256,
      payloadBytes: payload.bytes,
      payloadRawBytes: payload.rawBytes,
      rowCount: payload.rows,
    };
    const head = signedHead(manifest, privateKey);
    const fileHash = createHash('sha256').update(head);
    const out = await fsp.open(tempPath, 'wx', 0o644);
    let total = head.length;
    try {
      await out.write(head, 0, head.length, null);
      const inp = await fsp.open(stagePath, 'r');
      try {
        const buf = Buffer.allocUnsafe(1 << 20);
        for (;;) {
          const { bytesRead } = await inp.read(buf, 0, buf.length, null);
          if (bytesRead === 0) break;
          const chunk = buf.subarray(0, bytesRead);
          fileHash.update(chunk);
          await out.write(chunk, 0, bytesRead, null);
          total += bytesRead;
        }
      } finally {
        await inp.close();
      }
      await out.sync();
    } finally {
      await out.close();
    }
    await fsp.rm(stagePath, { force: true });
    await fsp.rename(tempPath, target);
    await fsyncDir(dir);
    return { path: target, manifest, fileSha256: fileHash.digest('hex'), bytes: total };
  } catch (e) {
    await fsp.rm(stagePath, { force: true }).catch(() => {});
    await fsp.rm(tempPath, { force: true }).catch(() => {});
    throw e;
  }
}

/** The same file as bytes in memory (acks and small packs, HTTP answers). */
export async function signedFileBytes(input: SignedFileInput, privateKey: KeyObject, keyId: string): Promise<{ bytes: Buffer; manifest: Manifest; fileSha256: string }> {
  const { mkdtemp } = fsp;
  const os = await import('node:os');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gdsync-'));
  try {
    const file = path.join(dir, 'file.gdsync');
    const w = await writeSignedFile(file, input, privateKey, keyId);
    return { bytes: await fsp.readFile(file), manifest: w.manifest, fileSha256: w.fileSha256 };
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

function signedHead(manifest: Manifest, privateKey: KeyObject): Buffer {
  const manifestBytes = Buffer.from(canonicalJson(manifest), 'utf8');
  if (manifestBytes.length > MAX_MANIFEST_BYTES) throw new SyncFileError('too_large', fileDetail('manifestTooLarge'));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(manifestBytes.length);
  const signed = Buffer.concat([MAGIC, len, manifestBytes]);
  const signature = sign(null, signed, privateKey);
  return Buffer.concat([signed, signature]);
}

async function gzipRowsToFile(
  rows: AsyncIterable<PayloadRow> | Iterable<PayloadRow>,
  file: string,
  onRows?: (rows: number) => void,
): Promise<{ sha256: string; bytes: number; rawBytes: number; rows: number }> {
  const fh = await fsp.open(file, 'wx', 0o600);
  const hash = createHash('sha256');
  let bytes = 0;
  let first = true;
  let failed: unknown = null;
  const gz = createGzip({ level: GZIP_LEVEL, memLevel: 8, windowBits: 15, strategy: zc.Z_DEFAULT_STRATEGY, chunkSize: 256 * 1024 });
  // Writes are queued in order; the drain of the queue is awaited before the file is closed.
  let writing: Promise<unknown> = Promise.resolve();
  // At most a few MB of compressed bytes wait for the disk: past that the gzip stream is paused,
  // its buffer fills, and the row loop waits for 'drain' (memory stays bounded on a slow disk).
  let queued = 0;
  gz.on('data', (chunk: Buffer) => {
    if (first) {
      first = false;
      chunk = Buffer.from(chunk);
      chunk[9] = GZIP_OS_BYTE;
    }
    hash.update(chunk);
    bytes += chunk.length;
    queued += chunk.length;
    if (queued > 4 * 1024 * 1024) gz.pause();
    writing = writing
      .then(() => fh.write(chunk, 0, chunk.length, null))
      .then(() => {
        queued -= chunk.length;
        if (queued <= 1024 * 1024 && gz.isPaused()) gz.resume();
      })
      .catch((e) => {
        failed ??= e;
        gz.resume();
      });
  });
  const ended = new Promise<void>((resolve, reject) => {
    gz.on('end', resolve);
    gz.on('error', reject);
  });
  let rawBytes = 0;
  let count = 0;
  let pending: string[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (!pending.length) return;
    const text = pending.join('');
    pending = [];
    pendingBytes = 0;
    if (!gz.write(text, 'utf8')) await new Promise<void>((r) => gz.once('drain', r));
    if (failed) throw failed;
  };
  try {
    for await (const row of rows as AsyncIterable<PayloadRow>) {
      const line = typeof row === 'string' ? row : canonicalJson(row);
      if (line.includes('\n')) throw new TypeError('a payload line may not contain a newline');
      const withNl = line + '\n';
      const len = Buffer.byteLength(withNl, 'utf8');
      if (len > MAX_LINE_BYTES) throw new SyncFileError('too_large', fileDetail('rowOverBytes', { row: count + 1, max: MAX_LINE_BYTES }));
      pending.push(withNl);
      pendingBytes += len;
      rawBytes += len;
      count++;
      if (pendingBytes >= 256 * 1024) {
        await flush();
        onRows?.(count);
      }
    }
    await flush();
    gz.end();
    await ended;
    await writing;
    if (failed) throw failed;
    await fh.sync();
  } finally {
    if (!gz.destroyed) gz.destroy();
    await fh.close();
  }
  onRows?.(count);
  return { sha256: hash.digest('hex'), bytes, rawBytes, rows: count };
}

async function fsyncDir(dir: string): Promise<void> {
  // Makes the rename durable; Windows cannot open a folder for fsync, and NTFS journals renames.
  if (process.platform === 'win32') return;
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface ReadOptions {
  /** Refuse unless the file is of this kind (or one of these). */
  kind?: SyncKind | readonly SyncKind[];
  maxPayloadBytes?: number;
  maxRawBytes?: number;
  /** Enrolment files are signed by the key they carry (manifest.publicKey): trust it for them. */
  allowSelfSigned?: boolean;
}

export interface VerifiedFile<M extends Manifest = Manifest> {
  manifest: M;
  /** SHA-256 of the whole file. */
  fileSha256: string;
  /** The key that signed it. */
  keyId: string;
  bytes: number;
  /** The payload rows in order, streamed (memory bounded). Each call reads afresh. The bytes are
   * hashed again while they stream; a file changed since it was verified throws before its end. */
  rows(): AsyncGenerator<Record<string, unknown>>;
  /** The payload's lines as text, unparsed, with the same streaming checks as `rows()` (count,
   * size, hash); for a reader that parses them elsewhere (head office's COPY into PostgreSQL). */
  lines(): AsyncGenerator<string>;
  /** All rows at once, for small files (reference packs, acks); refuses past `maxRows`. */
  allRows(maxRows?: number): Promise<Record<string, unknown>[]>;
}

interface Source {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
  stream(offset: number, length: number): Readable;
}

function bufferSource(buf: Buffer): Source {
  return {
    size: buf.length,
    read: async (offset, length) => buf.subarray(offset, offset + length),
    stream: (offset, length) => {
      const slice = buf.subarray(offset, offset + length);
      const step = 1 << 20;
      return Readable.from(
        (function* () {
          for (let i = 0; i < slice.length; i += step) yield slice.subarray(i, i + step);
        })(),
      );
    },
  };
}

async function fileSource(file: string): Promise<Source> {
  const st = await fsp.stat(file);
  return {
    size: st.size,
    read: async (offset, length) => {
      const fh = await fsp.open(file, 'r');
      try {
        const buf = Buffer.alloc(length);
        const { bytesRead } = await fh.read(buf, 0, length, offset);
        return buf.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    },
    stream: (offset, length) =>
      length === 0 ? Readable.from([]) : createReadStream(file, { start: offset, end: offset + length - 1, highWaterMark: 1 << 20 }),
  };
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Verifies a signed file completely — magic, format, size caps, signature against `trustedKeys`,
 * then the payload's length and SHA-256 — before it returns anything. Throws SyncFileError with a
 * stable code otherwise.
 */
export async function readSignedFile(
  file: string | Buffer,
  trustedKeys: ReadonlyMap<string, PublicKeyInput>,
  options: ReadOptions = {},
): Promise<VerifiedFile> {
  const src = typeof file === 'string' ? await fileSource(file) : bufferSource(file);
  const maxPayload = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const maxRaw = options.maxRawBytes ?? DEFAULT_MAX_RAW_BYTES;
  if (src.size < MAGIC.length) {
    const head = await src.read(0, src.size);
    if (!MAGIC.subarray(0, head.length).equals(head)) throw new SyncFileError('not_sync_file', fileDetail('notSyncFile'));
    throw new SyncFileError('truncated', fileDetail('cutShort'));
  }
  const head = await src.read(0, Math.min(src.size, HEADER_BYTES + MAX_MANIFEST_BYTES + SIGNATURE_BYTES));
  if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw new SyncFileError('not_sync_file', fileDetail('notSyncFile'));
  if (head.length < HEADER_BYTES) throw new SyncFileError('truncated', fileDetail('cutShort'));
  const manifestLength = head.readUInt32BE(MAGIC.length);
  if (manifestLength > MAX_MANIFEST_BYTES) throw new SyncFileError('too_large', fileDetail('manifestTooLarge'));
  const payloadStart = HEADER_BYTES + manifestLength + SIGNATURE_BYTES;
  if (head.length < payloadStart) throw new SyncFileError('truncated', fileDetail('cutShort'));
  const signed = head.subarray(0, HEADER_BYTES + manifestLength);
  const signature = head.subarray(HEADER_BYTES + manifestLength, payloadStart);
  let manifest: Manifest;
  const manifestText = signed.subarray(HEADER_BYTES).toString('utf8');
  try {
    manifest = JSON.parse(manifestText) as Manifest;
  } catch {
    // A flipped byte in the manifest usually lands here; the signature would fail as well.
    throw new SyncFileError('signature', fileDetail('manifestDamaged'));
  }
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) throw new SyncFileError('manifest', fileDetail('manifestNotObject'));
  if (typeof manifest.format !== 'string' || !manifest.format.startsWith('griddesk-sync/')) throw new SyncFileError('manifest', fileDetail('noFormat'));
  if (manifest.format !== FORMAT) throw new SyncFileError('format', fileDetail('formatUnreadable', { format: manifest.format, readable: FORMAT }));
  if (typeof manifest.keyId !== 'string') throw new SyncFileError('manifest', fileDetail('noKeyId'));
  let key: PublicKeyInput | undefined = trustedKeys.get(manifest.keyId);
  if (!key && options.allowSelfSigned && manifest.kind === 'enrolment' && typeof manifest.publicKey === 'string') {
    try {
      const carried = toPublicKey(manifest.publicKey);
      if (keyIdOf(carried) === manifest.keyId) key = carried;
    } catch {
      /* refused below */
    }
  }
  if (!key) throw new SyncFileError('unknown_key', fileDetail('untrustedKey', { keyId: manifest.keyId }));
  let ok = false;
  try {
    ok = verify(null, signed, toPublicKey(key), signature);
  } catch {
    ok = false;
  }
  if (!ok) throw new SyncFileError('signature', fileDetail('signatureMismatch'));
  // Signed, so the manifest is what its signer wrote; still check what this code relies on.
  if (canonicalJson(manifest) !== manifestText) throw new SyncFileError('manifest', fileDetail('notCanonical'));
  if (!SYNC_KINDS.includes(manifest.kind)) throw new SyncFileError('manifest', fileDetail('unknownKind', { kind: String(manifest.kind) }));
  for (const f of ['payloadBytes', 'payloadRawBytes', 'rowCount'] as const) {
    if (!Number.isSafeInteger(manifest[f]) || manifest[f] < 0) throw new SyncFileError('manifest', fileDetail('notACount', { field: f }));
  }
  if (typeof manifest.payloadSha256 !== 'string' || !HEX64.test(manifest.payloadSha256)) throw new SyncFileError('manifest', fileDetail('noPayloadHash'));
  if (options.kind) {
    const kinds = Array.isArray(options.kind) ? options.kind : [options.kind];
    if (!kinds.includes(manifest.kind)) throw new SyncFileError('kind', fileDetail('wrongKind', { kind: manifest.kind, wanted: kinds.join(' / ') }));
  }
  if (manifest.payloadBytes > maxPayload || manifest.payloadRawBytes > maxRaw) throw new SyncFileError('too_large', fileDetail('payloadOverCap'));
  const expected = payloadStart + manifest.payloadBytes;
  if (src.size < expected) throw new SyncFileError('truncated', fileDetail('cutShort'));
  if (src.size > expected) throw new SyncFileError('too_large', fileDetail('bytesAfterPayload'));
  // Hash the payload as stored before anything is inflated or parsed.
  const fileHash = createHash('sha256').update(head.subarray(0, payloadStart));
  const payloadHash = createHash('sha256');
  for await (const chunk of src.stream(payloadStart, manifest.payloadBytes)) {
    payloadHash.update(chunk as Buffer);
    fileHash.update(chunk as Buffer);
  }
  if (payloadHash.digest('hex') !== manifest.payloadSha256) throw new SyncFileError('payload_hash', fileDetail('payloadHashMismatch'));
  const verified = manifest;
  const rows = () => streamRows(src, payloadStart, verified) as AsyncGenerator<Record<string, unknown>>;
  return {
    lines: () => streamRows(src, payloadStart, verified, true) as AsyncGenerator<string>,
    manifest: verified,
    fileSha256: fileHash.digest('hex'),
    keyId: verified.keyId,
    bytes: src.size,
    rows,
    async allRows(maxRows = 1_000_000) {
      if (verified.rowCount > maxRows) throw new SyncFileError('too_large', fileDetail('tooManyRows', { rows: verified.rowCount, max: maxRows }));
      const out: Record<string, unknown>[] = [];
      for await (const r of rows()) out.push(r);
      return out;
    },
  };
}

async function* streamRows(src: Source, start: number, manifest: Manifest, asText = false): AsyncGenerator<Record<string, unknown> | string> {
  const raw = src.stream(start, manifest.payloadBytes);
  const hash = createHash('sha256');
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  let rawBytes = 0;
  let count = 0;
  let carry = '';
  const pump = raw.on('data', (c: Buffer) => hash.update(c));
  const inflated = pump.pipe(gunzip);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parse = (line: string): Record<string, unknown> => {
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new SyncFileError('row', fileDetail('rowNotJson', { row: count + 1 }));
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new SyncFileError('row', fileDetail('rowNotObject', { row: count + 1 }));
    count++;
    if (count > manifest.rowCount) throw new SyncFileError('row_count', fileDetail('moreRowsThanDeclared', { rows: manifest.rowCount }));
    return row as Record<string, unknown>;
  };
  try {
    for await (const chunk of inflated as AsyncIterable<Buffer>) {
      rawBytes += chunk.length;
      if (rawBytes > manifest.payloadRawBytes) throw new SyncFileError('payload_size', fileDetail('inflatesPastSize'));
      carry += decoder.decode(chunk, { stream: true });
      if (carry.length > MAX_LINE_BYTES) throw new SyncFileError('payload_size', fileDetail('rowTooLong'));
      let nl: number;
      let from = 0;
      while ((nl = carry.indexOf('\n', from)) !== -1) {
        const line = carry.slice(from, nl);
        from = nl + 1;
        if (asText) {
          count++;
          if (count > manifest.rowCount) throw new SyncFileError('row_count', fileDetail('moreRowsThanDeclared', { rows: manifest.rowCount }));
          yield line;
        } else yield parse(line);
      }
      carry = carry.slice(from);
    }
    carry += decoder.decode();
  } catch (e) {
    if (e instanceof SyncFileError) throw e;
    throw new SyncFileError('payload_size', fileDetail('cannotInflate'));
  } finally {
    raw.destroy();
    gunzip.destroy();
  }
  if (carry.length) throw new SyncFileError('row', fileDetail('noFinalNewline'));
  if (rawBytes !== manifest.payloadRawBytes) throw new SyncFileError('payload_size', fileDetail('notDeclaredSize'));
  if (hash.digest('hex') !== manifest.payloadSha256) throw new SyncFileError('payload_hash', fileDetail('changedWhileRead'));
  if (count !== manifest.rowCount) throw new SyncFileError('row_count', fileDetail('rowCount', { rows: count, declared: manifest.rowCount }));
}

/** Reads just the manifest, unverified: only for showing what a file claims to be. */
export async function peekManifest(file: string | Buffer): Promise<Record<string, unknown> | null> {
  const src = typeof file === 'string' ? await fileSource(file) : bufferSource(file);
  const head = await src.read(0, Math.min(src.size, HEADER_BYTES + MAX_MANIFEST_BYTES));
  if (head.length < HEADER_BYTES || !head.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const len = head.readUInt32BE(MAGIC.length);
  if (head.length < HEADER_BYTES + len) return null;
  try {
    return JSON.parse(head.subarray(HEADER_BYTES, HEADER_BYTES + len).toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}
