import Database from 'better-sqlite3';
import { chromium } from '@playwright/test';
import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import XLSX from 'xlsx';
import { formatCenti } from '../../shared/money';
import { scheduledReadingDate } from '../../shared/readings';
import { addMonths } from '../../shared/time';
import { SYSTEM_ACTOR, type Actor } from '../../electron/backend/audit/record';
import { DEMO_PASSWORD } from '../../electron/backend/demo/staffStep';
import { Backend } from '../../electron/backend/context';
import { sql } from '../../electron/backend/db/sql';
import { dispatch } from '../../electron/backend/dispatch';
import { createHandlers } from '../../electron/backend/handlers';
import { createBook, movePoints } from '../../electron/backend/readings/books';
import { enterReading } from '../../electron/backend/readings/entry';
import { commitImport, previewImport } from '../../electron/backend/readings/handheld';
import { openPeriod } from '../../electron/backend/readings/periods';
import { writeWorkbook } from '../../electron/backend/customers/workbook/write';
import { startWebHost } from '../../electron/hosts/web';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../electron/hosts/chromium';
import { demoStationCopy } from './customers';
import { measure, once, ratio, stats, type Bench } from './harness';

// Meter-reading figures (issue "Meter reading"), on the demo station of ctx.customers customers
// (every desk's demo step: 13 closed months of readings; the demo's own month, 2026-11, unopened):
// - opening the next period for every meter, beside a bare INSERT … SELECT of the book list;
// - saving one reading (checks + write + audit + outbox), through the module and through
//   dispatch, beside a bare one-row insert transaction on the same database;
// - keyboard entry in Chromium on an 800-row book: Enter to the next row focused (and to the
//   row shown saved), measured in the page, beside the same key on a bare page of 800 inputs;
// - importing a 20,000-row handheld workbook: preview and commit, beside a bare parse.

/** The demo station's today (scripts/bench/customers.ts builds it as of this day). */
const AS_OF = '2026-11-26';
const PERIOD = AS_OF.slice(0, 7);
const BOOK_ROWS = 800;
const KEYED_ROWS = 300;
const IMPORT_ROWS = 20_000;
const SAVES = 2000;

export async function openFigures(backend: Backend, actor: Actor, file: string) {
  const run = await once(() => openPeriod(backend, actor, PERIOD));
  const bare = new Database(file);
  bare.pragma('journal_mode = WAL');
  bare.pragma('synchronous = FULL');
  bare.exec('DROP TABLE IF EXISTS bench_bare_due; CREATE TABLE bench_bare_due (period TEXT, point_id TEXT, book_id TEXT, seq INTEGER, PRIMARY KEY (period, point_id)) WITHOUT ROWID');
  const bareRun = await once(() => bare.prepare(`INSERT INTO bench_bare_due SELECT ?, point_id, book_id, seq FROM book_points`).run(PERIOD));
  bare.exec('DROP TABLE bench_bare_due');
  bare.close();
  return {
    period: PERIOD,
    due: run.value.due,
    books: run.value.books,
    openMs: run.ms,
    peakRssMb: run.peakRssMb,
    bareInsertSelectMs: bareRun.ms,
    ratio: ratio(run.ms, bareRun.ms),
    targetMs: 5000,
    meetsTarget: run.ms < 5000,
  };
}

/** Unread due points of the open period, in book order, skipping `skip`. */
interface Target {
  point_id: string;
  previous_reading: number;
  multiplier: number;
  consumption: number;
  digits: number;
  reading_day: number;
}

