import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import XLSX from 'xlsx';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SHEET_COLUMNS, sheetRowOf } from '../../../shared/customers/sheet';
import type { ImportPreview, JobState, ReadingImportPreview } from '../../../shared/contract';
import { SYSTEM_ACTOR } from '../audit/record';
import { startBackupJob, verifyBackupFile } from '../backup/backup';
import { holdExclusively } from '../backup/replace';
import type { BackendOptions } from '../context';
import { Backend } from '../context';
import { newCustomerInput, newMeterInput } from '../customers/fixtures';
import { writeWorkbook } from '../customers/workbook/write';
import { holdersDir } from '../db/holders';
import { sql } from '../db/sql';
import { demoOptions } from '../demo/build';
import { DEMO_BUILDING_SUFFIX } from '../demo/stopped';
import { AppError } from '../errors';
import { addMeters } from '../readings/fixtures';
import { startOpenPeriodJob } from '../readings/periods';
import { bookWith, households, makeReadingStation, openPeriod, type ReadingStation } from '../readings/test-station';
import { exportBatch } from '../sync/station';
import { makeTestStation, type TestStation } from '../testing';
import { buildCli } from '../../../scripts/build-cli.mjs';
import { ROOT } from '../../../scripts/cli-bundle.mjs';
import { jobThreadState, runInJobThread } from './thread';

// Every long job on a job thread in browser mode and the CLI (issue 18, `Backend({ jobThreads:
// true })`): each job's result is what the same job run on the host's thread gives, a refusal
// arrives as its code and key (the clerk's message in their language), and the host's thread
// writes while the job works.

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

function keep<T extends { close(): void }>(x: T): T {
  closers.push(() => x.close());
  return x;
}

/** A customer workbook of `count` residents, one meter each: names, phones, 户号 and meter numbers from the prefixes and i. */
function residentsWorkbook(count: number, prefix: { name: string; phone: string; account: string; meter: string }): Promise<Buffer> {
  const header = SHEET_COLUMNS.map((c) => c.header);
  const resident = (i: number) =>
    sheetRowOf(
      { ...newCustomerInput({ name: `${prefix.name}${i}`, phone: `${prefix.phone}${String(i).padStart(8, '0')}` }), accountNo: `${prefix.account}${String(i).padStart(5, '0')}`, status: 'active', statusDate: '2026-01-05' },
      { label: '', meter: newMeterInput({ meterNo: `${prefix.meter}${String(i).padStart(4, '0')}` }) },
    );
  return writeWorkbook([{ name: '客户', rows: [header, ...Array.from({ length: count }, (_, i) => resident(i + 1))] }]);
}

/** The period open's result on a job thread (`state`) and its due list are what the same open gives on the host's thread of `alone`. */
async function expectOpenedAlike(state: JobState, threaded: ReadingStation, alone: ReadingStation): Promise<void> {
  const { slices: _s1, longestSliceMs: _l1, ...hosted } = (await openPeriod(alone, '2026-11')) as Record<string, unknown>;
  const { slices: _s2, longestSliceMs: _l2, ...onThread } = state.result as Record<string, unknown>;
  expect(hosted).toEqual(onThread);
  const due = (rs: ReadingStation) =>
    rs.station.backend.store.read.all(sql`SELECT m.meter_no, d.seq, d.previous_reading FROM reading_due d JOIN meters m ON m.id = d.meter_id ORDER BY m.meter_no`);
  expect(due(threaded)).toEqual(due(alone));
}

async function readingStation(threads: boolean, count: number, options: Partial<BackendOptions> = {}): Promise<ReadingStation> {
  const rs = await makeReadingStation(threads ? { jobThreads: true, ...options } : {});
  closers.push(() => rs.station.close());
  const points = addMeters(rs.station.backend, households(count));
  // Several books, so the period open has several slices.
  for (let i = 0; i < 4; i++) await bookWith(rs, points.slice((i * count) / 4, ((i + 1) * count) / 4), 'M001', 25, `东村${i + 1}本`);
  return rs;
}

/**
 * Writes on the host's thread, one after another, until the job ends; returns how long each write
 * took that began after the job had started its work (its first tick) and ended while it still ran.
 */
