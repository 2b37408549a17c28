import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../audit/record';
import { SAMPLE_TARIFFS } from '../billing/testing/station';
import { addCustomer, issueBill } from '../collection/fixture';
import { sql } from '../db/sql';
import { AppError } from '../errors';
import { makeTestStation, type TestClient, type TestStation } from '../testing';
import { bootstrapStation } from './bootstrap';
import { changeMark } from '../readings/mark';
import { keysDir, setKeyProtector } from './keys';
import { generateKeyPair, publicKeyToBase64, readSignedFile, signedFileBytes, trustedKeyMap, type StationKeyPair } from './signedFile';
import { applyAck, applyReference, exportBatch, installHqKey, outgoingDir, pullReference, pushBatch, rotateStationKey, syncStatus, writeEnrolment, type ExportResult } from './station';

let station: TestStation;
afterEach(() => station?.close());

const hq = generateKeyPair();
const ACTOR = SYSTEM_ACTOR;

async function counterStation(): Promise<{ clerk: TestClient; head: TestClient }> {
  station = makeTestStation();
  await station.setUp();
  const clerk = await station.staffClient('C001', ['clerk'], '王芳');
  const head = await station.staffClient('H001', ['station_head'], '李所长');
  installHqKey(station.backend, ACTOR, publicKeyToBase64(hq.publicKey), 'HQ-TEST');
  return { clerk, head };
}

let n = 0;
async function pay(clerk: TestClient, customerId: string, amountFen = 1000) {
  return clerk.call('collection.pay', { customerId, amountFen, channel: 'cash', tenderedFen: amountFen, idempotencyKey: `key-${++n}-${Date.now()}` });
}

function customerWithBill() {
  const c = addCustomer(station.backend, { name: '张三', phone: '13800001234', bookNo: 'B01' });
  issueBill(station.backend, { customerId: c.id, period: '2026-10', amountFen: 12000, dueDate: '2026-11-30' });
  return c;
}

async function ackFor(batch: ExportResult, overrides: Record<string, unknown> = {}, key: StationKeyPair = hq) {
  const stationId = station.backend.requireStation().id;
  const { bytes } = await signedFileBytes(
    {
      kind: 'ack',
      manifest: { stationId, epoch: batch.epoch, fromSeq: batch.fromSeq, toSeq: batch.toSeq, batchSha256: batch.sha256, status: 'applied', reason: null, ackedSeq: batch.toSeq, ...overrides },
    },
    key.privateKey,
    key.keyId,
  );
  return bytes;
}

const outboxCount = () => station.backend.store.read.value<number>(sql`SELECT count(*) FROM outbox`);
const acked = () => station.backend.store.read.value<number>(sql`SELECT acked_seq FROM sync_state`);
const stationTrust = () => trustedKeyMap([station.backend.store.read.value<string>(sql`SELECT public_key FROM sync_keys WHERE retired_at IS NULL`)!]);

describe('the outbox holds references to insert-only facts', () => {
  it('keeps no copy of a payment, bill or issue; keeps what changed for a customer file', async () => {
    const { clerk } = await counterStation();
    const c = customerWithBill();
    await pay(clerk, c.id, 5000);
    const rows = station.backend.store.read.all<{ entity: string; payload: string | null }>(sql`SELECT entity, payload FROM outbox ORDER BY seq`);
    expect(rows.find((r) => r.entity === 'payment')?.payload).toBeNull();
    expect(rows.find((r) => r.entity === 'customer')?.payload).toContain('张三');
  });
});

