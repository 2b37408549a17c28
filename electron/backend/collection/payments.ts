import { allocatePayment, changeToGive, tenderNeedsConfirmation, totalDue } from '../../../shared/collection';
import type { CounterChannel, PaymentPosted, PaymentRow } from '../../../shared/contract/collection';
import { fenToYuan, formatYuan, type Fen } from '../../../shared/money';
import { shanghaiDate } from '../../../shared/time';
import type { Unit } from '../audit/record';
import { nextNumber } from '../counters';
import { uuidv7 } from '../db/ids';
import { sql, type SqlFragment } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { refuse } from '../errors';
import { loadAccount } from './account';
import { currentBusinessDate } from './days';
import { counterPolicyOn, penaltyPolicyOn } from './policy';
import { writeSettlementLines } from './settlementLines';

// Posting a payment at the counter (收费): one transaction that settles penalties and bills
// oldest first (shared/collection/allocation.ts), sends the rest to prepaid balance, takes the
// next receipt number, posts the ledger, and records audit and outbox. Acknowledged only when
// `backend.write` returns, i.e. after the commit (synchronous=FULL).

export interface PaymentInput {
  customerId: string;
  amountFen: Fen;
  channel: CounterChannel;
  tenderedFen?: Fen | undefined;
  /** The clerk confirmed cash beyond the counter policy's margin (收到现金远超应收). */
  confirmedLargeTender?: boolean | undefined;
  reference?: string | undefined;
  idempotencyKey: string;
}

/**
 * A payment dated before today (补录: money received on an earlier day, e.g. a transfer seen on
 * the bank statement): penalties run to that day only. Only with the station head's approval,
 * named in the audit; the money still goes into today's drawer (the business day).
 */
export interface Backdating {
  payDate: string;
  approvedBy: Clerk;
}

/** The clerk whose drawer takes the money. */
export interface Clerk {
  id: string;
  staffNo: string;
  name: string;
}

/** 收据号: station code, R, the station's receipt counter in 8 digits — GD01-R-00000123. */
export function formatReceiptNo(stationCode: string, seq: number): string {
  return `${stationCode}-R-${String(seq).padStart(8, '0')}`;
}

interface PaymentDbRow {
  id: string;
  receipt_no: string;
  customer_id: string;
  account_no: string;
  customer_name: string;
  amount_fen: number;
  channel: CounterChannel;
  tendered_fen: number;
  change_fen: number;
  pay_date: string;
  business_date: string;
  balance_before_fen: number;
  balance_after_fen: number;
  posted_at: number;
  prepaid_used_fen: number;
  to_prepaid_fen: number;
}

interface LineDbRow {
  bill_no: string;
  period: string;
  penalty_fen: number;
  principal_fen: number;
  days_late: number;
}

/** A posted payment as the counter and the receipt show it. */
export function loadPayment(db: ReadableDB, where: SqlFragment): Omit<PaymentPosted, 'duplicate'> | undefined {
  const row = db.get<PaymentDbRow>(sql`
    SELECT p.id, p.receipt_no, p.customer_id, c.account_no, c.name AS customer_name, p.amount_fen, p.channel,
           p.tendered_fen, p.change_fen, p.pay_date, p.business_date, p.balance_before_fen, p.balance_after_fen,
           p.posted_at, s.prepaid_used_fen, s.to_prepaid_fen
    FROM payments p JOIN customers c ON c.id = p.customer_id JOIN settlements s ON s.payment_id = p.id
    WHERE ${where}`);
  if (!row) return undefined;
  const lines = db.all<LineDbRow>(sql`
    SELECT b.bill_no, l.period, l.penalty_fen, l.principal_fen, l.days_late
    FROM settlements s JOIN settlement_lines l ON l.settlement_id = s.id JOIN bills b ON b.id = l.bill_id
    WHERE s.payment_id = ${row.id} ORDER BY l.line_no`);
  return {
    paymentId: row.id,
    receiptNo: row.receipt_no,
    customerId: row.customer_id,
    accountNo: row.account_no,
    customerName: row.customer_name,
    amountFen: row.amount_fen,
    channel: row.channel,
    tenderedFen: row.tendered_fen,
    changeFen: row.change_fen,
    lines: lines.map((l) => ({ billNo: l.bill_no, period: l.period, penaltyFen: l.penalty_fen, principalFen: l.principal_fen, daysLate: l.days_late })),
    prepaidUsedFen: row.prepaid_used_fen,
    toPrepaidFen: row.to_prepaid_fen,
    balanceBeforeFen: row.balance_before_fen,
    balanceAfterFen: row.balance_after_fen,
    payDate: row.pay_date,
    businessDate: row.business_date,
    postedAt: row.posted_at,
  };
}

