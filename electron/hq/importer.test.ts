import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSignedFile, writeSignedFile } from '../backend/sync/signedFile';
import { HqError } from './errors';
import { importBatch } from './importer';
import { enrolStation, issueBootstrap, revokeKey, rotateStationKey } from './stations';
import { backends, CodecStation, openTestHq, paymentRow, requireRealServerInCi, writeBytes, type TestHq } from './testing';

requireRealServerInCi();

async function ackOf(t: TestHq, bytes: Buffer) {
  const v = await readSignedFile(bytes, new Map([[t.hq.key.keyId, t.hq.key.publicKey]]), { kind: 'ack' });
  return v.manifest as Record<string, unknown>;
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HqError) return e.code;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe.each(backends())('head office import on %s', (backend) => {
  let t: TestHq;
  let dir: string;
  beforeAll(async () => {
    t = await openTestHq(backend);
    dir = mkdtempSync(join(tmpdir(), 'hq-batches-'));
  }, 60_000);
  afterAll(async () => t?.close());

  const count = async (sql: string, params: unknown[]) => Number((await t.hq.db.query<{ n: number }>(sql, params))[0]!.n);

  it('applies in order exactly once; a replay answers the same ack; a gap is held then applied', async () => {
    const st = new CodecStation(dir);
    await enrolStation(t.hq, await st.enrolment(), 'test');
    const b1 = await st.batch(1, 5, (s) => paymentRow(s));
    const b2 = await st.batch(6, 8, (s) => paymentRow(s));
    const b3 = await st.batch(9, 9, (s) => paymentRow(s, 500, '2026-04-01'));

    const r1 = await importBatch(t.hq, b1.file, 'cli');
    expect(r1.outcome).toBe('applied');
    expect((await ackOf(t, r1.ack))).toMatchObject({ status: 'applied', ackedSeq: 5, fromSeq: 1, toSeq: 5, batchSha256: b1.sha, stationId: st.stationId });
    expect(existsSync(join(t.home, 'files', 'batches', `${b1.sha}.gdsync`))).toBe(true);

    const again = await importBatch(t.hq, b1.file, 'push');
    expect(again.outcome).toBe('duplicate');
    expect(again.ack.equals(r1.ack)).toBe(true);

    // b3 arrives before b2: held, then applied by itself once b2 arrives.
    const r3 = await importBatch(t.hq, b3.file, 'push');
    expect(r3.outcome).toBe('held');
    expect((await ackOf(t, r3.ack))).toMatchObject({ status: 'held', ackedSeq: 5 });
    expect(await count('SELECT count(*) AS n FROM station_rows WHERE station_id = $1', [st.stationId])).toBe(5);
    const r2 = await importBatch(t.hq, b2.file, 'push');
    expect(r2.outcome).toBe('applied');
    expect(r2.released).toEqual([{ sha256: b3.sha, fromSeq: 9, toSeq: 9 }]);
    expect(await count('SELECT count(*) AS n FROM station_rows WHERE station_id = $1', [st.stationId])).toBe(9);
    expect(await count('SELECT acked_seq AS n FROM stations WHERE station_id = $1', [st.stationId])).toBe(9);
    expect(await count(`SELECT collected_fen AS n FROM station_month WHERE station_id = $1 AND period = '2026-03'`, [st.stationId])).toBe(8000);
    expect(await count(`SELECT collected_fen AS n FROM station_month WHERE station_id = $1 AND period = '2026-04'`, [st.stationId])).toBe(500);
    expect(await count('SELECT count(*) AS n FROM hq_payments WHERE station_id = $1', [st.stationId])).toBe(9);
    // The rows sit in the station's own partition.
    expect(await count(`SELECT count(*) AS n FROM station_rows_default`, [])).toBe(0);
  }, 120_000);

  it('rejects the same range with other content and flags the station; a re-cut of applied rows is a duplicate', async () => {
    const st = new CodecStation(dir);
    await enrolStation(t.hq, await st.enrolment(), 'test');
    const good = await st.batch(1, 4, (s) => paymentRow(s));
    expect((await importBatch(t.hq, good.file, 'cli')).outcome).toBe('applied');
    st.lastSha = null;
    const forged = await st.batch(1, 4, (s) => paymentRow(s, s === 3 ? 999_999 : 1000));
    const r = await importBatch(t.hq, forged.file, 'push');
    expect(r.outcome).toBe('rejected');
    expect(r.code).toBe('equivocation');
    expect((await ackOf(t, r.ack))).toMatchObject({ status: 'rejected' });
    expect((await t.hq.db.query<{ flagged: string }>('SELECT flagged FROM stations WHERE station_id = $1', [st.stationId]))[0]!.flagged).toMatch(/equivocation/);
    expect(await count(`SELECT collected_fen AS n FROM station_month WHERE station_id = $1`, [st.stationId])).toBe(4000);
    // Same rows, another manifest (a reference version applied since): not equivocation.
    const recut = await st.batch(1, 4, (s) => paymentRow(s), { referenceVersion: 3 });
    expect((await importBatch(t.hq, recut.file, 'push')).outcome).toBe('duplicate');
    // Overlapping range: the applied part must match, the rest applies.
    st.lastSha = good.sha;
    const over = await st.batch(3, 6, (s) => paymentRow(s));
    expect((await importBatch(t.hq, over.file, 'push')).outcome).toBe('applied');
    expect(await count(`SELECT collected_fen AS n FROM station_month WHERE station_id = $1`, [st.stationId])).toBe(6000);
  }, 120_000);

  it('refuses tampered, truncated, bombed, unknown-station, wrong-kind files and writes nothing', async () => {
    const st = new CodecStation(dir);
    await enrolStation(t.hq, await st.enrolment(), 'test');
    const b = await st.batch(1, 50, (s) => paymentRow(s));
    const bytes = readFileSync(b.file);
    const before = await count('SELECT count(*) AS n FROM station_rows', []);
    for (const at of [3, 20, bytes.length - 80, bytes.length - 5]) {
      const flipped = Buffer.from(bytes);
      flipped[at]! ^= 0x01;
      const code = await refusal(importBatch(t.hq, writeBytes(dir, `flip-${at}.gdsync`, flipped), 'push'));
      expect(['signature', 'payload_hash', 'not_sync_file', 'manifest', 'format', 'unknown_station', 'truncated']).toContain(code);
    }
    expect(await refusal(importBatch(t.hq, writeBytes(dir, 'trunc.gdsync', bytes.subarray(0, bytes.length - 10)), 'push'))).toBe('truncated');
    expect(await refusal(importBatch(t.hq, writeBytes(dir, 'junk.gdsync', Buffer.from('PK\u0003\u0004 not a batch')), 'upload'))).toBe('not_sync_file');
    const stranger = new CodecStation(dir);
    expect(await refusal(importBatch(t.hq, (await stranger.batch(1, 2, (s) => paymentRow(s))).file, 'push'))).toBe('unknown_station');
    expect(await refusal(importBatch(t.hq, await st.enrolment(), 'push'))).toBe('kind');
    expect(await refusal(importBatch(t.hq, b.file, 'push', { expectStation: 'someone-else' }))).toBe('wrong_station');
    // A station's PC signing with a key not registered for it.
    const impostor = new CodecStation(dir, st.stationId, st.code);
    expect(await refusal(importBatch(t.hq, (await impostor.batch(1, 2, (s) => paymentRow(s))).file, 'push'))).toBe('unknown_key');
    // Gzip bomb: a payload that inflates past the size its manifest declares.
    const bomb = await st.batch(1, 2, () => ({ entity: 'notes', id: 'x', row: { text: 'a'.repeat(200_000) } }));
    const v = await readSignedFile(bomb.file, new Map([[st.key.keyId, st.key.publicKey]]));
    expect(Number(v.manifest.payloadRawBytes)).toBeGreaterThan(400_000);
    // Future schema version.
    const future = await st.batch(1, 2, (s) => paymentRow(s), { schemaVersion: 999 });
    expect(await refusal(importBatch(t.hq, future.file, 'push'))).toBe('schema_future');
    expect(await count('SELECT count(*) AS n FROM station_rows', [])).toBe(before);
    expect(await count(`SELECT count(*) AS n FROM import_refusals WHERE code = 'schema_future'`, [])).toBeGreaterThan(0);
  }, 120_000);

  it('refuses a payload that inflates past its declared size, and rolls back', async () => {
    const st = new CodecStation(dir);
    await enrolStation(t.hq, await st.enrolment(), 'test');
    // Hand-make a file whose manifest under-declares payloadRawBytes: sign it with the station key
    // by writing a correct file, then re-signing a manifest with a smaller raw size.
    const { signedFileBytes } = await import('../backend/sync/signedFile');
    const real = await signedFileBytes({ kind: 'batch', manifest: { stationId: st.stationId, stationCode: st.code, schemaVersion: 6, appVersion: '0', epoch: 1, fromSeq: 1, toSeq: 3, count: 3, previousBatchSha256: null, referenceVersion: null }, payloadLines: [1, 2, 3].map((s) => paymentRow(s)).map((r, i) => ({ ...r, seq: i + 1, op: 'insert' })) }, st.key.privateKey, st.key.keyId);
    const bombed = forgeRawBytes(real.bytes, 10, st.key.privateKey);
    expect(await refusal(importBatch(t.hq, writeBytes(dir, 'bomb.gdsync', bombed), 'push'))).toBe('payload_size');
    expect(await count('SELECT count(*) AS n FROM station_rows WHERE station_id = $1', [st.stationId])).toBe(0);
    expect(await count('SELECT acked_seq AS n FROM stations WHERE station_id = $1', [st.stationId])).toBe(0);
  }, 120_000);

  it('streams rows through COPY exactly as sent (backslashes, tabs, CR, quotes, CJK) and refuses a line that is not an object', async () => {
    const st = new CodecStation(dir);
    await enrolStation(t.hq, await st.enrolment(), 'test');
    const awkward = 'a\\b\t"q"\r\n 张三 \\N \u0001 end\\';
    const b1 = await st.batch(1, 2, (s) => ({ entity: 'customer', id: `c-${s}`, op: 'update', row: { id: `c-${s}`, name: awkward, note: s === 2 ? '\\.' : null } }));
    expect((await importBatch(t.hq, b1.file, 'cli')).outcome).toBe('applied');
    const rows = await t.hq.db.query<{ seq: number; row: { name: string; note: string | null } }>('SELECT seq, row FROM station_rows WHERE station_id = $1 ORDER BY seq', [st.stationId]);
    expect(rows.map((r) => [Number(r.seq), r.row.name, r.row.note])).toEqual([
      [1, awkward, null],
      [2, awkward, '\\.'],
    ]);
    // Raw lines as a hostile or broken exporter might write them: JSON whitespace (tab, CR) is
    // accepted; a line that is an array is refused and nothing of the batch is written.
    const raw = async (name: string, seq: number, line: string) => {
      const file = join(dir, name);
      const w = await writeSignedFile(
        file,
        { kind: 'batch', manifest: { stationId: st.stationId, stationCode: st.code, schemaVersion: 6, appVersion: '0.1.0', epoch: 1, fromSeq: seq, toSeq: seq, count: 1, previousBatchSha256: st.lastSha, referenceVersion: null }, payloadLines: [line] as never },
        st.key.privateKey,
        st.key.keyId,
      );
      return { file, sha: w.fileSha256 };
    };
    const spaced = await raw('raw-3.gdsync', 3, '{"seq":3,\t"entity":"customer","id":"c-3","op":"update","row":{"id":"c-3","name":"x\\ty"}}\r');
    expect((await importBatch(t.hq, spaced.file, 'cli')).outcome).toBe('applied');
    st.lastSha = spaced.sha;
    expect((await t.hq.db.query<{ row: { name: string } }>('SELECT row FROM station_rows WHERE station_id = $1 AND seq = 3', [st.stationId]))[0]!.row.name).toBe('x\ty');
    expect(await refusal(importBatch(t.hq, (await raw('raw-4.gdsync', 4, '[4, "customer"]')).file, 'cli'))).toBe('row');
    expect(await count('SELECT count(*) AS n FROM station_rows WHERE station_id = $1', [st.stationId])).toBe(3);
    expect(await count('SELECT acked_seq AS n FROM stations WHERE station_id = $1', [st.stationId])).toBe(3);
  });

  it('after a key rotation or a bootstrap, batches signed with the old key are refused; a revoked key too', async () => {
    const st = new CodecStation(dir);
    await enrolStation(t.hq, await st.enrolment(), 'test');
    expect((await importBatch(t.hq, (await st.batch(1, 3, (s) => paymentRow(s))).file, 'cli')).outcome).toBe('applied');
    const oldKeyLater = await new CodecStation(dir, st.stationId, st.code);
    oldKeyLater.key = st.key;
    oldKeyLater.lastSha = st.lastSha;
    const stale = await oldKeyLater.batch(4, 5, (s) => paymentRow(s));

    const boot = await issueBootstrap(t.hq, st.code, join(dir, `${st.code}-bootstrap.gdsync`), 'test');
    expect(boot).toMatchObject({ rows: 3, throughSeq: 3, epoch: 2 });
    const bv = await readSignedFile(boot.file, new Map([[t.hq.key.keyId, t.hq.key.publicKey]]), { kind: 'bootstrap' });
    expect((await bv.allRows()).map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(await refusal(importBatch(t.hq, stale.file, 'push'))).toBe('revoked_key');

    st.rotate();
    await rotateStationKey(t.hq, await st.enrolment(), 'test');
    st.lastSha = null;
    expect((await importBatch(t.hq, (await st.batch(4, 6, (s) => paymentRow(s))).file, 'push')).outcome).toBe('applied');
    expect(await refusal(importBatch(t.hq, stale.file, 'push'))).toBe('revoked_key');

    await revokeKey(t.hq, st.code, undefined, 'PC stolen', 'test');
    expect(await refusal(importBatch(t.hq, (await st.batch(7, 7, (s) => paymentRow(s))).file, 'push'))).toBe('revoked_key');
  }, 120_000);
});

/** Re-signs a file's manifest with a smaller payloadRawBytes (what a gzip bomb looks like). */
function forgeRawBytes(bytes: Buffer, rawBytes: number, key: import('node:crypto').KeyObject): Buffer {
  const { sign } = require('node:crypto') as typeof import('node:crypto');
  const len = bytes.readUInt32BE(8);
  const manifest = JSON.parse(bytes.subarray(12, 12 + len).toString('utf8')) as Record<string, unknown>;
  manifest.payloadRawBytes = rawBytes;
  const keys = Object.keys(manifest).sort();
  const text = Buffer.from(JSON.stringify(Object.fromEntries(keys.map((k) => [k, manifest[k]]))), 'utf8');
  const head = Buffer.alloc(12);
  bytes.copy(head, 0, 0, 8);
  head.writeUInt32BE(text.length, 8);
  const signed = Buffer.concat([head, text]);
  const signature = sign(null, signed, key);
  return Buffer.concat([signed, signature, bytes.subarray(12 + len + 64)]);
}
void writeSignedFile;