describe('export', () => {
  it('writes one signed batch since the last ack, with the rows read from their tables; a re-export is byte-identical', async () => {
    const { clerk } = await counterStation();
    const c = customerWithBill();
    const posted = await pay(clerk, c.id, 5000);
    const out = join(station.dir, 'out');
    const first = await exportBatch(station.backend, ACTOR, { outDir: out });
    const bytes = readFileSync(first.file);
    const v = await readSignedFile(first.file, stationTrust(), { kind: 'batch' });
    const st = station.backend.requireStation();
    expect(v.manifest).toMatchObject({ stationId: st.id, stationCode: 'GD01', epoch: 1, fromSeq: 1, toSeq: first.toSeq, count: first.count, previousBatchSha256: null, referenceVersion: null, schemaVersion: station.backend.schemaVersion });
    const rows = await v.allRows();
    expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq as number)].sort((a, b) => a - b));
    const payment = rows.find((r) => r.entity === 'payment')!;
    expect(payment).toMatchObject({ table: 'payments', id: posted.paymentId, op: 'insert', row: { receipt_no: posted.receiptNo, amount_fen: 5000 } });
    const children = payment.children as Record<string, Record<string, unknown>[]>;
    expect(children.settlements?.[0]).toMatchObject({ payment_id: posted.paymentId });
    expect(children.ledger_entries?.map((e) => e.entry_type)).toContain('payment');
    expect(rows.find((r) => r.entity === 'customer')?.row).toMatchObject({ name: '张三' });
    // Again, unacknowledged: the same bytes, recorded once.
    const again = await exportBatch(station.backend, ACTOR, { outDir: out });
    expect(again.again).toBe(true);
    expect(readFileSync(again.file).equals(bytes)).toBe(true);
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM sync_batches`)).toBe(1);
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('puts a payment committed during the export in this batch or the next, never lost, never both', async () => {
    const { clerk } = await counterStation();
    const c = customerWithBill();
    for (let i = 0; i < 5; i++) await pay(clerk, c.id, 100);
    const out = join(station.dir, 'out');
    let during: Awaited<ReturnType<typeof pay>> | undefined;
    const first = await exportBatch(station.backend, ACTOR, {
      outDir: out,
      progress: async () => {
        during ??= await pay(clerk, c.id, 777); // committed while the batch is being written
      },
    });
    const ids = async (file: string) => (await (await readSignedFile(file, stationTrust())).allRows()).filter((r) => r.entity === 'payment').map((r) => r.id);
    const inFirst = await ids(first.file);
    await applyAck(station.backend, ACTOR, await ackFor(first));
    const second = await exportBatch(station.backend, ACTOR, { outDir: out });
    const inSecond = await ids(second.file);
    expect(second.fromSeq).toBe(first.toSeq + 1);
    expect([...inFirst, ...inSecond].filter((id) => id === during!.paymentId)).toHaveLength(1);
    expect(new Set([...inFirst, ...inSecond]).size).toBe(6);
  });

  it('orders by seq whatever the wall clock says (1970 and 2040)', async () => {
    await counterStation();
    station.clock.now = Date.UTC(2040, 0, 1);
    addCustomer(station.backend, { name: '二〇四〇', bookNo: 'B01' });
    const out = join(station.dir, 'out');
    const a = await exportBatch(station.backend, ACTOR, { outDir: out });
    await applyAck(station.backend, ACTOR, await ackFor(a));
    station.clock.now = Date.UTC(1970, 0, 2);
    addCustomer(station.backend, { name: '一九七〇', bookNo: 'B01' });
    const b = await exportBatch(station.backend, ACTOR, { outDir: out });
    expect(b.fromSeq).toBe(a.toSeq + 1);
    const vb = await readSignedFile(b.file, stationTrust());
    expect(vb.manifest.previousBatchSha256).toBe(a.sha256);
    const seqs = (await vb.allRows()).map((r) => r.seq as number);
    expect(seqs[0]).toBe(a.toSeq + 1);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    const r = await applyAck(station.backend, ACTOR, await ackFor(b));
    expect(r.ackedSeq).toBe(b.toSeq);
    expect(outboxCount()).toBe(0);
  });

  it('says so when nothing is waiting', async () => {
    await counterStation();
    const out = join(station.dir, 'out');
    const a = await exportBatch(station.backend, ACTOR, { outDir: out });
    await applyAck(station.backend, ACTOR, await ackFor(a));
    await expect(exportBatch(station.backend, ACTOR, { outDir: out })).rejects.toMatchObject({ key: 'sync.nothingToExport' });
  });

  it('killed mid-write leaves no file under the final name and the outbox unchanged', async () => {
    await counterStation();
    // A large outbox so the export is still writing when it is killed.
    station.backend.write(ACTOR, (unit) =>
      unit.outboxAll(Array.from({ length: 60_000 }, (_, i) => ({ entity: 'customer', entityId: `c-${i}`, op: 'update' as const, payload: { i, note: 'x'.repeat(200) + i } }))),
    );
    const before = outboxCount();
    const out = join(station.dir, 'crash');
    mkdirSync(out);
    const db = station.backend.store.file;
    // The command's export job writes into the station's outgoing folder, then copies the
    // finished file into --out: the kill lands while the job is still writing there.
    const outgoing = outgoingDir(station.backend);
    const listing = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);
    const child = spawn(process.execPath, ['bin/griddesk.mjs', 'sync', 'export', '--out', out, '--db', db], { stdio: 'ignore' });
    const killed = await new Promise<boolean>((resolve) => {
      const timer = setInterval(() => {
        if (listing(outgoing).some((f) => f.endsWith('.tmp'))) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve(true);
        }
      }, 2);
      child.on('exit', () => {
        clearInterval(timer);
        resolve(false);
      });
    });
    await new Promise((r) => child.exitCode !== null || child.signalCode !== null ? r(null) : child.on('exit', r));
    expect(killed).toBe(true);
    expect(listing(outgoing).filter((f) => f.endsWith('.gdsync'))).toEqual([]);
    expect(readdirSync(out)).toEqual([]);
    expect(outboxCount()).toBe(before);
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM sync_batches`)).toBe(0);
    // The next export clears the leftovers and writes the whole batch.
    const r = await exportBatch(station.backend, ACTOR);
    expect(r.count).toBe(before);
    expect(readdirSync(outgoing).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});

