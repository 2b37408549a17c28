// How a payment is applied to a customer's open bills (销账), and what is left over.
//
// Rule: bills are settled oldest first — ordered by due date, then period, then bill number
// (bill numbers are issued from one counter per station, so their text order is issue order),
// then bill id so the order never depends on input order. Within a bill the penalty is settled
// before the principal (先违约金、后本金), then the next bill. Whatever is left after every open
// bill is paid becomes prepaid balance (转预收电费). Exact integer fen throughout.

import type { Fen } from '../money';
import { dayNumber, type DateString, type Period } from '../time';
import { requireDate, requireFen } from './guards';
import { field } from './types';
import { DEFAULT_PENALTY_POLICY, penaltyForBill, type PenaltyBill, type PenaltyPolicy, type PenaltyResult } from './penalty';

/** An open bill at the counter: the penalty facts plus the number printed on it. */
export interface OpenBill extends PenaltyBill {
  /** Bill number (电费单号) as printed. */
  billNo: string;
}

/** What one open bill asks for on the payment date. */
export interface BillDue {
  billId: string;
  billNo: string;
  period: Period;
  dueDate: DateString;
  principalFen: Fen;
  penaltyFen: Fen;
  /** principal + penalty */
  totalFen: Fen;
  penalty: PenaltyResult;
}

/** The part of one payment that went to one bill. */
export interface BillAllocation {
  billId: string;
  billNo: string;
  period: Period;
  penaltyFen: Fen;
  principalFen: Fen;
}

/** One open bill after the payment: what is still unpaid, and the penalty facts to store. */
export interface BillAfterPayment {
  billId: string;
  billNo: string;
  period: Period;
  /** Principal still unpaid. */
  principalFen: Fen;
  /** Penalty still unpaid as of the payment date. */
  penaltyFen: Fen;
  /** Nothing left on this bill: principal and penalty both settled (结清). */
  settled: boolean;
  /** New `penaltyAccruedTo` for the bill. */
  penaltyAccruedTo: DateString;
  /** New `penaltyAccruedFen` for the bill. */
  penaltyAccruedFen: Fen;
  /** New `penaltyPaidFen` for the bill (all payments together). */
  penaltyPaidFen: Fen;
}

export interface PaymentAllocation {
  payDate: DateString;
  amountFen: Fen;
  /** Bills this payment touched, oldest first. */
  allocations: BillAllocation[];
  /** Total of this payment that went to penalties. */
  penaltyFen: Fen;
  /** Total of this payment that went to principal. */
  principalFen: Fen;
  /** Left over after every open bill: becomes prepaid balance (预收电费). */
  prepaidFen: Fen;
  /** Every open bill after the payment, oldest first (settled ones included, flagged). */
  remaining: BillAfterPayment[];
}

/** Oldest first: due date, period, bill number, bill id. */
export function compareOldestFirst(
  a: Pick<OpenBill, 'dueDate' | 'period' | 'billNo' | 'billId'>,
  b: Pick<OpenBill, 'dueDate' | 'period' | 'billNo' | 'billId'>,
): number {
  return (
    dayNumber(a.dueDate) - dayNumber(b.dueDate) ||
    textOrder(a.period, b.period) ||
    textOrder(a.billNo, b.billNo) ||
    textOrder(a.billId, b.billId)
  );
}

function textOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What each open bill asks for if paid on `payDate`, oldest first. */
export function billsDue(openBills: readonly OpenBill[], payDate: DateString, policy: PenaltyPolicy = DEFAULT_PENALTY_POLICY): BillDue[] {
  requireDate(payDate, field('payDate'));
  for (const bill of openBills) requireDate(bill.dueDate, field('dueDate'));
  return [...openBills].sort(compareOldestFirst).map((bill) => {
    const penalty = penaltyForBill(bill, payDate, policy);
    return {
      billId: bill.billId,
      billNo: bill.billNo,
      period: bill.period,
      dueDate: bill.dueDate,
      principalFen: bill.principalFen,
      penaltyFen: penalty.dueFen,
      totalFen: bill.principalFen + penalty.dueFen,
      penalty,
    };
  });
}

/**
 * Applies a payment of `amountFen` received on `payDate` to the customer's open bills, oldest
 * first, each bill's penalty before its principal; the rest becomes prepaid balance.
 */
export function allocatePayment(
  amountFen: Fen,
  openBills: readonly OpenBill[],
  payDate: DateString,
  policy: PenaltyPolicy = DEFAULT_PENALTY_POLICY,
): PaymentAllocation {
  requireFen(amountFen, field('paymentAmount'));
  let left = amountFen;
  const allocations: BillAllocation[] = [];
  const remaining: BillAfterPayment[] = [];
  let penaltyTotal = 0;
  let principalTotal = 0;

  for (const due of billsDue(openBills, payDate, policy)) {
    const toPenalty = Math.min(left, due.penaltyFen);
    left -= toPenalty;
    const toPrincipal = Math.min(left, due.principalFen);
    left -= toPrincipal;
    penaltyTotal += toPenalty;
    principalTotal += toPrincipal;
    if (toPenalty + toPrincipal > 0) {
      allocations.push({ billId: due.billId, billNo: due.billNo, period: due.period, penaltyFen: toPenalty, principalFen: toPrincipal });
    }
    const principalLeft = due.principalFen - toPrincipal;
    const penaltyLeft = due.penaltyFen - toPenalty;
    remaining.push({
      billId: due.billId,
      billNo: due.billNo,
      period: due.period,
      principalFen: principalLeft,
      penaltyFen: penaltyLeft,
      settled: principalLeft === 0 && penaltyLeft === 0,
      penaltyAccruedTo: due.penalty.accruedTo,
      penaltyAccruedFen: due.penalty.accruedFen,
      penaltyPaidFen: due.penalty.paidFen + toPenalty,
    });
  }

  return {
    payDate,
    amountFen,
    allocations,
    penaltyFen: penaltyTotal,
    principalFen: principalTotal,
    prepaidFen: left,
    remaining,
  };
}

/**
 * A new bill is issued to a customer holding prepaid balance: the balance pays as much of it as
 * it can (预收转实收). Returns the amount drawn; the balance left is prepaid − drawn and the bill
 * still owes bill − drawn.
 */
export function drawPrepaid(prepaidFen: Fen, newBillFen: Fen): Fen {
  requireFen(prepaidFen, field('prepaidBalance'));
  requireFen(newBillFen, field('billAmount'));
  return Math.min(prepaidFen, newBillFen);
}
