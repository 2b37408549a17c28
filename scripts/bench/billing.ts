import Database from 'better-sqlite3';
import { existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CustomerClass } from '../../shared/customers/classes';
import { Backend } from '../../electron/backend/context';
import { uuidv7 } from '../../electron/backend/db/ids';
import { loadMigrations } from '../../electron/backend/db/migrations';
import { PAGE_CACHE_KIB } from '../../electron/backend/db/store';
import { sql } from '../../electron/backend/db/sql';
import { issueDrafts, reviewBill } from '../../electron/backend/billing/issue';
import { runBilling, type RunOptions } from '../../electron/backend/billing/run';
import { importReferenceFile } from '../../electron/backend/billing/tariffs';
import { StationFixture } from '../../electron/backend/billing/testing/fixture';
import { printRoutesToPdf } from '../../electron/hosts/printToPdf';
import { flushedCopy, once, ratio, stats, upgradedCache, type Bench, type BenchContext } from './harness';
import { migrateCopy } from './customers';

// Billing figures (issue "Tariffs and billing"):
// - a billing run for the whole station (100,000 customers with 12 months already billed and
//   issued), beside a bare insert of the same bill, line, reading-link, flag and outbox rows into
//   the same database with prepared statements in one transaction (the floor of writing them at
//   all);
// - printing the notices of a 500-customer book to PDF through the headless print path.
// The station is built once with the billing fixture (customers, books, readings by SQL) and the
// real billing run for the history, and cached in .bench/.

const MONTHS = ['2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'];
export const MEASURED = '2026-11';
const BOOK_SIZE = 500;
const ACTOR = { staffId: null, label: 'bench' };
const SAMPLE_TARIFFS = fileURLToPath(new URL('../../docs/tariffs/sample-catalogue.json', import.meta.url));

interface Kind {
  customerClass: CustomerClass;
  tariffCode: string;
  tou?: boolean;
  multiplier?: number;
  capacityKva?: number;
}

/** The station's mix: mostly residents on monthly tiers, some annual and TOU, shops, farms, a few factories. */
function kindOf(i: number): Kind {
  const k = i % 100;
  if (k < 78) return { customerClass: 'residential', tariffCode: 'RES-GD' };
  if (k < 88) return { customerClass: 'residential', tariffCode: 'RES-ANNUAL' };
  if (k < 93) return { customerClass: 'residential', tariffCode: 'RES-TOU', tou: true };
  if (k < 97) return { customerClass: 'commercial', tariffCode: 'CI-GEN', tou: true };
  if (k < 99) return { customerClass: 'agricultural', tariffCode: 'AGR' };
  return { customerClass: 'large_industry', tariffCode: 'LI-10KV', tou: true, multiplier: 100, capacityKva: 400 + (i % 7) * 200 };
}

/** A deterministic month's use in hundredths of a kWh (seasonal, varied by customer). */
function usage(i: number, monthIndex: number, kind: Kind): { kwh: number; tou?: { peak: number; valley: number } } {
  const wobble = ((i * 7919 + monthIndex * 104729) % 1000) / 1000; // 0…1
  const summer = [6, 7, 8, 9].includes((monthIndex + 10) % 12) ? 1.5 : 1;
  let kwh: number;
  switch (kind.customerClass) {
    case 'residential':
      kwh = Math.round((80 + wobble * 300) * summer) * 100;
      break;
    case 'commercial':
      kwh = Math.round(500 + wobble * 2500) * 100;
      break;
    case 'agricultural':
      kwh = wobble < 0.1 ? 0 : Math.round(wobble * 2000 * summer) * 100;
      break;
    case 'large_industry':
      kwh = Math.round(50_000 + wobble * 150_000) * 100;
      break;
  }
  if (!kind.tou) return { kwh };
  const step = kind.multiplier ?? 1;
  const peak = Math.floor((kwh * 0.3) / (100 * step)) * 100 * step;
  const valley = Math.floor((kwh * 0.4) / (100 * step)) * 100 * step;
  return { kwh, tou: { peak, valley } };
}