describe('acknowledgements', () => {
  it('records the acked seq and prunes the outbox in one go', async () => {
    const { clerk } = await counterStation();
    const c = customerWithBill();
    await pay(clerk, c.id);
    const batch = await exportBatch(station.backend, ACTOR, { outDir: join(station.dir, 'out') });
    const r = await applyAck(station.backend, ACTOR, await ackFor(batch));
    expect(r).toMatchObject({ status: 'applied', ackedSeq: batch.toSeq, pruned: batch.count });
    expect(outboxCount()).toBe(0);
    const s = syncStatus(station.backend);
    expect(s.waitingTotal).toBe(0);
    expect(s.answers[0]).toMatchObject({ status: 'applied', outcome: 'recorded' });
    // The same ack again changes nothing more.
    expect((await applyAck(station.backend, ACTOR, await ackFor(batch))).pruned).toBe(0);
    // Pruning empties the outbox, but the change mark other desks key on never goes back.
    const mark = changeMark(station.backend.store.read);
    expect(Number(mark.split(':')[0])).toBe(batch.toSeq);
    addCustomer(station.backend, { name: '李四', bookNo: 'B01' });
    expect(Number(changeMark(station.backend.store.read).split(':')[0])).toBeGreaterThan(batch.toSeq);
  });

  it('refuses, changing nothing, acks for unexported ranges, other keys, other stations and tampered files', async () => {
    const { clerk } = await counterStation();
    const c = customerWithBill();
    await pay(clerk, c.id);
    const batch = await exportBatch(station.backend, ACTOR, { outDir: join(station.dir, 'out') });
    const before = { outbox: outboxCount(), acked: acked() };
    const refused = async (bytes: Buffer) => {
      const e = await applyAck(station.backend, ACTOR, bytes).then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(AppError);
      expect({ outbox: outboxCount(), acked: acked() }).toEqual(before);
      return (e as AppError).key;
    };
    expect(await refused(await ackFor(batch, { fromSeq: 1, toSeq: batch.toSeq + 50, ackedSeq: batch.toSeq + 50 }))).toBe('sync.ackNotExported');
    expect(await refused(await ackFor(batch, { batchSha256: 'f'.repeat(64) }))).toBe('sync.ackNotExported');
    expect(await refused(await ackFor(batch, {}, generateKeyPair()))).toBe('sync.file.unknown_key');
    expect(await refused(await ackFor(batch, { stationId: 'another-station' }))).toBe('sync.ackOtherStation');
    const tampered = Buffer.from(await ackFor(batch));
    tampered[40] = tampered[40]! ^ 1;
    expect(await refused(tampered)).toMatch(/^sync\.file\./);
    expect(syncStatus(station.backend).answers.filter((a) => a.outcome === 'refused').length).toBe(5);
  });
});

