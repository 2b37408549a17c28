// The counter screen (柜台收费): what the customer owes today, and the change for cash.

import { formatYuan, sumFen, type Fen } from '../money';
import type { DateString } from '../time';
import { billsDue, type BillDue, type OpenBill } from './allocation';
import { requireFen } from './guards';
import { DEFAULT_PENALTY_POLICY, type PenaltyPolicy } from './penalty';
import { CollectionError, field } from './types';

/**
 * How a payment was made: cash (现金), bank card (银行卡), QR-code payment (扫码: WeChat /
 * Alipay), bank transfer (转账), deduction from prepaid balance (预存扣款).
 */
export const PAYMENT_CHANNELS = ['cash', 'card', 'qr', 'transfer', 'prepaid'] as const;
export type PaymentChannel = (typeof PAYMENT_CHANNELS)[number];

export function isPaymentChannel(value: string): value is PaymentChannel {
  return (PAYMENT_CHANNELS as readonly string[]).includes(value);
}

/**
 * Change for a cash payment (找零): tendered − amount posted. The amount posted may be less than
 * the total due (a partial payment) or more (the rest goes to prepaid balance); either way the
 * cash handed over must cover it.
 */
export function changeToGive(tenderedFen: Fen, dueFen: Fen): Fen {
  requireFen(tenderedFen, field('cashTendered'));
  requireFen(dueFen, field('amountPosted'));
  if (tenderedFen < dueFen) {
    throw new CollectionError('tendered_short', 'tenderedShort', { tendered: formatYuan(tenderedFen), amount: formatYuan(dueFen) });
  }
  return tenderedFen - dueFen;
}

/** The balance summary on the counter screen for one customer on one day. */
export interface CounterBalance {
  payDate: DateString;
  /** Every open bill, oldest first, with its penalty as of `payDate`. */
  bills: BillDue[];
  principalFen: Fen;
  penaltyFen: Fen;
  /** principal + penalty (欠费合计) */
  arrearsFen: Fen;
  /** Prepaid balance held (预存余额). */
  prepaidFen: Fen;
  /** Part of the prepaid balance that would go against the arrears. */
  prepaidOffsetFen: Fen;
  /** To pay today (应缴): arrears − prepaid offset. */
  totalDueFen: Fen;
  /** Prepaid balance left once the arrears are settled. */
  prepaidLeftFen: Fen;
}

/**
 * What the customer owes if paying on `payDate`: each open bill's principal and penalty, the
 * prepaid balance set against them, and the total to collect.
 */
export function totalDue(
  openBills: readonly OpenBill[],
  payDate: DateString,
  policy: PenaltyPolicy = DEFAULT_PENALTY_POLICY,
  prepaidFen: Fen = 0,
): CounterBalance {
  requireFen(prepaidFen, field('prepaidBalance'));
  const bills = billsDue(openBills, payDate, policy);
  const principalFen = sumFen(bills.map((b) => b.principalFen));
  const penaltyFen = sumFen(bills.map((b) => b.penaltyFen));
  const arrearsFen = principalFen + penaltyFen;
  const prepaidOffsetFen = Math.min(prepaidFen, arrearsFen);
  return {
    payDate,
    bills,
    principalFen,
    penaltyFen,
    arrearsFen,
    prepaidFen,
    prepaidOffsetFen,
    totalDueFen: arrearsFen - prepaidOffsetFen,
    prepaidLeftFen: prepaidFen - prepaidOffsetFen,
  };
}
