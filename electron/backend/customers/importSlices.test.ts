import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SHEET_COLUMNS, sheetRowOf } from '../../../shared/customers/sheet';
import type { ImportPreview, JobState } from '../../../shared/contract';
import { postPayment } from '../collection/payments';
import { customerSearchKeys } from '../../../shared/customers/searchKeys';
import { sql } from '../db/sql';
import { announceWaiting } from '../db/waiting';
import { AppError } from '../errors';
import { makeTestStation, type TestClient, type TestStation } from '../testing';
import { newCustomerInput, newMeterInput } from './fixtures';
import { writeStoppedImportKeys } from './importKeys';
import { adoptPendingImport, commitImport, pendingImport, pendingImportParts, type ArrivingParts } from './spreadsheet';
import { writeWorkbook } from './workbook/write';

// The customer import's commit in slices (issue 18): the import states exactly what it filed, and
// a stopped one is finished by checking the same file again, filing nothing twice.

let station: TestStation;
let clerk: TestClient;
beforeEach(async () => {
  station = makeTestStation();
  await station.setUp();
  clerk = await station.staffClient('C001', ['clerk'], '王芳');
});
afterEach(() => station.close());

const header = SHEET_COLUMNS.map((c) => c.header);
/** Customer i: every third one brings its own 户号, the others are numbered by the station. */
function resident(i: number): string[] {
  const accountNo = i % 3 === 0 ? `GD0199${String(i).padStart(5, '0')}` : '';
  return sheetRowOf(
    { ...newCustomerInput({ name: `导入${i}`, phone: `139${String(i).padStart(8, '0')}` }), accountNo, status: 'active', statusDate: '2026-01-05' },
    { label: '', meter: newMeterInput({ meterNo: `SL-${String(i).padStart(4, '0')}` }) },
  );
}
const workbook = (count: number) => writeWorkbook([{ name: '客户', rows: [header, ...Array.from({ length: count }, (_, i) => resident(i + 1))] }]);

async function check(s: TestStation, c: TestClient, bytes: Buffer): Promise<ImportPreview> {
  const job: JobState = await s.backend.jobs.finished((await c.call('customers.importPreview', { fileName: '客户.xlsx', base64: bytes.toString('base64') })).jobId);
  if (job.status !== 'succeeded') throw new Error(`preview ${job.status}: ${job.error?.message}`);
  return job.result as ImportPreview;
}

const clerkActor = (s: TestStation) => {
  const id = s.backend.store.read.value<string>(sql`SELECT id FROM staff WHERE staff_no = 'C001'`) ?? null;
  return { staffId: id, label: 'C001 王芳' };
};
const tick = { tick: async () => {} };

/** What a clerk sees of the filed customers: account, name, phone, meter; in account order. */
/** The search keys of the imported customers, by account (what finds them by name or phone). */
const keysOf = (s: TestStation) =>
  s.backend.store.read.all(sql`
    SELECT c.account_no, k.key FROM customer_search_keys k JOIN customers c ON c.id = k.customer_id
    WHERE c.import_batch IS NOT NULL ORDER BY c.account_no, k.key`);

const filed = (s: TestStation) =>
  s.backend.store.read.all(sql`
    SELECT c.account_no, c.name, c.phone, m.meter_no, m.start_reading FROM customers c
    JOIN metering_points p ON p.customer_id = c.id JOIN meters m ON m.point_id = p.id
    WHERE c.import_batch IS NOT NULL ORDER BY c.account_no`);

/** The station's imported customers and their search keys are what the same file filed in one transaction on a station of its own files. */
async function expectAsOneTransaction(bytes: Buffer): Promise<void> {
  const other = makeTestStation();
  try {
    await other.setUp();
    const otherClerk = await other.staffClient('C001', ['clerk'], '王芳');
    await commitImport(other.backend, clerkActor(other), (await check(other, otherClerk, bytes)).importId, tick, { sliced: false });
    expect(filed(station)).toEqual(filed(other));
    // The keys, written at the end of a sliced import (sorted), are those the one transaction writes.
    expect(keysOf(station)).toEqual(keysOf(other));
  } finally {
    other.close();
  }
}

/**
 * Commits 23 customers in slices of 5 on the test station; once a slice has filed the customer
 * named `name`, `meanwhile` runs with it (once), between that slice and the next. Its id.
 */
