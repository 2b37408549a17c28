// Late-payment penalty (电费违约金), 供电营业规则 (1996) art. 98.
//
// - Accrues daily from the day after the due date to the payment date, both inclusive, so the
//   days late are daysBetween(dueDate, payDate) when positive; paying on the due date costs
//   nothing. A supply contract may set another start date (`penaltyFrom`), and head office may
//   give days of grace (`graceDays`).
// - Accrues on the unpaid principal only (欠费本金), never on penalties.
// - Residents (居民) 1‰ a day. Others 2‰ a day on current-year arrears (当年欠费) and 3‰ a day on
//   prior-year arrears (跨年度欠费). A bill's arrears belong to the year of its period: a
//   2025-12 bill is prior-year arrears from 2026-01-01 on. By default each day takes the rate of
//   its own calendar year ("按日累加": a 2025 bill paid late in 2026 pays 2‰ for its late days in
//   2025 and 3‰ for those in 2026); `priorYearRule: 'by_payment_date'` instead charges every late
//   day at 3‰ when the payment falls in a later year than the period.
// - A bill whose penalty totals less than 1 yuan is charged 1 yuan (不足1元按1元收取). The minimum
//   is per bill, over the bill's whole life (partial payments do not charge it twice), and only
//   when the bill was actually late with something unpaid: zero days late is zero, never 1 yuan.
// - Rounded half up to the fen once per computation (principal × Σ rate·days, then round).
//
// Partial payments: the back end keeps, per bill, the date through which the penalty has been
// accrued (`penaltyAccruedTo`, normally the last payment date) and the amount accrued through it
// (`penaltyAccruedFen`, before the minimum), plus the penalty paid and waived so far. The
// principal only changes at a payment, so the penalty since `penaltyAccruedTo` is exactly the
// current unpaid principal × rate × days since then. The penalty due now is
//   max(accrued through payDate, minimum if late) − paid − waived.
// Storing the result's `accruedTo`/`accruedFen` after every payment keeps this exact; a bill
// that never had a payment just leaves them out and accrues from its start date.
//
// Rates, grace, the minimum and the year rule are policy (head office reference data): the
// 2024 revision of the rules may change them.

import { z } from 'zod';
import { divRoundHalfUp, type Fen } from '../money';
import { addDays, dayNumber, daysBetween, periodYear, type DateString, type Period } from '../time';
import { requireCount, requireDate, requireFen, requirePeriod } from './guards';
import { CollectionError, field, isResidential, type CustomerClass } from './types';

/** Rates are in basis points a day (万分之, 1/10,000): 1‰ = 10. Never a float. */
export const BASIS_POINTS = 10_000;

export const PRIOR_YEAR_RULES = ['by_day', 'by_payment_date'] as const;
export type PriorYearRule = (typeof PRIOR_YEAR_RULES)[number];

const count = z.number().int().min(0);

/** The penalty policy as head office sends it (validated on import). */
export const penaltyPolicySchema = z.object({
  /** 居民 per day, basis points: 10 = 1‰. */
  residentialDailyBp: count,
  /** Non-residential, current-year arrears (当年欠费), basis points a day: 20 = 2‰. */
  currentYearDailyBp: count,
  /** Non-residential, prior-year arrears (跨年度欠费), basis points a day: 30 = 3‰. */
  priorYearDailyBp: count,
  /** A late bill's penalty is at least this much (不足1元按1元): 100 fen. 0 turns it off. */
  minimumFen: count,
  /** Days after the due date before the penalty starts (0: the day after the due date). */
  graceDays: count,
  /** How a late day is judged current-year or prior-year for non-residential customers. */
  priorYearRule: z.enum(PRIOR_YEAR_RULES),
});
export type PenaltyPolicy = z.infer<typeof penaltyPolicySchema>;

export const DEFAULT_PENALTY_POLICY: Readonly<PenaltyPolicy> = Object.freeze({
  residentialDailyBp: 10,
  currentYearDailyBp: 20,
  priorYearDailyBp: 30,
  minimumFen: 100,
  graceDays: 0,
  priorYearRule: 'by_day',
});

