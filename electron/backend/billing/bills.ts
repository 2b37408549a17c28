import type { Centi, Fen } from '../../../shared/money';
import type { Unit } from '../audit/record';
import { nextNumber } from '../counters';
import { uuidv7 } from '../db/ids';
import { insertRows } from '../db/insertRows';
import { sql, type SqlArg } from '../db/sql';
import type { WritableDB } from '../db/store';
import type { PreparedBill } from './calculate';

// Writing a computed bill: the bill, its lines (each rounded once to the fen), the readings it
// used and its exception flags — all facts, insert-only. The caller records the bills it wrote
// (audit + outbox) in batches: a billing run writes a hundred thousand of them.

/** 电费单号: station code and the station's bill counter, e.g. GD01-B-00000123 (text order = creation order). */
export function billNumber(stationCode: string, n: number): string {
  return `${stationCode}-B-${String(n).padStart(8, '0')}`;
}

/** Takes `count` consecutive bill numbers from the counter, in the caller's transaction; returns the first. */
export function reserveBillNumbers(unit: Unit, count: number): number {
  const first = nextNumber(unit, 'bill');
  if (count > 1) unit.run(sql`UPDATE counters SET value = value + ${count - 1} WHERE name = 'bill'`);
  return first;
}

/** A bill's details without the fields that do not apply (nulls), as stored and sent. Written out field by field: a run does this 100,000 times. */
export function compactDetails(details: PreparedBill['details']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const t = details.tiers;
  if (t) {
    const tiers: Record<string, unknown> = { basis: t.basis, bounds: t.bounds, household: t.household, kwh: t.kwh };
    if (t.tierYearStart !== null) tiers.tierYearStart = t.tierYearStart;
    if (t.months !== null) tiers.months = t.months;
    if (t.cumulativeBefore !== null) tiers.cumulativeBefore = t.cumulativeBefore;
    out.tiers = tiers;
  }
  if (details.touKwh !== null) out.touKwh = details.touKwh;
  if (details.powerFactor !== null) out.powerFactor = details.powerFactor;
  if (details.capacityKva !== null) out.capacityKva = details.capacityKva;
  if (details.maxDemandKw !== null) out.maxDemandKw = details.maxDemandKw;
  return out;
}

export interface WrittenBill {
  id: string;
  billNo: string;
  customerId: string;
  accountNo: string;
  totalFen: number;
  bookId: string | null;
  /** The bill as it travels to head office, JSON. */
  payloadJson: string;
}

/** Where a bill comes from: a run, or a correction of the bill it replaces. */
export interface BillOrigin {
  runId: string | null;
  kind: 'regular' | 'correction';
  replacesBillId: string | null;
}

/** A computed bill to write, with its number and where it came from. */
export interface BillToWrite {
  billNo: string;
  prepared: PreparedBill;
  origin: BillOrigin;
}

/**
 * A computed bill made ready to write, all but its number and the time of writing: its rows and
 * the JSON it travels to head office in, and what the run counts. A run stages its bills while it
 * computes, so that its write transaction — which holds the back end, and a payment at the counter
 * waits for it — only numbers and inserts them. It keeps no computed bill (100,000 of them would
 * wait in memory for the write). Made for one write: the write fills in its bills row.
 */
export interface StagedBill {
  id: string;
  customerId: string;
  accountNo: string;
  bookId: string | null;
  kwh: Centi;
  totalFen: Fen;
  flagged: boolean;
  readingIds: string[];
  /** The bills row; bill_no and created_at are the write's. */
  row: SqlArg[];
  lines: SqlArg[][];
  flags: SqlArg[][];
  /** The outbox JSON after its opening `{"billNo":…,"createdAt":…,`. */
  payloadTail: string;
}

/** Positions in a staged bills row that the write fills in. */
const BILL_NO_AT = 2;
const PERIOD_AT = 4;
const CREATED_AT_AT = 11;