async function writesWhileRunning(backend: Backend, jobId: string): Promise<number[]> {
  const during: number[] = [];
  for (let i = 0; ; i++) {
    const before = backend.jobs.get(jobId)!;
    if (before.status !== 'running') break;
    const started = performance.now();
    backend.write(SYSTEM_ACTOR, (unit) => unit.audit({ action: 'test.hostWrite', entity: 'test', entityId: null, summary: { i } }));
    const ms = performance.now() - started;
    const after = backend.jobs.get(jobId)!;
    if (before.version > 1 && after.status === 'running') during.push(ms);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return during;
}

async function finishedWithWrites(backend: Backend, job: JobState): Promise<{ state: JobState; during: number[] }> {
  const during = await writesWhileRunning(backend, job.id);
  return { state: await backend.jobs.finished(job.id), during };
}

/** The host's writes went through while the job ran, each in about one slice at most. */
function expectWritesDuring(during: number[]) {
  expect(during.length).toBeGreaterThan(0);
  expect(Math.max(...during)).toBeLessThan(2000);
}

function refusalOf(promise: Promise<unknown>): Promise<AppError> {
  return promise.then(
    () => {
      throw new Error('not refused');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(AppError);
      return error as AppError;
    },
  );
}

const silent = { tick: async () => {} };

describe('job threads (browser mode and the CLI, issue 18)', () => {
  it('sync export: the thread writes the bytes the host’s thread writes; nothing to export is refused with its key; the host writes meanwhile', async () => {
    const rs = await readingStation(true, 1000); // about 3,000 outbox rows: several slices of the export (the first reads 250)
    const backend = rs.station.backend;
    const outDir = join(rs.station.dir, 'out');
    const job = backend.jobs.start('sync.export', null, (progress) => import('../sync/exportJob').then((m) => m.exportBatchJob(backend, SYSTEM_ACTOR, progress, { outDir })));
    const { state, during } = await finishedWithWrites(backend, job);
    expect(state.status).toBe('succeeded');
    const threaded = state.result as Awaited<ReturnType<typeof exportBatch>>;
    expect(threaded.count).toBeGreaterThan(2500);
    expectWritesDuring(during);
    // The same range exported on the host's thread: the same file, byte for byte.
    const here = await exportBatch(backend, SYSTEM_ACTOR, { outDir });
    expect(here).toEqual({ ...threaded, again: true });
    // Everything acknowledged: the thread refuses with the key the clerk's message comes from.
    backend.store.write((tx) => tx.run(sql`UPDATE sync_state SET acked_seq = (SELECT max(seq) FROM outbox)`));
    const refused = await refusalOf(runInJobThread(backend, { kind: 'sync.export', actor: SYSTEM_ACTOR, outDir }, silent, () => Promise.reject(new Error('no thread'))));
    expect(refused).toMatchObject({ code: 'validation', key: 'sync.nothingToExport' });
    expect(refused.messageIn('zh-CN')).not.toBe(refused.messageIn('en'));
  }, 120_000);

  it('opening a period: the due list the host’s thread writes; a period already open is refused with its key; the host writes meanwhile', async () => {
    const threaded = await readingStation(true, 400);
    const alone = await readingStation(false, 400);
    const { state, during } = await finishedWithWrites(threaded.station.backend, startOpenPeriodJob(threaded.station.backend, SYSTEM_ACTOR, '2026-11'));
    expect(state).toMatchObject({ status: 'succeeded', result: { period: '2026-11', books: 4, due: 400 } });
    expectWritesDuring(during);
    await expectOpenedAlike(state, threaded, alone);
    const refused = await refusalOf(
      runInJobThread(threaded.station.backend, { kind: 'readings.openPeriod', actor: SYSTEM_ACTOR, period: '2026-11' }, silent, () => Promise.reject(new Error('no thread'))),
    );
    expect(refused).toMatchObject({ code: 'conflict', key: 'period.exists', params: { period: '2026-11' } });
  }, 120_000);

  it('from the CLI’s bundle: the thread runs the job-thread bundle built with it (no tsx), and opens the same period', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'griddesk-thread-dist-'));
    closers.push(() => rmSync(dist, { recursive: true, force: true }));
    const previous = process.env.GRIDDESK_CLI_DIST;
    process.env.GRIDDESK_CLI_DIST = dist;
    let built: Awaited<ReturnType<typeof buildCli>>;
    try {
      built = await buildCli(ROOT, { quiet: true });
    } finally {
      if (previous === undefined) delete process.env.GRIDDESK_CLI_DIST;
      else process.env.GRIDDESK_CLI_DIST = previous;
    }
    // A mark the bundle leaves when it runs: proof the thread ran it and not the sources.
    const mark = join(dist, 'ran-from-bundle');
    appendFileSync(built.jobThread, `\nrequire('node:fs').writeFileSync(${JSON.stringify(mark)}, 'yes');\n`);
    const threaded = await readingStation(true, 200);
    const alone = await readingStation(false, 200);
    const global = globalThis as { __griddeskJobThread?: { file: string; cache: string } };
    global.__griddeskJobThread = { file: built.jobThread, cache: built.jobThreadCache };
    try {
      const state = await threaded.station.backend.jobs.finished(startOpenPeriodJob(threaded.station.backend, SYSTEM_ACTOR, '2026-11').id);
      expect(state).toMatchObject({ status: 'succeeded', result: { period: '2026-11', books: 4, due: 200 } });
    } finally {
      delete global.__griddeskJobThread;
    }
    expect(readFileSync(mark, 'utf8')).toBe('yes');
    await openPeriod(alone, '2026-11');
    const due = (rs: ReadingStation) =>
      rs.station.backend.store.read.all(sql`SELECT m.meter_no, d.seq, d.previous_reading FROM reading_due d JOIN meters m ON m.id = d.meter_id ORDER BY m.meter_no`);
    expect(due(threaded)).toEqual(due(alone));
    // The thread's compiled code is kept for the next thread (written as the thread exits).
    await vi.waitFor(() => expect(existsSync(built.jobThreadCache)).toBe(true), { timeout: 10_000 });
  }, 120_000);

  it('the handheld import’s commit: saves what the host’s thread saves; the host writes meanwhile; a used preview is refused with its key', async () => {
    const file = (count: number) => {
      const rows: (string | number)[][] = [['表号', '止码', '抄表日期']];
      for (let i = 1; i <= count; i++) rows.push([`D-${String(i).padStart(4, '0')}`, 100 + i, '2026-11-25']);
      const book = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), '抄表');
      return (XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer).toString('base64');
    };
    const commit = async (rs: ReadingStation) => {
      await openPeriod(rs, '2026-11');
      const preview = await rs.station.backend.jobs.finished((await rs.reader.call('readings.importPreview', { period: '2026-11', fileName: '抄表机.xlsx', base64: file(700) })).jobId);
      const { previewId } = preview.result as ReadingImportPreview;
      const { jobId } = await rs.reader.call('readings.importCommit', { previewId, confirmRollovers: false });
      return { previewId, ...(await finishedWithWrites(rs.station.backend, rs.station.backend.jobs.get(jobId)!)) };
    };
    const threaded = await readingStation(true, 700);
    const alone = await readingStation(false, 700);
    const t = await commit(threaded);
    const a = await commit(alone);
    expect(t.state).toMatchObject({ status: 'succeeded', result: { saved: 700, skipped: 0 } });
    expect(t.state.result).toEqual(a.state.result);
    expectWritesDuring(t.during);
    const stored = (rs: ReadingStation) =>
      rs.station.backend.store.read.all(sql`SELECT m.meter_no, r.value, r.consumption, r.kind FROM readings r JOIN meters m ON m.id = r.meter_id ORDER BY m.meter_no`);
    expect(stored(threaded)).toEqual(stored(alone));
    // The preview left this thread with the job: committing it again is refused, with its key.
    const again = await threaded.reader.fail('readings.importCommit', { previewId: t.previewId, confirmRollovers: false });
    expect(again).toMatchObject({ code: 'not_found' });
    expect(again.message).toBe(new AppError('not_found', 'import.previewGone').messageIn('zh-CN'));
  }, 180_000);

  it('the customer import’s commit: files what the host’s thread files (its 800 checked rows sent in parts of 500); another clerk’s check is refused on the thread with its key; the host writes meanwhile', async () => {
    const bytes = await residentsWorkbook(800, { name: '导入', phone: '139', account: 'GD0199', meter: 'SL-' });
    const run = async (threads: boolean) => {
      const s: TestStation = keep(makeTestStation(threads ? { jobThreads: true } : {}));
      await s.setUp();
      const clerk = await s.staffClient('C001', ['clerk'], '王芳');
      const other = await s.staffClient('C002', ['clerk'], '刘洋');
      const check = async () => {
        const job = await s.backend.jobs.finished((await clerk.call('customers.importPreview', { fileName: '客户.xlsx', base64: bytes.toString('base64') })).jobId);
        return (job.result as ImportPreview).importId;
      };
      const importId = await check();
      // Another clerk's commit of this check: refused (on the thread when there is one), nothing filed, the check still usable.
      const refused = await s.backend.jobs.finished((await other.call('customers.importCommit', { importId })).jobId);
      const { jobId } = await clerk.call('customers.importCommit', { importId });
      const result = await finishedWithWrites(s.backend, s.backend.jobs.get(jobId)!);
      const filed = s.backend.store.read.all(sql`
        SELECT c.account_no, c.name, c.phone, c.name_initials, (SELECT group_concat(k.key, ' ') FROM (SELECT key FROM customer_search_keys WHERE customer_id = c.id ORDER BY key) k) AS keys, m.meter_no FROM customers c
        JOIN metering_points p ON p.customer_id = c.id JOIN meters m ON m.point_id = p.id ORDER BY c.account_no`);
      const reused = await s.backend.jobs.finished((await clerk.call('customers.importCommit', { importId })).jobId);
      return { refused, ...result, filed, reused, failure: s.backend.jobs.failure(refused.id) };
    };
    const t = await run(true);
    const a = await run(false);
    expect(t.refused).toMatchObject({ status: 'failed', error: { code: 'forbidden' } });
    expect(t.failure?.key).toBe('customers.err.importNotYours');
    expect(t.refused.error).toEqual(a.refused.error);
    expect(t.state).toMatchObject({ status: 'succeeded', result: { customers: 800, meters: 800 } });
    const { batch: _b1, slices: _s1, longestSliceMs: _l1, ...threadedResult } = t.state.result as Record<string, unknown>;
    const { batch: _b2, slices: _s2, longestSliceMs: _l2, ...aloneResult } = a.state.result as Record<string, unknown>;
    expect(threadedResult).toEqual(aloneResult);
    expect(t.filed).toEqual(a.filed);
    expect(t.filed).toHaveLength(800);
    expectWritesDuring(t.during);
    // Filed: the check is gone on this thread too, as on the host's.
    expect(t.reused.error).toEqual(a.reused.error);
    expect(t.reused.status).toBe('failed');
  }, 180_000);

  it('a backup: a whole, checked copy on the thread, taken while the host writes (one read snapshot, no restart)', async () => {
    const rs = await readingStation(true, 1500);
    const backend = rs.station.backend;
    const job = startBackupJob(backend, SYSTEM_ACTOR, 'manual');
    const { state, during } = await finishedWithWrites(backend, job);
    expect(state.status).toBe('succeeded');
    const made = state.result as { file: string; kind: string; size: number; createdAt: number };
    expect(made.kind).toBe('manual');
    verifyBackupFile(join(backend.paths.backupsDir, made.file));
    const copy = keep(new Backend({ db: join(backend.paths.backupsDir, made.file), readonly: true }));
    expect(copy.store.read.value(sql`SELECT count(*) FROM customers`)).toBe(1500);
    expectWritesDuring(during);
    expect(backend.store.read.value(sql`SELECT count(*) FROM audit_log WHERE action = 'backup.create' AND entity_id = ${made.file}`)).toBe(1);
  }, 120_000);

  it('a job’s thread lets go of the station file before it says the job ended: a restore right after finds the file free', async () => {
    const s = keep(makeTestStation({ jobThreads: true }));
    await s.setUp();
    for (let round = 0; round < 3; round++) {
      const state = await s.backend.jobs.finished(startBackupJob(s.backend, SYSTEM_ACTOR, 'manual').id);
      expect(state.status).toBe('succeeded');
      s.backend.store.close();
      // No wait (0 ms): the thread's connection must be gone already, as the host's is.
      holdExclusively(s.backend.paths.db, s.backend.driver, 0).close();
      s.backend.reopen();
    }
  }, 120_000);

  it('the demo builder: the thread builds and swaps in the demo station, this thread opens it; a station already set up is refused with its key', async () => {
    const empty = keep(makeTestStation({ jobThreads: true }));
    const client = empty.client();
    const { jobId } = await client.call('demo.build', { customers: 30, months: 2 } as never);
    const state = await empty.backend.jobs.finished(jobId);
    expect(state).toMatchObject({ status: 'succeeded' });
    expect((state.result as { logins: unknown[] }).logins.length).toBeGreaterThan(0);
    // This thread's connection is the demo station's now.
    expect(empty.backend.store.read.value(sql`SELECT count(*) FROM customers`)).toBe(30);
    expect(existsSync(`${empty.backend.paths.db}${DEMO_BUILDING_SUFFIX}`)).toBe(false);
    const refused = await refusalOf(runInJobThread(empty.backend, { kind: 'demo.build', options: demoOptions({ customers: 30, months: 2 }) }, silent, () => Promise.reject(new Error('no thread'))));
    expect(refused).toMatchObject({ code: 'conflict', key: 'customers.err.stationExists' });
  }, 180_000);
});

