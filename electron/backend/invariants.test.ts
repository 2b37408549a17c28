import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from './context';
import type { SqlFragment } from './db/sql';
import type { ReadableDB } from './db/store';
import { INVARIANTS } from './invariants';
import { makeTestStation, type TestStation } from './testing';

// Issue 15, item 3: `griddesk check` took 754 s on 25,342 payments because one invariant read
// the whole ledger twice per payment. Every invariant must be a set-based query on indexes: a
// correlated subquery (run once per outer row) may look rows up through an index (SEARCH), never
// read a fact table from end to end (SCAN). This test runs every query of every invariant
// through EXPLAIN QUERY PLAN and fails on such a plan.

/** Tables that grow with the station (customers, readings, bills, money, logs). Small settings tables may be scanned. */
const FACT_TABLES = new Set([
  'customers', 'customer_search_keys', 'metering_points', 'meters', 'book_points',
  'readings', 'reading_due', 'reading_reviews',
  'bills', 'bill_lines', 'bill_readings', 'bill_issues', 'bill_corrections', 'bill_correction_decisions', 'ledger_entries',
  'payments', 'settlements', 'settlement_lines', 'reversal_requests', 'payment_reversals',
  'audit_log', 'outbox',
]);

interface PlanRow {
  id: number;
  parent: number;
  detail: string;
}

/** alias → table, from the FROM / JOIN clauses of a query (views map to themselves). */
function aliases(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of text.matchAll(/\b(?:FROM|JOIN)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?/gi)) {
    const table = m[1] ?? '';
    map.set(table, table);
    const alias = m[2];
    if (alias && !/^(WHERE|JOIN|LEFT|INNER|ON|GROUP|ORDER|LIMIT|USING|CROSS|HAVING)$/i.test(alias)) map.set(alias, table);
  }
  return map;
}

/** The full scans of fact tables inside correlated subqueries, as "table: plan line". */
export function correlatedScans(read: ReadableDB, query: SqlFragment): string[] {
  const plan = read.all<PlanRow>({ text: `EXPLAIN QUERY PLAN ${query.text}`, params: query.params } as SqlFragment);
  const byId = new Map(plan.map((r) => [r.id, r]));
  const names = aliases(query.text);
  const found: string[] = [];
  for (const row of plan) {
    const scan = /^SCAN (\w+)/.exec(row.detail);
    if (!scan?.[1]) continue;
    const table = names.get(scan[1]) ?? scan[1];
    if (!FACT_TABLES.has(table)) continue;
    let parent = byId.get(row.parent);
    let correlated = false;
    while (parent) {
      if (/CORRELATED/.test(parent.detail)) correlated = true;
      parent = byId.get(parent.parent);
    }
    if (correlated) found.push(`${table}: ${row.detail}`);
  }
  return found;
}

/** Runs every invariant with a store that records each query it reads. */
function invariantQueries(backend: Backend): { invariant: string; query: SqlFragment }[] {
  const seen: { invariant: string; query: SqlFragment }[] = [];
  const real = backend.store.read;
  for (const invariant of INVARIANTS) {
    const record = <K extends keyof ReadableDB>(method: K) =>
      ((query: SqlFragment) => {
        seen.push({ invariant: invariant.name, query });
        return (real[method] as (q: SqlFragment) => unknown)(query);
      }) as ReadableDB[K];
    const read: ReadableDB = {
      readable: true,
      all: record('all'),
      get: record('get'),
      value: record('value'),
      column: record('column'),
      rows: record('rows'),
      iterate: record('iterate'),
    };
    invariant.check({ ...backend, store: { ...backend.store, read } } as unknown as Backend);
  }
  return seen;
}

let station: TestStation;
afterEach(() => station?.close());

describe('the invariants of griddesk check', () => {
  it('every query is set-based: no fact table is read end to end inside a correlated subquery', async () => {
    station = makeTestStation();
    await station.setUp();
    const queries = invariantQueries(station.backend);
    // Every invariant was run and read something.
    expect(new Set(queries.map((q) => q.invariant))).toEqual(new Set(INVARIANTS.map((i) => i.name)));
    const problems = queries.flatMap(({ invariant, query }) => correlatedScans(station.backend.store.read, query).map((p) => `${invariant} → ${p}`));
    expect(problems).toEqual([]);
  });

  it('the plan check itself catches a correlated full scan (the old "payments in the ledger" query)', async () => {
    station = makeTestStation();
    await station.setUp();
    const old = {
      text: `SELECT p.receipt_no FROM payments p
        WHERE (SELECT coalesce(sum(l.amount_fen), 0) FROM ledger_entries l NOT INDEXED WHERE l.ref_id = p.id AND l.entry_type = 'payment') <> -p.amount_fen`,
      params: [],
    } as unknown as SqlFragment;
    expect(correlatedScans(station.backend.store.read, old)).toEqual([expect.stringMatching(/^ledger_entries: SCAN l/)]);
  });
});
