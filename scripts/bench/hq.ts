import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { HqContext } from '../../electron/hq/context';
import { monthTable } from '../../electron/hq/dashboard';
import { importBatch } from '../../electron/hq/importer';
import { enrolStation } from '../../electron/hq/stations';
import { addStationPartitions } from '../../electron/hq/partitions';
import { CodecStation } from '../../electron/hq/testing';
import { ratio, stats, type Bench, type BenchContext } from './harness';

// Head-office figures (issue "Head office"), on a real PostgreSQL server from Debian that the
// bench starts (scripts/pg/throwaway.sh) and stops:
// - importing one station's month (5 rows a customer: a reading, a bill, its issue with its ledger
//   entry, a payment with its settlement and ledger entries or a customer-file change, a meter
//   change — the station's batch row shapes, generated with the codec) at 10,000 rows, 100,000
//   rows and 5 × `ctx.customers` rows (--customers 120000: the 600,000), each imported by a
//   process of its own (as `griddesk hq import`), beside a bare COPY of the same rows into the same
//   tables in the same run (GRIDDESK_BENCH_HQ_ROUNDS times, default 3, alternating which goes
//   first): the throughput ratio (median, min, max) and the import's peak RSS (flat as it grows);
//   the largest size also through the staged path alone (GRIDDESK_HQ_IMPORT=staged, the import
//   before the direct path) as the before figure;
// - 200 stations × 12 months of generated batches imported, then the cross-station monthly table
//   answered (p50/p95 over 20 asks). GRIDDESK_BENCH_HQ_STATIONS=0 leaves this part out (it takes
//   most of twenty minutes on a loaded machine).

export function startServer(root: string): { url: string; dir: string } {
  const out = execFileSync(join(root, 'scripts/pg/throwaway.sh'), ['start'], { encoding: 'utf8' });
  const url = /GRIDDESK_TEST_PG=(\S+);/.exec(out)?.[1];
  const dir = /GRIDDESK_TEST_PG_DIR=(\S+)/.exec(out)?.[1];
  if (!url || !dir) throw new Error(`throwaway.sh said: ${out}`);
  return { url, dir };
}

export function freshDb(base: string, name: string): string {
  execFileSync('psql', [base, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, '-c', `CREATE DATABASE ${name}`], { stdio: 'ignore' });
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Rows in one customer's month below: a reading, a bill, its issue, a payment (or a customer-file
 * change for the one in ten who did not pay), a meter change. */
const ROWS_PER_CUSTOMER = 5;

/** One customer's month, as the station's export writes it (5 rows, children inside). */
function monthRows(customers: number, period: string, payDate: string) {
  return function* (seq0: number) {
    let seq = seq0;
    for (let i = 0; i < customers; i++) {
      const c = `c-${i}`;
      const bill = `b-${period}-${i}`;
      const kwh = 10_000 + (i % 300) * 100;
      const total = Math.round(kwh * 0.5283);
      yield { seq: seq++, entity: 'reading', id: `r-${period}-${i}`, op: 'insert', table: 'readings', row: { id: `r-${period}-${i}`, period, point_id: `p-${i}`, meter_id: `m-${i}`, kind: i % 50 === 0 ? 'estimated' : 'actual', value: 100_000 + i, consumption: kwh, needs_review: i % 97 === 0 ? 1 : 0, supersedes: null, source: 'import', entered_at: 1 } };
      yield { seq: seq++, entity: 'bill', id: bill, op: 'insert', table: 'bills', row: { id: bill, customer_id: c, period, kind: 'regular', tariff_code: 'R1', kwh, total_fen: total, bill_no: `B${period}${i}` }, children: { bill_lines: [{ bill_id: bill, line_no: 1, amount_fen: total }] } };
      yield { seq: seq++, entity: 'bill_issue', id: bill, op: 'insert', table: 'bill_issues', row: { bill_id: bill, issued_at: 1 }, children: { ledger_entries: [{ id: `le-${bill}`, customer_id: c, entry_type: 'bill', amount_fen: total, bill_id: bill, period }] } };
      if (i % 10 < 9) {
        const pay = `pay-${period}-${i}`;
        yield { seq: seq++, entity: 'payment', id: pay, op: 'insert', table: 'payments', row: { id: pay, customer_id: c, amount_fen: total, pay_date: payDate, channel: 'cash', clerk_id: 's1' }, children: { settlements: [{ id: `st-${pay}`, payment_id: pay, children: { settlement_lines: [{ settlement_id: `st-${pay}`, line_no: 1, bill_id: bill, period, principal_fen: total, penalty_fen: 0 }] } }], ledger_entries: [{ id: `lp-${pay}`, entry_type: 'payment', amount_fen: -total, ref_id: pay }] } };
      } else {
        yield { seq: seq++, entity: 'customer', id: c, op: 'update', row: { id: c, status: 'active', phone: `1380000${i}` } };
      }
      yield { seq: seq++, entity: 'meter', id: `m-${i}`, op: 'update', row: { id: `m-${i}`, lastRead: period } };
    }
  };
}

