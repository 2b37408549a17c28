// Daily closing (日结): a clerk's takings by channel, and whether the cash drawer balances.
//
// The drawer starts the day with an opening float (备用金). Cash expected in it at closing is
// float + cash payments − cash reversals (冲正 handed back); the clerk counts it, and the
// difference counted − expected is short (短款, negative) or over (长款, positive). Any difference,
// however small, needs a written reason and the station head's sign-off (所长签字) before the
// closing is filed: a drawer must balance before the deposit is made.

import { sumFen, type Fen } from '../money';
import { PAYMENT_CHANNELS, isPaymentChannel, type PaymentChannel } from './counter';
import { requireFen } from './guards';
import { CollectionError, field } from './types';

/** One posted payment or reversal of the day. Amounts are positive; `kind` gives the sign. */
export interface ClosingEntry {
  kind: 'payment' | 'reversal';
  channel: PaymentChannel;
  amountFen: Fen;
}

export interface ChannelTotals {
  channel: PaymentChannel;
  paymentCount: number;
  paymentsFen: Fen;
  reversalCount: number;
  reversalsFen: Fen;
  /** payments − reversals */
  netFen: Fen;
}

export interface DayClosing {
  /** One row per channel, in PAYMENT_CHANNELS order, channels without entries as zeros. */
  byChannel: ChannelTotals[];
  paymentsFen: Fen;
  reversalsFen: Fen;
  /** All channels, payments − reversals (实收合计). */
  netFen: Fen;
  /**
   * Net money actually received (all channels but prepaid deduction): a payment from prepaid
   * balance moves money already held, so it is reported but not banked.
   */
  receivedFen: Fen;
  openingFloatFen: Fen;
  /** Cash payments − cash reversals: what is banked (解款) once the float is kept back. */
  cashTakingsFen: Fen;
  /** float + cash payments − cash reversals */
  expectedCashFen: Fen;
  countedCashFen: Fen;
  /** counted − expected: negative short (短款), positive over (长款). */
  differenceFen: Fen;
}

/** Totals for the daily closing report from the day's payments and reversals. */
export function closeDayTotals(entries: readonly ClosingEntry[], openingFloatFen: Fen, countedCashFen: Fen): DayClosing {
  requireFen(openingFloatFen, field('openingFloat'));
  requireFen(countedCashFen, field('countedCash'));
  const byChannel: ChannelTotals[] = PAYMENT_CHANNELS.map((channel) => ({
    channel,
    paymentCount: 0,
    paymentsFen: 0,
    reversalCount: 0,
    reversalsFen: 0,
    netFen: 0,
  }));
  for (const entry of entries) {
    if (!isPaymentChannel(entry.channel)) throw new CollectionError('bad_channel', 'badChannel', { channel: entry.channel });
    requireFen(entry.amountFen, field(entry.kind === 'reversal' ? 'reversalAmount' : 'paymentAmount'));
    const row = byChannel[PAYMENT_CHANNELS.indexOf(entry.channel)];
    if (!row) throw new CollectionError('bad_channel', 'badChannel', { channel: entry.channel });
    if (entry.kind === 'payment') {
      row.paymentCount += 1;
      row.paymentsFen += entry.amountFen;
    } else if (entry.kind === 'reversal') {
      row.reversalCount += 1;
      row.reversalsFen += entry.amountFen;
    } else {
      throw new CollectionError('bad_entry', 'badEntry');
    }
    row.netFen = row.paymentsFen - row.reversalsFen;
  }
  const cash = byChannel.find((r) => r.channel === 'cash');
  const cashTakingsFen = cash ? cash.netFen : 0;
  const expectedCashFen = openingFloatFen + cashTakingsFen;
  const netFen = sumFen(byChannel.map((r) => r.netFen));
  return {
    byChannel,
    paymentsFen: sumFen(byChannel.map((r) => r.paymentsFen)),
    reversalsFen: sumFen(byChannel.map((r) => r.reversalsFen)),
    netFen,
    receivedFen: sumFen(byChannel.filter((r) => r.channel !== 'prepaid').map((r) => r.netFen)),
    openingFloatFen,
    cashTakingsFen,
    expectedCashFen,
    countedCashFen,
    differenceFen: countedCashFen - expectedCashFen,
  };
}

/** Any cash difference, short or over, needs a reason and the station head's sign-off. */
export function closingNeedsSignOff(closing: Pick<DayClosing, 'differenceFen'>): boolean {
  return closing.differenceFen !== 0;
}

export type ClosingProblem = 'reason_required' | 'sign_off_required';

/**
 * What stops the closing from being filed: a difference without a reason, or without the
 * station head's sign-off. Empty when it may be filed.
 */
export function closingProblems(
  closing: Pick<DayClosing, 'differenceFen'>,
  signOff: { reason?: string | null; signedOffBy?: string | null } = {},
): ClosingProblem[] {
  if (!closingNeedsSignOff(closing)) return [];
  const problems: ClosingProblem[] = [];
  if (!signOff.reason?.trim()) problems.push('reason_required');
  if (!signOff.signedOffBy?.trim()) problems.push('sign_off_required');
  return problems;
}
