import { closeDayTotals, closingNeedsSignOff, type ChannelTotals, type ClosingEntry } from '../../../shared/collection';
import type { ClosingReport, ClosingSummary, DayView, StationDayView } from '../../../shared/contract/collection';
import { fenToYuan, formatYuan, type Fen } from '../../../shared/money';
import { shanghaiDate, type DateString } from '../../../shared/time';
import type { Unit } from '../audit/record';
import type { StationIdentity } from '../context';
import { uuidv7 } from '../db/ids';
import { sql, type SqlFragment } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { refuse } from '../errors';
import { currentBusinessDate } from './days';
import { listPayments, type Clerk } from './payments';

// Daily closing (日结). A clerk's day is every payment they took with that business date and
// every reversal that landed in it; the totals by channel come from shared/collection/closing.ts.
// Closing files the totals and the counted cash; from then on the clerk's later payments fall
// into the next day (migration 0005 refuses a payment or reversal in a closed day). A cash
// difference needs a reason and the station head's sign-off, on the spot or later.

type DayReversal = DayView['reversals'][number];

interface DayReversalDbRow {
  id: string;
  receipt_no: string;
  account_no: string;
  customer_name: string;
  amount_fen: number;
  channel: DayReversal['channel'];
  reason: string;
  approver: string;
  approved_at: number;
  payment_business_date: string;
}

function dayReversals(db: ReadableDB, clerkId: string, day: DateString): DayReversal[] {
  return db
    .all<DayReversalDbRow>(sql`
      SELECT r.id, p.receipt_no, c.account_no, c.name AS customer_name, p.amount_fen, p.channel, q.reason,
             st.staff_no || ' ' || st.name AS approver, r.approved_at, p.business_date AS payment_business_date
      FROM payment_reversals r
      JOIN payments p ON p.id = r.payment_id JOIN customers c ON c.id = p.customer_id
      JOIN reversal_requests q ON q.id = r.request_id JOIN staff st ON st.id = r.approved_by
      WHERE r.clerk_id = ${clerkId} AND r.business_date = ${day}
      ORDER BY r.approved_at, r.id`)
    .map((r) => ({
      reversalId: r.id,
      receiptNo: r.receipt_no,
      accountNo: r.account_no,
      customerName: r.customer_name,
      amountFen: r.amount_fen,
      channel: r.channel,
      reason: r.reason,
      approvedBy: r.approver,
      approvedAt: r.approved_at,
      paymentBusinessDate: r.payment_business_date,
    }));
}

function dayEntries(db: ReadableDB, clerkId: string, day: DateString) {
  const payments = listPayments(db, sql`p.clerk_id = ${clerkId} AND p.business_date = ${day}`);
  const reversals = dayReversals(db, clerkId, day);
  const entries: ClosingEntry[] = [
    ...payments.map((p): ClosingEntry => ({ kind: 'payment', channel: p.channel, amountFen: p.amountFen })),
    ...reversals.map((r): ClosingEntry => ({ kind: 'reversal', channel: r.channel, amountFen: r.amountFen })),
  ];
  return { payments, reversals, entries };
}

interface ClosingDbRow {
  id: string;
  clerk_id: string;
  clerk_no: string;
  clerk_name: string;
  business_date: string;
  payment_count: number;
  payments_fen: number;
  reversal_count: number;
  reversals_fen: number;
  net_fen: number;
  by_channel: string;
  first_receipt_no: string | null;
  last_receipt_no: string | null;
  opening_float_fen: number;
  expected_cash_fen: number;
  counted_cash_fen: number;
  difference_fen: number;
  reason: string;
  closed_at: number;
  signed_by: string | null;
  signed_at: number | null;
  sign_note: string | null;
}