/** One unpaid (or partly paid) bill, as the penalty needs it. */
export interface PenaltyBill {
  billId: string;
  /** Billing period 'YYYY-MM'; its year decides current-year vs prior-year arrears. */
  period: Period;
  customerClass: CustomerClass;
  /** Last day to pay without penalty (缴费截止日). */
  dueDate: DateString;
  /** Principal still unpaid (欠费本金), fen, excluding any penalty. */
  principalFen: Fen;
  /** First day that accrues, when the supply contract sets one (合同约定起算日). */
  penaltyFrom?: DateString;
  /** Penalty accrued through this date already (normally the last payment date). */
  penaltyAccruedTo?: DateString;
  /** Penalty accrued through `penaltyAccruedTo`, before the minimum. Given with it. */
  penaltyAccruedFen?: Fen;
  /** Penalty already paid on this bill, all payments together. */
  penaltyPaidFen?: Fen;
  /** Penalty waived so far by the station head (所长批准减免). */
  penaltyWaivedFen?: Fen;
  /** The station head waived the whole penalty: nothing more is due, whatever accrues. */
  penaltyWaived?: boolean;
}

/** Days accrued at one rate in this computation, for the receipt and the clerk's explanation. */
export interface PenaltySpan {
  from: DateString;
  to: DateString;
  days: number;
  dailyBp: number;
}

export interface PenaltyResult {
  billId: string;
  /** First day that accrues (起算日). */
  startDate: DateString;
  /** Days late at the payment date, counting from the start date (0 when on time). */
  daysLate: number;
  /** What accrued since `penaltyAccruedTo` (or the start), by rate. Empty when nothing new. */
  spans: PenaltySpan[];
  /** Accrued in this computation: principal × Σ rate·days, rounded half up once. */
  newAccruedFen: Fen;
  /** Store as the bill's `penaltyAccruedTo` after a payment. */
  accruedTo: DateString;
  /** Store as the bill's `penaltyAccruedFen` after a payment: everything accrued, before the minimum. */
  accruedFen: Fen;
  /** The 1-yuan minimum raised the charge. */
  minimumApplied: boolean;
  /** The bill's whole penalty so far: accrued, or the minimum when that is more. */
  chargedFen: Fen;
  paidFen: Fen;
  /** Waived, counting a whole-penalty waiver as what was left to pay. */
  waivedFen: Fen;
  /** Penalty to collect now. */
  dueFen: Fen;
}

export function validatePenaltyPolicy(policy: PenaltyPolicy): PenaltyPolicy {
  requireCount(policy.residentialDailyBp, field('residentialDailyBp'));
  requireCount(policy.currentYearDailyBp, field('currentYearDailyBp'));
  requireCount(policy.priorYearDailyBp, field('priorYearDailyBp'));
  requireCount(policy.minimumFen, field('minimumFen'));
  requireCount(policy.graceDays, field('graceDays'));
  if (!PRIOR_YEAR_RULES.includes(policy.priorYearRule)) {
    throw new CollectionError('bad_policy', 'badPriorYearRule', { value: String(policy.priorYearRule) });
  }
  return policy;
}

/** The first day on which the bill accrues a penalty. */
export function penaltyStartDate(bill: Pick<PenaltyBill, 'dueDate' | 'penaltyFrom'>, policy: PenaltyPolicy = DEFAULT_PENALTY_POLICY): DateString {
  if (bill.penaltyFrom !== undefined) return requireDate(bill.penaltyFrom, field('penaltyFrom'));
  return addDays(requireDate(bill.dueDate, field('dueDate')), policy.graceDays + 1);
}

/** Days late on `payDate` (0 on or before the due date / last day of grace). */
export function daysLate(bill: Pick<PenaltyBill, 'dueDate' | 'penaltyFrom'>, payDate: DateString, policy: PenaltyPolicy = DEFAULT_PENALTY_POLICY): number {
  requireDate(payDate, field('payDate'));
  return Math.max(0, daysBetween(penaltyStartDate(bill, policy), payDate) + 1);
}

function later(a: DateString, b: DateString): DateString {
  return dayNumber(a) >= dayNumber(b) ? a : b;
}
function earlier(a: DateString, b: DateString): DateString {
  return dayNumber(a) <= dayNumber(b) ? a : b;
}