/** Posts one payment; the same idempotency key again returns the first payment unchanged. */
export function postPayment(unit: Unit, stationCode: string, input: PaymentInput, clerk: Clerk, backdating?: Backdating): PaymentPosted {
  const earlier = unit.get<{ id: string; customer_id: string; amount_fen: number; channel: string; account_no: string }>(sql`
    SELECT p.id, p.customer_id, p.amount_fen, p.channel, c.account_no
    FROM payments p JOIN customers c ON c.id = p.customer_id WHERE p.idempotency_key = ${input.idempotencyKey}`);
  if (earlier) {
    if (earlier.customer_id !== input.customerId || earlier.amount_fen !== input.amountFen || earlier.channel !== input.channel) {
      throw refuse('collection.keyReused', { key: input.idempotencyKey, accountNo: earlier.account_no, amount: formatYuan(earlier.amount_fen) }, 'conflict');
    }
    const posted = loadPayment(unit, sql`p.id = ${earlier.id}`);
    if (!posted) throw new Error(`payment ${earlier.id} vanished`);
    return { ...posted, duplicate: true };
  }

  const customer = unit.get<{ id: string; account_no: string; name: string }>(sql`SELECT id, account_no, name FROM customers WHERE id = ${input.customerId}`);
  if (!customer) throw refuse('collection.customerNotFound', { what: input.customerId }, 'not_found');

  const amount = input.amountFen;
  let tendered = amount;
  if (input.channel === 'cash') {
    tendered = input.tenderedFen ?? amount;
    if (tendered < amount) throw refuse('collection.tenderedShort', { tendered: formatYuan(tendered), amount: formatYuan(amount) });
    // Far more cash than the amount is most often a mistyped figure: it must be confirmed.
    const counterPolicy = counterPolicyOn(unit, shanghaiDate(unit.at));
    if (input.confirmedLargeTender !== true && tenderNeedsConfirmation(tendered, amount, counterPolicy)) {
      throw refuse('collection.tenderedLarge', {
        tendered: formatYuan(tendered),
        amount: formatYuan(amount),
        change: formatYuan(tendered - amount),
        limit: formatYuan(counterPolicy.largeTenderOverFen),
      });
    }
  } else if (input.tenderedFen !== undefined && input.tenderedFen !== amount) {
    throw refuse('collection.tenderedCashOnly');
  }
  const change = changeToGive(tendered, amount);

  const today = shanghaiDate(unit.at);
  const payDate = backdating?.payDate ?? today;
  const businessDate = currentBusinessDate(unit, clerk.id, today);
  const policy = penaltyPolicyOn(unit, payDate);
  const account = loadAccount(unit, customer.id, payDate, policy);
  // Prepaid balance joins the money on the counter, so arrears are settled with it first.
  const allocation = allocatePayment(amount + account.prepaidFen, account.openBills, payDate, policy);
  const prepaidUsed = Math.max(0, account.prepaidFen - allocation.prepaidFen);
  const toPrepaid = Math.max(0, allocation.prepaidFen - account.prepaidFen);

  const seq = nextNumber(unit, 'receipt');
  const receiptNo = formatReceiptNo(stationCode, seq);
  const paymentId = uuidv7(unit.at);
  const settlementId = uuidv7(unit.at);
  const stationId = unit.stationId();
  // The receipt's balances (新余额) are what the customer owes, as the balance screen and
  // `griddesk balance` show it: arrears with penalties accrued to the pay date, less prepaid
  // (negative: prepaid held). Not the ledger balance, which leaves out penalties until they are
  // settled: a receipt once said 221.14 where `balance` said 227.02 (issue 15). A payment lowers
  // what is owed by exactly its amount (a penalty it settles moves from accrued to the ledger).
  const due = totalDue(account.openBills, payDate, policy, account.prepaidFen);
  const balanceBefore = due.totalDueFen - due.prepaidLeftFen;
  const balanceAfter = balanceBefore - amount;
  const reference = input.reference ?? '';

  unit.run(sql`
    INSERT INTO payments (id, station_id, receipt_no, receipt_seq, idempotency_key, customer_id, amount_fen, channel, tendered_fen,
                          change_fen, reference, pay_date, business_date, clerk_id, balance_before_fen, balance_after_fen, posted_at)
    VALUES (${paymentId}, ${stationId}, ${receiptNo}, ${seq}, ${input.idempotencyKey}, ${customer.id}, ${amount}, ${input.channel},
            ${tendered}, ${change}, ${reference}, ${payDate}, ${businessDate}, ${clerk.id}, ${balanceBefore}, ${balanceAfter}, ${unit.at})`);
  unit.run(sql`
    INSERT INTO settlements (id, station_id, customer_id, kind, payment_id, settle_date, prepaid_used_fen, to_prepaid_fen, at, by_staff)
    VALUES (${settlementId}, ${stationId}, ${customer.id}, 'payment', ${paymentId}, ${payDate}, ${prepaidUsed}, ${toPrepaid}, ${unit.at}, ${clerk.id})`);
  const ledger: Record<string, unknown>[] = [];
  const post = (entryType: string, amountFen: Fen, billId: string | null, period: string | null) => {
    const entry = { id: uuidv7(unit.at), entryType, amountFen, billId, refId: paymentId, period, memo: receiptNo };
    unit.run(sql`
      INSERT INTO ledger_entries (id, station_id, customer_id, entry_type, amount_fen, bill_id, ref_id, period, at, by_staff, memo)
      VALUES (${entry.id}, ${stationId}, ${customer.id}, ${entryType}, ${amountFen}, ${billId}, ${paymentId}, ${period}, ${unit.at}, ${clerk.id}, ${receiptNo})`);
    ledger.push(entry);
  };
  post('payment', -amount, null, null);
  const lines = writeSettlementLines(unit, settlementId, allocation, account.openBills, payDate, policy);
  for (const line of lines) if (line.penaltyFen > 0) post('penalty', line.penaltyFen, line.billId, line.period);

  unit.record({
    action: 'payment.post',
    entity: 'payment',
    entityId: paymentId,
    op: 'insert',
    summary: {
      receiptNo,
      accountNo: customer.account_no,
      amount: fenToYuan(amount),
      channel: input.channel,
      penalty: fenToYuan(allocation.penaltyFen),
      ...(backdating ? { backdatedTo: payDate, approvedBy: `${backdating.approvedBy.staffNo} ${backdating.approvedBy.name}` } : {}),
    },
    payload: {
      payment: {
        id: paymentId, receiptNo, receiptSeq: seq, idempotencyKey: input.idempotencyKey, customerId: customer.id, amountFen: amount,
        channel: input.channel, tenderedFen: tendered, changeFen: change, reference, payDate, businessDate, clerkId: clerk.id,
        balanceBeforeFen: balanceBefore, balanceAfterFen: balanceAfter, postedAt: unit.at,
      },
      settlement: { id: settlementId, kind: 'payment', settleDate: payDate, prepaidUsedFen: prepaidUsed, toPrepaidFen: toPrepaid, lines },
      ledger,
    },
  });

  // What the counter shows, from what was just written (loadPayment reads the same back later).
  return {
    paymentId,
    receiptNo,
    customerId: customer.id,
    accountNo: customer.account_no,
    customerName: customer.name,
    amountFen: amount,
    channel: input.channel,
    tenderedFen: tendered,
    changeFen: change,
    lines: allocation.allocations.map((a, i) => ({ billNo: a.billNo, period: a.period, penaltyFen: a.penaltyFen, principalFen: a.principalFen, daysLate: lines[i]?.daysLate ?? 0 })),
    prepaidUsedFen: prepaidUsed,
    toPrepaidFen: toPrepaid,
    balanceBeforeFen: balanceBefore,
    balanceAfterFen: balanceAfter,
    payDate,
    businessDate,
    postedAt: unit.at,
    duplicate: false,
  };
}