describe('reference packs', () => {
  async function pack(version: number, rows: Record<string, unknown>[], key: StationKeyPair = hq, hqId = 'HQ-TEST') {
    return (await signedFileBytes({ kind: 'reference', manifest: { version, hqId }, payloadLines: rows }, key.privateKey, key.keyId)).bytes;
  }

  it('loads tariffs through the tariff import and score sheets through the appraisal loader; same pack twice is a no-op; older or foreign refused', async () => {
    await counterStation();
    const tariffFile = JSON.parse(readFileSync(SAMPLE_TARIFFS, 'utf8')) as Record<string, unknown>;
    const sheet = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'appraisal', 'kpi-100.json'), 'utf8')) as Record<string, unknown>;
    // A sheet that does not add up refuses the whole pack, naming the sheet.
    await expect(applyReference(station.backend, ACTOR, await pack(2, [{ type: 'tariff', data: tariffFile }, { type: 'scoreSheet', data: { ...sheet, fullScore: 90 } }]))).rejects.toMatchObject({ key: 'appraisal.err.sheetFile' });
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM tariff_versions`)).toBe(0);
    const v2 = await pack(2, [{ type: 'tariff', data: tariffFile }, { type: 'scoreSheet', data: sheet }, { type: 'notice', data: { id: 'N1', title: '停电通知' } }]);
    const r = await applyReference(station.backend, ACTOR, v2);
    expect(r).toMatchObject({ version: 2, already: false, scoreSheets: 1, loaded: { notice: 1 } });
    expect(station.backend.store.read.column<string>(sql`SELECT code FROM appraisal_sheets`)).toEqual(['KPI100']);
    expect(r.tariffs).toBeGreaterThan(0);
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM tariff_versions`)).toBe(r.tariffs);
    expect(syncStatus(station.backend).referenceVersion).toBe(2);
    expect((await applyReference(station.backend, ACTOR, v2)).already).toBe(true);
    await expect(applyReference(station.backend, ACTOR, await pack(1, []))).rejects.toMatchObject({ key: 'sync.refOlder' });
    await expect(applyReference(station.backend, ACTOR, await pack(3, [], generateKeyPair()))).rejects.toMatchObject({ key: 'sync.file.unknown_key' });
    await expect(applyReference(station.backend, ACTOR, await pack(3, [], hq, 'HQ-OTHER'))).rejects.toMatchObject({ key: 'sync.refOtherHq' });
    // A password riding along with a staff change refuses the whole pack, naming the row; the notice before it is not kept.
    const withPassword = await pack(3, [{ type: 'notice', data: { id: 'N9', title: '新通知' } }, { type: 'staff', data: { staffNo: 'R010', name: '赵五', roles: ['clerk'], password: 'hunter22' } }]);
    await expect(applyReference(station.backend, ACTOR, withPassword)).rejects.toMatchObject({ key: 'sync.refRow.password', params: { row: 2, type: 'staff', field: 'password' } });
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM sync_notices`)).toBe(1);
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM staff WHERE staff_no = 'R010'`)).toBe(0);
    expect(syncStatus(station.backend).referenceVersion).toBe(2);
    // A bad row leaves nothing of the pack behind.
    await expect(applyReference(station.backend, ACTOR, await pack(4, [{ type: 'tariff', data: tariffFile }, { type: 'mystery', data: {} }]))).rejects.toMatchObject({ key: 'sync.refUnknownType' });
    expect(syncStatus(station.backend).referenceVersion).toBe(2);
  });
});

