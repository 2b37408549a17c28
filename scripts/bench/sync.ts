import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { SYSTEM_ACTOR } from '../../electron/backend/audit/record';
import { Backend } from '../../electron/backend/context';
import { sql } from '../../electron/backend/db/sql';
import { dispatch } from '../../electron/backend/dispatch';
import { createHandlers } from '../../electron/backend/handlers';
import { insertStaff, prepareStaff } from '../../electron/backend/staff/staff';
import { REFERENCED_FACTS, type ChildSpec } from '../../electron/backend/sync/entities';
import { exportBatchJob } from '../../electron/backend/sync/exportJob';
import { exportBatch } from '../../electron/backend/sync/station';
import { appVersion } from '../../electron/hosts/cli/context';
import { demoStationCopy } from './customers';
import { once, ratio, stats, type Bench, type BenchContext } from './harness';

// Sync figures (issue "Sync with head office, station side"), on the demo station of
// `ctx.customers` customers (100,000 by default; 13 months of every desk's data):
// - exporting one month of the outbox (the last thirteenth of it: readings, bills, issues,
//   payments — about 600,000 facts at 100,000 customers) as a signed batch, beside a bare read +
//   gzip of the same rows (the same outbox range joined to the same tables and child tables,
//   each row JSON-stringified into a level-6 gzip file) in the same run: throughput ratio, and the
//   process's peak RSS while the export runs;
// - a payment at the counter through dispatch while an export runs, p95, beside payments with no
//   export: (a) the export on the counter's own thread (today's desktop back end, and the code
//   before job threads), (b) the export on a job thread of the counter's process (browser mode,
//   `griddesk serve`: Backend({ jobThreads: true })), (c) the export by the CLI in a process of
//   its own (`griddesk sync export`), whose peak RSS is the export's memory figure.

interface Run {
  backend: Backend;
  handlers: ReturnType<typeof createHandlers>;
  token: string;
  customers: string[];
}

async function pay(run: Run, customerId: string, n: number) {
  const r = await dispatch(run.backend, run.handlers, 'collection.pay', { customerId, amountFen: 1000 + n, channel: 'cash', tenderedFen: 1000 + n, idempotencyKey: `bench-sync-${n}-${Date.now()}` }, {
    token: run.token,
    locale: 'zh-CN',
    setSessionToken: () => {},
  });
  if (!r.ok) throw new Error(`collection.pay: ${r.error.code} ${r.error.message}`);
}

/** The bare baseline: the same range's rows, read by plain joins, stringified and gzipped. */
async function bareReadGzip(file: string, after: number, through: number, out: string): Promise<{ ms: number; rows: number; facts: number; bytes: number }> {
  const db = new Database(file, { readonly: true });
  const started = performance.now();
  let rows = 0;
  function* lines(): Generator<string> {
    for (const r of db.prepare(`SELECT seq, entity, entity_id, op, payload FROM outbox WHERE seq > ? AND seq <= ? ORDER BY seq`).iterate(after, through)) {
      rows++;
      yield `${JSON.stringify(r)}\n`;
    }
    const children = function* (parentSql: string, parentKey: string, specs: readonly ChildSpec[]): Generator<string> {
      for (const c of specs) {
        const q = `SELECT c.* FROM (${parentSql}) p JOIN ${c.table} c ON c.${c.column} = p.${parentKey}${c.where ? ` WHERE c.${c.where}` : ''}`;
        for (const r of db.prepare(q).iterate(after, through)) {
          rows++;
          yield `${JSON.stringify(r)}\n`;
        }
        if (c.children && c.key) yield* children(`SELECT c.* FROM (${parentSql}) p JOIN ${c.table} c ON c.${c.column} = p.${parentKey}`, c.key, c.children);
      }
    };
    for (const [entity, spec] of Object.entries(REFERENCED_FACTS)) {
      const parent = `SELECT t.* FROM outbox o JOIN ${spec.table} t ON t.${spec.key} = o.entity_id WHERE o.seq > ?1 AND o.seq <= ?2 AND o.entity = '${entity}' AND o.payload IS NULL`;
      for (const r of db.prepare(parent.replace('?1', '?').replace('?2', '?')).iterate(after, through)) {
        rows++;
        yield `${JSON.stringify(r)}\n`;
      }
      if (spec.children) yield* children(parent.replace('?1', '?').replace('?2', '?'), spec.key, spec.children);
    }
  }
  function* chunks(): Generator<string> {
    let buf: string[] = [];
    let size = 0;
    for (const l of lines()) {
      buf.push(l);
      size += l.length;
      if (size >= 256 * 1024) {
        yield buf.join('');
        buf = [];
        size = 0;
      }
    }
    if (buf.length) yield buf.join('');
  }
  await pipeline(Readable.from(chunks(), { objectMode: false }), createGzip({ level: 6 }), createWriteStream(out));
  const ms = performance.now() - started;
  const facts = db.prepare(`SELECT count(*) FROM outbox WHERE seq > ? AND seq <= ?`).pluck().get(after, through) as number;
  db.close();
  return { ms: Math.round(ms), rows, facts, bytes: statSync(out).size };
}