export async function batchOf(st: CodecStation, customers: number, period: string, payDate: string, seq0: number) {
  const rows = [...monthRows(customers, period, payDate)(seq0)];
  const b = await st.batch(seq0, seq0 + rows.length - 1, (seq) => rows[seq - seq0]! as never);
  return { ...b, rows };
}

/** The tables an import fills, in the order the bare COPY loads them. */
const IMPORTED_TABLES = ['station_rows', 'hq_bills', 'hq_payments', 'hq_readings', 'hq_records'] as const;
/** The station the bare COPY loads into (its own partitions, in a fresh store). */
const COPY_STATION = 'bench-copy';

interface Baseline {
  rows: number;
  /** table → [dump file, column list] */
  files: Record<string, [string, string]>;
}

/**
 * The bare COPY's input: every row the import left in the tables it fills (journal, typed copies
 * with the payments' settlement lines, records), dumped by psql as COPY text with the station id
 * changed, so the baseline loads the same rows, byte for byte, into the same tables.
 */
export function dumpImported(url: string, stationId: string, dir: string): Baseline {
  const files: Baseline['files'] = {};
  let rows = 0;
  for (const table of IMPORTED_TABLES) {
    const cols = execFileSync('psql', [url, '-tAc', `SELECT string_agg(quote_ident(column_name), ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '${table}'`], { encoding: 'utf8' }).trim();
    const select = cols.split(',').map((c) => (c === 'station_id' ? `'${COPY_STATION}'::text AS station_id` : c)).join(', ');
    const file = join(dir, `bare-${table}.tsv`);
    execFileSync('psql', [url, '-qc', `\\copy (SELECT ${select} FROM ${table} WHERE station_id = '${stationId}') TO '${file}'`]);
    rows += Number(execFileSync('psql', [url, '-tAc', `SELECT count(*) FROM ${table} WHERE station_id = '${stationId}'`], { encoding: 'utf8' }).trim());
    files[table] = [file, cols];
  }
  return { rows, files };
}

/**
 * The bare baseline: the dumped rows COPYed by psql, in one transaction, into a fresh store's
 * tables (the hq migrations: the same partitions, keys and indexes as the import had). The time is
 * the server's for BEGIN, each COPY and COMMIT (psql's \timing; not psql's start or connection),
 * as the import's is taken after its connection is open.
 */
export async function timedBareCopy(serverUrl: string, baseline: Baseline, dir: string): Promise<{ ms: number; tables: Record<string, number> }> {
  const url = freshDb(serverUrl, 'hq_bench_copy');
  const hq = await HqContext.open({ home: join(dir, 'home-copy'), pg: url });
  await hq.db.exec(`INSERT INTO stations (station_id, code, name) VALUES ('${COPY_STATION}', 'GDC1', 'copy')`);
  await hq.db.tx((q) => addStationPartitions(q, COPY_STATION));
  await hq.close();
  const script = ['\\timing on', 'BEGIN;', ...IMPORTED_TABLES.map((t) => `\\copy ${t} (${baseline.files[t]![1]}) FROM '${baseline.files[t]![0]}'`), 'COMMIT;'].join('\n');
  const r = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q'], { input: script, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql COPY: ${r.stderr}`);
  const times = [...r.stdout.matchAll(/Time: ([0-9.]+) ms/g)].map((m) => Number(m[1]));
  if (times.length !== IMPORTED_TABLES.length + 2) throw new Error(`psql \\timing said: ${r.stdout}`);
  const tables = Object.fromEntries(IMPORTED_TABLES.map((t, i) => [t, Math.round(times[i + 1]!)]));
  return { ms: times.reduce((x, y) => x + y, 0), tables };
}

interface ChildImport {
  outcome: string;
  rows: number;
  ms: number;
  rssBeforeMb: number;
  peakRssMb: number;
  maxRssBeforeMb: number;
  maxRssAfterMb: number;
  cpuMs: number;
}