function unread(backend: Backend, count: number, skip: Set<string>): Target[] {
  // Last month's consumption is a plausible one for this month (no flag from the checks).
  const rows = backend.store.read.all<Target>(sql`
    SELECT d.point_id, d.previous_reading, m.multiplier, m.digits, b.reading_day,
           coalesce((SELECT r.consumption FROM readings r WHERE r.point_id = d.point_id AND r.period < d.period AND r.kind = 'actual'
                     ORDER BY r.period DESC LIMIT 1), 10000) AS consumption
    FROM reading_due d JOIN meters m ON m.id = d.meter_id JOIN books b ON b.id = d.book_id
    WHERE d.period = ${PERIOD} AND d.previous_meter_id = d.meter_id AND m.tou = 0
      AND NOT EXISTS (SELECT 1 FROM readings r WHERE r.period = d.period AND r.point_id = d.point_id)
    ORDER BY d.book_id, d.seq`);
  return rows.filter((r) => !skip.has(r.point_id) && r.previous_reading + r.consumption < 10 ** r.digits * 100).slice(0, count);
}

const nextValue = (r: Target) => formatCenti(r.previous_reading + Math.round(r.consumption / r.multiplier));
/** Read on the book's day, as a reader would. */
const readOn = (r: Target) => scheduledReadingDate(PERIOD, r.reading_day);

async function saveFigures(backend: Backend, file: string, skip: Set<string>) {
  const targets = unread(backend, SAVES * 2, skip);
  targets.forEach((t) => skip.add(t.point_id));
  const saves = Math.floor(targets.length / 2); // SAVES each way on a full-size station
  const today = AS_OF;
  let i = 0;
  const viaModule = await measure(saves, () => {
    const t = targets[i++]!;
    const outcome = backend.write(SYSTEM_ACTOR, (unit) =>
      enterReading(unit, { staff: null }, { period: PERIOD, pointId: t.point_id, kind: 'actual', value: nextValue(t), readingDate: readOn(t), reason: '', confirmedRollover: false, supersedes: null, source: 'keyboard' }, today),
    );
    if (outcome.outcome !== 'saved') throw new Error(`bench save: ${outcome.outcome}`);
  }, 0);
  const handlers = createHandlers();
  const transport = { token: null, locale: 'zh-CN' as const, setSessionToken: () => {}, operator: { staffId: null, label: 'bench' } };
  const viaDispatch = await measure(saves, async () => {
    const t = targets[i++]!;
    const result = await dispatch(backend, handlers, 'readings.save', { period: PERIOD, pointId: t.point_id, value: nextValue(t), readingDate: readOn(t) }, transport);
    if (!result.ok || (result.value as { outcome: string }).outcome !== 'saved') throw new Error(`bench dispatch save: ${JSON.stringify(result)}`);
  }, 0);
  // Baseline: one row of the same width inserted in its own transaction, same file, same pragmas.
  const bare = new Database(file);
  bare.pragma('journal_mode = WAL');
  bare.pragma('synchronous = FULL');
  bare.exec(`DROP TABLE IF EXISTS bench_bare_readings;
    CREATE TABLE bench_bare_readings (id TEXT PRIMARY KEY, station_id TEXT, period TEXT, point_id TEXT, meter_id TEXT, reading_date TEXT, kind TEXT,
      value INTEGER, previous_value INTEGER, consumption INTEGER, flags TEXT, source TEXT, entered_at INTEGER)`);
  const insert = bare.prepare(`INSERT INTO bench_bare_readings VALUES (?, 's', ?, ?, 'm', ?, 'actual', 1, 0, 1, '[]', 'keyboard', ?)`);
  let n = 0;
  const bareInsert = await measure(saves, () => {
    n += 1;
    bare.transaction(() => insert.run(`bare-${n}`, PERIOD, `p-${n}`, today, n))();
  });
  bare.exec('DROP TABLE bench_bare_readings');
  bare.close();
  return {
    saveOneReadingMs: viaModule,
    throughDispatchMs: viaDispatch,
    bareInsertMs: bareInsert,
    ratioP95: ratio(viaModule.p95, bareInsert.p95),
    targetP95Ms: 3,
    meetsTarget: viaModule.p95 < 3,
  };
}

