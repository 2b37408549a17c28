import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { HqContext } from '../../electron/hq/context';
import { monthTable } from '../../electron/hq/dashboard';
import { importBatch } from '../../electron/hq/importer';
import { enrolStation } from '../../electron/hq/stations';
import { CodecStation } from '../../electron/hq/testing';
import { ratio, stats, type Bench, type BenchContext } from './harness';

// Head-office figures (issue "Head office"), on a real PostgreSQL server from Debian that the
// bench starts (scripts/pg/throwaway.sh) and stops:
// - importing one month of a station of `ctx.customers` customers (5 rows a customer: a reading,
//   a bill, its issue with its ledger entry, a payment with its settlement and ledger entries or a
//   customer-file change, a meter change — the station's batch row shapes, generated with the
//   codec; 500,000 rows at 100,000 customers, 600,000 at --customers 120000) beside a bare COPY of the same rows into the same tables (the journal and the
//   typed tables), in the same run: throughput ratio; the same file through the staged path alone
//   (GRIDDESK_HQ_IMPORT=staged, the import before the direct path) as the before figure;
// - the import's peak RSS at 10k, 100k and the month's rows, each in a child process (flat);
// - 200 stations × 12 months of generated batches imported, then the cross-station monthly table
//   answered (p50/p95 over 20 asks).

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

/** The bare baseline: the same rows, COPYed by psql into the journal and the typed tables. */
export function bareCopy(url: string, stationId: string, rows: Record<string, any>[], dir: string): Promise<number> {
  const esc = (v: unknown) => (v == null ? '\\N' : String(typeof v === 'object' ? JSON.stringify(v) : v).replaceAll('\\', '\\\\').replaceAll('\t', '\\t').replaceAll('\n', '\\n'));
  const files = { rows: join(dir, 'rows.tsv'), bills: join(dir, 'bills.tsv'), pays: join(dir, 'pays.tsv'), reads: join(dir, 'reads.tsv') };
  const w = Object.fromEntries(Object.entries(files).map(([k, f]) => [k, createWriteStream(f)])) as Record<keyof typeof files, ReturnType<typeof createWriteStream>>;
  for (const r of rows) {
    w.rows.write([stationId, 1, r.seq, r.entity, r.id, r.op, r.row, r.table ?? null, r.children ?? null].map(esc).join('\t') + '\n');
    if (r.entity === 'bill') w.bills.write([stationId, r.id, r.row.customer_id, r.row.period, r.row.kind, r.row.kwh, r.row.total_fen].map(esc).join('\t') + '\n');
    if (r.entity === 'payment') w.pays.write([stationId, r.id, r.row.customer_id, r.row.amount_fen, r.row.pay_date, r.row.channel, r.row.clerk_id].map(esc).join('\t') + '\n');
    if (r.entity === 'reading') w.reads.write([stationId, r.id, r.row.period, r.row.point_id, r.row.kind, r.row.needs_review === 1, null, null].map(esc).join('\t') + '\n');
  }
  return Promise.all(Object.values(w).map((s) => new Promise((r) => s.end(r)))).then(() => {
    const script = [
      'BEGIN;',
      `\\copy station_rows (station_id, epoch, seq, entity, entity_id, op, row, tbl, children) FROM '${files.rows}'`,
      `\\copy hq_bills (station_id, id, customer_id, period, kind, kwh_centi, total_fen) FROM '${files.bills}'`,
      `\\copy hq_payments (station_id, id, customer_id, amount_fen, pay_date, channel, clerk_id) FROM '${files.pays}'`,
      `\\copy hq_readings (station_id, id, period, point_id, kind, needs_review, supersedes, read_by) FROM '${files.reads}'`,
      'COMMIT;',
    ].join('\n');
    const started = performance.now();
    const r = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q'], { input: script, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`psql COPY: ${r.stderr}`);
    return performance.now() - started;
  });
}

interface ChildImport {
  outcome: string;
  rows: number;
  ms: number;
  rssBeforeMb: number;
  peakRssMb: number;
  maxRssBeforeMb: number;
  maxRssAfterMb: number;
}

