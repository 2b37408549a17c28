import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { buildDemoStation, demoOptions, DEMO_STATION } from '../backend/demo/build';
import { DEMO_PASSWORD } from '../backend/demo/staffStep';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../backend/audit/record';
import { SAMPLE_TARIFFS } from '../backend/billing/testing/station';
import { addCustomer, issueBill } from '../backend/collection/fixture';
import { drawPrepaid } from '../backend/collection/prepaid';
import { sql } from '../backend/db/sql';
import { bootstrapStation } from '../backend/sync/bootstrap';
import { readSignedFile } from '../backend/sync/signedFile';
import { applyAck, applyReference, exportBatch, installHqKey, pushBatch, rotateStationKey, writeEnrolment } from '../backend/sync/station';
import { makeTestStation, type TestClient, type TestStation } from '../backend/testing';
import { monthTable } from './dashboard';
import { HqError } from './errors';
import { importBatch } from './importer';
import { loadReferenceFile, loadReferenceItem, publishPack } from './reference';
import { startHqHost } from './server';
import { enrolStation, issueBootstrap, rotateStationKey as acceptRotation } from './stations';
import { backends, openTestHq, requireRealServerInCi, writeBytes, type TestHq } from './testing';

// Each side's tests against the other: a real station (SQLite, the station back end, its sync
// code) exports and pushes; head office imports; the station applies head office's acks and
// reference packs with its own code.

requireRealServerInCi();

const ACTOR = SYSTEM_ACTOR;
let station: TestStation | undefined;
let hqs: TestHq[] = [];
afterEach(async () => {
  station?.close();
  station = undefined;
  for (const h of hqs) await h.close();
  hqs = [];
});

let n = 0;
async function pay(clerk: TestClient, customerId: string, amountFen: number) {
  return clerk.call('collection.pay', { customerId, amountFen, channel: 'cash', tenderedFen: amountFen, idempotencyKey: `k-${++n}-${Date.now()}` });
}