export async function keyboardFigures(backend: Backend, skip: Set<string>) {
  // An 800-row book of this month's unread meters, assigned to reader M001.
  const rows = unread(backend, BOOK_ROWS, skip);
  rows.forEach((r) => skip.add(r.point_id));
  const readerId = backend.store.read.value<string>(sql`SELECT id FROM staff WHERE staff_no = 'M001'`);
  const book = backend.write(SYSTEM_ACTOR, (unit) => {
    const b = createBook(unit, { name: '基准800户本', readerId: readerId ?? null, readingDay: Number(AS_OF.slice(8)) });
    for (let i = 0; i < rows.length; i += 2000) movePoints(unit, rows.slice(i, i + 2000).map((r) => r.point_id), b.id);
    return b;
  });
  const host = await startWebHost({ backend, port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1366, height: 800 } });
    await page.goto(host.url);
    await page.getByLabel('工号').fill('M001');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: /欢迎/ }).waitFor();
    await page.goto(`${host.url}#/readings/entry/${PERIOD}/${book.id}`);
    await page.getByLabel('第 1 行止码').waitFor();
    const gridRows = Number(await page.getByRole('table', { name: '抄表录入' }).getAttribute('aria-rowcount')) - 1;
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === '第 1 行止码');
    // Measured in the page: Enter's keydown → the next row's input focused; → that row's save
    // answered (the k-th readings.save response belongs to the k-th Enter: saves go in order).
    await page.evaluate(() => {
      const w = window as unknown as { focusMs: number[]; downs: number[] };
      w.focusMs = [];
      w.downs = [];
      performance.setResourceTimingBufferSize(10_000);
      performance.clearResourceTimings();
      let down: number | null = null;
      document.addEventListener('keydown', (e) => {
        if (e.key !== 'Enter') return;
        down = performance.now();
        w.downs.push(down);
      }, true);
      document.addEventListener('focusin', (e) => {
        if (down !== null && (e.target as HTMLElement).dataset.field === 'value') {
          w.focusMs.push(performance.now() - down);
          down = null;
        }
      }, true);
    });
    const keyed = Math.min(KEYED_ROWS, rows.length);
    for (let i = 0; i < keyed; i++) {
      await page.keyboard.insertText(nextValue(rows[i]!));
      await page.keyboard.press('Enter');
    }
    await page.waitForFunction((n) => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/api/readings.save')).length >= n, keyed, { timeout: 300_000 });
    const measured = await page.evaluate(() => {
      const w = window as unknown as { focusMs: number[]; downs: number[] };
      const answered = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/api/readings.save')) as PerformanceResourceTiming[];
      return { focusMs: w.focusMs, savedMs: answered.map((e, k) => e.responseEnd - (w.downs[k] ?? 0)) };
    });
    // Baseline: the same key on a bare page of 800 inputs whose keydown handler focuses the next one.
    const bare = await browser.newPage();
    await bare.setContent(`<table>${Array.from({ length: BOOK_ROWS }, (_, i) => `<tr><td><input data-i="${i}"></td></tr>`).join('')}</table>`);
    await bare.evaluate(() => {
      const w = window as unknown as { bareMs: number[] };
      const inputs = [...document.querySelectorAll('input')];
      w.bareMs = [];
      let down: number | null = null;
      document.addEventListener('keydown', (e) => {
        if (e.key !== 'Enter') return;
        down = performance.now();
        inputs[Number((e.target as HTMLElement).dataset.i) + 1]?.focus();
      }, true);
      document.addEventListener('focusin', () => {
        if (down !== null) w.bareMs.push(performance.now() - down);
        down = null;
      }, true);
      inputs[0]?.focus();
    });
    for (let i = 0; i < keyed; i++) {
      await bare.keyboard.insertText('1');
      await bare.keyboard.press('Enter');
    }
    const bareFocus = await bare.evaluate(() => (window as unknown as { bareMs: number[] }).bareMs);
    const focus = stats(measured.focusMs);
    return {
      bookRows: gridRows,
      keyedRows: keyed,
      enterToNextRowFocusedMs: focus,
      enterToRowSavedMs: stats(measured.savedMs),
      bareEnterToNextInputMs: stats(bareFocus),
      ratioP95: ratio(focus.p95, stats(bareFocus).p95),
      targetP95Ms: 50,
      meetsTarget: focus.p95 < 50,
    };
  } finally {
    await browser.close();
    await host.close();
  }
}