export function listClosings(db: ReadableDB, where: SqlFragment, limit = 1000): ClosingSummary[] {
  return db
    .all<ClosingDbRow>(sql`
      SELECT d.id, d.clerk_id, st.staff_no AS clerk_no, st.name AS clerk_name, d.business_date, d.payment_count, d.payments_fen,
             d.reversal_count, d.reversals_fen, d.net_fen, d.by_channel, d.first_receipt_no, d.last_receipt_no, d.opening_float_fen,
             d.expected_cash_fen, d.counted_cash_fen, d.difference_fen, d.reason, d.closed_at,
             sg.staff_no || ' ' || sg.name AS signed_by, so.signed_at, so.note AS sign_note
      FROM day_closings d JOIN staff st ON st.id = d.clerk_id
      LEFT JOIN closing_signoffs so ON so.closing_id = d.id LEFT JOIN staff sg ON sg.id = so.signed_by
      WHERE ${where}
      ORDER BY d.business_date DESC, st.staff_no
      LIMIT ${limit}`)
    .map((r) => ({
      closingId: r.id,
      clerk: { id: r.clerk_id, staffNo: r.clerk_no, name: r.clerk_name },
      businessDate: r.business_date,
      paymentCount: r.payment_count,
      paymentsFen: r.payments_fen,
      reversalCount: r.reversal_count,
      reversalsFen: r.reversals_fen,
      netFen: r.net_fen,
      byChannel: JSON.parse(r.by_channel) as ChannelTotals[],
      firstReceiptNo: r.first_receipt_no,
      lastReceiptNo: r.last_receipt_no,
      openingFloatFen: r.opening_float_fen,
      expectedCashFen: r.expected_cash_fen,
      countedCashFen: r.counted_cash_fen,
      differenceFen: r.difference_fen,
      reason: r.reason,
      closedAt: r.closed_at,
      status: r.difference_fen === 0 ? 'balanced' : r.signed_at !== null ? 'signed_off' : 'awaiting_sign_off',
      signedOff: r.signed_at !== null ? { by: r.signed_by ?? '', at: r.signed_at, note: r.sign_note ?? '' } : null,
    }));
}

function requireClosing(db: ReadableDB, closingId: string): ClosingSummary {
  const closing = listClosings(db, sql`d.id = ${closingId}`)[0];
  if (!closing) throw refuse('collection.closingNotFound', {}, 'not_found');
  return closing;
}

/** A clerk's day as it stands (or as it was closed), for the closing screen. */
export function dayView(db: ReadableDB, clerk: Clerk, day: DateString, today: DateString): DayView {
  const { payments, reversals, entries } = dayEntries(db, clerk.id, day);
  const totals = closeDayTotals(entries, 0, 0);
  const closing = listClosings(db, sql`d.clerk_id = ${clerk.id} AND d.business_date = ${day}`)[0] ?? null;
  // The clerk's distinct days, one index seek each (a clerk's history holds years of payments).
  const unclosedDays = db.column<string>(sql`
    WITH RECURSIVE days (d) AS (
      SELECT min(business_date) FROM payments WHERE clerk_id = ${clerk.id}
      UNION ALL
      SELECT (SELECT min(business_date) FROM payments WHERE clerk_id = ${clerk.id} AND business_date > days.d) FROM days WHERE days.d IS NOT NULL
    )
    SELECT d FROM (SELECT d FROM days WHERE d IS NOT NULL UNION SELECT business_date FROM payment_reversals WHERE clerk_id = ${clerk.id})
    WHERE d < ${today} AND d NOT IN (SELECT business_date FROM day_closings WHERE clerk_id = ${clerk.id})
    ORDER BY d`);
  return {
    clerk: { id: clerk.id, staffNo: clerk.staffNo, name: clerk.name },
    today,
    businessDate: day,
    currentBusinessDate: currentBusinessDate(db, clerk.id, today),
    closing,
    paymentCount: payments.length,
    paymentsFen: totals.paymentsFen,
    reversalCount: reversals.length,
    reversalsFen: totals.reversalsFen,
    netFen: totals.netFen,
    byChannel: totals.byChannel,
    cashTakingsFen: totals.cashTakingsFen,
    firstReceiptNo: payments[0]?.receiptNo ?? null,
    lastReceiptNo: payments.at(-1)?.receiptNo ?? null,
    payments,
    reversals,
    unclosedDays,
  };
}