export async function buildStation(ctx: BenchContext): Promise<string> {
  const file = join(ctx.workDir, `billing-${ctx.customers}-v${loadMigrations().length}.db`);
  if (await upgradedCache(file, migrateCopy(ctx))) return file;
  ctx.log(`billing: building a ${ctx.customers}-customer station with ${MONTHS.length} months billed (cached in .bench/ for later runs)…`);
  const building = `${file}.building`;
  for (const f of [building, `${building}-wal`, `${building}-shm`]) rmSync(f, { force: true });
  const backend = new Backend({ db: building });
  const { setupStation } = await import('../../electron/backend/station/setup');
  await setupStation(backend, { stationCode: 'BENCH', stationName: '基准供电所', adminNo: 'A001', adminName: '管理员', password: 'bench1234' });
  // The sample catalogue (effective 2026-01-01) and, for the history months of 2025, the same
  // prices as the version before it.
  const catalogue = JSON.parse(readFileSync(SAMPLE_TARIFFS, 'utf8')) as { tariffs: { effectiveFrom: string }[] };
  const previous = JSON.stringify({ tariffs: catalogue.tariffs.map((t) => ({ ...t, effectiveFrom: '2025-01-01' })) });
  backend.write(ACTOR, (unit) => importReferenceFile(unit, previous, 'previous-catalogue.json'));
  backend.write(ACTOR, (unit) => importReferenceFile(unit, readFileSync(SAMPLE_TARIFFS, 'utf8'), 'sample-catalogue.json'));
  const { insertStaff, prepareStaff } = await import('../../electron/backend/staff/staff');
  const clerk = await prepareStaff({ staffNo: 'B001', name: '核算员', roles: ['billing_clerk'], password: 'bench1234', mustChangePassword: false });
  backend.write(ACTOR, (unit) => insertStaff(unit, clerk));
  const adminId = backend.store.read.value<string>(sql`SELECT id FROM staff WHERE staff_no = 'A001'`) ?? '';
  const fixture = new StationFixture(backend, adminId);
  const books: string[] = [];
  for (let b = 0; b * BOOK_SIZE < ctx.customers; b++) books.push(fixture.book(`B${String(b + 1).padStart(3, '0')}`, `第${b + 1}抄表本`));
  const kinds = Array.from({ length: ctx.customers }, (_, i) => kindOf(i));
  const points: { pointId: string; customerId: string; kind: Kind }[] = [];
  for (let start = 0; start < ctx.customers; start += 10_000) {
    const specs = kinds.slice(start, start + 10_000).map((kind, j) => {
      const i = start + j;
      return {
        name: `客户${i + 1}`,
        customerClass: kind.customerClass,
        tariffCode: kind.tariffCode,
        bookId: books[Math.floor(i / BOOK_SIZE)] ?? '',
        seq: (i % BOOK_SIZE) + 1,
        multiPerson: i % 50 === 0,
        tou: kind.tou ?? false,
        multiplier: kind.multiplier ?? 1,
        capacityKva: kind.capacityKva ?? null,
        openedDate: '2020-01-01',
      };
    });
    fixture.customers(specs).forEach((c, j) => points.push({ pointId: c.pointId, customerId: c.customerId, kind: kinds[start + j] ?? kindOf(0) }));
  }
  const readMonth = (period: string, monthIndex: number) => {
    fixture.openPeriod(period);
    backend.store.write((tx) => {
      points.forEach((p, i) => {
        fixture.read(period, p.pointId, usage(i, monthIndex, p.kind), tx);
      });
    });
    // The factories' reactive energy for the power-factor adjustment.
    backend.write(ACTOR, (unit) => {
      points.forEach((p, i) => {
        if (p.kind.customerClass !== 'large_industry') return;
        const kvarh = Math.round(usage(i, monthIndex, p.kind).kwh * (0.25 + (i % 5) * 0.1));
        unit.run(sql`INSERT INTO billing_meter_extras (id, station_id, period, customer_id, kvarh, entered_at)
                     VALUES (${uuidv7()}, ${unit.stationId()}, ${period}, ${p.customerId}, ${kvarh}, ${unit.at})`);
      });
    });
  };
  for (const [m, period] of MONTHS.entries()) {
    const started = performance.now();
    readMonth(period, m);
    const run = await runBilling(backend, ACTOR, { period });
    backend.write(ACTOR, (unit) => {
      for (const id of unit.column<string>(sql`
          SELECT b.id FROM bills_in_force b WHERE b.period = ${period}
            AND EXISTS (SELECT 1 FROM bill_flags g WHERE g.bill_id = b.id)
            AND NOT EXISTS (SELECT 1 FROM bill_issues i WHERE i.bill_id = b.id)`)) {
        reviewBill(unit, id, 'bench');
      }
      issueDrafts(unit, { period });
    });
    ctx.log(`billing: ${period} billed ${run.billed} (${run.problems} problems) and issued in ${Math.round((performance.now() - started) / 1000)} s`);
  }
  readMonth(MEASURED, MONTHS.length);
  backend.close();
  renameSync(building, file);
  return file;
}

