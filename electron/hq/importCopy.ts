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
/** Entities whose inserted rows a typed table or the roll-up reads (the others go to the journal only). */
const PROJECTED = new Set([...BILL, ...PAYMENT, ...READING, 'bill_issue', 'ledger_entries', 'payment_reversal', 'settlement', 'settlement_lines', 'appraisal']);
const noChildren = (): null => null;
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
    // Only a safe integer is sure to print as the station wrote it (and as `->>` prints it).
    if (!Number.isSafeInteger(v)) throw new DirectPathOff(`number ${v}`);
    return String(v);
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
const f = (row: Fields, snake: string, camel: string) => text(row(snake)) ?? text(row(camel));

/** A row's members as the projections read them: by key, undefined when absent. */
type Fields = (key: string) => unknown;
const fieldsOf = (o: Json): Fields => (key) => (Object.hasOwn(o, key) ? o[key] : undefined);
const NO_FIELDS: Fields = () => undefined;

// A flat compact object: members `"key":value` with no whitespace, values strings without escapes
// or control characters, plain integers, true, false or null. The station's rows are mostly such
// (canonical JSON); its members are read with lastIndexOf (the last of a key given twice wins, as
// in JSON.parse and jsonb), no object built. Anything else is parsed with JSON.parse.
const FLAT_VALUE = '(?:"[^"\\\\\\x00-\\x1f]*"|-?(?:0|[1-9][0-9]*)|true|false|null)';
const FLAT_MEMBER = `"[^"\\\\\\x00-\\x1f]*":${FLAT_VALUE}`;
const FLAT = new RegExp(`^\\{(?:${FLAT_MEMBER}(?:,${FLAT_MEMBER})*)?\\}$`);
const needles = new Map<string, string>();

/** Reads `key` of a flat object's text (FLAT): its value as JSON.parse would give it. */
function flatGet(o: string, key: string): unknown {
  let needle = needles.get(key);
  if (needle === undefined) needles.set(key, (needle = `"${key}":`));
  // Keys and string values hold no quote and FLAT checked the layout, so `"key":` is that key.
  const k = o.lastIndexOf(needle);
  if (k < 0) return undefined;
  const i = k + needle.length;
  const c = o.charCodeAt(i);
  if (c === 34) return o.slice(i + 1, o.indexOf('"', i + 1));
  if (c === 116) return true;
  if (c === 102) return false;
  if (c === 110) return null;
  let j = i + 1;
  while (j < o.length && o.charCodeAt(j) >= 48 && o.charCodeAt(j) <= 57) j++;
  return Number(o.slice(i, j));
}

/** A flat object's text as Fields, or null if it is not flat. */
export function flatFields(o: string): Fields | null {
  return FLAT.test(o) ? (key) => flatGet(o, key) : null;
}

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

/** Where `row` and `children` sit in a plain line (start and end, -1 when not an object). */
export interface Spans {
  rowStart: number;
  rowEnd: number;
  childrenStart: number;
  childrenEnd: number;
  /** The row object holds no object or array and no whitespace between its tokens: its members
   * are read with flatGet (the server checks it is JSON: it goes to a jsonb column). */
  rowFlat: boolean;
}

/**
 * The spans of the top-level `row` and `children` objects of a line JSON.parse has accepted, if
 * the line is **plain** (直通行): no backslash anywhere (so every `"` opens or closes a string and
 * a string is skipped with one indexOf), no control character between tokens (nothing COPY's text
 * format must escape), and every number a plain integer (no fraction or exponent: JSON.parse reads
 * such a number exactly when it is a safe integer, which the projections check). The station's
 * export writes plain lines (canonical JSON, integers in fen) in the ordinary case; a line that is
 * not plain answers false and takes the careful way (valueSpans, COPY escaping). Only the few
 * characters between strings are looked at one by one.
 */