export interface CloseDayInput {
  businessDate: DateString;
  countedCashFen: Fen;
  openingFloatFen: Fen;
  reason?: string | undefined;
}

/** Files the clerk's daily closing; `signer` is the station head signing a difference on the spot. */
export function closeDay(unit: Unit, clerk: Clerk, input: CloseDayInput, signer: Clerk | null): ClosingSummary {
  const today = shanghaiDate(unit.at);
  const day = input.businessDate;
  if (day > today) throw refuse('collection.futureDay', { date: day });
  if (unit.value(sql`SELECT 1 FROM day_closings WHERE clerk_id = ${clerk.id} AND business_date = ${day}`)) {
    throw refuse('collection.dayClosed', { name: clerk.name, date: day }, 'conflict');
  }
  const { payments, entries } = dayEntries(unit, clerk.id, day);
  const totals = closeDayTotals(entries, input.openingFloatFen, input.countedCashFen);
  const reason = input.reason?.trim() ?? '';
  const needsSignOff = closingNeedsSignOff(totals);
  if (needsSignOff && reason.length < 2) {
    const amount = formatYuan(Math.abs(totals.differenceFen));
    throw refuse(totals.differenceFen < 0 ? 'collection.shortNeedsReason' : 'collection.overNeedsReason', { amount });
  }
  const id = uuidv7(unit.at);
  const reversalCount = entries.filter((e) => e.kind === 'reversal').length;
  const first = payments[0]?.receiptNo ?? null;
  const last = payments.at(-1)?.receiptNo ?? null;
  unit.run(sql`
    INSERT INTO day_closings (id, station_id, clerk_id, business_date, payment_count, payments_fen, reversal_count, reversals_fen, net_fen,
                              by_channel, first_receipt_no, last_receipt_no, opening_float_fen, expected_cash_fen, counted_cash_fen,
                              difference_fen, reason, closed_at)
    VALUES (${id}, ${unit.stationId()}, ${clerk.id}, ${day}, ${payments.length}, ${totals.paymentsFen}, ${reversalCount}, ${totals.reversalsFen},
            ${totals.netFen}, ${JSON.stringify(totals.byChannel)}, ${first}, ${last}, ${totals.openingFloatFen}, ${totals.expectedCashFen},
            ${totals.countedCashFen}, ${totals.differenceFen}, ${reason}, ${unit.at})`);
  unit.record({
    action: 'closing.close',
    entity: 'day_closing',
    entityId: id,
    op: 'insert',
    summary: {
      clerk: `${clerk.staffNo} ${clerk.name}`,
      businessDate: day,
      payments: payments.length,
      net: fenToYuan(totals.netFen),
      difference: fenToYuan(totals.differenceFen),
      ...(reason ? { reason } : {}),
    },
    payload: {
      id, clerkId: clerk.id, businessDate: day, paymentCount: payments.length, paymentsFen: totals.paymentsFen, reversalCount,
      reversalsFen: totals.reversalsFen, netFen: totals.netFen, byChannel: totals.byChannel, firstReceiptNo: first, lastReceiptNo: last,
      openingFloatFen: totals.openingFloatFen, expectedCashFen: totals.expectedCashFen, countedCashFen: totals.countedCashFen,
      differenceFen: totals.differenceFen, reason, closedAt: unit.at,
    },
  });
  if (needsSignOff && signer) signOffClosing(unit, id, signer, '');
  return requireClosing(unit, id);
}

/** The station head signs a closing whose cash differs (所长签字). */
export function signOffClosing(unit: Unit, closingId: string, head: Clerk, note: string): ClosingSummary {
  const closing = requireClosing(unit, closingId);
  if (closing.differenceFen === 0) throw refuse('collection.signOffNotNeeded', {}, 'conflict');
  if (closing.signedOff) throw refuse('collection.alreadySignedOff', {}, 'conflict');
  if (closing.clerk.id === head.id) throw refuse('collection.signOwnClosing', {}, 'forbidden');
  unit.run(sql`INSERT INTO closing_signoffs (closing_id, signed_by, signed_at, note) VALUES (${closingId}, ${head.id}, ${unit.at}, ${note})`);
  unit.record({
    action: 'closing.signOff',
    entity: 'day_closing',
    entityId: closingId,
    op: 'update',
    summary: { clerk: `${closing.clerk.staffNo} ${closing.clerk.name}`, businessDate: closing.businessDate, difference: fenToYuan(closing.differenceFen) },
    payload: { closingId, signedBy: head.id, signedAt: unit.at, note },
  });
  return requireClosing(unit, closingId);
}

