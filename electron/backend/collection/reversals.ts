import type { ReversalRow } from '../../../shared/contract/collection';
import { fenToYuan, formatYuan } from '../../../shared/money';
import { shanghaiDate } from '../../../shared/time';
import type { Unit } from '../audit/record';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { refuse } from '../errors';
import { loadAccount } from './account';
import { assertNotSelf } from './approver';
import { currentBusinessDate } from './days';
import { requirePaymentByReceipt, type Clerk } from './payments';
import { penaltyPolicyOn } from './policy';

// Reversal (冲正) of a posted payment. The payment is never edited or deleted: a request names
// it and the reason; the station head's approval adds the reversal, which posts the opposite
// ledger entries (the payment back, the penalties it settled taken off) and so reopens what the
// payment had settled. The reversal lands in the asking clerk's open day (their drawer pays the
// money back), or the paying clerk's when the request came from the CLI operator.

interface RequestDbRow {
  id: string;
  payment_id: string;
  requested_by: string | null;
  approved: number;
  rejected: number;
}

function pendingRequest(db: ReadableDB, paymentId: string): string | undefined {
  return db.value<string>(sql`
    SELECT q.id FROM reversal_requests q WHERE q.payment_id = ${paymentId}
      AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.request_id = q.id)
      AND NOT EXISTS (SELECT 1 FROM reversal_rejections j WHERE j.request_id = q.id)`);
}

/** A clerk asks for the reversal of a receipt. Returns the request id. */
export function requestReversal(unit: Unit, receiptNo: string, reason: string, requester: Clerk | null): string {
  const payment = requirePaymentByReceipt(unit, receiptNo);
  if (unit.value(sql`SELECT 1 FROM payment_reversals WHERE payment_id = ${payment.id}`)) {
    throw refuse('collection.alreadyReversed', { receiptNo }, 'conflict');
  }
  if (pendingRequest(unit, payment.id)) throw refuse('collection.reversalPending', { receiptNo }, 'conflict');
  const id = uuidv7(unit.at);
  unit.run(sql`
    INSERT INTO reversal_requests (id, station_id, payment_id, reason, requested_by, requested_by_label, requested_at)
    VALUES (${id}, ${unit.stationId()}, ${payment.id}, ${reason}, ${requester?.id ?? null}, ${unit.actor.label}, ${unit.at})`);
  unit.record({
    action: 'payment.requestReversal',
    entity: 'reversal_request',
    entityId: id,
    op: 'insert',
    summary: { receiptNo: receiptNo.toUpperCase(), amount: fenToYuan(payment.amount_fen), reason },
    payload: { id, paymentId: payment.id, reason, requestedBy: requester?.id ?? null, requestedAt: unit.at },
  });
  return id;
}

function requireRequest(unit: Unit, requestId: string): RequestDbRow {
  const request = unit.get<RequestDbRow>(sql`
    SELECT q.id, q.payment_id, q.requested_by,
           EXISTS (SELECT 1 FROM payment_reversals r WHERE r.request_id = q.id) AS approved,
           EXISTS (SELECT 1 FROM reversal_rejections j WHERE j.request_id = q.id) AS rejected
    FROM reversal_requests q WHERE q.id = ${requestId}`);
  if (!request) throw refuse('collection.requestNotFound', {}, 'not_found');
  if (request.approved || request.rejected) throw refuse('collection.requestDecided', {}, 'conflict');
  return request;
}

/** The station head approves: the reversal is posted. */
export function approveReversal(unit: Unit, requestId: string, approver: Clerk, note = ''): void {
  const request = requireRequest(unit, requestId);
  assertNotSelf(approver, request.requested_by);
  const payment = unit.get<{ id: string; receipt_no: string; customer_id: string; clerk_id: string; amount_fen: number; channel: string }>(sql`
    SELECT id, receipt_no, customer_id, clerk_id, amount_fen, channel FROM payments WHERE id = ${request.payment_id}`);
  if (!payment) throw new Error(`reversal request ${requestId} names no payment`);
  if (unit.value(sql`SELECT 1 FROM payment_reversals WHERE payment_id = ${payment.id}`)) {
    throw refuse('collection.alreadyReversed', { receiptNo: payment.receipt_no }, 'conflict');
  }
  const today = shanghaiDate(unit.at);
  const clerkId = request.requested_by ?? payment.clerk_id;
  const businessDate = currentBusinessDate(unit, clerkId, today);
  const id = uuidv7(unit.at);
  const stationId = unit.stationId();
  unit.run(sql`
    INSERT INTO payment_reversals (id, station_id, request_id, payment_id, approved_by, approved_at, clerk_id, business_date, note)
    VALUES (${id}, ${stationId}, ${requestId}, ${payment.id}, ${approver.id}, ${unit.at}, ${clerkId}, ${businessDate}, ${note})`);

  // The opposite of what the payment posted: the money back, the penalties it settled taken off.
  const penalties = unit.all<{ bill_id: string; period: string; penalty_fen: number }>(sql`
    SELECT l.bill_id, l.period, l.penalty_fen FROM settlements s JOIN settlement_lines l ON l.settlement_id = s.id
    WHERE s.payment_id = ${payment.id} AND l.penalty_fen > 0 ORDER BY l.line_no`);
  const ledger: Record<string, unknown>[] = [];
  const post = (entryType: string, amountFen: number, billId: string | null, period: string | null) => {
    const entry = { id: uuidv7(unit.at), entryType, amountFen, billId, refId: id, period, memo: payment.receipt_no };
    unit.run(sql`
      INSERT INTO ledger_entries (id, station_id, customer_id, entry_type, amount_fen, bill_id, ref_id, period, at, by_staff, memo)
      VALUES (${entry.id}, ${stationId}, ${payment.customer_id}, ${entryType}, ${amountFen}, ${billId}, ${id}, ${period}, ${unit.at},
              ${approver.id}, ${payment.receipt_no})`);
    ledger.push(entry);
  };
  post('payment_reversal', payment.amount_fen, null, null);
  for (const p of penalties) post('penalty_reversal', -p.penalty_fen, p.bill_id, p.period);

  // Money this payment left as prepaid may already have paid later bills: taking it back would
  // leave bills settled with money that is gone.
  const account = loadAccount(unit, payment.customer_id, today, penaltyPolicyOn(unit, today));
  if (account.prepaidRawFen < 0) {
    throw refuse('collection.prepaidAlreadyUsed', { receiptNo: payment.receipt_no, amount: formatYuan(-account.prepaidRawFen) }, 'conflict');
  }

  unit.record({
    action: 'payment.reverse',
    entity: 'payment_reversal',
    entityId: id,
    op: 'insert',
    summary: { receiptNo: payment.receipt_no, amount: fenToYuan(payment.amount_fen), channel: payment.channel, businessDate },
    payload: { id, requestId, paymentId: payment.id, approvedBy: approver.id, approvedAt: unit.at, clerkId, businessDate, note, ledger },
  });
}

