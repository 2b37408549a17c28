import { describe, expect, it } from 'vitest';
import { DEFAULT_DISCONNECTION_POLICY, disconnectionEligibility, disconnectionPolicySchema, earliestDisconnectionDate, type ArrearsCase } from './disconnection';

// Oldest unpaid bill due 2026-03-15; a reminder (催费通知单) went out on 2026-03-25.
const owing: ArrearsCase = { customerClass: 'residential', oldestDueDate: '2026-03-15', arrearsFen: 20000, reminderDate: '2026-03-25' };

describe('disconnection notice eligibility (欠费停电)', () => {
  it.each([
    ['day 30 overdue: not yet', owing, '2026-04-14', false, ['not_overdue_long_enough']],
    ['day 31 overdue and reminded: eligible', owing, '2026-04-15', true, []],
    ['day 31 but never reminded', { ...owing, reminderDate: null }, '2026-04-15', false, ['not_reminded']],
    ['a "reminder" sent before the bill was overdue does not count', { ...owing, reminderDate: '2026-03-10' }, '2026-04-15', false, ['not_reminded']],
    ['a reminder dated after today does not count', { ...owing, reminderDate: '2026-04-20' }, '2026-04-15', false, ['not_reminded']],
    ['nothing owed', { ...owing, arrearsFen: 0 }, '2026-05-01', false, ['no_arrears']],
    ['paid up to date and not reminded', { ...owing, arrearsFen: 0, reminderDate: undefined }, '2026-03-20', false, ['no_arrears', 'not_overdue_long_enough', 'not_reminded']],
  ] as const)('%s', (_case, arrears, today, eligible, blocks) => {
    const check = disconnectionEligibility(arrears, today);
    expect(check.eligible).toBe(eligible);
    expect(check.blocks).toEqual(blocks);
  });

  it('day 31 shows how many days overdue and the earliest cut-off if noticed today', () => {
    expect(disconnectionEligibility(owing, '2026-04-15')).toEqual({
      eligible: true,
      daysOverdue: 31,
      blocks: [],
      earliestDisconnectionDate: '2026-04-22',
    });
  });

  it.each([
    ['a resident noticed on 1 March: from 8 March (7 days)', 'residential', '2026-03-01', '2026-03-08'],
    ['a commercial customer noticed on 1 March: from 4 March (3 days)', 'commercial', '2026-03-01', '2026-03-04'],
    ['large industry: 3 days', 'large_industry', '2026-02-27', '2026-03-02'],
    ['agricultural: 3 days', 'agricultural', '2026-12-30', '2027-01-02'],
  ] as const)('%s', (_case, customerClass, noticeDate, earliest) => {
    expect(earliestDisconnectionDate(customerClass, noticeDate)).toBe(earliest);
  });

  it('the numbers are policy: 60 days overdue and 10 days’ notice', () => {
    const policy = { overdueDaysMoreThan: 60, residentialNoticeDays: 10, otherNoticeDays: 5 };
    expect(disconnectionPolicySchema.parse(policy)).toEqual(policy);
    expect(disconnectionEligibility(owing, '2026-04-15', policy).eligible).toBe(false);
    expect(disconnectionEligibility(owing, '2026-05-15', policy).eligible).toBe(true);
    expect(earliestDisconnectionDate('residential', '2026-03-01', policy)).toBe('2026-03-11');
    expect(disconnectionPolicySchema.parse(DEFAULT_DISCONNECTION_POLICY)).toEqual(DEFAULT_DISCONNECTION_POLICY);
  });
});