/** The daily closing report (日结报表): the totals as filed, every receipt and reversal of the day. */
export function closingReport(db: ReadableDB, station: StationIdentity, closingId: string): ClosingReport {
  const closing = requireClosing(db, closingId);
  const clerkId = closing.clerk.id ?? '';
  return {
    ...closing,
    station: { code: station.code, name: station.name },
    payments: listPayments(db, sql`p.clerk_id = ${clerkId} AND p.business_date = ${closing.businessDate}`),
    reversals: dayReversals(db, clerkId, closing.businessDate),
  };
}

/**
 * The station's day across clerks (全所收费日报), for the station head: each clerk who took or
 * reversed money that business day, with their totals by channel and their closing (if filed),
 * and the station's totals. A head takes no payments, so their own day would be empty.
 */
export function stationDay(db: ReadableDB, station: StationIdentity, day: DateString, today: DateString): StationDayView {
  // Staff are a few dozen rows; each check is one seek on payments_clerk_day / payment_reversals_clerk_day
  // / day_closings, never a scan of a year's payments.
  const clerks = db.all<Clerk>(sql`
    SELECT s.id, s.staff_no AS staffNo, s.name FROM staff s
    WHERE EXISTS (SELECT 1 FROM payments p WHERE p.clerk_id = s.id AND p.business_date = ${day})
       OR EXISTS (SELECT 1 FROM payment_reversals r WHERE r.clerk_id = s.id AND r.business_date = ${day})
       OR EXISTS (SELECT 1 FROM day_closings d WHERE d.clerk_id = s.id AND d.business_date = ${day})
    ORDER BY s.staff_no`);
  const all: ClosingEntry[] = [];
  const rows = clerks.map((clerk) => {
    const { payments, reversals, entries } = dayEntries(db, clerk.id, day);
    all.push(...entries);
    const totals = closeDayTotals(entries, 0, 0);
    return {
      clerk: { id: clerk.id, staffNo: clerk.staffNo, name: clerk.name },
      paymentCount: payments.length,
      paymentsFen: totals.paymentsFen,
      reversalCount: reversals.length,
      reversalsFen: totals.reversalsFen,
      netFen: totals.netFen,
      cashTakingsFen: totals.cashTakingsFen,
      byChannel: totals.byChannel,
      firstReceiptNo: payments[0]?.receiptNo ?? null,
      lastReceiptNo: payments.at(-1)?.receiptNo ?? null,
      closing: listClosings(db, sql`d.clerk_id = ${clerk.id} AND d.business_date = ${day}`)[0] ?? null,
      reversals,
    };
  });
  const totals = closeDayTotals(all, 0, 0);
  const closings = rows.flatMap((r) => (r.closing ? [r.closing] : []));
  return {
    station: { code: station.code, name: station.name },
    today,
    businessDate: day,
    clerks: rows,
    paymentCount: rows.reduce((n, r) => n + r.paymentCount, 0),
    paymentsFen: totals.paymentsFen,
    reversalCount: rows.reduce((n, r) => n + r.reversalCount, 0),
    reversalsFen: totals.reversalsFen,
    netFen: totals.netFen,
    cashTakingsFen: totals.cashTakingsFen,
    byChannel: totals.byChannel,
    closedCount: closings.length,
    unclosedCount: rows.length - closings.length,
    differenceFen: closings.reduce((n, c) => n + c.differenceFen, 0),
    awaitingSignOff: closings.filter((c) => c.status === 'awaiting_sign_off').length,
  };
}
