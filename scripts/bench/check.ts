import Database from 'better-sqlite3';
import { rmSync, statSync } from 'node:fs';
import { Backend } from '../../electron/backend/context';
import { checkStation } from '../../electron/backend/checkStation';
import { sql } from '../../electron/backend/db/sql';
import { demoStationCopy } from './customers';
import { ratio, stats, type Bench } from './harness';

// `griddesk check` (issue 15, item 3): the whole check — integrity_check and every invariant —
// on the demo station of `ctx.customers` customers (a year of readings, bills and payments),
// beside a bare `PRAGMA integrity_check` on the same file in the same run, through a plain
// better-sqlite3 connection. Target: check ≤ 2× integrity_check. Each is run 3 times,
// alternating, after one untimed integrity_check that brings the file into the page cache.

export const checkBench: Bench = {
  name: 'check',
  async run(ctx) {
    const file = await demoStationCopy(ctx, 'check-run');
    const backend = new Backend({ db: file }); // migrates the cached demo (the ledger_ref index) before anything is timed
    const payments = backend.store.read.value<number>(sql`SELECT count(*) FROM payments`) ?? 0;
    const ledgerEntries = backend.store.read.value<number>(sql`SELECT count(*) FROM ledger_entries`) ?? 0;
    backend.close();
    const bare = new Database(file, { readonly: true });
    bare.pragma('integrity_check'); // warm the page cache for both
    bare.close();

    const checkMs: number[] = [];
    const integrityMs: number[] = [];
    const invariantsMs: number[] = [];
    let problems = 0;
    for (let i = 0; i < 3; i++) {
      const db = new Database(file, { readonly: true });
      let t = performance.now();
      const result = db.pragma('integrity_check', { simple: true });
      integrityMs.push(performance.now() - t);
      db.close();
      if (result !== 'ok') throw new Error(`integrity_check: ${String(result)}`);

      const checking = new Backend({ db: file });
      t = performance.now();
      const report = checkStation(checking);
      checkMs.push(performance.now() - t);
      invariantsMs.push(report.timings.invariantsMs);
      problems = report.problems.length;
      checking.close();
    }
    const databaseBytes = statSync(file).size;
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    const check = stats(checkMs);
    const integrity = stats(integrityMs);
    return {
      customers: ctx.customers,
      databaseBytes,
      payments,
      ledgerEntries,
      checkMs: check,
      invariantsAloneMs: stats(invariantsMs),
      bareIntegrityCheckMs: integrity,
      ratioMedian: ratio(check.median, integrity.median),
      problems,
      targetRatio: 2,
      meetsTarget: ratio(check.median, integrity.median) <= 2,
    };
  },
};
