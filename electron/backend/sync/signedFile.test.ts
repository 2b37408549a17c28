import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FORMAT,
  MAGIC,
  SyncFileError,
  canonicalJson,
  fingerprint,
  generateKeyPair,
  keyIdOf,
  peekManifest,
  privateKeyFromPem,
  privateKeyToPem,
  publicKeyRaw,
  publicKeyToBase64,
  publicKeyToPem,
  readSignedFile,
  signedFileBytes,
  toPublicKey,
  trustedKeyMap,
  writeSignedFile,
} from './signedFile';
import { createHash } from 'node:crypto';
import { coded, renderMessage } from '../../../shared/i18n/coded';

const dir = mkdtempSync(path.join(os.tmpdir(), 'gd-signed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const station = generateKeyPair();
const other = generateKeyPair();
const trusted = trustedKeyMap([station.publicKey]);

function rows(n: number) {
  return Array.from({ length: n }, (_, i) => ({ seq: i + 1, entity: 'payment', id: `p-${i}`, op: 'insert', row: { amount_fen: i * 100, note: '收费 ' + i } }));
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SyncFileError) return e.code;
    throw e;
  }
  return 'accepted';
}

describe('keys', () => {
  it('key id is the first 16 hex of SHA-256 of the raw key, the same from every form', () => {
    const raw = publicKeyRaw(station.publicKey);
    expect(raw.length).toBe(32);
    expect(station.keyId).toBe(createHash('sha256').update(raw).digest('hex').slice(0, 16));
    expect(keyIdOf(publicKeyToPem(station.publicKey))).toBe(station.keyId);
    expect(keyIdOf(publicKeyToBase64(station.publicKey))).toBe(station.keyId);
    expect(keyIdOf(raw)).toBe(station.keyId);
    expect(keyIdOf(station.privateKey)).toBe(station.keyId);
    expect(fingerprint(station.publicKey)).toMatch(/^([0-9A-F]{4} ){15}[0-9A-F]{4}$/);
    expect(station.keyId).not.toBe(other.keyId);
  });

  it('private keys round-trip through PEM, encrypted when a passphrase is given', () => {
    const clear = privateKeyToPem(station.privateKey);
    expect(keyIdOf(privateKeyFromPem(clear))).toBe(station.keyId);
    const locked = privateKeyToPem(station.privateKey, 'secret');
    expect(locked).toContain('ENCRYPTED');
    expect(keyIdOf(privateKeyFromPem(locked, 'secret'))).toBe(station.keyId);
    expect(() => privateKeyFromPem(locked, 'wrong')).toThrow();
    expect(() => toPublicKey(Buffer.alloc(31))).toThrow();
  });
});

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: [true, null, 'x'] }, '{"a":[true,null,"x"],"b":1}'],
    [{ z: { y: 2, x: 1 }, u: undefined }, '{"z":{"x":1,"y":2}}'],
    ['电费', '"电费"'],
    [-0.5, '-0.5'],
  ])('%j → %s', (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });
  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow();
    expect(() => canonicalJson({ f: () => 1 })).toThrow();
  });
});

