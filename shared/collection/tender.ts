// Cash far beyond the amount (收到现金远超应收): head-office counter policy. A clerk who types
// the next customer's phone tail into 收到现金 after an error would otherwise post a payment with
// millions "tendered" and print the receipt (issue 16). Above the policy's margin the payment
// needs a deliberate confirmation, at the counter and in the back end.

import { z } from 'zod';
import type { Fen } from '../money';
import { requireFen } from './guards';
import { field } from './types';

export const counterPolicySchema = z.object({
  /** Tendered − amount above this (fen) needs a confirmation; default 2,000 yuan. */
  largeTenderOverFen: z.number().int().min(0),
});
export type CounterPolicy = z.infer<typeof counterPolicySchema>;

export const DEFAULT_COUNTER_POLICY: Readonly<CounterPolicy> = Object.freeze({ largeTenderOverFen: 200_000 });

/** True when the cash handed over exceeds the amount by more than the policy's margin. */
export function tenderNeedsConfirmation(tenderedFen: Fen, amountFen: Fen, policy: CounterPolicy = DEFAULT_COUNTER_POLICY): boolean {
  requireFen(tenderedFen, field('cashTendered'));
  requireFen(amountFen, field('amountPosted'));
  return tenderedFen - amountFen > policy.largeTenderOverFen;
}