export function plainSpans(l: string, out: Spans): boolean {
  out.rowStart = out.rowEnd = out.childrenStart = out.childrenEnd = -1;
  out.rowFlat = true;
  if (l.indexOf('\\') >= 0) return false;
  const n = l.length;
  let depth = 0;
  let expectKey = false;
  let key = 0; // the depth-1 member being read: 1 row, 2 children, 0 another
  let open = 0; // the row (1) or children (2) object being skipped, from `start`
  let start = -1;
  for (let i = 0; i < n; ) {
    const c = l.charCodeAt(i);
    if (c === 34) {
      const e = l.indexOf('"', i + 1);
      if (e < 0) return false;
      if (depth === 1 && expectKey) {
        const len = e - i - 1;
        key = len === 3 && l.startsWith('row', i + 1) ? 1 : len === 8 && l.startsWith('children', i + 1) ? 2 : 0;
        // A key given twice: the last wins (JSON.parse, jsonb), whatever its value.
        if (key === 1) (out.rowStart = out.rowEnd = -1), (out.rowFlat = true);
        else if (key === 2) out.childrenStart = out.childrenEnd = -1;
        expectKey = false;
      }
      i = e + 1;
    } else if (c === 123 || c === 91) {
      if (depth === 1 && key && c === 123) {
        open = key;
        start = i;
      } else if (open === 1) out.rowFlat = false;
      depth++;
      if (depth === 1) expectKey = true;
      i++;
    } else if (c === 125 || c === 93) {
      depth--;
      if (depth === 1 && open) {
        if (open === 1) (out.rowStart = start), (out.rowEnd = i + 1);
        else (out.childrenStart = start), (out.childrenEnd = i + 1);
        open = 0;
      }
      i++;
    } else if (c === 44) {
      if (depth === 1) {
        expectKey = true;
        key = 0;
      }
      i++;
    } else if ((c >= 48 && c <= 57) || c === 45) {
      let j = i + 1;
      for (let d = l.charCodeAt(j); j < n && d >= 48 && d <= 57; d = l.charCodeAt(++j));
      const d = l.charCodeAt(j);
      if (d === 46 || d === 101 || d === 69) return false;
      i = j;
    } else if (c < 32) return false;
    else if (c === 116 || c === 110) i += 4;
    else if (c === 102) i += 5;
    else {
      if (c === 32 && open === 1) out.rowFlat = false;
      i++;
    }
  }
  return true;
}

/** One field of COPY's text format. */
function esc(v: string | number | boolean | null): string {
  if (v == null) return '\\N';
  const s = typeof v === 'string' ? v : String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s;
}
const line = (fields: (string | number | boolean | null)[]) => fields.map(esc).join('\t') + '\n';
/** The same for values that need no escaping (all from a plain line, or numbers). */
function plainLine(fields: (string | number | boolean | null)[]): string {
  let s = '';
  for (let k = 0; k < fields.length; k++) {
    const v = fields[k];
    s += (k ? '\t' : '') + (v == null ? '\\N' : v);
  }
  return s + '\n';
}

const SPOOL_BYTES = 1 << 20;

/** Lines kept on disk until their COPY (memory holds one block whatever the batch). */
class Spool {
  private fd: number | null;
  // Lines are encoded as they come: a line built from a slice of the payload would otherwise keep
  // the whole decoded chunk it came from alive until the flush (tens of MB across the spools).
  private buf = Buffer.allocUnsafe(SPOOL_BYTES);
  private pos = 0;
  count = 0;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }
  push(l: string): void {
    if (this.pos + l.length * 3 > this.buf.length) {
      this.flush();
      if (l.length * 3 > this.buf.length) this.buf = Buffer.allocUnsafe(l.length * 3);
    }
    this.pos += this.buf.write(l, this.pos);
    this.count++;
  }
  private flush(): void {
    if (!this.pos || this.fd == null) return;
    writeSync(this.fd, this.buf, 0, this.pos);
    this.pos = 0;
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
  /** The spooled lines as bytes, in blocks that end on a line's end (PGlite COPYs each block by
   * itself; the server takes them as they are: no decoding and encoding again). */
  async *blocks(): AsyncGenerator<Buffer> {
    let tail: Buffer | null = null;
    for await (const chunk of createReadStream(this.path, { highWaterMark: 1 << 20 })) {
      const b: Buffer = tail ? Buffer.concat([tail, chunk as Buffer]) : (chunk as Buffer);
      const cut = b.lastIndexOf(10) + 1;
      tail = cut < b.length ? b.subarray(cut) : null;
      if (cut) yield b.subarray(0, cut);
    }
    if (tail) yield tail;
  }
}

