// Exceptions listed for review before issue (核算审核): zero bills, bills over ×3 the customer's
// average, negative lines, estimated readings. Pure: the billing run stores what this returns.

import type { Centi, Fen } from '../money';
import { highBillFactorHundredths, type BillingPolicy } from './policy';

export const BILL_FLAG_CODES = ['zero', 'high', 'negative_line', 'estimated'] as const;
export type BillFlagCode = (typeof BILL_FLAG_CODES)[number];

export interface BillFlag {
  code: BillFlagCode;
  /** Figures for the message (fen, kWh hundredths, counts). */
  params: Record<string, number | string>;
}

export interface FlagInput {
  totalFen: Fen;
  kwh: Centi;
  lines: readonly { amountFen: Fen }[];
  /** Any reading on the bill was estimated (估抄). */
  estimated: boolean;
}

/** The customer's earlier bills in force within the policy's look-back (count and sum of totals). */
export interface BillHistory {
  count: number;
  sumFen: Fen;
}

/** The flags of one bill, in the order the review list shows them. */
export function billFlags(bill: FlagInput, history: BillHistory | null, policy: BillingPolicy): BillFlag[] {
  const flags: BillFlag[] = [];
  if (bill.totalFen === 0 || bill.kwh === 0) flags.push({ code: 'zero', params: { kwh: bill.kwh, totalFen: bill.totalFen } });
  if (history && history.count > 0 && history.sumFen > 0) {
    // total > factor × (sum / count), compared exactly: total × count × 100 > factor×100 × sum.
    const factor = highBillFactorHundredths(policy);
    if (BigInt(bill.totalFen) * BigInt(history.count) * 100n > factor * BigInt(history.sumFen)) {
      flags.push({
        code: 'high',
        params: { averageFen: Math.round(history.sumFen / history.count), factor: policy.highBillFactor, bills: history.count },
      });
    }
  }
  const negative = bill.lines.filter((l) => l.amountFen < 0);
  if (negative.length > 0 || bill.totalFen < 0) {
    flags.push({ code: 'negative_line', params: { lines: negative.length, amountFen: negative.reduce((s, l) => s + l.amountFen, 0) } });
  }
  if (bill.estimated) flags.push({ code: 'estimated', params: {} });
  return flags;
}
