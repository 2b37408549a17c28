// Head-office billing policy (电费政策): due days, the exception thresholds of the review before
// issue, and the payment channels printed on notices. Versioned reference data with an effective
// date, like tariffs (DOMAIN.md: a policy belongs in reference data, not in code), imported in
// the same reference file as the tariffs.

import { z } from 'zod';
import type { CodedMessage } from '../i18n/coded';
import { MoneyError, parseScaled } from '../money';
import { clerkIssues, fieldPlace, fileMessage, issue, issueMessage, issueOf, problemAt } from '../referenceFile';
import { isDate, type DateString } from '../time';
import { checkTariffFile, type TariffVersion } from './tariff';

const ratioProblem = (text: string): string | null => {
  try {
    const value = parseScaled(text, 2, 'factor');
    return value > 100n ? null : issue('policy.ratioAboveOne', { text });
  } catch (error) {
    if (error instanceof MoneyError) return issue('policy.ratioNotDecimal', { text });
    throw error;
  }
};

export const billingPolicySchema = z.strictObject({
  /** First day (Asia/Shanghai) the policy applies. */
  effectiveFrom: z.string().refine(isDate, issueOf('tariff.notDate')),
  /** 缴费期限: a bill is due this many days after it is issued. */
  dueDays: z.number().int().min(0).max(90),
  /** A bill over this many times the customer's average bill is listed for review. */
  highBillFactor: z.string().superRefine((text, ctx) => {
    const problem = ratioProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  /** How many earlier periods the average looks back over. */
  averageMonths: z.number().int().min(1).max(36),
  /** Payment channels printed on the notice (缴费方式); empty = the standard wording. */
  paymentChannels: z.array(z.string().trim().min(1).max(80)).max(8).default([]),
});
export type BillingPolicy = z.output<typeof billingPolicySchema>;

/** In force until head office sends a policy: due 15 days after issue, flag over ×3 the 12-month average. */
export const DEFAULT_BILLING_POLICY: BillingPolicy = {
  effectiveFrom: '2000-01-01',
  dueDays: 15,
  highBillFactor: '3',
  averageMonths: 12,
  paymentChannels: [],
};

/** The policy version in force on `date` (the latest effectiveFrom on or before it), else the default. */
export function policyInForce(versions: readonly BillingPolicy[], date: DateString): BillingPolicy {
  let best: BillingPolicy | undefined;
  for (const v of versions) if (v.effectiveFrom <= date && (!best || v.effectiveFrom > best.effectiveFrom)) best = v;
  return best ?? DEFAULT_BILLING_POLICY;
}

/** The high-bill factor in hundredths ("3" → 300), for exact comparison in fen. */
export function highBillFactorHundredths(policy: BillingPolicy): bigint {
  return parseScaled(policy.highBillFactor, 2, 'factor');
}

export type ReferenceFileCheck =
  | { ok: true; tariffs: TariffVersion[]; policies: BillingPolicy[] }
  | { ok: false; problems: CodedMessage[] };

/**
 * A head-office reference file: what checkTariffFile reads (one tariff, a list, or
 * { "tariffs": [...] }), optionally with "billingPolicy": one policy or a list of them beside
 * "tariffs". A file may carry only a policy.
 */
export function checkReferenceFile(data: unknown): ReferenceFileCheck {
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !('billingPolicy' in data)) {
    const result = checkTariffFile(data);
    return result.ok ? { ok: true, tariffs: result.tariffs, policies: [] } : result;
  }
  const { billingPolicy, ...rest } = data as Record<string, unknown>;
  const problems: CodedMessage[] = [];
  const policies: BillingPolicy[] = [];
  const raw = Array.isArray(billingPolicy) ? billingPolicy : [billingPolicy];
  raw.forEach((entry, i) => {
    const where = Array.isArray(billingPolicy) ? fileMessage('where.policyEntry', { name: 'billingPolicy', n: i + 1 }) : fileMessage('where.policy', { name: 'billingPolicy' });
    const parsed = billingPolicySchema.safeParse(entry, { error: clerkIssues });
    if (!parsed.success) {
      for (const item of parsed.error.issues) problems.push(problemAt(where, fieldPlace(item.path), issueMessage(item)));
      return;
    }
    if (policies.some((p) => p.effectiveFrom === parsed.data.effectiveFrom)) {
      problems.push(problemAt(where, '', fileMessage('policy.duplicate', { from: parsed.data.effectiveFrom })));
      return;
    }
    policies.push(parsed.data);
  });
  let tariffs: TariffVersion[] = [];
  if (Object.keys(rest).length > 0) {
    const result = checkTariffFile(rest);
    if (result.ok) tariffs = result.tariffs;
    else problems.push(...result.problems);
  }
  return problems.length ? { ok: false, problems } : { ok: true, tariffs, policies };
}
