import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VerifiedFile } from '../backend/sync/signedFile';
import type { Sql } from './db';

// The import's direct path (直接入库): the batch's lines are parsed once, in Node, and COPYed
// straight into the journal (station_rows) with their columns typed; in the same pass the typed
// copies (hq_bills, hq_payments, hq_readings) are spooled to temporary files and COPYed after, the
// mutable records go to a small staging table for their merge, and the monthly roll-up is summed
// in memory (a few periods). One pass over the rows instead of a staging table, an INSERT … SELECT
// and eight projection scans of the journal (docs/hq.md "Import, exactly once").
//
// It runs inside the import's transaction under a SAVEPOINT. It gives up — and the caller rolls
// back to the savepoint and runs the staged path (COPY into a jsonb staging table, INSERT …
// SELECT … ON CONFLICT DO NOTHING, projections in SQL), which decides exactly as before — on
// anything that is not the ordinary case: a line that is not an object, a seq that is not an
// integer or not increasing, a number too long for a JavaScript number, a field whose text or
// integer value PostgreSQL might read differently, and any error from the server (a unique key
// already taken, a NOT NULL column left empty). So the unique (station_id, epoch, seq) still
// guarantees exactly once: a row already in the journal fails the COPY, never doubles.

/** Thrown to leave the direct path for the staged one (never reaches the caller of importBatch). */
export class DirectPathOff extends Error {
  constructor(why: string) {
    super(`direct import path off: ${why}`);
  }
}

// Station entity names, as importer.ts's projections name them.
const MUTABLE = new Set(['customer', 'staff', 'book', 'meter', 'metering_point', 'customers', 'books', 'meters', 'metering_points']);
const BILL = new Set(['bill', 'bills']);
const PAYMENT = new Set(['payment', 'payments']);
const READING = new Set(['reading', 'readings']);
const PERIOD = /^[0-9]{4}-[0-9]{2}$/;
/** A digit run this long may not survive a JavaScript number (2^53 has 16 digits). */
const LONG_NUMBER = /[0-9]{16,}/;
const INTEGER = /^\s*[+-]?[0-9]+\s*$/;

type Json = Record<string, unknown>;

/** PostgreSQL's `->>` for the values we read: text as is, null for null/absent; else off. */
function text(v: unknown): string | null {
  if (v == null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    const s = String(v);
    if (/e/i.test(s)) throw new DirectPathOff(`number ${s}`);
    return s;
  }
  // jsonb prints objects with its own spacing: leave such a row to the server.
  throw new DirectPathOff('object where text expected');
}