/** Splits the days from..payDate (inclusive) by the daily rate that applies to each. */
function accrualSpans(bill: PenaltyBill, from: DateString, payDate: DateString, policy: PenaltyPolicy): PenaltySpan[] {
  const span = (a: DateString, b: DateString, dailyBp: number): PenaltySpan[] => {
    const days = daysBetween(a, b) + 1;
    return days > 0 ? [{ from: a, to: b, days, dailyBp }] : [];
  };
  if (isResidential(bill.customerClass)) return span(from, payDate, policy.residentialDailyBp);
  const billYear = periodYear(bill.period);
  if (policy.priorYearRule === 'by_payment_date') {
    const rate = periodYear(payDate) > billYear ? policy.priorYearDailyBp : policy.currentYearDailyBp;
    return span(from, payDate, rate);
  }
  // By day: days up to 31 December of the bill's year are current-year, later days prior-year.
  const newYear = `${String(billYear + 1).padStart(4, '0')}-01-01`;
  return [
    ...span(from, earlier(payDate, addDays(newYear, -1)), policy.currentYearDailyBp),
    ...span(later(from, newYear), payDate, policy.priorYearDailyBp),
  ];
}

/**
 * The penalty on one bill if it is paid on `payDate`: what has accrued, what the minimum makes
 * of it, and what is left to collect after earlier payments and waivers.
 */
export function penaltyForBill(bill: PenaltyBill, payDate: DateString, policy: PenaltyPolicy = DEFAULT_PENALTY_POLICY): PenaltyResult {
  validatePenaltyPolicy(policy);
  requirePeriod(bill.period, field('period'));
  requireDate(bill.dueDate, field('dueDate'));
  requireDate(payDate, field('payDate'));
  const principal = requireFen(bill.principalFen, field('principalFen'));
  if ((bill.penaltyAccruedTo === undefined) !== (bill.penaltyAccruedFen === undefined)) {
    throw new CollectionError('bad_bill', 'accruedPair', { bill: bill.billId });
  }
  const carried = requireFen(bill.penaltyAccruedFen ?? 0, field('penaltyAccruedFen'));
  const paid = requireFen(bill.penaltyPaidFen ?? 0, field('penaltyPaidFen'));
  const waivedBefore = requireFen(bill.penaltyWaivedFen ?? 0, field('penaltyWaivedFen'));

  const startDate = penaltyStartDate(bill, policy);
  const late = daysLate(bill, payDate, policy);

  // New accrual runs from the later of the start date and the day after the last accrual.
  const from =
    bill.penaltyAccruedTo === undefined ? startDate : later(startDate, addDays(requireDate(bill.penaltyAccruedTo, field('penaltyAccruedTo')), 1));
  const spans = principal > 0 ? accrualSpans(bill, from, payDate, policy) : [];
  const bpDays = spans.reduce((sum, s) => sum + BigInt(s.days) * BigInt(s.dailyBp), 0n);
  const newAccruedFen = Number(divRoundHalfUp(BigInt(principal) * bpDays, BigInt(BASIS_POINTS)));
  const accruedFen = carried + newAccruedFen;

  // The minimum only for a bill that was late with money owed; paid on time stays 0.
  const owedWhileLate = late > 0 && (principal > 0 || accruedFen > 0);
  const minimumApplied = owedWhileLate && accruedFen < policy.minimumFen;
  const chargedFen = minimumApplied ? policy.minimumFen : accruedFen;

  const unpaid = Math.max(0, chargedFen - paid);
  const waivedFen = bill.penaltyWaived ? unpaid : Math.min(waivedBefore, unpaid);
  return {
    billId: bill.billId,
    startDate,
    daysLate: late,
    spans,
    newAccruedFen,
    accruedTo: bill.penaltyAccruedTo === undefined ? payDate : later(bill.penaltyAccruedTo, payDate),
    accruedFen,
    minimumApplied,
    chargedFen,
    paidFen: paid,
    waivedFen,
    dueFen: unpaid - waivedFen,
  };
}