describe('writeSignedFile / readSignedFile', () => {
  it('round-trips manifest and rows; the codec fills its own fields', async () => {
    const file = path.join(dir, 'a.gdsync');
    const w = await writeSignedFile(file, { kind: 'batch', manifest: { stationId: 's1', fromSeq: 1, toSeq: 50 }, payloadLines: rows(50) }, station.privateKey, station.keyId);
    expect(readFileSync(file).subarray(0, 8).equals(MAGIC)).toBe(true);
    const v = await readSignedFile(file, trusted, { kind: 'batch' });
    expect(v.manifest).toMatchObject({ format: FORMAT, kind: 'batch', keyId: station.keyId, rowCount: 50, stationId: 's1', fromSeq: 1, toSeq: 50 });
    expect(v.fileSha256).toBe(w.fileSha256);
    expect(v.fileSha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    expect(await v.allRows()).toEqual(rows(50));
    // the same from bytes in memory
    const fromBuf = await readSignedFile(readFileSync(file), trusted);
    expect((await fromBuf.allRows()).length).toBe(50);
    // no temp files are left beside it
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('is deterministic: the same inputs give byte-identical files, from lines or a stream', async () => {
    const a = path.join(dir, 'det-a.gdsync');
    const b = path.join(dir, 'det-b.gdsync');
    await writeSignedFile(a, { kind: 'batch', manifest: { toSeq: 3, fromSeq: 1 }, payloadLines: rows(300) }, station.privateKey, station.keyId);
    async function* gen() {
      for (const r of rows(300)) yield canonicalJson(r);
    }
    await writeSignedFile(b, { kind: 'batch', manifest: { fromSeq: 1, toSeq: 3 }, payloadStream: gen() }, station.privateKey, station.keyId);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    // the gzip header carries no time and a fixed OS byte
    const bytes = readFileSync(a);
    const m = await peekManifest(bytes);
    const start = bytes.length - (m!.payloadBytes as number);
    expect(bytes.readUInt32LE(start + 4)).toBe(0);
    expect(bytes[start + 9]).toBe(255);
  });

  it('empty payloads are fine', async () => {
    const { bytes } = await signedFileBytes({ kind: 'ack', manifest: { status: 'applied' } }, station.privateKey, station.keyId);
    const v = await readSignedFile(bytes, trusted, { kind: 'ack' });
    expect(v.manifest.rowCount).toBe(0);
    expect(await v.allRows()).toEqual([]);
  });

  it('refuses a flipped byte anywhere, before any row is read', async () => {
    const { bytes } = await signedFileBytes({ kind: 'batch', manifest: { fromSeq: 1, toSeq: 40 }, payloadLines: rows(40) }, station.privateKey, station.keyId);
    const codes = new Set<string>();
    // every byte of a small file, one bit each time
    for (let i = 0; i < bytes.length; i++) {
      const bad = Buffer.from(bytes);
      bad[i] = bad[i]! ^ (1 << i % 8);
      const code = await codeOf(readSignedFile(bad, trusted));
      expect(code, `byte ${i}`).not.toBe('accepted');
      codes.add(code);
    }
    expect([...codes].sort()).toEqual(expect.arrayContaining(['not_sync_file', 'signature', 'payload_hash']));
  });

  it('says what is wrong inside a refused file in the reader’s language (coded detail), English for head office', async () => {
    const { bytes } = await signedFileBytes({ kind: 'batch', manifest: {}, payloadLines: rows(2) }, station.privateKey, station.keyId);
    const refusal = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        if (e instanceof SyncFileError) return e;
        throw e;
      }
      throw new Error('accepted');
    };
    const wrongKind = await refusal(readSignedFile(bytes, trusted, { kind: 'reference' }));
    expect(wrongKind.code).toBe('kind');
    expect(renderMessage('zh-CN', coded(`sync.file.${wrongKind.code}`, { detail: wrongKind.detail }))).toBe('文件类型不对：这是 batch 文件，而这里需要 reference 文件');
    expect(renderMessage('en', coded(`sync.file.${wrongKind.code}`, { detail: wrongKind.detail }))).toBe('Wrong kind of file: this is a batch file, not reference');
    expect(wrongKind.message).toBe('this is a batch file, not reference');
    const stranger = await refusal(readSignedFile(bytes, trustedKeyMap([other.publicKey])));
    expect(stranger.code).toBe('unknown_key');
    expect(renderMessage('zh-CN', stranger.detail)).toBe(`签名密钥为 ${station.keyId}，本站不信任该密钥`);
  });

  it('refuses truncation, trailing bytes, unknown keys, the wrong kind, and foreign files', async () => {
    const { bytes } = await signedFileBytes({ kind: 'batch', manifest: {}, payloadLines: rows(5) }, station.privateKey, station.keyId);
    expect(await codeOf(readSignedFile(bytes.subarray(0, bytes.length - 1), trusted))).toBe('truncated');
    expect(await codeOf(readSignedFile(bytes.subarray(0, 20), trusted))).toBe('truncated');
    expect(await codeOf(readSignedFile(Buffer.concat([bytes, Buffer.from([0])]), trusted))).toBe('too_large');
    expect(await codeOf(readSignedFile(bytes, trustedKeyMap([other.publicKey])))).toBe('unknown_key');
    expect(await codeOf(readSignedFile(bytes, trusted, { kind: 'ack' }))).toBe('kind');
    expect(await codeOf(readSignedFile(Buffer.from('PK\u0003\u0004 a workbook'), trusted))).toBe('not_sync_file');
    expect(await codeOf(readSignedFile(Buffer.alloc(0), trusted))).toBe('truncated');
    // a file signed by another key under this station's key id
    const forged = await signedFileBytes({ kind: 'batch', manifest: {}, payloadLines: rows(5) }, other.privateKey, station.keyId);
    expect(await codeOf(readSignedFile(forged.bytes, trusted))).toBe('signature');
  });

  it('stops inflating a payload that grows past its declared size (gzip bomb), signed or not', async () => {
    // A signer that lies about the raw size: build the file by hand with a valid signature.
    const { sign } = await import('node:crypto');
    const ndjson = Buffer.from('{"a":"' + 'x'.repeat(5_000_000) + '"}\n');
    const gz = gzipSync(ndjson);
    const manifest = {
      format: FORMAT,
      kind: 'batch',
      keyId: station.keyId,
      payloadBytes: gz.length,
      payloadRawBytes: 1000,
      payloadSha256: createHash('sha256').update(gz).digest('hex'),
      rowCount: 1,
    };
    const mbytes = Buffer.from(canonicalJson(manifest));
    const len = Buffer.alloc(4);
    len.writeUInt32BE(mbytes.length);
    const signed = Buffer.concat([MAGIC, len, mbytes]);
    const file = Buffer.concat([signed, sign(null, signed, station.privateKey), gz]);
    const v = await readSignedFile(file, trusted);
    expect(await codeOf(v.allRows())).toBe('payload_size');
  });

  it('accepts a self-signed enrolment only when asked, and only with the key it carries', async () => {
    const { bytes } = await signedFileBytes(
      { kind: 'enrolment', manifest: { stationId: 's1', publicKey: publicKeyToBase64(station.publicKey) } },
      station.privateKey,
      station.keyId,
    );
    expect(await codeOf(readSignedFile(bytes, new Map()))).toBe('unknown_key');
    const v = await readSignedFile(bytes, new Map(), { allowSelfSigned: true, kind: 'enrolment' });
    expect(v.keyId).toBe(station.keyId);
    const lying = await signedFileBytes(
      { kind: 'enrolment', manifest: { stationId: 's1', publicKey: publicKeyToBase64(other.publicKey) } },
      station.privateKey,
      station.keyId,
    );
    expect(await codeOf(readSignedFile(lying.bytes, new Map(), { allowSelfSigned: true }))).toBe('unknown_key');
  });

  it('writes through a temp name: a failing payload leaves neither the target nor temp files', async () => {
    const file = path.join(dir, 'fail.gdsync');
    writeFileSync(file, 'previous complete file');
    async function* broken() {
      yield { a: 1 };
      throw new Error('disk gone');
    }
    await expect(writeSignedFile(file, { kind: 'batch', manifest: {}, payloadStream: broken() }, station.privateKey, station.keyId)).rejects.toThrow('disk gone');
    expect(readFileSync(file, 'utf8')).toBe('previous complete file');
    expect(readdirSync(dir).filter((f) => f.startsWith('.fail'))).toEqual([]);
  });

  it('streams a large payload with bounded memory', async () => {
    const file = path.join(dir, 'big.gdsync');
    const n = 200_000;
    async function* gen() {
      for (let i = 0; i < n; i++) yield `{"id":"${i.toString().padStart(12, '0')}","seq":${i + 1}}`;
    }
    const w = await writeSignedFile(file, { kind: 'batch', manifest: {}, payloadStream: gen() }, station.privateKey, station.keyId);
    expect(w.manifest.rowCount).toBe(n);
    const v = await readSignedFile(file, trusted);
    let seen = 0;
    let last = 0;
    for await (const r of v.rows()) {
      seen++;
      last = r.seq as number;
    }
    expect([seen, last]).toEqual([n, n]);
  });

  it('refuses a manifest field the codec owns', async () => {
    await expect(signedFileBytes({ kind: 'batch', manifest: { rowCount: 3 } }, station.privateKey, station.keyId)).rejects.toThrow(/set by the codec/);
  });
});