async function setUp(backend: 'pglite' | 'pg') {
  const t = await openTestHq(backend);
  hqs.push(t);
  station = makeTestStation();
  await station.setUp();
  const clerk = await station.staffClient('C001', ['clerk'], '王芳');
  installHqKey(station.backend, ACTOR, JSON.stringify({ publicKey: t.hq.publicKeyBase64, hqId: t.hq.hqId }));
  await enrolStation(t.hq, await writeEnrolment(station.backend, ACTOR, join(station.dir, 'enrol.gdsync')).then((e) => e.file), 'test');
  return { t, clerk, s: station };
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

describe.each(backends())('a real station against head office on %s', (backend) => {
  it('export → import → ack applied at the station; replay, tamper, the month on the dashboard', async () => {
    const { t, clerk, s } = await setUp(backend);
    const c = addCustomer(s.backend, { name: '张三', phone: '13800001234', bookNo: 'B01' });
    issueBill(s.backend, { customerId: c.id, period: '2026-10', amountFen: 12000, dueDate: '2026-11-30' });
    await pay(clerk, c.id, 5000);
    const batch = await exportBatch(s.backend, ACTOR, { outDir: join(s.dir, 'out') });
    const r = await importBatch(t.hq, batch.file, 'cli');
    expect(r.outcome).toBe('applied');
    expect(r.rows).toBe(batch.count);
    const ack = await applyAck(s.backend, ACTOR, r.ack);
    expect(ack).toMatchObject({ status: 'applied', ackedSeq: batch.toSeq });
    expect(s.backend.store.read.value<number>(sql`SELECT count(*) FROM outbox`)).toBe(0);

    // A replay answers the same ack, which the station takes again harmlessly.
    const again = await importBatch(t.hq, batch.file, 'push');
    expect(again.outcome).toBe('duplicate');
    expect(again.ack.equals(r.ack)).toBe(true);

    // A flipped byte is refused before anything is read.
    const bytes = readFileSync(batch.file);
    bytes[bytes.length - 30]! ^= 0x40;
    expect(await refusal(importBatch(t.hq, writeBytes(s.dir, 'flipped.gdsync', bytes), 'push'))).toBe('payload_hash');

    const month = (await monthTable(t.hq, '2026-11')).find((x) => x.code === 'GD01')!;
    expect(month.customers).toBe(1);
    // The collection fixture files the bill without an outbox row (the billing desk's issue
    // writes one: the bench's demo station covers that path); the payment's settlement lines
    // carry the principal settled onto October's bill.
    const [oct] = await t.hq.db.query<{ settled_fen: number }>(`SELECT settled_fen FROM station_month WHERE period = '2026-10'`);
    expect(oct).toMatchObject({ settled_fen: 5000 });
    const [paid] = await t.hq.db.query<{ c: number }>(`SELECT sum(collected_fen)::int AS c FROM station_month`);
    expect(paid!.c).toBe(5000);
    expect(await t.hq.db.query(`SELECT count(*)::int AS n FROM hq_payments`)).toEqual([{ n: 1 }]);
  }, 120_000);

  it('arrears over 30 / 90 days equal the station\'s own, with a reversed payment and a bill paid from prepaid balance', async () => {
    const { t, clerk, s } = await setUp(backend);
    const head = await s.staffClient('H001', ['station_head'], '李所长');
    // The collection fixture files bills without outbox rows; the billing desk's issue sends
    // both the bill and its issue (with the ledger entry), as here.
    const bill = (customerId: string, period: string, amountFen: number, dueDate: string) => {
      const b = issueBill(s.backend, { customerId, period, amountFen, dueDate });
      s.backend.write(ACTOR, (unit) => {
        unit.outbox({ entity: 'bill', entityId: b.billId, op: 'insert', payload: {} });
        unit.outbox({ entity: 'bill_issue', entityId: b.billId, op: 'insert', payload: {} });
      });
      return b;
    };
    // A: August's bill paid, then the payment reversed (冲正): the bill is owed again.
    const a = addCustomer(s.backend, { name: '甲', phone: '13800000001', bookNo: 'B01' });
    bill(a.id, '2026-08', 12000, '2026-09-30');
    const paidA = await pay(clerk, a.id, 12000);
    const { requestId } = await clerk.call('collection.requestReversal', { receiptNo: paidA.receiptNo, reason: '收错户' });
    await head.call('collection.decideReversal', { requestId, approve: true });
    // B: paid in advance, then October's bill drawn from the prepaid balance (预收转实收).
    const b = addCustomer(s.backend, { name: '乙', phone: '13800000002', bookNo: 'B01' });
    await pay(clerk, b.id, 20000);
    const billB = bill(b.id, '2026-10', 15000, '2026-11-30');
    expect(s.backend.write(ACTOR, (unit) => drawPrepaid(unit, [{ billId: billB.billId, customerId: b.id }]))).toBe(15000);
    // C: October's bill part paid.
    const c = addCustomer(s.backend, { name: '丙', phone: '13800000003', bookNo: 'B01' });
    bill(c.id, '2026-10', 9000, '2026-11-30');
    await pay(clerk, c.id, 4000);

    const batch = await exportBatch(s.backend, ACTOR, { outDir: join(s.dir, 'out') });
    expect((await importBatch(t.hq, batch.file, 'cli')).outcome).toBe('applied');

    // The station's own figures: unpaid principal of each open bill, by the bill's period.
    const open = (await Promise.all([a, b, c].map((x) => clerk.call('collection.balance', { customerId: x.id })))).flatMap((x) => x.bills);
    const owed = (upTo: string) => open.filter((x) => x.period <= upTo).reduce((sum, x) => sum + x.principalFen, 0);
    expect(owed('2026-11')).toBe(12000 + 5000);
    expect(owed('2026-09')).toBe(12000);
    const dec = (await monthTable(t.hq, '2026-12')).find((x) => x.code === 'GD01')!;
    expect({ arrears30: dec.arrears30Fen, arrears90: dec.arrears90Fen }).toEqual({ arrears30: owed('2026-11'), arrears90: owed('2026-09') });
    // Collected: payments by pay day less the reversal; the prepaid draw moves no money.
    const [paid] = await t.hq.db.query<{ c: number }>(`SELECT sum(collected_fen)::int AS c FROM station_month`);
    expect(paid!.c).toBe(20000 + 4000);
  }, 120_000);

  it('pushes over HTTP; out-of-order arrival is held, then applied; a rotated key refuses the old one', async () => {
    const { t, clerk, s } = await setUp(backend);
    const host = await startHqHost({ hq: t.hq, port: 0 });
    try {
      const c = addCustomer(s.backend, { name: '李四', phone: '13900001111', bookNo: 'B01' });
      issueBill(s.backend, { customerId: c.id, period: '2026-10', amountFen: 8000, dueDate: '2026-11-30' });
      const a = await exportBatch(s.backend, ACTOR, { outDir: join(s.dir, 'out') });
      const pushed = await pushBatch(s.backend, ACTOR, host.url, { outDir: join(s.dir, 'out') });
      expect(pushed.export).toMatchObject({ fromSeq: a.fromSeq, toSeq: a.toSeq });
      expect(pushed.ack).toMatchObject({ status: 'applied', ackedSeq: a.toSeq });
      expect(s.backend.store.read.value<number>(sql`SELECT acked_seq FROM sync_state`)).toBe(a.toSeq);
      await pay(clerk, c.id, 3000);
      const b = await exportBatch(s.backend, ACTOR, { outDir: join(s.dir, 'out') });

      // A second head office (a standby copy) receives B before A: held, then both in order.
      const other = await openTestHq(backend);
      hqs.push(other);
      await enrolStation(other.hq, (await writeEnrolment(s.backend, ACTOR, join(s.dir, 'enrol2.gdsync'))).file, 'test');
      expect((await importBatch(other.hq, b.file, 'push')).outcome).toBe('held');
      const ra = await importBatch(other.hq, a.file, 'push');
      expect(ra.outcome).toBe('applied');
      expect(ra.released.map((x) => x.sha256)).toEqual([b.sha256]);
      expect(Number((await other.hq.db.query<{ a: number }>('SELECT acked_seq AS a FROM stations'))[0]!.a)).toBe(b.toSeq);

      // Key rotation: the station's new key is accepted; a batch signed by the old key is refused.
      const oldBatch = b.file;
      await rotateStationKey(s.backend, ACTOR);
      await acceptRotation(t.hq, (await writeEnrolment(s.backend, ACTOR, join(s.dir, 'enrol3.gdsync'))).file, 'test');
      const res = await fetch(`${host.url}sync/batch`, { method: 'POST', body: readFileSync(oldBatch), headers: { 'Content-Type': 'application/octet-stream' } });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('revoked_key');
      const fresh = await pushBatch(s.backend, ACTOR, host.url, { outDir: join(s.dir, 'out') });
      expect(fresh.export.toSeq).toBeGreaterThanOrEqual(b.toSeq);
      expect(Number((await t.hq.db.query<{ a: number }>('SELECT acked_seq AS a FROM stations'))[0]!.a)).toBe(fresh.export.toSeq);
    } finally {
      await host.close();
    }
  }, 120_000);

  it('publishes a tariff pack the station applies and lists; the same pack twice is a no-op', async () => {
    const { t, s } = await setUp(backend);
    await loadReferenceFile(t.hq, 'tariff', SAMPLE_TARIFFS, 'test');
    const pack = await publishPack(t.hq, 'test');
    const host = await startHqHost({ hq: t.hq, port: 0 });
    try {
      const res = await fetch(`${host.url}sync/reference?after=0&station=${s.backend.requireStation().id}`);
      expect(res.status).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      const applied = await applyReference(s.backend, ACTOR, bytes);
      expect(applied).toMatchObject({ version: pack.version, already: false });
      expect(applied.tariffs).toBeGreaterThan(0);
      expect((await applyReference(s.backend, ACTOR, bytes)).already).toBe(true);
      // The station's tariff catalogue lists what the pack carried (the same check as `tariffs import`).
      expect(s.backend.store.read.value<number>(sql`SELECT count(*) FROM tariff_versions`)).toBe(applied.tariffs);
      expect((await fetch(`${host.url}sync/reference?after=${pack.version}`)).status).toBe(204);
      // The next batch names the version; head office records who applied what.
      const batch = await exportBatch(s.backend, ACTOR, { outDir: join(s.dir, 'out') });
      await importBatch(t.hq, batch.file, 'cli');
      expect(await t.hq.db.query('SELECT version FROM station_reference')).toEqual([{ version: pack.version }]);
    } finally {
      await host.close();
    }
  }, 120_000);

  it('policies, staff changes and notices from head office\'s packs are applied at the station; cumulative packs pass over what is in force; a bad row refuses the whole pack', async () => {
    const { t, s, clerk } = await setUp(backend);
    const admin = s.client();
    await admin.call('auth.login', { staffNo: 'A001', password: 'admin1234' });
    const readingPolicy = { kind: 'reading', effectiveFrom: '2027-01-01', definition: { highPercent: 180, lowPercent: 40 } };
    const penalty = { kind: 'penalty', effectiveFrom: '2027-01-01', definition: JSON.parse(s.backend.store.read.value<string>(sql`SELECT definition FROM collection_policies WHERE kind = 'penalty' ORDER BY effective_from DESC LIMIT 1`)!) };
    penalty.definition.graceDays = (penalty.definition.graceDays ?? 0) + 2;
    await loadReferenceItem(t.hq, 'policy', 'reading-2027.json', readingPolicy, 'test');
    await loadReferenceItem(t.hq, 'policy', 'penalty-2027.json', penalty, 'test');
    await loadReferenceItem(t.hq, 'staff', 'R009.json', { staffNo: 'R009', name: '李抄表', roles: ['meter_reader'] }, 'test');
    await loadReferenceItem(t.hq, 'staff', 'C001.json', { staffNo: 'C001', name: '王芳', roles: ['clerk', 'meter_reader'] }, 'test');
    await loadReferenceItem(t.hq, 'notice', 'n1.json', { id: 'HQ-2026-12-01', title: '12 月 8 日线路检修停电', body: '请提前通知各村。' }, 'test');
    const v1 = await publishPack(t.hq, 'test');
    const applied = await applyReference(s.backend, ACTOR, readFileSync(v1.file));
    expect(applied.loaded).toEqual({ policy: 2, staffCreated: 1, staffUpdated: 1, notice: 1 });
    const read = s.backend.store.read;
    // The policy versions are in the desks' own stores (the readings checks and the counter read them from there).
    expect(JSON.parse(read.value<string>(sql`SELECT definition FROM reading_policies WHERE effective_from = '2027-01-01'`)!)).toEqual(readingPolicy.definition);
    expect(JSON.parse(read.value<string>(sql`SELECT definition FROM collection_policies WHERE kind = 'penalty' AND effective_from = '2027-01-01'`)!)).toEqual(penalty.definition);
    // The new reader exists with no usable password until the administrator gives one.
    expect(read.get(sql`SELECT name, active, must_change_password AS m FROM staff WHERE staff_no = 'R009'`)).toEqual({ name: '李抄表', active: 1, m: 1 });
    expect((await s.client().fail('auth.login', { staffNo: 'R009', password: 'anything1' })).code).toBe('bad_credentials');
    const r009 = read.value<string>(sql`SELECT id FROM staff WHERE staff_no = 'R009'`)!;
    await admin.call('staff.resetPassword', { staffId: r009, password: 'first1234' });
    expect((await s.client().raw('auth.login', { staffNo: 'R009', password: 'first1234' })).ok).toBe(true);
    expect(read.all(sql`SELECT role FROM staff_roles r JOIN staff s ON s.id = r.staff_id WHERE s.staff_no = 'C001' ORDER BY role`)).toEqual([{ role: 'clerk' }, { role: 'meter_reader' }]);
    // Staff changes go back up to head office like any staff change; no password travels.
    const outboxStaff = read.all<{ payload: string }>(sql`SELECT payload FROM outbox WHERE entity = 'staff' AND seq > (SELECT min(seq) FROM outbox WHERE entity = 'staff')`);
    expect(outboxStaff.length).toBeGreaterThanOrEqual(2);
    for (const row of outboxStaff) expect(row.payload).not.toMatch(/password|hash|salt/i);
    // The notice is on every home page (the clerk's too) and on 数据上报 until the head marks it read.
    const cardOf = async (c: TestClient) => (await c.call('home.summary', {})).cards.find((card) => card.id === 'notices');
    expect((await cardOf(clerk))?.items.map((i) => i.text)).toEqual(['12 月 8 日线路检修停电']);
    expect((await admin.call('sync.status', {})).notices.map((x) => x.id)).toEqual(['HQ-2026-12-01']);

    // v2 is cumulative: v1's rows again (passed over), then a deactivation and a second notice.
    await loadReferenceItem(t.hq, 'staff', 'C001-left.json', { staffNo: 'C001', name: '王芳', roles: ['clerk', 'meter_reader'], active: false }, 'test');
    await loadReferenceItem(t.hq, 'notice', 'n2.json', { id: 'HQ-2026-12-02', title: '年终对账', until: '2099-12-31' }, 'test');
    const v2 = await publishPack(t.hq, 'test');
    const again = await applyReference(s.backend, ACTOR, readFileSync(v2.file));
    expect(again.loaded).toEqual({ staffDeactivated: 1, notice: 1 });
    expect(read.value(sql`SELECT active FROM staff WHERE staff_no = 'C001'`)).toBe(0);
    expect((await clerk.call('auth.me', {})).staff).toBeNull(); // deactivated: the session ended
    expect((await applyReference(s.backend, ACTOR, readFileSync(v2.file))).already).toBe(true);
    expect(await admin.call('sync.noticeRead', { id: 'HQ-2026-12-01' })).toEqual({ id: 'HQ-2026-12-01', already: false });
    expect(await admin.call('sync.noticeRead', { id: 'HQ-2026-12-01' })).toEqual({ id: 'HQ-2026-12-01', already: true });
    expect((await cardOf(admin))?.items.map((i) => i.text)).toEqual(['年终对账']);
    const other = await s.staffClient('C002', ['clerk'], '刘敏');
    expect((await other.fail('sync.noticeRead', { id: 'HQ-2026-12-02' })).code).toBe('forbidden');

    // Head office refuses a password riding along with a staff change when it is loaded (packs are cumulative: it would poison every later pack).
    await expect(loadReferenceItem(t.hq, 'staff', 'R010.json', { staffNo: 'R010', name: '赵五', roles: ['clerk'], password: 'hunter22' }, 'test')).rejects.toThrow(/passwords never travel/);
    // A row only the station can judge (deactivating its last administrator) refuses the whole pack, naming the row; nothing changes.
    const before = { notices: read.value(sql`SELECT count(*) FROM sync_notices`), staff: read.value(sql`SELECT count(*) FROM staff`), version: read.value(sql`SELECT reference_version FROM sync_state`) };
    await loadReferenceItem(t.hq, 'notice', 'n3.json', { id: 'HQ-2026-12-03', title: '新通知' }, 'test');
    await loadReferenceItem(t.hq, 'staff', 'A001-left.json', { staffNo: 'A001', name: '管理员', roles: ['admin'], active: false }, 'test');
    const v3 = await publishPack(t.hq, 'test');
    const refused = (await admin.fail('sync.apply', { dataBase64: readFileSync(v3.file).toString('base64') }));
    expect(refused.message).toMatch(/^参考数据包第 \d+ 行（staff）无法应用，整个数据包未做任何改动：.*管理员/);
    expect({ notices: read.value(sql`SELECT count(*) FROM sync_notices`), staff: read.value(sql`SELECT count(*) FROM staff`), version: read.value(sql`SELECT reference_version FROM sync_state`) }).toEqual(before);
  }, 120_000);

  it('a policy version once loaded never changes: a pack carrying other words under the same day is refused', async () => {
    const { t, s } = await setUp(backend);
    await loadReferenceItem(t.hq, 'policy', 'reading.json', { kind: 'reading', effectiveFrom: '2027-01-01', definition: { highPercent: 180 } }, 'test');
    await applyReference(s.backend, ACTOR, readFileSync((await publishPack(t.hq, 'test')).file));
    await loadReferenceItem(t.hq, 'policy', 'reading-fix.json', { kind: 'reading', effectiveFrom: '2027-01-01', definition: { highPercent: 200 } }, 'test');
    await expect(applyReference(s.backend, ACTOR, readFileSync((await publishPack(t.hq, 'test')).file))).rejects.toMatchObject({ key: 'sync.refRow.changed', params: { row: 2, type: 'policy' } });
    expect(JSON.parse(s.backend.store.read.value<string>(sql`SELECT definition FROM reading_policies`)!)).toEqual({ highPercent: 180 });
  }, 120_000);

  it('bootstrap from head office: a replaced PC gets its customers, staff, books and balances back; the old key is refused', async () => {
    // The old station: a small demo station (every desk's writes, through the outbox).
    const demoDir = mkdtempSync(join(tmpdir(), 'griddesk-boot-'));
    const demoFile = join(demoDir, 'old.db');
    await buildDemoStation(demoFile, demoOptions({ customers: 30, months: 3, seed: 7, asOf: '2026-11-26' }), { tick: async () => {} });
    const t = await openTestHq(backend);
    hqs.push(t);
    const old = makeTestStation({ db: demoFile });
    const fresh = makeTestStation();
    try {
      installHqKey(old.backend, ACTOR, JSON.stringify({ publicKey: t.hq.publicKeyBase64, hqId: t.hq.hqId }));
      await enrolStation(t.hq, (await writeEnrolment(old.backend, ACTOR, join(old.dir, 'enrol.gdsync'))).file, 'test');
      const first = await exportBatch(old.backend, ACTOR, { outDir: join(demoDir, 'out') });
      expect((await importBatch(t.hq, first.file, 'cli')).outcome).toBe('applied');
      await applyAck(old.backend, ACTOR, (await importBatch(t.hq, first.file, 'cli')).ack);
      // One more payment goes to head office in a second batch: the restore has both batches.
      const oldClerk = old.client();
      await oldClerk.call('auth.login', { staffNo: 'C001', password: DEMO_PASSWORD });
      const owing = old.backend.store.read.value<string>(sql`SELECT customer_id FROM ledger_entries GROUP BY customer_id HAVING sum(amount_fen) > 500 ORDER BY customer_id LIMIT 1`)!;
      await pay(oldClerk, owing, 300);
      const second = await exportBatch(old.backend, ACTOR, { outDir: join(demoDir, 'out') });
      await applyAck(old.backend, ACTOR, (await importBatch(t.hq, second.file, 'cli')).ack);
      // The PC dies after one more payment it never sent (lost with the PC; its batch is stale).
      await pay(oldClerk, owing, 200);
      const stale = await exportBatch(old.backend, ACTOR, { outDir: join(demoDir, 'out') });

      const boot = await issueBootstrap(t.hq, DEMO_STATION.code, join(demoDir, 'bootstrap.gdsync'), 'test');
      expect(boot.throughSeq).toBe(second.toSeq);
      expect(await refusal(importBatch(t.hq, stale.file, 'push'))).toBe('revoked_key');

      // The new PC: an empty database, head office's key, the file, an administrator's new password.
      const r = await bootstrapStation(fresh.backend, ACTOR, readFileSync(boot.file), JSON.stringify({ publicKey: t.hq.publicKeyBase64, hqId: t.hq.hqId }), { staffNo: 'A001', password: 'restore123' });
      expect(r).toMatchObject({ stationCode: DEMO_STATION.code, epoch: 2, admin: { staffNo: 'A001', created: false } });
      expect(r.staffToReset).toBe(7);

      // What the old station had acknowledged is back, table for table (staff without passwords).
      const o = old.backend.store.read;
      const n = fresh.backend.store.read;
      const lost = sql`(SELECT id FROM payments WHERE receipt_seq = (SELECT max(receipt_seq) FROM payments))`;
      const same = (q: ReturnType<typeof sql>, qOld = q) => expect(n.all(q)).toEqual(o.all(qOld));
      same(sql`SELECT * FROM customers ORDER BY id`);
      same(sql`SELECT * FROM metering_points ORDER BY id`);
      same(sql`SELECT * FROM meters ORDER BY id`);
      same(sql`SELECT * FROM books ORDER BY id`);
      same(sql`SELECT * FROM book_points ORDER BY point_id`);
      same(sql`SELECT * FROM reading_periods ORDER BY period`);
      same(sql`SELECT * FROM readings ORDER BY id`);
      same(sql`SELECT * FROM bills ORDER BY id`);
      same(sql`SELECT * FROM bill_lines ORDER BY bill_id, line_no`);
      same(sql`SELECT id, staff_no, name, active, created_at FROM staff ORDER BY id`);
      same(sql`SELECT * FROM staff_roles ORDER BY staff_id, role`);
      same(sql`SELECT * FROM payments ORDER BY receipt_seq`, sql`SELECT * FROM payments WHERE id NOT IN ${lost} ORDER BY receipt_seq`);
      // Balances (账户余额) equal the old station's as head office knew it (without the lost payment).
      const balances = sql`SELECT customer_id, sum(amount_fen) AS fen FROM ledger_entries GROUP BY customer_id ORDER BY customer_id`;
      const oldBalances = o.all<{ customer_id: string; fen: number }>(sql`SELECT customer_id, sum(amount_fen) AS fen FROM ledger_entries WHERE ref_id IS NULL OR ref_id NOT IN ${lost} GROUP BY customer_id ORDER BY customer_id`);
      expect(n.all(balances)).toEqual(oldBalances);
      expect(oldBalances.length).toBeGreaterThan(20);

      // Restored staff cannot log in with their old password; the administrator can, and sets one.
      const clerk = fresh.client();
      expect((await clerk.fail('auth.login', { staffNo: 'C001', password: DEMO_PASSWORD })).code).toBeTruthy();
      const admin = fresh.client();
      await admin.call('auth.login', { staffNo: 'A001', password: 'restore123' });
      const c001 = n.value<string>(sql`SELECT id FROM staff WHERE staff_no = 'C001'`)!;
      await admin.call('staff.resetPassword', { staffId: c001, password: 'initial123' });
      await clerk.call('auth.login', { staffNo: 'C001', password: 'initial123' });
      await clerk.call('auth.changePassword', { current: 'initial123', next: 'changed123' });
      // The counter takes a payment for an existing customer; the receipt number follows on.
      const before = (await clerk.call('collection.balance', { customerId: owing })).totalDueFen;
      const oldBefore = (await oldClerk.call('collection.balance', { customerId: owing })).totalDueFen;
      expect(before).toBe(oldBefore + 200);
      const paid = await pay(clerk, owing, 200);
      expect(paid.receiptNo).toBe(o.value<string>(sql`SELECT receipt_no FROM payments WHERE id IN ${lost}`));
      expect((await clerk.call('collection.balance', { customerId: owing })).totalDueFen).toBe(oldBefore);
      // The customer search finds restored customers.
      const name = n.value<string>(sql`SELECT name FROM customers ORDER BY id LIMIT 1`)!;
      expect((await clerk.call('customers.search', { query: name })).hits.length).toBeGreaterThan(0);

      // Head office takes the new key (the enrolment the restored station writes) and its next batch.
      await acceptRotation(t.hq, (await writeEnrolment(fresh.backend, ACTOR, join(fresh.dir, 'enrol.gdsync'))).file, 'test');
      const next = await exportBatch(fresh.backend, ACTOR, { outDir: join(fresh.dir, 'out') });
      expect(next.fromSeq).toBe(second.toSeq + 1);
      const imported = await importBatch(t.hq, next.file, 'cli');
      expect(imported.outcome).toBe('applied');
      expect(await refusal(importBatch(t.hq, stale.file, 'push'))).toBe('revoked_key');
    } finally {
      old.close();
      fresh.close();
      rmSync(demoDir, { recursive: true, force: true });
    }
  }, 240_000);
});