function copyOf(source: string, ctx: BenchContext, name: string): string {
  return flushedCopy(source, join(ctx.workDir, name));
}

/** The billing run of the measured month, with where its time went. */
async function timedRun(file: string, options: RunOptions = {}) {
  const backend = new Backend({ db: file });
  const marks: { at: number; done: number; total: number }[] = [];
  const progress = {
    tick: async (done: number, total?: number) => {
      marks.push({ at: performance.now(), done, total: total ?? 0 });
    },
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await runBilling(backend, ACTOR, { period: MEASURED }, progress, options);
  const ended = performance.now();
  const used = process.cpuUsage(cpu);
  backend.close();
  const first = marks[0]?.at ?? started;
  const computed = marks.at(-1)?.at ?? first;
  return {
    ms: ended - started,
    cpuMs: (used.user + used.system) / 1000,
    gatherMs: first - started,
    computeMs: computed - first,
    writeMs: ended - computed,
    billed: result.billed,
    totalFen: result.totalFen,
    flagged: result.flagged,
    problems: result.problems,
    twoThreads: result.twoThreads,
    computed: result.computed,
  };
}

/**
 * The same rows written with bare prepared statements, same pragmas (the store's page cache
 * too), one transaction: the run's bills, lines, reading links and flags, the period's
 * bill_periods row, and the bills' outbox rows (what head office gets).
 */
function bareInsert(billed: string, fresh: string) {
  const db = new Database(fresh);
  const outboxBefore = db.prepare(`SELECT coalesce(max(seq), 0) FROM outbox`).pluck().get() as number;
  const source = new Database(billed, { readonly: true });
  // bill_rows: the stored bills (`bills` is the view of those in force, migration 0011).
  const tables = ['bill_rows', 'bill_lines', 'bill_readings', 'bill_flags'].map((table) => ({
    table,
    sql: '',
    rows: source.prepare(`SELECT * FROM ${table} WHERE ${table === 'bill_rows' ? 'period' : `(SELECT period FROM bill_rows WHERE id = ${table}.bill_id)`} = ?`).raw().all(MEASURED) as unknown[][],
  }));
  tables.push({ table: 'bill_periods', sql: '', rows: [[MEASURED]] });
  tables.push({
    table: 'outbox',
    sql: `INSERT INTO outbox (station_id, entity, entity_id, op, payload, schema_version, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    rows: source.prepare(`SELECT station_id, entity, entity_id, op, payload, schema_version, at FROM outbox WHERE seq > ? AND entity = 'bill'`).raw().all(outboxBefore) as unknown[][],
  });
  source.close();
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  const started = performance.now();
  const cpu = process.cpuUsage();
  db.transaction(() => {
    for (const { table, sql: text, rows } of tables) {
      if (rows.length === 0) continue;
      const insert = db.prepare(text || `INSERT INTO ${table} VALUES (${(rows[0] ?? []).map(() => '?').join(', ')})`);
      for (const row of rows) insert.run(row);
    }
  })();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  db.close();
  return { ms, cpuMs: (used.user + used.system) / 1000, rows: Object.fromEntries(tables.map((t) => [t.table, t.rows.length])) };
}

async function runFigures(ctx: BenchContext, station: string, samples: number) {
  const runs: Awaited<ReturnType<typeof timedRun>>[] = [];
  const bares: ReturnType<typeof bareInsert>[] = [];
  // The first run's: later ones start with what the previous bare insert left in the heap.
  let peakRssMb = 0;
  for (let i = 0; i < samples; i++) {
    const billed = copyOf(station, ctx, 'billing-run.db');
    const measured = await once(() => timedRun(billed));
    if (i === 0) peakRssMb = measured.peakRssMb;
    runs.push(measured.value);
    const fresh = copyOf(station, ctx, 'billing-bare.db');
    bares.push(bareInsert(billed, fresh));
    ctx.log(`billing: run ${Math.round(measured.value.ms)} ms (bare insert ${Math.round(bares.at(-1)?.ms ?? 0)} ms)`);
  }
  // Once more with every bill computed on its own: what a station where nothing is shared would
  // see (on annual tiers each resident's earlier usage differs; the demo's residents share a lot).
  const unshared = await timedRun(copyOf(station, ctx, 'billing-run.db'), { shareBills: false });
  ctx.log(`billing: run with every bill computed on its own ${Math.round(unshared.ms)} ms`);
  if (unshared.totalFen !== runs[0]?.totalFen || unshared.billed !== runs[0]?.billed) {
    throw new Error(`billing: computing every bill on its own gave ${unshared.billed} bills, ${unshared.totalFen} fen; shared, ${runs[0]?.billed} bills, ${runs[0]?.totalFen} fen`);
  }
  const run = stats(runs.map((r) => r.ms));
  const bare = stats(bares.map((b) => b.ms));
  const runCpu = stats(runs.map((r) => r.cpuMs));
  const bareCpu = stats(bares.map((b) => b.cpuMs));
  const median = (pick: (r: (typeof runs)[number]) => number) => stats(runs.map(pick)).median;
  return {
    customers: ctx.customers,
    historyMonths: MONTHS.length,
    billed: runs[0]?.billed,
    flagged: runs[0]?.flagged,
    problems: runs[0]?.problems,
    totalFen: runs[0]?.totalFen,
    runMs: run,
    billsComputed: runs[0]?.computed,
    readOnTwoThreads: runs[0]?.twoThreads,
    everyBillComputed: { ms: Math.round(unshared.ms), cpuMs: Math.round(unshared.cpuMs), computeMs: Math.round(unshared.computeMs), ratioToBare: ratio(unshared.ms, bare.median), totalFen: unshared.totalFen },
    phasesMedianMs: { gatherReadingsAndHistory: median((r) => r.gatherMs), computeBills: median((r) => r.computeMs), writeOneTransaction: median((r) => r.writeMs) },
    bareInsertMs: bare,
    bareRows: bares[0]?.rows,
    ratioMedian: ratio(run.median, bare.median),
    // CPU time is less disturbed than wall time when other work shares the machine.
    runCpuMs: runCpu,
    bareInsertCpuMs: bareCpu,
    cpuRatioMedian: ratio(runCpu.median, bareCpu.median),
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
    peakRssMb,
    targetMs: 5000,
    meetsTarget: run.median < 5000,
  };
}

async function printFigures(ctx: BenchContext, station: string, samples: number) {
  const file = copyOf(station, ctx, 'billing-print.db');
  const backend = new Backend({ db: file });
  try {
    const book = backend.store.read.get<{ id: string; book_no: string }>(sql`SELECT id, book_no FROM books ORDER BY book_no LIMIT 1`);
    if (!book) throw new Error('no book');
    const period = MONTHS.at(-1) ?? '';
    const staffId = backend.store.read.value<string>(sql`SELECT id FROM staff WHERE staff_no = 'B001'`) ?? '';
    const notices = backend.store.read.value<number>(sql`SELECT count(*) FROM bills_in_force b JOIN bill_issues i ON i.bill_id = b.id WHERE b.period = ${period} AND b.book_id = ${book.id}`) ?? 0;
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < samples; i++) {
      const out = join(ctx.workDir, 'billing-notices.pdf');
      const started = performance.now();
      await printRoutesToPdf(backend, [{ route: `/print/bill-notices?${new URLSearchParams({ period, book: book.id, paper: 'A5' }).toString()}`, as: { staffId }, out }]);
      times.push(performance.now() - started);
      bytes = statSync(out).size;
      ctx.log(`billing: ${notices} notices to PDF in ${Math.round(times.at(-1) ?? 0)} ms`);
    }
    return { book: book.book_no, period, notices, paper: 'A5', pdfBytes: bytes, ms: stats(times), loadAverage1m: Math.round(loadavg()[0]! * 100) / 100, perNoticeMsMedian: Math.round((stats(times).median / Math.max(1, notices)) * 100) / 100 };
  } finally {
    backend.close();
  }
}

export const billingBench: Bench = {
  name: 'billing',
  async run(ctx) {
    const station = await buildStation(ctx);
    const samples = Number(process.env.BENCH_BILLING_SAMPLES ?? 3);
    const run = await runFigures(ctx, station, samples);
    let print: unknown;
    try {
      print = await printFigures(ctx, station, samples);
    } catch (error) {
      print = { error: (error as Error).message };
    }
    for (const name of ['billing-run.db', 'billing-bare.db', 'billing-print.db']) {
      for (const f of [name, `${name}-wal`, `${name}-shm`]) rmSync(join(ctx.workDir, f), { force: true });
    }
    return { billingRun: run, bookNoticesPdf: print };
  },
};