export function rejectReversal(unit: Unit, requestId: string, approver: Clerk, note = ''): void {
  // The clerk and the customer are told why (驳回原因): a rejection without one is refused.
  if (note.trim() === '') throw refuse('reversals.rejectNoteRequired');
  const request = requireRequest(unit, requestId);
  unit.run(sql`
    INSERT INTO reversal_rejections (request_id, rejected_by, rejected_at, note) VALUES (${requestId}, ${approver.id}, ${unit.at}, ${note})`);
  unit.record({
    action: 'payment.rejectReversal',
    entity: 'reversal_request',
    entityId: requestId,
    op: 'update',
    summary: { note },
    payload: { requestId, paymentId: request.payment_id, rejectedBy: approver.id, rejectedAt: unit.at, note },
  });
}

interface ReversalDbRow {
  id: string;
  payment_id: string;
  receipt_no: string;
  account_no: string;
  customer_name: string;
  amount_fen: number;
  channel: ReversalRow['channel'];
  posted_at: number;
  clerk_id: string;
  clerk_no: string;
  clerk_name: string;
  reason: string;
  requested_by_label: string;
  requested_at: number;
  approved_at: number | null;
  approver: string | null;
  approve_note: string | null;
  rejected_at: number | null;
  rejecter: string | null;
  reject_note: string | null;
}

/** The reversal queue: pending requests first (oldest first), or every request newest first. */
export function listReversals(db: ReadableDB, status: 'pending' | 'all', limit: number): ReversalRow[] {
  const rows = db.all<ReversalDbRow>(sql`
    SELECT q.id, q.payment_id, p.receipt_no, c.account_no, c.name AS customer_name, p.amount_fen, p.channel, p.posted_at,
           p.clerk_id, ps.staff_no AS clerk_no, ps.name AS clerk_name, q.reason, q.requested_by_label, q.requested_at,
           r.approved_at, ra.staff_no || ' ' || ra.name AS approver, r.note AS approve_note,
           j.rejected_at, ja.staff_no || ' ' || ja.name AS rejecter, j.note AS reject_note
    FROM reversal_requests q
    JOIN payments p ON p.id = q.payment_id
    JOIN customers c ON c.id = p.customer_id
    JOIN staff ps ON ps.id = p.clerk_id
    LEFT JOIN payment_reversals r ON r.request_id = q.id LEFT JOIN staff ra ON ra.id = r.approved_by
    LEFT JOIN reversal_rejections j ON j.request_id = q.id LEFT JOIN staff ja ON ja.id = j.rejected_by
    ${status === 'pending' ? sql`WHERE r.id IS NULL AND j.request_id IS NULL ORDER BY q.requested_at` : sql`ORDER BY q.requested_at DESC`}
    LIMIT ${limit}`);
  return rows.map((r) => ({
    requestId: r.id,
    paymentId: r.payment_id,
    receiptNo: r.receipt_no,
    accountNo: r.account_no,
    customerName: r.customer_name,
    amountFen: r.amount_fen,
    channel: r.channel,
    postedAt: r.posted_at,
    paymentClerk: { id: r.clerk_id, staffNo: r.clerk_no, name: r.clerk_name },
    reason: r.reason,
    requestedBy: r.requested_by_label,
    requestedAt: r.requested_at,
    status: r.approved_at !== null ? 'approved' : r.rejected_at !== null ? 'rejected' : 'pending',
    decidedBy: r.approver ?? r.rejecter,
    decidedAt: r.approved_at ?? r.rejected_at,
    note: r.approve_note ?? r.reject_note ?? '',
  }));
}
