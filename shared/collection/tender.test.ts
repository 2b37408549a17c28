import { describe, expect, it } from 'vitest';
import { yuanToFen } from '../money';
import { counterPolicySchema, DEFAULT_COUNTER_POLICY, tenderNeedsConfirmation } from './tender';

describe('cash far beyond the amount needs a confirmation (收到现金远超应收)', () => {
  it.each([
    ['exact cash', '409.82', '409.82', false],
    ['a 100-yuan note for 86.40', '100.00', '86.40', false],
    ['2,000 yuan over exactly: still fine', '2409.82', '409.82', false],
    ['one fen past 2,000 over', '2409.83', '409.82', true],
    ['the phone tail typed after the cash (issue 16)', '4008384.00', '409.82', true],
    ['2,500 yuan handed over for 2,600 owed would be short, not large', '2500.00', '2600.00', false],
  ])('%s: tendered %s for %s → %s', (_case, tendered, amount, needs) => {
    expect(tenderNeedsConfirmation(yuanToFen(tendered), yuanToFen(amount))).toBe(needs);
  });

  it('follows the policy in force, not a fixed figure', () => {
    const strict = counterPolicySchema.parse({ largeTenderOverFen: 50_000 });
    expect(tenderNeedsConfirmation(yuanToFen('1000.00'), yuanToFen('409.82'), strict)).toBe(true);
    expect(tenderNeedsConfirmation(yuanToFen('1000.00'), yuanToFen('409.82'), DEFAULT_COUNTER_POLICY)).toBe(false);
  });

  it('refuses a policy with a negative or fractional margin', () => {
    expect(() => counterPolicySchema.parse({ largeTenderOverFen: -1 })).toThrow();
    expect(() => counterPolicySchema.parse({ largeTenderOverFen: 1.5 })).toThrow();
  });
});