describe('push over HTTP', () => {
  it('posts the batch, stores the signed ack; a retry is safe; no connection is a clear message', async () => {
    const { clerk } = await counterStation();
    const c = customerWithBill();
    await pay(clerk, c.id);
    const received: string[] = [];
    const pack = (await signedFileBytes({ kind: 'reference', manifest: { version: 5, hqId: 'HQ-TEST' }, payloadLines: [{ type: 'notice', data: { id: 'N1', title: '停电通知' } }] }, hq.privateKey, hq.keyId)).bytes;
    const server = createServer((req, res) => {
      if (req.method === 'GET' && req.url?.startsWith('/sync/reference?after=')) {
        const after = Number(req.url.split('=')[1]);
        if (after >= 5) res.writeHead(204).end();
        else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(pack);
        return;
      }
      const parts: Buffer[] = [];
      req.on('data', (d: Buffer) => parts.push(d));
      req.on('end', async () => {
        try {
          const body = Buffer.concat(parts);
          const v = await readSignedFile(body, stationTrust(), { kind: 'batch' });
          received.push(v.fileSha256);
          const m = v.manifest;
          const { bytes } = await signedFileBytes(
            { kind: 'ack', manifest: { stationId: m.stationId, epoch: m.epoch, fromSeq: m.fromSeq, toSeq: m.toSeq, batchSha256: v.fileSha256, status: received.length > 1 ? 'duplicate' : 'applied', reason: null, ackedSeq: m.toSeq } },
            hq.privateKey,
            hq.keyId,
          );
          res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
        } catch (e) {
          res.writeHead(400).end(String(e));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const r = await pushBatch(station.backend, ACTOR, url, { outDir: join(station.dir, 'out') });
      expect(r.ack.status).toBe('applied');
      expect(outboxCount()).toBe(0);
      await pay(clerk, c.id);
      const r2 = await pushBatch(station.backend, ACTOR, url, { outDir: join(station.dir, 'out') });
      expect(r2.export.fromSeq).toBe(r.export.toSeq + 1);
      expect(received).toHaveLength(2);
      // Reference data over the same line: the newer pack, then nothing newer.
      expect(await pullReference(station.backend, ACTOR, url)).toMatchObject({ version: 5, loaded: { notice: 1 } });
      expect(await pullReference(station.backend, ACTOR, url)).toBeNull();
    } finally {
      await new Promise((r) => server.close(r));
    }
    await pay(clerk, c.id);
    const waiting = outboxCount();
    await expect(pushBatch(station.backend, ACTOR, url, { outDir: join(station.dir, 'out'), timeoutMs: 3000 })).rejects.toMatchObject({ key: 'sync.noConnection' });
    expect(outboxCount()).toBe(waiting);
  });
});

describe('keys, enrolment, bootstrap', () => {
  it('keeps the private key in an owner-only file, never in the database; enrolment is self-signed; rotation starts a new epoch', async () => {
    await counterStation();
    const files = readdirSync(keysDir(station.backend));
    expect(files).toHaveLength(1);
    if (process.platform !== 'win32') expect(readFileSync(join(keysDir(station.backend), files[0]!)).length).toBeGreaterThan(0);
    if (process.platform !== 'win32') {
      const { statSync } = await import('node:fs');
      expect(statSync(join(keysDir(station.backend), files[0]!)).mode & 0o777).toBe(0o600);
    }
    const dump = station.backend.store.db.prepare(`SELECT group_concat(public_key || key_file) FROM sync_keys`).pluck().get() as string;
    expect(dump).not.toContain('PRIVATE');
    const enrol = join(station.dir, 'enrol.gdsync');
    const e = await writeEnrolment(station.backend, ACTOR, enrol);
    const v = await readSignedFile(enrol, new Map(), { kind: 'enrolment', allowSelfSigned: true });
    expect(v.manifest).toMatchObject({ stationCode: 'GD01', epoch: 1, fingerprint: e.fingerprint, fromSeq: 1 });
    expect(readFileSync(enrol).toString('latin1')).not.toContain('PRIVATE KEY');
    const rotated = await rotateStationKey(station.backend, ACTOR);
    expect(rotated.epoch).toBe(2);
    expect(rotated.keyId).not.toBe(e.keyId);
    const batch = await exportBatch(station.backend, ACTOR, { outDir: join(station.dir, 'out') });
    expect(batch.epoch).toBe(2);
    // Head office trusts only the new key now: the batch is signed by it.
    await expect(readSignedFile(batch.file, trustedKeyMap([v.manifest.publicKey as string]))).rejects.toMatchObject({ code: 'unknown_key' });
  });

  it('seals the private key with the desktop shell\'s protector when there is one', async () => {
    setKeyProtector({ name: 'safeStorage', seal: (b) => Buffer.from(b.toString('base64')), open: (b) => Buffer.from(b.toString(), 'base64') });
    try {
      await counterStation();
      const [file] = readdirSync(keysDir(station.backend));
      const body = readFileSync(join(keysDir(station.backend), file!), 'utf8');
      expect(body).not.toContain('PRIVATE KEY');
      expect(station.backend.store.read.value(sql`SELECT protection FROM sync_keys`)).toBe('safeStorage');
      expect((await exportBatch(station.backend, ACTOR, { outDir: join(station.dir, 'out') })).count).toBeGreaterThan(0);
    } finally {
      setKeyProtector(null);
    }
    // Without the shell (the CLI), a sealed key cannot be opened: a clear refusal.
    await expect(exportBatch(station.backend, ACTOR, { outDir: join(station.dir, 'out') })).rejects.toMatchObject({ key: 'sync.keySealed' });
  });

  it('restores a replaced PC from a bootstrap file with a new key and a new epoch', async () => {
    const { clerk } = await counterStation();
    const c = customerWithBill();
    const posted = await pay(clerk, c.id, 4321);
    const batch = await exportBatch(station.backend, ACTOR, { outDir: join(station.dir, 'out') });
    const batchRows = await (await readSignedFile(batch.file, stationTrust())).allRows();
    // Head office's copy: every station table's rows as it holds them, then the batch's rows.
    const db = station.backend.store.db;
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sync_%' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('outbox', 'audit_log', 'schema_migrations')`).pluck().all() as string[];
    const full = tables.flatMap((t) => (db.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[]).map((row, i) => ({ seq: i, entity: t, table: t, id: String(i), op: 'insert', row })));
    const rows = [...full, ...batchRows];
    const old = station.backend.requireStation();
    const { bytes } = await signedFileBytes(
      { kind: 'bootstrap', manifest: { stationId: old.id, stationCode: old.code, stationName: old.name, throughSeq: batch.toSeq, epoch: 1, hqId: 'HQ-TEST' }, payloadLines: rows },
      hq.privateKey,
      hq.keyId,
    );
    const oldKey = station.backend.store.read.value<string>(sql`SELECT key_id FROM sync_keys`);
    station.close();
    station = makeTestStation();
    const r = await bootstrapStation(station.backend, ACTOR, bytes, publicKeyToBase64(hq.publicKey), { staffNo: 'A001', password: 'restore123' });
    expect(r).toMatchObject({ stationCode: 'GD01', epoch: 2 });
    expect(r.keyId).not.toBe(oldKey);
    expect(station.backend.store.read.value(sql`SELECT amount_fen FROM payments WHERE id = ${posted.paymentId}`)).toBe(4321);
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM settlements WHERE payment_id = ${posted.paymentId}`)).toBe(1);
    expect(acked()).toBe(batch.toSeq);
    // The next write continues the seq after what head office holds.
    addCustomer(station.backend, { name: '新', bookNo: 'B01' });
    expect(station.backend.store.read.value<number>(sql`SELECT min(seq) FROM outbox`)).toBe(batch.toSeq + 1);
    await expect(bootstrapStation(station.backend, ACTOR, bytes, publicKeyToBase64(hq.publicKey), { staffNo: 'A001', password: 'restore123' })).rejects.toMatchObject({ key: 'sync.notBootstrap' });
    expect(existsSync(keysDir(station.backend))).toBe(true);
    writeFileSync(join(station.dir, 'x'), '');
  });
});