const INSERT_BILLS = sql`
  INSERT INTO bill_rows (id, station_id, bill_no, customer_id, period, kind, replaces_bill_id, tariff_code, tariff_effective_from,
                     kwh, total_fen, created_at, created_by, run_id, book_id, book_seq, details)`;

/** Stages one computed bill of `period` for `createdBy`, its id made at `now`. */
export function stageBill(prepared: PreparedBill, origin: BillOrigin, period: string, stationId: string, createdBy: string | null, now: number): StagedBill {
  const id = uuidv7(now);
  const { customer, tariff, bill } = prepared;
  const shared = sharedJson(prepared);
  const row: SqlArg[] = [id, stationId, '', customer.id, period, origin.kind, origin.replacesBillId, tariff.code, tariff.effectiveFrom,
    prepared.kwh, bill.totalFen, 0, createdBy, origin.runId, prepared.bookId, prepared.bookSeq, shared.details];
  // A customer billed on one metering point has its lines tied to that point.
  const pointId = prepared.readings.length === 1 ? (prepared.readings[0]?.pointId ?? null) : null;
  const lineRows = bill.lines.map((line, i): SqlArg[] => [id, i + 1, pointId, line.kind, line.labelKey, line.tier, line.period, line.quantity, line.unit, line.unitPrice, line.amountFen]);
  const readingIds = prepared.readings.map((r) => r.id);
  // What the batch record does not already say (the station, the schema version, when it was
  // written); the details and lines, which customers with the same bill share, made JSON once.
  const head = JSON.stringify({
    period,
    runId: origin.runId,
    kind: origin.kind,
    bookId: prepared.bookId,
    createdBy,
    id,
    customerId: customer.id,
    ...(origin.replacesBillId ? { replacesBillId: origin.replacesBillId } : {}),
    tariffCode: tariff.code,
    tariffEffectiveFrom: tariff.effectiveFrom,
    kwh: prepared.kwh,
    totalFen: bill.totalFen,
    bookSeq: prepared.bookSeq,
  });
  const flags = prepared.flags.length ? `,"flags":${JSON.stringify(prepared.flags)}` : '';
  return {
    id,
    customerId: customer.id,
    accountNo: customer.accountNo,
    bookId: prepared.bookId,
    kwh: prepared.kwh,
    totalFen: bill.totalFen,
    flagged: prepared.flags.length > 0,
    readingIds,
    row,
    lines: lineRows,
    flags: prepared.flags.map((flag) => [id, flag.code, JSON.stringify(flag.params)]),
    payloadTail: `${head.slice(1, -1)},"details":${shared.details},"lines":${shared.lines},"readingIds":${JSON.stringify(readingIds)}${flags}}`,
  };
}

/** A computed bill's details and lines as JSON, made once for the customers who share the bill (see BillingContext.prepare). */
function sharedJson(prepared: PreparedBill): { details: string; lines: string } {
  prepared.json.made ??= {
    details: JSON.stringify(compactDetails(prepared.details)),
    // [lineNo, kind, labelKey, tier, touPeriod, quantity, unit, unitPrice, amountFen]
    lines: JSON.stringify(prepared.bill.lines.map((l, i) => [i + 1, l.kind, l.labelKey, l.tier, l.period, l.quantity, l.unit, l.unitPrice, l.amountFen])),
  };
  return prepared.json.made;
}

/**
 * Writes staged bills with their lines, readings and flags, table by table in multi-row INSERTs
 * (a run writes 100,000 bills: a statement per row cost more than the rows themselves), the i-th
 * numbered `billNoOf(i)` and stamped with the unit's time.
 */