/** `(text)::bigint`: null stays null; anything the cast might refuse or read otherwise: off. */
function big(v: unknown): number | null {
  const s = text(v);
  if (s == null) return null;
  if (!INTEGER.test(s)) throw new DirectPathOff(`not an integer: ${s.slice(0, 20)}`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new DirectPathOff('integer out of range');
  return n;
}

/** A value that is summed: a null would make the staged path's sum differ or fail; leave it to it. */
function summed(v: unknown): number {
  const n = big(v);
  if (n == null) throw new DirectPathOff('null amount');
  return n;
}

/** `coalesce(row->>'snake', row->>'camel')`. */
const f = (row: Json, snake: string, camel: string) => text(row[snake]) ?? text(row[camel]);

/** jsonb_array_elements(coalesce(v, '[]')) of `x->'key'`: an array; none when the key is absent
 * (SQL NULL); a JSON null or any other value makes the server refuse it, so off. */
function elements(v: unknown): unknown[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v;
  throw new DirectPathOff('not an array');
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const member = (v: unknown, key: string): unknown => (isObject(v) ? v[key] : undefined);

/** `jsonb_path_query_array(children, '$.settlements[*].children.settlement_lines[*]')` (lax mode). */
function settledLines(children: Json | null): unknown[] {
  if (!children) return [];
  const step = (items: unknown[], key: string) => items.flatMap((it) => (Array.isArray(it) ? it : [it])).flatMap((it) => (isObject(it) && key in it ? [it[key]] : []));
  const all = (items: unknown[]) => items.flatMap((it) => (Array.isArray(it) ? it : [it]));
  return all(step(step(all(step([children], 'settlements')), 'children'), 'settlement_lines'));
}

/**
 * Where the top-level `row` and `children` values sit in a line already checked by JSON.parse, so
 * the journal keeps the station's own text for them (no re-serialising: about as costly as the
 * parse, and numbers keep their digits). A key given twice: the last wins, as in JSON.parse.
 */
function valueSpans(l: string): { row: string | null; children: string | null } {
  let depth = 0;
  let inString = false;
  let keyStart = -1;
  let key = '';
  let valueStart = -1;
  let row: string | null = null;
  let children: string | null = null;
  const end = (i: number) => {
    if (key === 'row') row = l.slice(valueStart, i);
    else if (key === 'children') children = l.slice(valueStart, i);
    valueStart = -1;
  };
  for (let i = 0; i < l.length; i++) {
    const c = l.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) {
        inString = false;
        if (depth === 1 && valueStart < 0) key = l.slice(keyStart + 1, i);
      }
    } else if (c === 34) {
      inString = true;
      if (depth === 1 && valueStart < 0) keyStart = i;
    } else if (c === 58 && depth === 1) valueStart = i + 1;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0 && valueStart >= 0) end(i);
    } else if (c === 44 && depth === 1) end(i);
  }
  return { row, children };
}

/** One field of COPY's text format. */
function esc(v: string | number | boolean | null): string {
  if (v == null) return '\\N';
  const s = typeof v === 'string' ? v : String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s;
}
const line = (fields: (string | number | boolean | null)[]) => fields.map(esc).join('\t') + '\n';

/** Lines kept on disk until their COPY (memory holds one block whatever the batch). */
class Spool {
  private fd: number | null;
  private buf: string[] = [];
  private size = 0;
  count = 0;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }
  push(l: string): void {
    this.buf.push(l);
    this.size += l.length;
    this.count++;
    if (this.size >= 1 << 20) this.flush();
  }
  private flush(): void {
    if (!this.buf.length || this.fd == null) return;
    writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.size = 0;
  }
  /** Idempotent: a descriptor closed twice could be one the process (PGlite's files) reopened since. */
  close(): void {
    if (this.fd == null) return;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
  }
  /** The spooled lines in blocks that end on a line's end (PGlite COPYs each slice by itself). */
  async *blocks(): AsyncGenerator<string> {
    let tail = '';
    for await (const chunk of createReadStream(this.path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      const s = tail + (chunk as string);
      const cut = s.lastIndexOf('\n') + 1;
      tail = s.slice(cut);
      if (cut) yield s.slice(0, cut);
    }
    if (tail) yield tail;
  }
}

export interface MonthSums {
  bills: number;
  kwh: number;
  billed: number;
  collected: number;
  settled: number;
  readings: number;
  actual: number;
  corrected: number;
  flagged: number;
}

/** What the direct path leaves for SQL: rows that need what is already in the store. */
export interface DirectResult {
  rows: number;
  /** seqs of payment reversals (冲正): they take back what the reversed payment collected and settled. */
  reversals: number[];
  /** The batch carries signed appraisals (recounted in SQL from the latest signatures). */
  appraisals: boolean;
  /** The batch carries customer files (the station's customer count is recounted). */
  customers: boolean;
  months: Map<string, MonthSums>;
  /** Mutable records were staged in hq_import_records for their merge. */
  recordsStaged: boolean;
}

/**
 * Journal, typed copies, records and the roll-up for the batch's rows past `after`, in the
 * caller's transaction. Throws DirectPathOff (or a server error) to hand over to the staged path.
 */