async function importEditing(name: string, meanwhile: (found: { id: string; updated_at: number }) => Promise<void>): Promise<string> {
  const preview = await check(station, clerk, await workbook(23));
  let editedId = '';
  await commitImport(station.backend, clerkActor(station), preview.importId, tick, {
    sliceSize: 5,
    onSlice: async () => {
      if (editedId) return;
      const found = station.backend.store.read.get<{ id: string; updated_at: number }>(sql`SELECT id, updated_at FROM customers WHERE name = ${name}`);
      if (!found) return;
      editedId = found.id;
      await meanwhile(found);
    },
  });
  expect(editedId).not.toBe('');
  return editedId;
}

describe('the customer import commits in slices (导入客户, issue 18)', () => {
  it('a slice commits at its next part of 200 customers while another writer waits, and grows again when none does', async () => {
    const bytes = await workbook(1500);
    const preview = await check(station, clerk, bytes);
    const sizes: number[] = [];
    let withdraw: (() => void) | undefined;
    // A slow pace (slices of up to 10 s) so only a waiting writer ends a slice: slices 5 and 6 run
    // while a write from elsewhere is announced.
    const pace = { targetMs: 10_000, gapMs: 0, checkpoint: true, lazySync: true };
    const result = await commitImport(station.backend, clerkActor(station), preview.importId, tick, {
      pace,
      onSlice: (n) => {
        sizes.push(n);
        if (sizes.length === 4) withdraw = announceWaiting(station.backend.store.file);
        if (sizes.length === 6) withdraw?.();
      },
    });
    // Grown by half a slice at a time from 50; while the writer waits (slices 5 and 6, asked for
    // 255 and 383), one part of 200 each; then the slice takes what its pace allows again.
    expect(sizes.slice(0, 7)).toEqual([50, 75, 113, 170, 200, 200, 575]);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(1500);
    expect(result).toMatchObject({ customers: 1500, meters: 1500 });
  });

  it('files in slices exactly what the one-transaction commit files, with one audit row and an outbox row per customer', async () => {
    const bytes = await workbook(23);
    const sliced: number[] = [];
    const result = await commitImport(station.backend, clerkActor(station), (await check(station, clerk, bytes)).importId, tick, { sliceSize: 5, onSlice: (n) => void sliced.push(n) });
    expect(sliced).toEqual([5, 5, 5, 5, 3, 0]);
    expect(result).toMatchObject({ customers: 23, meters: 23, slices: 6 });

    await expectAsOneTransaction(bytes);
    expect(keysOf(station).length).toBeGreaterThan(23 * 3);
    const db = station.backend.store.read;
    expect(filed(station)).toHaveLength(23);
    expect(db.value(sql`SELECT count(*) FROM audit_log WHERE action = 'customers.import'`)).toBe(1);
    expect(db.value(sql`SELECT count(*) FROM outbox WHERE entity = 'customer'`)).toBe(23);
    expect(db.value(sql`SELECT count(*) FROM customer_import_rows WHERE import_id = ${result.batch}`)).toBe(23);
    expect(db.value(sql`SELECT count(*) FROM customer_imports_open`)).toBe(0);
  });

  it('the keys come at the end: before, a filed customer is found by name and account but not by phone; one edited meanwhile keeps only its new keys', async () => {
    let duringImport: { byPhone: unknown[]; byName: unknown[] } = { byPhone: [], byName: [] };
    const editedId = await importEditing('导入3', async (found) => {
      duringImport = {
        byPhone: (await clerk.call('customers.search', { query: '13900000004' })).hits,
        byName: (await clerk.call('customers.search', { query: '导入4' })).hits,
      };
      await clerk.call('customers.update', { ...newCustomerInput({ name: '改名户', phone: '13900009999' }), customerId: found.id, expectedUpdatedAt: found.updated_at });
    });
    expect(duringImport.byPhone).toEqual([]); // filed, its phone key not written yet
    expect(duringImport.byName.map((h) => (h as { name: string }).name)).toContain('导入4'); // the name index comes with the customer
    expect((await clerk.call('customers.search', { query: '13900000004' })).hits.map((h) => h.name)).toEqual(['导入4']);
    const own = station.backend.store.read.column<string>(sql`SELECT key FROM customer_search_keys WHERE customer_id = ${editedId} ORDER BY key`);
    expect(own).toEqual([...customerSearchKeys({ name: '改名户', phone: '13900009999', phone2: '' })].sort());
    expect((await clerk.call('customers.search', { query: '导入' })).hits.length).toBeGreaterThanOrEqual(20);
  });

  it('a customer edited between slices keeps only its new keys also when an acknowledgement pruned the outbox meanwhile', async () => {
    const editedId = await importEditing('导入2', async (found) => {
      await clerk.call('customers.update', { ...newCustomerInput({ name: '另名户', phone: '13900008888' }), customerId: found.id, expectedUpdatedAt: found.updated_at });
      // Head office acknowledges everything so far, as sync/station.ts does: the outbox rows of
      // the edit are gone before the import's next slice looks for them.
      station.backend.write(clerkActor(station), (unit) => {
        const seq = unit.value<number>(sql`SELECT seq FROM sqlite_sequence WHERE name = 'outbox'`) ?? 0;
        unit.run(sql`UPDATE sync_state SET acked_seq = ${seq} WHERE singleton = 1`);
        unit.run(sql`DELETE FROM outbox WHERE seq <= ${seq}`);
      });
    });
    const own = station.backend.store.read.column<string>(sql`SELECT key FROM customer_search_keys WHERE customer_id = ${editedId} ORDER BY key`);
    expect(own).toEqual([...customerSearchKeys({ name: '另名户', phone: '13900008888', phone2: '' })].sort());
    // The others' keys are all there: each found by its phone.
    expect((await clerk.call('customers.search', { query: '13900000023' })).hits.map((h) => h.name)).toEqual(['导入23']);
  });

  it('on a job thread, files the first parts of the checked rows while the next are on their way, and files what the whole batch files', async () => {
    const bytes = await workbook(1200);
    const preview = await check(station, clerk, bytes);
    // What the host sends a job thread (customers/importJob.ts): the batch bare, its rows in parts of 500.
    const { batch, parts } = pendingImportParts(pendingImport(preview.importId)!);
    const all = [...parts];
    expect(all).toHaveLength(3);
    const received: unknown[] = [all[0]];
    let complete = false;
    const log: string[] = [];
    // The next part comes only when the commit waits for it (as the host's next turn sends it).
    const feed: ArrivingParts = {
      received,
      done: () => complete,
      next: async () => {
        if (received.length < all.length) {
          received.push(all[received.length]);
          log.push(`part ${received.length}`);
        } else complete = true;
      },
    };
    adoptPendingImport(batch, feed);
    const result = await commitImport(station.backend, clerkActor(station), preview.importId, tick, { sliceSize: 300, onSlice: (n) => void log.push(`slice ${n}`) });
    expect(log).toEqual(['slice 300', 'part 2', 'slice 300', 'slice 300', 'part 3', 'slice 300', 'slice 0']);
    expect(result).toMatchObject({ customers: 1200, meters: 1200 });

    await expectAsOneTransaction(bytes);
  });

  it('takes a payment at the counter between slices', async () => {
    const walkIn = await clerk.call('customers.create', newCustomerInput({ name: '柜台客户' }));
    const actor = clerkActor(station);
    const code = station.backend.requireStation().code;
    let paid = 0;
    await commitImport(station.backend, actor, (await check(station, clerk, await workbook(12))).importId, tick, {
      sliceSize: 4,
      onSlice: () => {
        station.backend.write(actor, (unit) =>
          postPayment(unit, code, { customerId: walkIn.customer.id, amountFen: 5000, channel: 'cash', idempotencyKey: `slice-${paid}` }, { id: actor.staffId ?? '', staffNo: 'C001', name: '王芳' }),
        );
        paid += 1;
      },
    });
    expect(paid).toBe(4); // three slices and the last transaction
    expect(station.backend.store.read.value(sql`SELECT sum(amount_fen) FROM payments WHERE customer_id = ${walkIn.customer.id}`)).toBe(20_000);
    expect(filed(station)).toHaveLength(12);
  });

  it('a stopped import says what it filed; the same file checked again files only the rest, nothing twice', async () => {
    const bytes = await workbook(23);
    const actor = clerkActor(station);
    const first = await check(station, clerk, bytes);
    await expect(commitImport(station.backend, actor, first.importId, tick, { sliceSize: 5, stopAfterSlices: 2 })).rejects.toThrow('stopped (test)');
    const db = station.backend.store.read;
    expect(db.get(sql`SELECT customers, meters FROM customer_imports_open WHERE import_id = ${first.importId}`)).toEqual({ customers: 10, meters: 10 });
    expect(db.column(sql`SELECT first_row FROM customer_import_rows WHERE import_id = ${first.importId} ORDER BY first_row`)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

    // While its last slice is fresh it may be another process still filing: the file is refused.
    expect(String(await check(station, clerk, bytes).catch((e: Error) => e))).toContain('这个文件正在导入');
    station.clock.advance(61_000);
    // The crash came before the keys; the next start writes them, so the ten are found by phone.
    const keyed = () => db.value(sql`SELECT count(DISTINCT k.customer_id) FROM customer_search_keys k JOIN customers c ON c.id = k.customer_id WHERE c.import_batch = ${first.importId}`);
    expect(keyed()).toBe(0);
    await writeStoppedImportKeys(station.backend);
    expect(keyed()).toBe(10);
    expect((await clerk.call('customers.search', { query: '13900000002' })).hits.map((h) => h.name)).toEqual(['导入2']);
    const again = await check(station, clerk, bytes);
    expect(again).toMatchObject({ rows: 13, customers: 13, invalidRows: 0, resumes: { importId: first.importId, customers: 10, rows: 10 } });
    expect(again.issues).toEqual([]);
    const result = await commitImport(station.backend, actor, again.importId, tick, { sliceSize: 5 });
    expect(result).toMatchObject({ customers: 23, meters: 23, batch: first.importId });
    expect(filed(station)).toHaveLength(23);
    expect(db.value(sql`SELECT count(DISTINCT name) FROM customers WHERE import_batch = ${first.importId}`)).toBe(23);
    // The keys of the first run's customers (it stopped before its keys) came with the second.
    expect(db.value(sql`SELECT count(DISTINCT k.customer_id) FROM customer_search_keys k JOIN customers c ON c.id = k.customer_id WHERE c.import_batch = ${first.importId}`)).toBe(23);
    expect(db.value(sql`SELECT count(*) FROM customer_imports_open`)).toBe(0);
    expect(db.value(sql`SELECT count(*) FROM audit_log WHERE action = 'customers.import'`)).toBe(1);
    // Checked once more, the file is all filed: every row's 户号 or meter is taken now.
    expect((await check(station, clerk, bytes)).customers).toBe(0);
  });

  it('a slice refused part-way (the station changed since the check) keeps what it filed, says so, and the same file finishes', async () => {
    const bytes = await workbook(12);
    const actor = clerkActor(station);
    const first = await check(station, clerk, bytes);
    let installed = false;
    const stopped = await commitImport(station.backend, actor, first.importId, tick, {
      sliceSize: 4,
      onSlice: async () => {
        if (installed) return;
        installed = true;
        // Another clerk installs row 10's meter (the third slice's first) on a new customer meanwhile.
        await clerk.call('customers.create', newCustomerInput({ name: '插队', points: [{ label: '', meter: newMeterInput({ meterNo: 'SL-0009' }) }] }));
      },
    }).catch((e: Error) => e);
    expect(stopped).toBeInstanceOf(AppError);
    expect((stopped as AppError).messageIn('zh-CN')).toBe('导入在第 10 行停下：前面已存入 8 户，从这一行起没有存入（检查之后数据有了变化）。请重新选择同一个文件检查：已存入的不会重复导入，有问题的行会标出');
    const db = station.backend.store.read;
    expect(db.value(sql`SELECT customers FROM customer_imports_open WHERE import_id = ${first.importId}`)).toBe(8);
    const again = await check(station, clerk, bytes);
    expect(again).toMatchObject({ resumes: { customers: 8, rows: 8 }, customers: 3, invalidRows: 1 });
    expect(again.issues.map((i) => [i.row, i.column])).toEqual([[10, '表号']]);
    await commitImport(station.backend, actor, again.importId, tick);
    expect(db.value(sql`SELECT count(*) FROM customers WHERE import_batch = ${first.importId}`)).toBe(11);
    expect(db.value(sql`SELECT count(*) FROM customer_imports_open`)).toBe(0);
  });
});