/**
 * The journal's COPY text written straight into byte blocks (each ends on a line's end), so the
 * pieces of a line are encoded once: no line string, no joined chunk, no second copy to encode.
 */
class BlockWriter {
  private buf = Buffer.allocUnsafe(BLOCK_BYTES);
  private pos = 0;
  readonly full: Buffer[] = [];
  /** Room for a line of at most `chars` UTF-16 units (3 bytes each at most). */
  line(chars: number): void {
    const need = chars * 3;
    if (this.pos + need <= this.buf.length) return;
    if (this.pos) this.full.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(Math.max(BLOCK_BYTES, need));
    this.pos = 0;
  }
  put(s: string): void {
    this.pos += this.buf.write(s, this.pos);
  }
  /** The last, partly filled block. */
  end(): Buffer | null {
    const b = this.pos ? this.buf.subarray(0, this.pos) : null;
    this.pos = 0;
    return b;
  }
}
const BLOCK_BYTES = 256 * 1024;

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
    // The key is copied out of the payload's text (a slice would keep its whole chunk alive).
    if (!m) out.months.set(Buffer.from(period).toString(), (m = { bills: 0, kwh: 0, billed: 0, collected: 0, settled: 0, readings: 0, actual: 0, corrected: 0, flagged: 0 }));
    return m;
  };
  let lastSeq = after;
  let lineNo = 0;
  const spans: Spans = { rowStart: -1, rowEnd: -1, childrenStart: -1, childrenEnd: -1, rowFlat: true };
  /** The line being read is plain (plainSpans): its values need no COPY escaping. */
  let plain = false;
  const prefix = `${esc(stationId)}\t${epoch}\t`;
  /** A typed table's COPY line: escaped only when the row came from a line that is not plain. */
  const stationPlain = esc(stationId) === stationId;
  const typed = (fields: (string | number | boolean | null)[]) => (plain && stationPlain ? plainLine(fields) : line(fields));

  /** One payload line → its journal line (or nothing, if applied before); projections spooled. */
  const journal = (raw: string): string | null => {
    lineNo++;
    plain = plainSpans(raw, spans);
    return plain ? plainJournal(raw) : carefulJournal(raw);
  };

  /** An object's members as Fields; anything else is not a line (or a row) the direct path takes. */
  const objectFields = (v: unknown): Fields => {
    if (!isObject(v)) throw new DirectPathOff(`line ${lineNo}: not an object`);
    return fieldsOf(v);
  };

  /** JSON.parse that hands over to the staged path on bad JSON. */
  const parse = (json: string): unknown => {
    try {
      return JSON.parse(json);
    } catch {
      throw new DirectPathOff(`line ${lineNo}: not JSON`);
    }
  };

  /** The line's top-level members other than `row` and `children` (checked: the seq, increasing). */
  const head = (r: Fields): { seq: number; entity: string; id: string; op: string; table: string | null } | null => {
    const seq = r('seq');
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) throw new DirectPathOff(`line ${lineNo}: seq`);
    if (seq <= after) return null;
    if (seq <= lastSeq) throw new DirectPathOff(`line ${lineNo}: seq not increasing`);
    lastSeq = seq;
    const entity = text(r('entity'));
    const id = text(r('id'));
    const op = text(r('op'));
    if (entity == null || id == null || op == null) throw new DirectPathOff(`line ${lineNo}: entity, id or op missing`);
    return { seq, entity, id, op, table: text(r('table')) };
  };

  /**
   * A plain line (the ordinary case): JSON.parse reads only its skeleton, the line with its `row`
   * and `children` objects replaced by `null` (a line is JSON exactly when its skeleton is and both
   * spans are, and the spans go to jsonb columns: the server parses them and refuses bad JSON,
   * which hands the batch to the staged path). A row is parsed in Node only if a typed table or
   * the roll-up reads it; children only for a payment's settlement lines and a bill issue's ledger.
   */
  const plainJournal = (raw: string): string | null => {
    const { rowStart, rowEnd, childrenStart, childrenEnd } = spans;
    const rowFlat = spans.rowFlat;
    let skeleton = raw;
    if (rowStart >= 0 && childrenStart >= 0) {
      skeleton = rowStart < childrenStart
        ? raw.slice(0, rowStart) + 'null' + raw.slice(rowEnd, childrenStart) + 'null' + raw.slice(childrenEnd)
        : raw.slice(0, childrenStart) + 'null' + raw.slice(childrenEnd, rowStart) + 'null' + raw.slice(rowEnd);
    } else if (rowStart >= 0) skeleton = raw.slice(0, rowStart) + 'null' + raw.slice(rowEnd);
    else if (childrenStart >= 0) skeleton = raw.slice(0, childrenStart) + 'null' + raw.slice(childrenEnd);
    const r = flatFields(skeleton) ?? objectFields(parse(skeleton));
    const h = head(r);
    if (!h) {
      // Applied before: nothing of it goes to the server, so its row and children are checked
      // here (the staged path refuses a batch with a line that is not JSON, wherever it is).
      parse(raw);
      return null;
    }
    // Without a span the member is absent, null, or not an object (refused for `row`, NULL for `children`).
    if (rowStart < 0 && r('row') != null) throw new DirectPathOff(`line ${lineNo}: row not an object`);
    const rowText = rowStart >= 0 ? raw.slice(rowStart, rowEnd) : '{}';
    const childrenText = childrenStart >= 0 ? raw.slice(childrenStart, childrenEnd) : null;
    out.rows++;
    if (MUTABLE.has(h.entity)) {
      spools.records.push(`${h.entity}\t${h.id}\t${h.seq}\t${rowText}\n`);
      if (h.entity === 'customer' || h.entity === 'customers') out.customers = true;
    }
    if (h.op === 'insert' && PROJECTED.has(h.entity)) {
      const row = rowStart < 0 ? NO_FIELDS : rowFlat ? (key: string) => flatGet(rowText, key) : objectFields(parse(rowText));
      project(h.entity, h.id, h.seq, row, childrenText == null ? noChildren : () => parse(childrenText) as Json);
    }
    // Nothing in a plain line needs escaping; the station id was escaped once (prefix).
    w.line(raw.length + prefix.length + 64);
    w.put(`${prefix}${h.seq}\t${h.entity}\t${h.id}\t${h.op}\t`);
    w.put(rowText);
    w.put(`\t${h.table ?? '\\N'}\t`);
    w.put(childrenText ?? '\\N');
    w.put('\n');
    return null;
  };

  /** Any other line: parsed whole; no digit run a JavaScript number could change; spans found by
   * the scan that knows escapes; every field escaped for COPY. */
  const carefulJournal = (raw: string): string | null => {
    if (LONG_NUMBER.test(raw)) throw new DirectPathOff(`line ${lineNo}: long number`);
    const r = parse(raw);
    if (!isObject(r)) throw new DirectPathOff(`line ${lineNo}: not an object`);
    const h = head(fieldsOf(r));
    if (!h) return null;
    const row: Json = r.row == null ? {} : isObject(r.row) ? r.row : (() => { throw new DirectPathOff(`line ${lineNo}: row not an object`); })();
    const children = isObject(r.children) ? r.children : null;
    // Keys written with escapes ("r\u006fw") are legal JSON but not worth a scanner that decodes them.
    const found = r.row != null || children ? valueSpans(raw) : { row: null, children: null };
    const rowText = r.row == null ? '{}' : found.row;
    const childrenText = children ? found.children : null;
    if (rowText == null) throw new DirectPathOff(`line ${lineNo}: row not found`);
    if (children && childrenText == null) throw new DirectPathOff(`line ${lineNo}: children not found`);
    out.rows++;
    if (MUTABLE.has(h.entity)) {
      spools.records.push(line([h.entity, h.id, h.seq, rowText]));
      if (h.entity === 'customer' || h.entity === 'customers') out.customers = true;
    }
    if (h.op === 'insert' && PROJECTED.has(h.entity)) project(h.entity, h.id, h.seq, fieldsOf(row), () => children);
    return line([stationId, epoch, h.seq, h.entity, h.id, h.op, rowText, h.table, childrenText]);
  };

  /** The staged path's projections and roll-up (importer.ts `project`), row by row. */
  const project = (entity: string, id: string, seq: number, row: Fields, childrenOf: () => Json | null) => {
    if (BILL.has(entity)) {
      const kind = text(row('kind')) ?? 'regular';
      const kwh = big(row('kwh')) ?? 0;
      spools.bills.push(typed([stationId, id, f(row, 'customer_id', 'customerId'), text(row('period')), kind, kwh, big(f(row, 'total_fen', 'totalFen')) ?? 0]));
      const m = month(text(row('period')));
      if (m && kind === 'regular') {
        m.bills++;
        m.kwh += kwh;
      }
    } else if (PAYMENT.has(entity)) {
      const payDate = f(row, 'pay_date', 'payDate');
      const amount = big(f(row, 'amount_fen', 'amountFen'));
      const children = childrenOf();
      spools.payments.push(typed([stationId, id, f(row, 'customer_id', 'customerId'), amount, payDate, text(row('channel')), f(row, 'clerk_id', 'clerkId'), JSON.stringify(settledLines(children))]));
      const m = month(payDate == null ? null : payDate.slice(0, 7));
      if (m) m.collected += summed(amount);
      for (const s of elements(children?.settlements)) {
        for (const l of elements(member(member(s, 'children'), 'settlement_lines'))) {
          const lm = month(text(member(l, 'period')));
          if (lm) lm.settled += summed(member(l, 'principal_fen'));
        }
      }
    } else if (READING.has(entity)) {
      const supersedes = text(row('supersedes'));
      const needsReview = ['1', 'true'].includes(f(row, 'needs_review', 'needsReview') ?? '0');
      const kind = text(row('kind'));
      spools.readings.push(typed([stationId, id, text(row('period')), f(row, 'point_id', 'pointId'), kind, needsReview, supersedes, f(row, 'read_by', 'readBy')]));
      const m = month(text(row('period')));
      if (m) {
        if (supersedes == null) {
          m.readings++;
          if (kind === 'actual') m.actual++;
          if (needsReview) m.flagged++;
        } else m.corrected++;
      }
    } else if (entity === 'bill_issue') {
      const entries = elements(childrenOf()?.ledger_entries);
      const m = month(text(member(entries[0], 'period')));
      let billed = 0;
      for (const l of entries) billed += big(member(l, 'amount_fen')) ?? 0;
      if (m) m.billed += billed;
    } else if (entity === 'ledger_entries') {
      const m = month(text(row('period')));
      const billed = ['bill', 'bill_credit'].includes(text(row('entry_type')) ?? '') ? summed(row('amount_fen')) : 0;
      if (m) m.billed += billed;
    } else if (entity === 'payment_reversal') {
      out.reversals.push(seq);
    } else if (entity === 'settlement') {
      if (text(row('kind')) === 'prepaid') {
        for (const l of elements(row('lines'))) {
          const m = month(text(member(l, 'period')));
          if (m) m.settled += summed(text(member(l, 'principalFen')) ?? text(member(l, 'principal_fen')));
        }
      }
    } else if (entity === 'settlement_lines') {
      const m = month(text(row('period')));
      if (m) m.settled += summed(row('principal_fen'));
    } else if (entity === 'appraisal') {
      out.appraisals = true;
    }
  };

  let nodeMs = 0;
  const w = new BlockWriter();
  async function* journalLines(): AsyncGenerator<Buffer> {
    for await (const raw of verified.lines()) {
      const t = performance.now();
      const l = journal(raw);
      if (l) {
        w.line(l.length);
        w.put(l);
      }
      nodeMs += performance.now() - t;
      if (w.full.length) yield* w.full.splice(0);
    }
    const last = w.end();
    if (last) yield last;
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