export function writeStaged(unit: Unit, staged: readonly StagedBill[], billNoOf: (i: number) => string): WrittenBill[] {
  const billRows: SqlArg[][] = [];
  const lineRows: SqlArg[][] = [];
  const readingRows: SqlArg[][] = [];
  const flagRows: SqlArg[][] = [];
  const at = unit.at;
  const written = staged.map((s, i): WrittenBill => {
    const billNo = billNoOf(i);
    s.row[BILL_NO_AT] = billNo;
    s.row[CREATED_AT_AT] = at;
    billRows.push(s.row);
    for (const line of s.lines) lineRows.push(line);
    for (const readingId of s.readingIds) readingRows.push([s.id, readingId]);
    for (const flag of s.flags) flagRows.push(flag);
    return {
      id: s.id,
      billNo,
      customerId: s.customerId,
      accountNo: s.accountNo,
      totalFen: s.totalFen,
      bookId: s.bookId,
      payloadJson: `{"billNo":${JSON.stringify(billNo)},"createdAt":${at},${s.payloadTail}`,
    };
  });
  insertRows(unit, INSERT_BILLS, billRows);
  listBillPeriods(unit, staged.map((s) => s.row[PERIOD_AT] as string));
  insertRows(unit, sql`
    INSERT INTO bill_lines (bill_id, line_no, point_id, kind, label_key, tier, tou_period, quantity, unit, unit_price, amount_fen)`, lineRows);
  insertRows(unit, sql`INSERT INTO bill_readings (bill_id, reading_id)`, readingRows);
  insertRows(unit, sql`INSERT INTO bill_flags (bill_id, code, params)`, flagRows);
  return written;
}

/**
 * Lists the periods of bills just written in bill_periods, in the same transaction: a customer's
 * bills are found through it (migration 0006, billsOfCustomer). Whatever writes bills calls this.
 */
export function listBillPeriods(tx: WritableDB, periods: readonly string[]): void {
  for (const period of new Set(periods)) tx.run(sql`INSERT OR IGNORE INTO bill_periods (period) VALUES (${period})`);
}

/** Stages and writes bills of one period in the caller's unit (a correction's new bill). */
export function writeBills(unit: Unit, period: string, bills: readonly BillToWrite[]): WrittenBill[] {
  const station = bills.length ? unit.stationId() : '';
  const staged = bills.map((b) => stageBill(b.prepared, b.origin, period, station, unit.actor.staffId, unit.at));
  return writeStaged(unit, staged, (i) => bills[i]?.billNo ?? '');
}

/**
 * Audit + outbox for bills written together: every bill travels to head office as its own outbox
 * row (with its lines, readings and flags); the audit log gets one entry per book batch (at most
 * 500 bills), so a month of 100,000 bills is 200 audit entries, not 100,000.
 */
export function recordBills(unit: Unit, period: string, bills: readonly WrittenBill[], kind: 'regular' | 'correction' = 'regular'): void {
  unit.outboxJson(bills.map((b) => ({ entity: 'bill', entityId: b.id, op: 'insert', json: b.payloadJson })));
  const action = kind === 'correction' ? 'bill.createCorrection' : 'bill.create';
  for (const part of bookBatches(bills)) {
    const first = part[0];
    if (!first) continue;
    unit.audit({
      action,
      entity: 'bill',
      entityId: part.length === 1 ? first.id : null,
      summary:
        part.length === 1
          ? { billNo: first.billNo, account: first.accountNo, period, totalFen: first.totalFen }
          : { period, bills: part.length, from: first.billNo, to: part.at(-1)?.billNo, totalFen: part.reduce((s, b) => s + b.totalFen, 0) },
    });
  }
}

/** Consecutive bills of the same book, at most 500 together. */
function bookBatches(bills: readonly WrittenBill[]): WrittenBill[][] {
  const batches: WrittenBill[][] = [];
  for (const bill of bills) {
    const last = batches.at(-1);
    if (last && last.length < 500 && last[0]?.bookId === bill.bookId) last.push(bill);
    else batches.push([bill]);
  }
  return batches;
}

export function stationCode(unit: Unit): string {
  const code = unit.value<string>(sql`SELECT code FROM station`);
  if (!code) throw new Error('station not set up');
  return code;
}