/** One batch imported by scripts/bench/hq-import-child.ts in a process of its own. */
export function importInChild(home: string, pg: string, file: string, path: 'direct' | 'staged' = 'direct'): ChildImport {
  const root = join(import.meta.dirname, '..', '..');
  const env = { ...process.env, GRIDDESK_HQ_IMPORT: path === 'staged' ? 'staged' : '' };
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/bench/hq-import-child.ts'), JSON.stringify({ home, pg, file })], { encoding: 'utf8', maxBuffer: 1 << 20, env });
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

      // ---- one month of one station: import vs bare COPY, same rows, same tables
      const url = freshDb(server.url, 'hq_bench_import');
      const hq = await HqContext.open({ home: join(work, 'home-import'), pg: url });
      const st = new CodecStation(work, 'bench-station', 'GDB1');
      await enrolStation(hq, await st.enrolment(), 'bench');
      const month = await batchOf(st, ctx.customers, '2026-10', '2026-11-05', 1);
      ctx.log(`hq: one month = ${month.rows.length} rows; importing…`);
      // Imported by a process of its own, as `griddesk hq import` would be: this one holds the
      // generated rows for the baseline, and their garbage collection is not the import's cost.
      const imp = importInChild(join(work, 'home-import'), url, month.file);
      // The staged path alone (GRIDDESK_HQ_IMPORT=staged: COPY into a jsonb staging table, INSERT …
      // SELECT, projections in SQL — the import before the direct path), the same file into a
      // fresh database of its own, for the before/after beside the same run's bare COPY.
      const stagedUrl = freshDb(server.url, 'hq_bench_staged');
      const stagedHome = join(work, 'home-staged');
      const hqStaged = await HqContext.open({ home: stagedHome, pg: stagedUrl });
      await enrolStation(hqStaged, await st.enrolment(), 'bench');
      await hqStaged.close();
      const staged = importInChild(stagedHome, stagedUrl, month.file, 'staged');
      execFileSync('psql', [server.url, '-qc', 'DROP DATABASE hq_bench_staged WITH (FORCE)'], { stdio: 'ignore' });
      const baselineStation = 'bench-copy';
      await hq.db.exec(`INSERT INTO stations (station_id, code, name) VALUES ('${baselineStation}', 'GDC1', 'copy')`);
      const { addStationPartitions } = await import('../../electron/hq/partitions');
      await hq.db.tx((q) => addStationPartitions(q, baselineStation));
      const copyMs = await bareCopy(url, baselineStation, month.rows, work);
      result.importMonth = {
        rows: month.rows.length,
        importMs: Math.round(imp.ms),
        importRowsPerSec: Math.round(month.rows.length / (imp.ms / 1000)),
        bareCopyMs: Math.round(copyMs),
        bareCopyRowsPerSec: Math.round(month.rows.length / (copyMs / 1000)),
        ratio: ratio(copyMs, imp.ms),
        target: '≥ 0.5 of bare COPY throughput',
        stagedPath: { importMs: Math.round(staged.ms), importRowsPerSec: Math.round(month.rows.length / (staged.ms / 1000)), ratio: ratio(copyMs, staged.ms), peakRssMb: staged.peakRssMb },
        peakRssMb: imp.peakRssMb,
        process: 'child (hq-import-child.ts)',
      };
      ctx.log(`hq: import ${Math.round(imp.ms)} ms (staged path alone ${Math.round(staged.ms)} ms), bare COPY ${Math.round(copyMs)} ms`);
      await hq.close();

      // ---- peak memory as the batch grows: each size into a fresh store, imported by a child
      // process that reports its own peak RSS (the rows generated here do not count)
      const memory: Record<string, unknown>[] = [];
      // (the month's own size is the import above, already in a child process)
      const sizes = [10_000, 100_000].filter((n) => n < month.rows.length);
      const monthRowCount = month.rows.length;
      month.rows.length = 0;
      for (const rowsWanted of sizes) {
        const customers = Math.max(1, Math.round(rowsWanted / ROWS_PER_CUSTOMER));
        const home = join(work, `home-mem-${rowsWanted}`);
        const pgUrl = freshDb(server.url, `hq_bench_mem_${rowsWanted}`);
        const h = await HqContext.open({ home, pg: pgUrl });
        const s = new CodecStation(work, `mem-${rowsWanted}`, `GM${rowsWanted}`.slice(0, 8));
        await enrolStation(h, await s.enrolment(), 'bench');
        await h.close();
        const b = await batchOf(s, customers, '2026-10', '2026-11-05', 1);
        const n = b.rows.length;
        b.rows.length = 0;
        const r = importInChild(home, pgUrl, b.file);
        memory.push({ rows: n, ms: r.ms, rssBeforeMb: r.rssBeforeMb, peakRssMb: r.peakRssMb, highWaterBeforeMb: r.maxRssBeforeMb, highWaterAfterMb: r.maxRssAfterMb });
        rmSync(b.file, { force: true });
        ctx.log(`hq: memory at ${n} rows: peak ${r.peakRssMb} MB during the import (child process; ${r.rssBeforeMb} MB before; high-water ${r.maxRssBeforeMb} → ${r.maxRssAfterMb} MB)`);
      }
      memory.push({ rows: monthRowCount, ms: imp.ms, rssBeforeMb: imp.rssBeforeMb, peakRssMb: imp.peakRssMb, highWaterBeforeMb: imp.maxRssBeforeMb, highWaterAfterMb: imp.maxRssAfterMb });
      result.memory = memory;

      // ---- 200 stations × 12 months, then the cross-station table
      const stations = 200;
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
      return result;
    } finally {
      execFileSync(join(root, 'scripts/pg/throwaway.sh'), ['stop', server.dir]);
    }
  },
};