export async function applyDirect(q: Sql, stationId: string, epoch: number, verified: VerifiedFile, after: number): Promise<DirectResult> {
  const dir = mkdtempSync(join(tmpdir(), 'griddesk-hq-import-'));
  const spools = { bills: new Spool(join(dir, 'bills')), payments: new Spool(join(dir, 'payments')), readings: new Spool(join(dir, 'readings')), records: new Spool(join(dir, 'records')) };
  const out: DirectResult = { rows: 0, reversals: [], appraisals: false, customers: false, months: new Map(), recordsStaged: false };
  const month = (period: string | null): MonthSums | null => {
    if (period == null || !PERIOD.test(period)) return null;
    let m = out.months.get(period);
    if (!m) out.months.set(period, (m = { bills: 0, kwh: 0, billed: 0, collected: 0, settled: 0, readings: 0, actual: 0, corrected: 0, flagged: 0 }));
    return m;
  };
  let lastSeq = after;
  let lineNo = 0;

  /** One payload line → its journal line (or nothing, if applied before); projections spooled. */
  const journal = (raw: string): string | null => {
    lineNo++;
    if (LONG_NUMBER.test(raw)) throw new DirectPathOff(`line ${lineNo}: long number`);
    let r: unknown;
    try {
      r = JSON.parse(raw);
    } catch {
      throw new DirectPathOff(`line ${lineNo}: not JSON`);
    }
    if (!isObject(r)) throw new DirectPathOff(`line ${lineNo}: not an object`);
    const seq = r.seq;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) throw new DirectPathOff(`line ${lineNo}: seq`);
    if (seq <= after) return null;
    if (seq <= lastSeq) throw new DirectPathOff(`line ${lineNo}: seq not increasing`);
    lastSeq = seq;
    const entity = text(r.entity);
    const id = text(r.id);
    const op = text(r.op);
    if (entity == null || id == null || op == null) throw new DirectPathOff(`line ${lineNo}: entity, id or op missing`);
    const row: Json = r.row == null ? {} : isObject(r.row) ? r.row : (() => { throw new DirectPathOff(`line ${lineNo}: row not an object`); })();
    const children = isObject(r.children) ? r.children : null;
    // Keys written with escapes ("r\u006fw") are legal JSON but not worth a scanner that decodes them.
    const spans = r.row != null || children ? valueSpans(raw) : { row: null, children: null };
    const rowText = r.row == null ? '{}' : (spans.row ?? (() => { throw new DirectPathOff(`line ${lineNo}: row not found`); })());
    const childrenText = children ? (spans.children ?? (() => { throw new DirectPathOff(`line ${lineNo}: children not found`); })()) : null;
    out.rows++;

    if (MUTABLE.has(entity)) {
      spools.records.push(line([entity, id, seq, rowText]));
      if (entity === 'customer' || entity === 'customers') out.customers = true;
    }
    if (op === 'insert') project(entity, id, seq, row, children);
    return line([stationId, epoch, seq, entity, id, op, rowText, text(r.table), childrenText]);
  };

  /** The staged path's projections and roll-up (importer.ts `project`), row by row. */
  const project = (entity: string, id: string, seq: number, row: Json, children: Json | null) => {
    if (BILL.has(entity)) {
      const kind = text(row.kind) ?? 'regular';
      const kwh = big(row.kwh) ?? 0;
      spools.bills.push(line([stationId, id, f(row, 'customer_id', 'customerId'), text(row.period), kind, kwh, big(f(row, 'total_fen', 'totalFen')) ?? 0]));
      const m = month(text(row.period));
      if (m && kind === 'regular') {
        m.bills++;
        m.kwh += kwh;
      }
    } else if (PAYMENT.has(entity)) {
      const payDate = f(row, 'pay_date', 'payDate');
      const amount = big(f(row, 'amount_fen', 'amountFen'));
      spools.payments.push(line([stationId, id, f(row, 'customer_id', 'customerId'), amount, payDate, text(row.channel), f(row, 'clerk_id', 'clerkId'), JSON.stringify(settledLines(children))]));
      const m = month(payDate == null ? null : payDate.slice(0, 7));
      if (m) m.collected += summed(amount);
      for (const s of elements(children?.settlements)) {
        for (const l of elements(member(member(s, 'children'), 'settlement_lines'))) {
          const lm = month(text(member(l, 'period')));
          if (lm) lm.settled += summed(member(l, 'principal_fen'));
        }
      }
    } else if (READING.has(entity)) {
      const supersedes = text(row.supersedes);
      const needsReview = ['1', 'true'].includes(f(row, 'needs_review', 'needsReview') ?? '0');
      const kind = text(row.kind);
      spools.readings.push(line([stationId, id, text(row.period), f(row, 'point_id', 'pointId'), kind, needsReview, supersedes, f(row, 'read_by', 'readBy')]));
      const m = month(text(row.period));
      if (m) {
        if (supersedes == null) {
          m.readings++;
          if (kind === 'actual') m.actual++;
          if (needsReview) m.flagged++;
        } else m.corrected++;
      }
    } else if (entity === 'bill_issue') {
      const entries = elements(children?.ledger_entries);
      const m = month(text(member(entries[0], 'period')));
      let billed = 0;
      for (const l of entries) billed += big(member(l, 'amount_fen')) ?? 0;
      if (m) m.billed += billed;
    } else if (entity === 'ledger_entries') {
      const m = month(text(row.period));
      const billed = ['bill', 'bill_credit'].includes(text(row.entry_type) ?? '') ? summed(row.amount_fen) : 0;
      if (m) m.billed += billed;
    } else if (entity === 'payment_reversal') {
      out.reversals.push(seq);
    } else if (entity === 'settlement') {
      if (text(row.kind) === 'prepaid') {
        for (const l of elements(row.lines)) {
          const m = month(text(member(l, 'period')));
          if (m) m.settled += summed(text(member(l, 'principalFen')) ?? text(member(l, 'principal_fen')));
        }
      }
    } else if (entity === 'settlement_lines') {
      const m = month(text(row.period));
      if (m) m.settled += summed(row.principal_fen);
    } else if (entity === 'appraisal') {
      out.appraisals = true;
    }
  };

  let nodeMs = 0;
  async function* journalLines(): AsyncGenerator<string> {
    for await (const raw of verified.lines()) {
      const t = performance.now();
      const l = journal(raw);
      nodeMs += performance.now() - t;
      if (l) yield l;
    }
  }

  const trace = process.env.GRIDDESK_HQ_IMPORT_TRACE ? (what: string, t0: number) => console.error(`hq import: ${what} ${Math.round(performance.now() - t0)} ms`) : () => {};
  let t0 = performance.now();
  try {
    await q.copyIn('COPY station_rows (station_id, epoch, seq, entity, entity_id, op, row, tbl, children) FROM STDIN', journalLines());
    for (const s of Object.values(spools)) s.close();
    trace(`journal (of which ${Math.round(nodeMs)} ms parsing in Node)`, t0);
    t0 = performance.now();
    if (spools.bills.count) await q.copyIn('COPY hq_bills (station_id, id, customer_id, period, kind, kwh_centi, total_fen) FROM STDIN', spools.bills.blocks());
    if (spools.payments.count) await q.copyIn('COPY hq_payments (station_id, id, customer_id, amount_fen, pay_date, channel, clerk_id, settled) FROM STDIN', spools.payments.blocks());
    if (spools.readings.count) await q.copyIn('COPY hq_readings (station_id, id, period, point_id, kind, needs_review, supersedes, read_by) FROM STDIN', spools.readings.blocks());
    if (spools.records.count) {
      await q.exec('DROP TABLE IF EXISTS hq_import_records; CREATE TEMP TABLE hq_import_records (entity text, entity_id text, seq bigint, row jsonb) ON COMMIT DROP');
      await q.copyIn('COPY hq_import_records (entity, entity_id, seq, row) FROM STDIN', spools.records.blocks());
      out.recordsStaged = true;
    }
    trace('typed + records staged', t0);
    return out;
  } finally {
    for (const s of Object.values(spools)) s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
