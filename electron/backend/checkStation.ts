import type { Backend } from './context';
import { sql } from './db/sql';
import { INVARIANTS } from './invariants';

// `griddesk check` (数据库检查): SQLite's integrity_check, then every invariant. Each invariant
// is a set-based query on indexes (invariants.test.ts checks their plans), so the whole check
// costs about what integrity_check costs (bench: scripts/bench/check.ts).

export interface CheckReport {
  integrity: string[];
  problems: { check: string; problem: string }[];
  /** Milliseconds: integrity_check, and the invariants after it. */
  timings: { integrityMs: number; invariantsMs: number };
}

export function checkStation(backend: Backend): CheckReport {
  const started = performance.now();
  const integrity = backend.store.read.column<string>(sql`PRAGMA integrity_check`);
  const integrityMs = performance.now() - started;
  const problems: { check: string; problem: string }[] = [];
  if (integrity.join() !== 'ok') for (const line of integrity) problems.push({ check: 'integrity_check', problem: line });
  for (const invariant of INVARIANTS) for (const problem of invariant.check(backend)) problems.push({ check: invariant.name, problem });
  return { integrity, problems, timings: { integrityMs, invariantsMs: performance.now() - started - integrityMs } };
}