// A spare job thread (issue 18 "Nothing waits": a thread's start was ~0.2 s of a period open's
// 0.6 s on the 100,000-customer bench): a Backend with job threads keeps one thread with its code
// loaded and no connection, and gives it the next job; each job's result is the same.
describe('a spare job thread, started ahead (issue 18)', () => {
  let bundle: { file: string; cache: string };
  let dist = '';
  const global = globalThis as { __griddeskJobThread?: { file: string; cache: string } };
  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'griddesk-warm-dist-'));
    const previous = process.env.GRIDDESK_CLI_DIST;
    process.env.GRIDDESK_CLI_DIST = dist;
    try {
      const built = await buildCli(ROOT, { quiet: true });
      bundle = { file: built.jobThread, cache: built.jobThreadCache };
    } finally {
      if (previous === undefined) delete process.env.GRIDDESK_CLI_DIST;
      else process.env.GRIDDESK_CLI_DIST = previous;
    }
    global.__griddeskJobThread = bundle;
  }, 120_000);
  afterAll(() => {
    delete global.__griddeskJobThread;
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  /** The connections open on the station file (each writes its entry in the holders folder). */
  const connections = (backend: Backend) => readdirSync(holdersDir(backend.paths.db)).filter((n) => n.endsWith('.json')).length;
  const ready = (backend: Backend) => vi.waitFor(() => expect(jobThreadState(backend).spare).toBe('ready'), { timeout: 30_000, interval: 20 });

  it('the next jobs go to the spare (it says it was warm), with the results of the host’s thread; it holds no connection while it waits; an export (its own V8 limits) still starts a thread of its own', async () => {
    const threaded = await readingStation(true, 400, { warmJobThread: 50 });
    const alone = await readingStation(false, 400);
    const backend = threaded.station.backend;
    await ready(backend);
    // Waiting, the spare has not opened the station: the host's connection is the file's only one.
    expect(connections(backend)).toBe(1);

    // First job: the period open, on the spare.
    const { state, during } = await finishedWithWrites(backend, startOpenPeriodJob(backend, SYSTEM_ACTOR, '2026-11'));
    expect(state).toMatchObject({ status: 'succeeded', result: { period: '2026-11', books: 4, due: 400 } });
    expectWritesDuring(during);
    expect(jobThreadState(backend).counts).toEqual({ warm: 1, warming: 0, fresh: 0, saidWarm: 1 });
    await expectOpenedAlike(state, threaded, alone);

    // A new spare once that job's thread has ended; the second job (a backup) goes to it.
    await ready(backend);
    expect(connections(backend)).toBe(1);
    const backup = await backend.jobs.finished(startBackupJob(backend, SYSTEM_ACTOR, 'manual').id);
    expect(backup.status).toBe('succeeded');
    verifyBackupFile(join(backend.paths.backupsDir, (backup.result as { file: string }).file));
    expect(jobThreadState(backend).counts).toEqual({ warm: 2, warming: 0, fresh: 0, saidWarm: 2 });

    // A refusal from the spare comes back with its key, as from a thread started for the job.
    await ready(backend);
    const refused = await refusalOf(runInJobThread(backend, { kind: 'readings.openPeriod', actor: SYSTEM_ACTOR, period: '2026-11' }, silent, () => Promise.reject(new Error('no thread'))));
    expect(refused).toMatchObject({ code: 'conflict', key: 'period.exists', params: { period: '2026-11' } });
    expect(jobThreadState(backend).counts).toMatchObject({ warm: 3, saidWarm: 3 });

    // The export caps its thread's heap, which is set as a thread starts: a thread of its own; the spare stays for the next job.
    await ready(backend);
    const outDir = join(threaded.station.dir, 'out');
    const exported = await backend.jobs.finished(
      backend.jobs.start('sync.export', null, (progress) => import('../sync/exportJob').then((m) => m.exportBatchJob(backend, SYSTEM_ACTOR, progress, { outDir }))).id,
    );
    expect(exported.status).toBe('succeeded');
    const result = exported.result as Awaited<ReturnType<typeof exportBatch>>;
    expect(result.count).toBeGreaterThan(1000);
    expect(await exportBatch(backend, SYSTEM_ACTOR, { outDir })).toEqual({ ...result, again: true });
    expect(jobThreadState(backend)).toMatchObject({ spare: 'ready', counts: { warm: 3, fresh: 1 } });

    // Closed: the spare is ended, and no other starts.
    backend.close();
    expect(jobThreadState(backend).spare).toBe('none');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(jobThreadState(backend).spare).toBe('none');
  }, 180_000);

  it('the customer import’s commit on the spare: its checked rows follow in parts (the spare reads its port from the start) and it files what the host’s thread files', async () => {
    const bytes = await residentsWorkbook(1200, { name: '预热', phone: '138', account: 'GD0299', meter: 'WM-' });
    const run = async (options: Partial<BackendOptions>) => {
      const s: TestStation = keep(makeTestStation(options));
      await s.setUp();
      const clerk = await s.staffClient('C001', ['clerk'], '王芳');
      const preview = await s.backend.jobs.finished((await clerk.call('customers.importPreview', { fileName: '客户.xlsx', base64: bytes.toString('base64') })).jobId);
      const { importId } = preview.result as ImportPreview;
      if (options.jobThreads) await ready(s.backend);
      const state = await s.backend.jobs.finished((await clerk.call('customers.importCommit', { importId })).jobId);
      const filed = s.backend.store.read.all(sql`
        SELECT c.account_no, c.name, c.phone, (SELECT group_concat(k.key, ' ') FROM (SELECT key FROM customer_search_keys WHERE customer_id = c.id ORDER BY key) k) AS keys, m.meter_no FROM customers c
        JOIN metering_points p ON p.customer_id = c.id JOIN meters m ON m.point_id = p.id ORDER BY c.account_no`);
      return { state, filed, counts: jobThreadState(s.backend).counts };
    };
    const warm = await run({ jobThreads: true, warmJobThread: 50 });
    const here = await run({});
    expect(warm.state).toMatchObject({ status: 'succeeded', result: { customers: 1200, meters: 1200 } });
    expect(warm.counts).toMatchObject({ warm: 1, saidWarm: 1, fresh: 0 });
    expect(warm.filed).toEqual(here.filed);
    expect(warm.filed).toHaveLength(1200);
  }, 180_000);

  it('a process whose Backend keeps a spare exits on its own, closed or not: the spare never keeps it alive, and close() ends it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'griddesk-warm-exit-'));
    closers.push(() => rmSync(dir, { recursive: true, force: true }));
    const context = new URL('../context.ts', import.meta.url).href;
    const thread = new URL('./thread.ts', import.meta.url).href;
    const child = (close: boolean) =>
      new Promise<{ code: number | null; out: string; ms: number }>((resolve, reject) => {
        const code = `
          const { Backend } = await import(${JSON.stringify(context)});
          const { jobThreadState } = await import(${JSON.stringify(thread)});
          globalThis.__griddeskJobThread = ${JSON.stringify(bundle)};
          const backend = new Backend({ db: ${JSON.stringify(join(dir, `station-${close}.db`))}, jobThreads: true, warmJobThread: 0 });
          while (jobThreadState(backend).spare !== 'ready') await new Promise((r) => setTimeout(r, 10));
          console.log('spare ready');
          ${close ? 'backend.close(); console.log(jobThreadState(backend).spare);' : ''}
        `;
        const script = join(dir, `child-${close}.mts`);
        writeFileSync(script, code);
        const started = performance.now();
        const proc = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        const timer = setTimeout(() => {
          proc.kill();
          reject(new Error(`the process did not exit (${out})`));
        }, 60_000);
        proc.on('exit', (exitCode) => {
          clearTimeout(timer);
          resolve({ code: exitCode, out, ms: performance.now() - started });
        });
      });
    const [closed, open] = await Promise.all([child(true), child(false)]);
    expect(closed).toMatchObject({ code: 0 });
    expect(closed.out).toBe('spare ready\nnone\n');
    expect(open).toMatchObject({ code: 0, out: 'spare ready\n' });
  }, 120_000);
});