/** `griddesk sync export` as a child process; its peak RSS from /proc (Linux), else null. `whileRunning` runs until it exits. */
async function cliExport(
  db: string,
  outDir: string,
  nodeFlags: string[] = [],
  whileRunning?: (running: () => boolean) => Promise<void>,
): Promise<{ ms: number; peakRssMb: number | null; repeatsEarlierBatch: boolean | null; exitCode: number | null }> {
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'griddesk.mjs');
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeFlags, bin, 'sync', 'export', '--out', outDir, '--db', db, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  let peakKb: number | null = null;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb ?? 0, Number(m[1]));
    } catch {
      /* gone, or not Linux */
    }
  }, 10);
  let exited = false;
  const exitCode = await new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      exited = true;
      resolve(code);
    });
    void whileRunning?.(() => !exited);
  });
  clearInterval(poll);
  let repeatsEarlierBatch: boolean | null = null;
  try {
    repeatsEarlierBatch = (JSON.parse(out) as { again?: boolean }).again ?? null;
  } catch {
    /* printed no JSON */
  }
  return { ms: Math.round(performance.now() - started), peakRssMb: peakKb === null ? null : Math.round(peakKb / 1024), repeatsEarlierBatch, exitCode };
}

export const syncBench: Bench = {
  name: 'sync',
  async run(ctx: BenchContext) {
    const file = await demoStationCopy(ctx, 'sync-run');
    const backend = new Backend({ db: file, appVersion: appVersion() }); // the CLI's version, so its re-export is the same bytes; migrates the cached station (0009 converts its outbox)
    // Browser mode's back end on the same file: its export goes to a job thread.
    const threadedBackend = new Backend({ db: file, appVersion: appVersion(), jobThreads: true });
    try {
      const staff = await prepareStaff({ staffNo: 'BS001', name: '基准营业员', roles: ['clerk'], password: 'bench1234', mustChangePassword: false });
      backend.write(SYSTEM_ACTOR, (unit) => insertStaff(unit, staff));
      const run: Run = {
        backend,
        handlers: createHandlers(),
        token: backend.sessions.start(staff.id).token,
        customers: backend.store.read.column<string>(sql`SELECT id FROM customers`),
      };
      const read = backend.store.read;
      const total = read.value<number>(sql`SELECT count(*) FROM outbox`) ?? 0;
      const maxSeq = read.value<number>(sql`SELECT max(seq) FROM outbox`) ?? 0;
      // One month waiting: the period's readings, bills and bill issues and the next month's
      // payments stay in the outbox; the rest is treated as acknowledged and pruned (the demo
      // writes desk by desk, so no seq range alone is one month).
      const period = read.value<string>(sql`SELECT max(period) FROM bills WHERE period < (SELECT max(period) FROM bills)`) ?? '';
      const [y, m] = period.split('-').map(Number) as [number, number];
      const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
      backend.store.write((tx) => {
        tx.run(sql`UPDATE sync_state SET acked_seq = ${maxSeq} WHERE singleton = 1`);
        tx.run(sql`
          DELETE FROM outbox WHERE NOT (
               (entity = 'reading' AND entity_id IN (SELECT id FROM readings WHERE period = ${period}))
            OR (entity IN ('bill', 'bill_issue') AND entity_id IN (SELECT id FROM bills WHERE period = ${period}))
            OR (entity = 'payment' AND entity_id IN (SELECT id FROM payments WHERE pay_date >= ${next + '-01'} AND pay_date <= ${next + '-31'})))`);
        tx.run(sql`UPDATE sync_state SET acked_seq = (SELECT min(seq) - 1 FROM outbox) WHERE singleton = 1`);
      });
      const after = read.value<number>(sql`SELECT acked_seq FROM sync_state`) ?? 0;
      const facts = read.value<number>(sql`SELECT count(*) FROM outbox WHERE seq > ${after} AND seq <= ${maxSeq}`) ?? 0;
      const byEntity = read.all(sql`SELECT entity, count(*) AS n FROM outbox WHERE seq > ${after} GROUP BY entity ORDER BY n DESC`);
      ctx.log(`sync: ${facts} facts to export of ${total} in the outbox`);

      const outDir = join(ctx.workDir, 'sync-out');
      rmSync(outDir, { recursive: true, force: true });
      ctx.log('sync: bare read + gzip…');
      const bare = await bareReadGzip(file, after, maxSeq, join(ctx.workDir, 'sync-bare.ndjson.gz'));
      ctx.log('sync: export…');
      const rssBeforeMb = Math.round(process.memoryUsage().rss / 2 ** 20);
      const exported = await once(() => exportBatch(backend, SYSTEM_ACTOR, { outDir }));
      // The same export by the CLI in a process of its own: its peak RSS (VmHWM) is the export's
      // memory, without the bench's migrated station and caches around it.
      // Payments from this process (the counter, another connection) while the CLI exports.
      const pick = (n: number) => run.customers[(n * 7919) % run.customers.length] ?? '';
      let n = 0;
      const paying = async (running: () => boolean, into: number[]) => {
        while (running()) {
          const t = performance.now();
          await pay(run, pick(n), n++);
          into.push(performance.now() - t);
          await new Promise((r) => setTimeout(r, 5));
        }
      };
      const duringCli: number[] = [];
      const cli = await cliExport(file, outDir, [], (running) => paying(running, duringCli));
      const bare2 = await bareReadGzip(file, after, maxSeq, join(ctx.workDir, 'sync-bare.ndjson.gz'));
      const bareMs = Math.min(bare.ms, bare2.ms);
      const exportPerSec = Math.round((facts / exported.ms) * 1000);
      const barePerSec = Math.round((facts / bareMs) * 1000);

      // Payments with no export running, then while the same range is exported again.
      const quiet: number[] = [];
      for (let i = 0; i < 200; i++) {
        const t = performance.now();
        await pay(run, pick(n), n++);
        quiet.push(performance.now() - t);
      }
      ctx.log('sync: payments during an export…');
      const during: number[] = [];
      let exporting = true;
      const again = exportBatch(backend, SYSTEM_ACTOR, { outDir }).finally(() => {
        exporting = false;
      });
      while (exporting) {
        const t = performance.now();
        await pay(run, pick(n), n++);
        during.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 5));
      }
      await again;
      // The same export on a job thread of this process (browser mode, `griddesk serve`).
      ctx.log('sync: payments during an export on a job thread…');
      const duringThread: number[] = [];
      const threaded = await once(async () => {
        const job = threadedBackend.jobs.start('sync.export', null, (progress) => exportBatchJob(threadedBackend, SYSTEM_ACTOR, progress, { outDir }));
        await paying(() => threadedBackend.jobs.get(job.id)?.status === 'running', duringThread);
        const state = await threadedBackend.jobs.finished(job.id);
        if (state.status !== 'succeeded') throw new Error(`threaded export: ${state.error?.message}`);
        return state.result as { again: boolean };
      });
      rmSync(outDir, { recursive: true, force: true });
      const duringStats = stats(during);
      const duringThreadStats = stats(duringThread);
      const duringCliStats = stats(duringCli);
      return {
        customers: ctx.customers,
        outboxRows: total,
        facts,
        factsByEntity: byEntity,
        period,
        export: { ms: exported.ms, factsPerSec: exportPerSec, bytes: exported.value.bytes, inBenchProcess: { rssBeforeMb, peakRssMb: exported.peakRssMb } },
        exportOnJobThread: { ms: threaded.ms, repeatsEarlierBatch: threaded.value.again },
        cliExportProcess: cli,
        bareReadGzip: { ms: bareMs, factsPerSec: barePerSec, rowsWritten: bare.rows, bytes: bare.bytes },
        throughputRatio: ratio(exportPerSec, barePerSec),
        paymentMs: { noExport: stats(quiet), duringExportSameThread: duringStats, duringExportJobThread: duringThreadStats, duringCliExport: duringCliStats },
        loadAverage: Number(loadavg()[0]?.toFixed(1)),
        targets: { throughputRatio: 0.3, peakRssMb: 300, paymentP95Ms: 50 },
        meetsTarget: ratio(exportPerSec, barePerSec) >= 0.3 && (cli.peakRssMb ?? Infinity) < 300 && duringThreadStats.p95 < 50 && duringCliStats.p95 < 50,
      };
    } finally {
      threadedBackend.close();
      backend.close();
    }
  },
};