/** One batch imported by scripts/bench/hq-import-child.ts in a process of its own. */
export function importInChild(home: string, pg: string, file: string, path: 'direct' | 'staged' = 'direct'): ChildImport {
  const root = join(import.meta.dirname, '..', '..');
  const env = { ...process.env, GRIDDESK_HQ_IMPORT: path === 'staged' ? 'staged' : '' };
  // stderr passes through: GRIDDESK_HQ_IMPORT_TRACE=1 shows where each import's time went.
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/bench/hq-import-child.ts'), JSON.stringify({ home, pg, file })], { encoding: 'utf8', maxBuffer: 1 << 20, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const r = JSON.parse(out) as ChildImport;
  if (r.outcome !== 'applied') throw new Error(`import of ${file}: ${r.outcome}`);
  return r;
}

export const hqBench: Bench = {
  name: 'hq',
  async run(ctx: BenchContext) {
    const root = join(import.meta.dirname, '..', '..');
    const work = join(ctx.workDir, 'hq');
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const server = startServer(root);
    ctx.log(`hq: PostgreSQL at ${server.url}`);
    try {
      const result: Record<string, unknown> = { server: execFileSync('psql', [server.url, '-tAc', 'SHOW server_version'], { encoding: 'utf8' }).trim(), customers: ctx.customers };

      // ---- the import beside a bare COPY of the same rows into the same tables, at 10,000 rows,
      // 100,000 rows and the month's (5 × customers; --customers 120000 makes the 600,000),
      // `rounds` times each, the order of import and COPY alternating (a shared machine's load
      // drifts): median, min and max of the ratio; the import's peak RSS at each size (flat).
      const rounds = Math.max(1, Number(process.env.GRIDDESK_BENCH_HQ_ROUNDS ?? 3));
      const monthRows = ctx.customers * ROWS_PER_CUSTOMER;
      const sizes = [...new Set([10_000, 100_000].filter((n) => n < monthRows).concat(monthRows))];
      const imports: Record<string, unknown>[] = [];
      let stagedFigure: Record<string, unknown> | null = null;
      for (const rowsWanted of sizes) {
        const customers = Math.max(1, Math.round(rowsWanted / ROWS_PER_CUSTOMER));
        const st = new CodecStation(work, `bench-${rowsWanted}`, `GB${rowsWanted}`.slice(0, 8));
        const t0 = performance.now();
        const month = await batchOf(st, customers, '2026-10', '2026-11-05', 1);
        const n = month.rows.length;
        month.rows.length = 0;
        ctx.log(`hq: ${n} rows generated in ${Math.round((performance.now() - t0) / 1000)} s`);
        const samples: { importMs: number; copyMs: number; ratio: number; peakRssMb: number; cpuMs: number; load: number; copyFirst: boolean }[] = [];
        let baseline: Baseline | null = null;
        let copyTables: Record<string, number> = {};
        for (let r = 0; r < rounds; r++) {
          const copyFirst = r % 2 === 1 && baseline !== null;
          const runCopy = async () => {
            const c = await timedBareCopy(server.url, baseline!, work);
            copyTables = c.tables;
            return c.ms;
          };
          let copyMs = copyFirst ? await runCopy() : 0;
          const home = join(work, `home-${n}-${r}`);
          const url = freshDb(server.url, 'hq_bench_import');
          const hq = await HqContext.open({ home, pg: url });
          await enrolStation(hq, await st.enrolment(), 'bench');
          await hq.close();
          const imp = importInChild(home, url, month.file);
          // The baseline's rows are the import's own, dumped from its tables (the journal, the
          // typed copies with the payments' settlement lines, the records): the same rows, byte
          // for byte, COPYed into a fresh station's partitions of a fresh store (the same indexes).
          baseline ??= dumpImported(url, st.stationId, work);
          rmSync(home, { recursive: true, force: true });
          if (!copyFirst) copyMs = await runCopy();
          const load = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
          samples.push({ importMs: imp.ms, copyMs: Math.round(copyMs), ratio: ratio(copyMs, imp.ms), peakRssMb: imp.peakRssMb, cpuMs: imp.cpuMs, load, copyFirst });
          ctx.log(`hq: ${n} rows, round ${r + 1}/${rounds}: import ${imp.ms} ms (Node CPU ${imp.cpuMs} ms, peak RSS ${imp.peakRssMb} MB), bare COPY ${Math.round(copyMs)} ms, ratio ${ratio(copyMs, imp.ms)} (load ${load})`);
        }
        // The staged path alone (GRIDDESK_HQ_IMPORT=staged: COPY into a jsonb staging table, INSERT
        // … SELECT, projections in SQL — the import before the direct path), once, at the largest size.
        if (rowsWanted === monthRows) {
          const home = join(work, 'home-staged');
          const url = freshDb(server.url, 'hq_bench_import');
          const hq = await HqContext.open({ home, pg: url });
          await enrolStation(hq, await st.enrolment(), 'bench');
          await hq.close();
          const staged = importInChild(home, url, month.file, 'staged');
          const copyMs = (await timedBareCopy(server.url, baseline!, work)).ms;
          stagedFigure = { rows: n, importMs: staged.ms, bareCopyMs: Math.round(copyMs), ratio: ratio(copyMs, staged.ms), peakRssMb: staged.peakRssMb };
          ctx.log(`hq: staged path alone at ${n} rows: ${staged.ms} ms, bare COPY ${Math.round(copyMs)} ms, ratio ${ratio(copyMs, staged.ms)}`);
          rmSync(home, { recursive: true, force: true });
        }
        rmSync(month.file, { force: true });
        const rs = samples.map((x) => x.ratio).sort((x, y) => x - y);
        imports.push({
          rows: n,
          rounds,
          ratio: { median: stats(rs).median, min: rs[0], max: rs[rs.length - 1] },
          importMs: stats(samples.map((x) => x.importMs)).median,
          importRowsPerSec: Math.round(n / (stats(samples.map((x) => x.importMs)).median / 1000)),
          bareCopyMs: stats(samples.map((x) => x.copyMs)).median,
          bareCopyRowsPerSec: Math.round(n / (stats(samples.map((x) => x.copyMs)).median / 1000)),
          bareCopyTablesMs: copyTables,
          peakRssMb: Math.max(...samples.map((x) => x.peakRssMb)),
          nodeCpuMs: stats(samples.map((x) => x.cpuMs)).median,
          loadAverage: { min: Math.min(...samples.map((x) => x.load)), max: Math.max(...samples.map((x) => x.load)) },
          samples,
        });
      }
      result.import = { target: '≥ 0.5 of bare COPY throughput; peak RSS flat', process: 'child (hq-import-child.ts)', sizes: imports, stagedPath: stagedFigure };

      // ---- 200 stations × 12 months, then the cross-station table
      const stations = Number(process.env.GRIDDESK_BENCH_HQ_STATIONS ?? 200);
      if (stations > 0) {
      // The month table reads the per-station roll-up, so its answer time does not depend on how
      // big each batch is; small batches keep the 2,400 imports affordable on a shared machine.
      const perBatch = 10;
      const h = await HqContext.open({ home: join(work, 'home-many'), pg: freshDb(server.url, 'hq_bench_many') });
      const started = performance.now();
      for (let i = 0; i < stations; i++) {
        const s = new CodecStation(work, `many-${i}`, `GS${String(i).padStart(3, '0')}`);
        await enrolStation(h, await s.enrolment(), 'bench');
        let seq = 1;
        for (let m = 1; m <= 12; m++) {
          const period = `2026-${String(m).padStart(2, '0')}`;
          const b = await batchOf(s, perBatch, period, `${period}-20`, seq);
          seq += b.rows.length;
          const r = await importBatch(h, b.file, 'cli');
          if (r.outcome !== 'applied') throw new Error(`station ${i} month ${m}: ${r.outcome}`);
          rmSync(b.file, { force: true });
        }
        if (i % 50 === 49) ctx.log(`hq: ${i + 1} stations × 12 months imported`);
      }
      const importAllMs = performance.now() - started;
      const samples: number[] = [];
      let rowsAnswered = 0;
      for (let k = 0; k < 20; k++) {
        const t0 = performance.now();
        rowsAnswered = (await monthTable(h, '2026-12')).length;
        samples.push(performance.now() - t0);
      }
      const st2 = stats(samples);
      result.crossStation = { stations, months: 12, customersPerStationBatch: perBatch, importAllSeconds: Math.round(importAllMs / 1000), rowsAnswered, monthTableMs: st2, target: '< 1000 ms' };
      await h.close();
      }
      return result;
    } finally {
      execFileSync(join(root, 'scripts/pg/throwaway.sh'), ['stop', server.dir]);
    }
  },
};