async function importFigures(backend: Backend, skip: Set<string>) {
  const rows = unread(backend, IMPORT_ROWS, skip);
  // A small station (--customers) may have no meter left unread after the other figures.
  if (rows.length === 0) return { rows: 0, skipped: 'no meter left unread at this station size' };
  rows.forEach((r) => skip.add(r.point_id));
  const meterNos = new Map(
    backend.store.read
      .all<{ point_id: string; meter_no: string }>(sql`SELECT d.point_id, m.meter_no FROM reading_due d JOIN meters m ON m.id = d.meter_id WHERE d.period = ${PERIOD}`)
      .map((r) => [r.point_id, r.meter_no]),
  );
  const bytes = await writeWorkbook([
    { name: '抄表机', rows: [['表号', '止码', '抄表日期'], ...rows.map((r) => [meterNos.get(r.point_id) ?? '', nextValue(r), readOn(r)])] },
  ]);
  const preview = await once(() => previewImport(backend, null, { period: PERIOD, fileName: 'bench.xlsx', bytes }, 'zh-CN'));
  const commit = await once(() => commitImport(backend, null, { staffId: null, label: 'bench' }, preview.value.previewId, true));
  const bareParse = await once(() => XLSX.read(bytes, { type: 'buffer', dense: true }));
  const totalMs = Math.round((preview.ms + commit.ms) * 10) / 10;
  return {
    rows: rows.length,
    fileBytes: bytes.length,
    preview: { ms: preview.ms, peakRssMb: preview.peakRssMb, ok: preview.value.ok, flagged: preview.value.flagged, confirm: preview.value.confirm, errors: preview.value.errors },
    commit: { ms: commit.ms, peakRssMb: commit.peakRssMb, ...commit.value },
    totalMs,
    bareXlsxParseMs: bareParse.ms,
    ratio: ratio(totalMs, bareParse.ms),
    targetMs: 10_000,
    meetsTarget: totalMs < 10_000 && commit.value.saved === rows.length,
  };
}

export const readingsBench: Bench = {
  name: 'readings',
  async run(ctx) {
    const file = await demoStationCopy(ctx, 'readings-work');
    const backend = new Backend({ db: file, backupsDir: join(ctx.workDir, 'readings-backups') });
    try {
      const station = backend.store.read.get<Record<string, number>>(sql`
        SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM metering_points) AS points,
               (SELECT count(*) FROM books) AS books, (SELECT count(*) FROM readings) AS readings,
               (SELECT count(*) FROM reading_periods) AS closedPeriods`);
      // The machine is shared: its load says how far the figures are from a quiet PC's.
      const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
      ctx.log('readings: opening the next period…');
      const open = await openFigures(backend, SYSTEM_ACTOR, file);
      const used = new Set<string>();
      ctx.log('readings: keyboard entry in Chromium…');
      const keyboard = await keyboardFigures(backend, used);
      ctx.log('readings: saving readings…');
      const save = await saveFigures(backend, file, used);
      ctx.log('readings: importing a 20,000-row workbook…');
      const importing = await importFigures(backend, used);
      return {
        station: { ...station, databaseBytes: statSync(file).size, period: PERIOD, previous: addMonths(PERIOD, -1) },
        machineLoad: { before: loadBefore, after: loadavg().map((x) => Math.round(x * 100) / 100) },
        openPeriod: open,
        saveOneReading: save,
        keyboardEntry: keyboard,
        importWorkbook: importing,
      };
    } finally {
      backend.close();
    }
  },
};