interface PaymentListDbRow {
  id: string;
  receipt_no: string;
  posted_at: number;
  pay_date: string;
  business_date: string;
  customer_id: string;
  account_no: string;
  customer_name: string;
  amount_fen: number;
  channel: CounterChannel;
  clerk_id: string;
  clerk_no: string;
  clerk_name: string;
  reversed: number;
  pending: number;
}

/** Payment rows for lists (a customer's payments, a clerk's day), newest last unless asked. */
export function listPayments(db: ReadableDB, where: SqlFragment, order: SqlFragment = sql`p.receipt_seq`, limit = 10_000): PaymentRow[] {
  return db
    .all<PaymentListDbRow>(sql`
      SELECT p.id, p.receipt_no, p.posted_at, p.pay_date, p.business_date, p.customer_id, c.account_no, c.name AS customer_name,
             p.amount_fen, p.channel, p.clerk_id, st.staff_no AS clerk_no, st.name AS clerk_name,
             EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id) AS reversed,
             EXISTS (SELECT 1 FROM reversal_requests q WHERE q.payment_id = p.id
                     AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.request_id = q.id)
                     AND NOT EXISTS (SELECT 1 FROM reversal_rejections j WHERE j.request_id = q.id)) AS pending
      FROM payments p JOIN customers c ON c.id = p.customer_id JOIN staff st ON st.id = p.clerk_id
      WHERE ${where}
      ORDER BY ${order}
      LIMIT ${limit}`)
    .map((r) => ({
      paymentId: r.id,
      receiptNo: r.receipt_no,
      postedAt: r.posted_at,
      payDate: r.pay_date,
      businessDate: r.business_date,
      customerId: r.customer_id,
      accountNo: r.account_no,
      customerName: r.customer_name,
      amountFen: r.amount_fen,
      channel: r.channel,
      clerk: { id: r.clerk_id, staffNo: r.clerk_no, name: r.clerk_name },
      status: r.reversed ? 'reversed' : r.pending ? 'reversal_pending' : 'posted',
    }));
}

export function requirePaymentByReceipt(db: ReadableDB, receiptNo: string): { id: string; customer_id: string; clerk_id: string; amount_fen: number; channel: CounterChannel; business_date: string } {
  const row = db.get<{ id: string; customer_id: string; clerk_id: string; amount_fen: number; channel: CounterChannel; business_date: string }>(sql`
    SELECT id, customer_id, clerk_id, amount_fen, channel, business_date FROM payments WHERE receipt_no = ${receiptNo.toUpperCase()}`);
  if (!row) throw refuse('collection.receiptNotFound', { receiptNo }, 'not_found');
  return row;
}
